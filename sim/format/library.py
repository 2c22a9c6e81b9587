"""Find scenarios: the shipped ones and a trainer's own directory.

Shipped scenarios live in the repository's ``scenarios/`` folder; a wheel installs them as
``sim/scenarios`` (see pyproject.toml), and an editable install or a source checkout reads the
folder beside the package. A file that fails to load is still listed, with its diagnostics, so
the library can show the error instead of hiding the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from sim.format.diagnostics import Diagnostic, ScenarioError
from sim.format.keys import SCENARIO_ID
from sim.reprs import shared_repr

if TYPE_CHECKING:  # types only: listing files needs no model
    from sim.model import Scenario

# The loader (and PyYAML) is imported where a file is actually read, so the simulator can
# find and list files at start-up without paying for it.

SUFFIXES = (".yaml", ".yml")


def shipped_dir() -> Path:
    """The folder of the scenarios that ship with leadsim."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "scenarios"
    return installed if installed.is_dir() else package.parent / "scenarios"


@attrs.frozen
@shared_repr
class Entry:
    """One scenario file as the library sees it: loaded, or broken with its diagnostics."""

    path: Path
    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def id(self) -> str:
        return self.scenario.id if self.scenario else self.path.stem

    @property
    def first_error(self) -> str:
        return self.diagnostics[0].format() if self.diagnostics else ""


def scenario_files(directory: Path) -> list[Path]:
    try:
        return sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())
    except OSError:  # missing, not a folder, or unreadable: nothing to list
        return []


def discover(extra: Iterable[Path] = (), shipped: bool = True) -> list[Entry]:
    """Every scenario in the shipped folder (unless ``shipped`` is false) and in ``extra``."""
    folders = ([shipped_dir()] if shipped else []) + [Path(d) for d in extra]
    from sim.format import loader

    entries = []
    for folder in folders:
        for path in scenario_files(folder):
            scenario, diags = loader.check(path)
            errs = tuple(d for d in diags if d.severity == "error")
            entries.append(Entry(path, scenario, errs))
    return entries


def find_id(scenario_id: str, extra: Iterable[Path] = ()) -> Path | None:
    """The file of the shipped (or ``extra``) scenario whose id is ``scenario_id``; None when
    there is none. Only a well-formed id is looked up: a name read from a log or an index is
    untrusted, and a forged ``../../x`` or ``/etc/x`` must never become a path."""
    return _find_id(scenario_id, tuple(extra))[0]


def _find_id(scenario_id: str, extra: tuple[Path, ...]) -> tuple[Path | None, list[Entry] | None]:
    """:func:`find_id`, and the entries it read when it had to read the files (else None)."""
    if not SCENARIO_ID.match(scenario_id):
        return None, None
    for folder in [shipped_dir(), *(Path(d) for d in extra)]:
        for candidate in scenario_files(folder):
            if candidate.stem == scenario_id:
                return candidate, None
    # Ids normally match file names; fall back to reading the files' ids.
    entries = discover(extra)
    for entry in entries:
        if entry.scenario is not None and entry.scenario.id == scenario_id:
            return entry.path, entries
    return None, entries


def recorded_file(recorded: str) -> Path | None:
    """The scenario file a log or an index recorded, if it still is one: an existing regular
    file named ``.yaml``/``.yml``. Anything else (a forged ``/etc/passwd``, a device, a
    name the system refuses) is just not found, so an untrusted log cannot make leadsim read
    a file that is not a scenario."""
    if not recorded:
        return None
    try:
        path = Path(recorded)
        return path if path.suffix in SUFFIXES and path.is_file() else None
    except (OSError, ValueError):
        return None


def resolve(name: str, extra: Iterable[Path] = ()) -> Path:
    """A scenario argument as a path: an existing file, or the id of a shipped scenario (or
    one in ``extra``). Raises :class:`ScenarioError` naming what exists when nothing matches."""
    path = Path(name)
    if path.exists() or path.suffix in SUFFIXES or "/" in name:
        return path
    folders = tuple(extra)
    found, entries = _find_id(name, folders)
    if found is not None:
        return found
    if entries is None:  # not an id: the files were not read yet
        entries = discover(folders)
    known = ", ".join(sorted(e.id for e in entries)) or "none"
    raise ScenarioError(
        [
            Diagnostic(
                "LS001",
                "error",
                f"no scenario file or shipped scenario called {name!r}",
                f"give a path to a .yaml file, or one of: {known}",
                name,
            )
        ]
    )
