"""Load a scenario file: safe YAML in, a frozen :class:`Scenario` or every problem out.

The file is untrusted. :mod:`sim.format.yamlsource` reads it within limits and composes PyYAML's
*safe* node graph (never Python objects); :mod:`sim.format.nodes` reads nodes against the shapes
expected; this module knows the format's keys and builds the model, so every diagnostic
points at the offending key or value, and it keeps going after a problem so a trainer sees
all of them at once. Conditions are parsed here, once.

The limits (:data:`MAX_FILE_BYTES`, :data:`MAX_DEPTH`, :data:`MAX_VALUES`,
:data:`MAX_ALIAS_EXPANSIONS`, :data:`MAX_NUMBER_CHARS`) are re-exported here and documented
in docs/authoring.md. tests/test_hostile_input.py holds each limit to a clear diagnostic in
bounded memory; tests/test_fuzz_loader.py checks that no input raises.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from sim.format import allow
from sim.format.diagnostics import Diagnostic, ScenarioError, bounded, errors
from sim.format.elements import Elements
from sim.format.keys import (
    ELEMENT_ID,
    SCENARIO_ID,
    SCENARIO_RULE,
    SCENE_RULE,
    TOP_KEYS,
)
from sim.format.nodes import (
    MAX_ALIAS_EXPANSIONS,
    MAX_NUMBER_CHARS,
    UNREADABLE,
    NodeReader,
    reused_scalars,
    short,
    suggest,
)
from sim.format.yamlsource import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_VALUES,
    SafeLoader,
    compose,
    read_text,
    where,
)
from sim.model import (
    FEEDBACK_MODES,
    FORMAT_VERSIONS,
    BestNeeds,
    Ending,
    Scenario,
    Scene,
)

__all__ = [
    "MAX_ALIAS_EXPANSIONS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NUMBER_CHARS",
    "MAX_VALUES",
    "SafeLoader",
    "check",
    "load",
    "loads",
    "parse_text",
]


def _version(r: NodeReader, node: Node) -> str | None:
    if not isinstance(node, ScalarNode):
        return r.text(node, "version")
    value = r.scalar(node)
    return None if value is UNREADABLE else str(value)


def _yes_no(r: NodeReader, node: Node, what: str) -> bool | None:
    value = r.scalar(node) if isinstance(node, ScalarNode) else None
    if value is UNREADABLE:
        return None
    if not isinstance(value, bool):
        r.error("LS012", node, f"{what} must be true or false", f"write '{what}: false'")
        return None
    return value


def _format(r: NodeReader, node: Node) -> str:
    """The declared format version: "1" or "1.1" ("1" after reporting anything else)."""
    value = r.scalar(node) if isinstance(node, ScalarNode) else None
    if value is UNREADABLE:
        return "1"
    if isinstance(value, float | str) and not isinstance(value, bool):
        text = str(value).strip()
    else:
        number = r.integer(node, "format")  # whole numbers are checked as they always were
        if number is None:
            return FORMAT_VERSIONS[-1]
        text = str(number)
    if text in FORMAT_VERSIONS:
        return text
    r.error(
        "LS013",
        node,
        f"format {short(text, quote=False)} is not supported",
        f"this version reads format {' and '.join(FORMAT_VERSIONS)}",
    )
    return FORMAT_VERSIONS[-1]  # read the rest as the newest, not as a cascade of errors


def parse_text(
    text: str, path: str = "<string>", sha256: str | None = None
) -> tuple[Scenario | None, list[Diagnostic]]:
    """Turn scenario text into a scenario and its diagnostics (the scenario is None when any
    diagnostic is an error). ``sha256`` is the hash of the file's bytes, when read from disk."""
    # Composing allocates a node, two marks and a string per scalar and frees none of them,
    # so the cycle collector keeps rescanning a growing heap for nothing: with it paused, a
    # 10,000-scene file loads in 2.6 s instead of 6.8 s. Whatever cycles the load leaves
    # (a recursive alias) are collected once it is back on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        root, diags = compose(text, path)
        if root is None:
            return None, diags
        reader = NodeReader(path, reused=reused_scalars(root, text))
        digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
        scenario = _build(reader, root, digest)
    finally:
        if collecting:
            gc.enable()
    found = bounded(reader.diags, path, reader.dropped)
    return (None if errors(found) else scenario), found


