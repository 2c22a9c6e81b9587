"""The layers of the code, bottom to top: the one table that the import test
(``tests/test_layers.py``) enforces and the README's Design section shows.

A module may import from its own layer and from any layer of a lower rank, never upwards and
never sideways (two layers of the same rank stay out of each other's way), and no imports may
close a cycle. Lazy imports (inside a function, for start-up time) count the same as imports at
the top of a module: a lazy import is a promise about the order of work, not about layering.
"""

from __future__ import annotations

from typing import NamedTuple


class Layer(NamedTuple):
    name: str
    rank: int
    package: str
    """The package the layer is; ``sim`` itself means the core modules directly inside it."""
    holds: str


LAYERS: tuple[Layer, ...] = (
    Layer(
        "core",
        0,
        "sim",
        "`model`, `conditions`, `engine`, `rng`, `prose`, `traits`, `safetext`, `wording`, "
        "`reprs`, `collector`, `places`, `layers`: a scenario's parts, the pure engine and how its "
        "results are worded; no I/O, no clock",
    ),
    Layer(
        "format",
        1,
        "sim.format",
        "`yamlsource`, `nodes`, `keys`, `values`, `elements`, `loader`, `diagnostics`, "
        "`schema`, `starter`, `library`: a file in, a `Scenario` or diagnostics out",
    ),
    Layer(
        "analysis",
        2,
        "sim.analysis",
        "`statespace`, `explore`, `stategraph`, `paths`, `lint`, `playtest`, `kernel`, `graph`, "
        "`stylemix`, `cues`, `rubric`, `pacing`, `teaching`: what every path of a scenario "
        "can do, and whether it teaches what it claims",
    ),
    Layer(
        "log",
        2,
        "sim.log",
        "`format`, `parse`, `writer`, `lock`, `signing`, `reader`, `files`, `replay`, `shown`, "
        "`screen`: "
        "session logs written (one writer, optionally signed), read back and re-run through the "
        "engine",
    ),
    Layer(
        "xapi",
        3,
        "sim.xapi",
        "`vocab`, `statements`, `config`, `client`, `queue`, `sync`, `background`, `readback`: "
        "sessions as xAPI statements, sent to a learning record store and read back",
    ),
    Layer(
        "sessions",
        4,
        "sim.sessions",
        "`session` (the `Session` class), `lifecycle` (make, resume, offer), `request`, `autosync`",
    ),
    Layer(
        "report",
        4,
        "sim.report",
        "`walk`, `index`, `stored`, `rows`, `cohort`, `text`, `html`, `flow`, `privacy`, "
        "`synthetic`: "
        "the cohort index and what a trainer reads of it",
    ),
    Layer("text", 5, "sim.text", "the plain-text player and its resume offer"),
    Layer("tui", 5, "sim.tui", "the Textual simulator: app, screens, widgets"),
    Layer("serve", 5, "sim.serve", "the simulator in a browser (`leadsim serve`)"),
    Layer("commands", 6, "sim.commands", "one module per `leadsim` subcommand"),
    Layer("cli", 7, "sim.cli", "argument parsing and dispatch (`sim.cli`, `sim.__main__`)"),
)

_BY_PACKAGE = {layer.package: layer for layer in LAYERS}


def layer_of(module: str) -> Layer | None:
    """The layer ``module`` (a dotted name under ``sim``) belongs to; None outside ``sim``."""
    if module == "sim.__main__":
        return _BY_PACKAGE["sim.cli"]
    parts = module.split(".")
    if parts[0] != "sim":
        return None
    if len(parts) >= 2 and f"sim.{parts[1]}" in _BY_PACKAGE:
        return _BY_PACKAGE[f"sim.{parts[1]}"]
    return _BY_PACKAGE["sim"]


def markdown_table() -> str:
    """The table as the README shows it."""
    rows = ["| rank | layer | package | holds |", "|---|---|---|---|"]
    for layer in LAYERS:
        package = (
            f"`{layer.package.replace('.', '/')}/`"
            if layer.package != "sim.cli"
            else "`sim/cli.py`"
        )
        if layer.package == "sim":
            package = "`sim/*.py`"
        rows.append(f"| {layer.rank} | {layer.name} | {package} | {layer.holds} |")
    return "\n".join(rows)