def _build(r: NodeReader, root: Node, digest: str) -> Scenario | None:
    top = r.mapping(root, "the scenario")
    if top is None:
        return None
    r.check_keys(top, TOP_KEYS, "the scenario", root)
    b = Elements(r)

    def field(key: str, read: Callable[[Node], Any], default: Any = None) -> Any:
        return read(top[key][1]) if key in top else default

    fmt = _format(r, top["format"][1]) if "format" in top else "1"
    b.v11 = fmt == "1.1"
    b.only_11(top, "the scenario", "the scenario")
    if b.v11:
        allow.read(b, top, root, "the scenario")
    shuffle: bool | None = (
        b.v11
    )  # on by default in format 1.1: the first option is not always the right one
    if "shuffle" in top and b.v11:
        shuffle = _yes_no(r, top["shuffle"][1], "shuffle")
    sid = field("scenario", lambda n: r.identifier(n, "scenario id", SCENARIO_ID, SCENARIO_RULE))
    title = field("title", lambda n: r.text(n, "title"))
    summary = field("summary", lambda n: r.text(n, "summary"), "")
    author = field("author", lambda n: r.text(n, "author"), "")
    version = field(
        "version",
        lambda n: _version(r, n),
        "1",
    )
    mode = field("feedback_mode", lambda n: r.text(n, "feedback_mode"), "coach")
    if mode is not None and mode not in FEEDBACK_MODES:
        r.error(
            "LS013",
            top["feedback_mode"][1],
            f"feedback_mode {short(mode)} is unknown",
            "use coach, consequences or debrief",
        )
        mode = None
    passing = b.passing(top["assessment"][1]) if "assessment" in top else None
    best_needs = field("best_needs", b.best_needs, BestNeeds())
    if "flags" in top:
        b.declared_flags.update(b.flag_names(top["flags"][1], "'flags'", b.declared_at))
    if "meters" in top:
        b.read_meters(top["meters"][1])

    scene_nodes = (r.mapping(top["scenes"][1], "'scenes'") or {}) if "scenes" in top else {}
    ending_nodes = (r.mapping(top["endings"][1], "'endings'") or {}) if "endings" in top else {}
    if "scenes" in top and not scene_nodes and isinstance(top["scenes"][1], MappingNode):
        r.error("LS013", top["scenes"][1], "'scenes' is empty", "add at least one scene")
    if "endings" in top and not ending_nodes and isinstance(top["endings"][1], MappingNode):
        r.error("LS013", top["endings"][1], "'endings' is empty", "add at least one ending")

    scenes: dict[str, Scene] = {}
    read: set[int] = set()  # scene and ending nodes read already (an alias reads one again)
    for key, (key_node, node) in scene_nodes.items():
        if r.identifier(key_node, "scene id", ELEMENT_ID, SCENE_RULE) is None:
            continue
        r.quiet = id(node) in read
        read.add(id(node))
        scene = b.scene(key, node)
        r.quiet = False
        if scene is not None:
            scenes[key] = scene
    endings: dict[str, Ending] = {}
    for key, (key_node, node) in ending_nodes.items():
        if r.identifier(key_node, "ending id", ELEMENT_ID, SCENE_RULE) is None:
            continue
        if key in scene_nodes:
            r.error(
                "LS032",
                key_node,
                f"{key!r} is both a scene and an ending",
                "rename one of them",
            )
            continue
        r.quiet = id(node) in read
        read.add(id(node))
        ending = b.ending(key, node)
        r.quiet = False
        if ending is not None:
            endings[key] = ending

    all_ids = set(scene_nodes) | set(ending_nodes)
    for goto, node in b.targets:
        if goto not in all_ids:
            hint = (
                suggest(goto, all_ids) or "name a scene from 'scenes:' or an ending from 'endings:'"
            )
            r.error(
                "LS030",
                node,
                f"next goes to {goto!r}, which is neither a scene nor an ending",
                hint,
            )
    b.check_names(set(scene_nodes))
    start = field("start", lambda n: r.identifier(n, "start", ELEMENT_ID, SCENE_RULE))
    if start is not None and start in ending_nodes and start not in scene_nodes:
        r.error(
            "LS031",
            top["start"][1],
            f"start names {start!r}, which is an ending, not a scene",
            "name the scene the trainee plays first; an ending can only be reached",
        )
    elif start is not None and start not in scene_nodes:
        hint = suggest(start, scene_nodes) or "name the first scene from 'scenes:'"
        r.error("LS031", top["start"][1], f"start scene {start!r} does not exist", hint)

    if errors(r.diags) or None in (sid, title, summary, version, mode, start, shuffle):
        return None
    return Scenario(
        id=sid,
        title=title,
        summary=summary,
        meters=tuple(b.meters.values()),
        start=start,
        scenes=scenes,
        endings=endings,
        version=version,
        feedback_mode=mode,
        format=fmt,
        shuffle=bool(shuffle),
        allowed=tuple(b.allowances),
        flags=frozenset(b.declared_flags | b.flags_written),
        declared_at=b.declared_at,
        author=author,
        passing=passing,
        best_needs=best_needs,
        path=r.path,
        sha256=digest,
        where=where(root),
    )


def check(path: str | Path) -> tuple[Scenario | None, list[Diagnostic]]:
    """Read and check a scenario file; never raises for a bad file. The scenario's hash is
    of the bytes on disk, so it matches `sha256sum FILE`."""
    text, data, diags = read_text(Path(path), str(path))
    if text is None:
        return None, diags
    return parse_text(text, str(path), hashlib.sha256(data).hexdigest())


def load(path: str | Path) -> Scenario:
    """Load a scenario or raise :class:`ScenarioError` with every diagnostic."""
    scenario, diags = check(path)
    if scenario is None:
        raise ScenarioError(diags)
    return scenario


def loads(text: str, path: str = "<string>") -> Scenario:
    """Load scenario text (tests, the editor's live reload) or raise :class:`ScenarioError`."""
    scenario, diags = parse_text(text, path)
    if scenario is None:
        raise ScenarioError(diags)
    return scenario
