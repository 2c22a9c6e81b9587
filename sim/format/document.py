"""The scenario document, read in steps: the settings at the top, then each scene and ending
as it comes, then what needs them all (targets, names, start) and the model.

:func:`sim.format.loader.parse_text` calls the steps in turn on a whole node graph; for a large
file it calls them as :class:`sim.format.events.EventComposer` composes each scene, so a scene's
nodes are dropped once it is read. The steps are the same either way, and so are their
diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from sim.format import allow
from sim.format.diagnostics import errors
from sim.format.elements import Elements
from sim.format.events import MAX_ENTRY_VALUES, holds_more_than, too_many_values
from sim.format.keys import (
    ELEMENT_ID,
    SCENARIO_ID,
    SCENARIO_RULE,
    SCENE_RULE,
    TOP_KEYS,
)
from sim.format.nodes import UNREADABLE, NodeReader, short, suggest
from sim.format.yamlsource import where
from sim.model import (
    FEEDBACK_MODES,
    FORMAT_VERSIONS,
    BestNeeds,
    Ending,
    Scenario,
    Scene,
)

HEAD_KEYS = frozenset(
    {
        "format",
        "allow",
        "shuffle",
        "scenario",
        "title",
        "summary",
        "author",
        "version",
        "feedback_mode",
        "assessment",
        "best_needs",
        "flags",
        "meters",
    }
)
"""The top-level keys read before the first scene (scenes are read against them)."""


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


class Document:
    """One scenario document being read (``top``: its top-level entries so far)."""

    def __init__(self, r: NodeReader, top: dict[str, tuple[Node, Node]], root: Node) -> None:
        self.r = r
        self.top = top
        self.root = root
        self.b = Elements(r)
        # Every scene and ending named, in file order: None until read, and for one that
        # could not be (an error was reported). One dict each, not a dict of the scenes and
        # another of the names: a second dict of 666,000 names is 0.4 times their file.
        self.scenes: dict[str, Scene | None] = {}
        self.endings: dict[str, Ending | None] = {}
        self.scene_ids, self.ending_ids = self.scenes, self.endings
        self.b.named = (self.scenes, self.endings)
        # scene and ending nodes read already (an alias reads one again)
        self.read: set[int] = set()
        self.fmt = "1"
        self.shuffle: bool | None = None
        self.head: dict[str, Any] = {}

    def field(self, key: str, read: Callable[[Node], Any], default: Any = None) -> Any:
        return read(self.top[key][1]) if key in self.top else default

    def read_head(self) -> None:
        """The settings: format, allow, shuffle, names, assessment, flags and meters."""
        r, b, top, field = self.r, self.b, self.top, self.field
        self.fmt = fmt = _format(r, top["format"][1]) if "format" in top else "1"
        b.v11 = fmt == "1.1"
        b.only_11(top, "the scenario", "the scenario")
        if b.v11:
            allow.read(b, top, self.root, "the scenario")
        # on by default in format 1.1: the first option is not always the right one
        self.shuffle = b.v11
        if "shuffle" in top and b.v11:
            self.shuffle = _yes_no(r, top["shuffle"][1], "shuffle")
        h = self.head
        h["id"] = field(
            "scenario", lambda n: r.identifier(n, "scenario id", SCENARIO_ID, SCENARIO_RULE)
        )
        h["title"] = field("title", lambda n: r.text(n, "title"))
        h["summary"] = field("summary", lambda n: r.text(n, "summary"), "")
        h["author"] = field("author", lambda n: r.text(n, "author"), "")
        h["version"] = field("version", lambda n: _version(r, n), "1")
        mode = field("feedback_mode", lambda n: r.text(n, "feedback_mode"), "coach")
        if mode is not None and mode not in FEEDBACK_MODES:
            r.error(
                "LS013",
                top["feedback_mode"][1],
                f"feedback_mode {short(mode)} is unknown",
                "use coach, consequences or debrief",
            )
            mode = None
        h["feedback_mode"] = mode
        h["passing"] = b.passing(top["assessment"][1]) if "assessment" in top else None
        h["best_needs"] = field("best_needs", b.best_needs, BestNeeds())
        if "flags" in top:
            b.declared_flags.update(b.flag_names(top["flags"][1], "'flags'", b.declared_at))
        if "meters" in top:
            b.read_meters(top["meters"][1])

    def scene(self, key: str, key_node: Node, node: Node) -> None:
        key = self.b.arrived(key)
        self.scene_ids[key] = None
        if self.r.identifier(key_node, "scene id", ELEMENT_ID, SCENE_RULE) is None:
            return
        scene = self._again(node, lambda: self.b.scene(key, node))
        if scene is not None:
            self.scenes[key] = scene

    def ending(self, key: str, key_node: Node, node: Node) -> None:
        key = self.b.arrived(key)
        self.ending_ids[key] = None
        if self.r.identifier(key_node, "ending id", ELEMENT_ID, SCENE_RULE) is None:
            return
        if key in self.scene_ids:
            self.r.error(
                "LS032",
                key_node,
                f"{key!r} is both a scene and an ending",
                "rename one of them",
            )
            return
        ending = self._again(node, lambda: self.b.ending(key, node))
        if ending is not None:
            self.endings[key] = ending

    def _again(self, node: Node, read: Callable[[], Any]) -> Any:
        """``read()``, quietly when ``node`` was read already (listed twice through an alias)."""
        self.r.quiet = id(node) in self.read
        self.read.add(id(node))
        try:
            return read()
        finally:
            self.r.quiet = False

    def empty(self, key: str, node: Node) -> None:
        self.r.error("LS013", node, f"'{key}' is empty", f"add at least one {key[:-1]}")

    def finish(self, digest: str) -> Scenario | None:
        """Check what needs every scene and ending, then build the scenario."""
        r, b, top, h = self.r, self.b, self.top, self.head
        r.check_keys(top, TOP_KEYS, "the scenario", self.root)
        # looked up in the two lists of names, not in a set of both: for a file of 666,000
        # one-line scenes, the set cost 0.8 times the file's size at the loader's peak
        scene_ids, ending_ids = self.scene_ids, self.ending_ids
        for goto, at in b.targets:
            if goto not in scene_ids and goto not in ending_ids:
                hint = (
                    suggest(goto, [*scene_ids, *ending_ids])
                    or "name a scene from 'scenes:' or an ending from 'endings:'"
                )
                r.error(
                    "LS030",
                    at,
                    f"next goes to {goto!r}, which is neither a scene nor an ending",
                    hint,
                )
        b.check_names(scene_ids.keys())
        start = self.field("start", lambda n: r.identifier(n, "start", ELEMENT_ID, SCENE_RULE))
        if start is not None and start in ending_ids and start not in scene_ids:
            r.error(
                "LS031",
                top["start"][1],
                f"start names {start!r}, which is an ending, not a scene",
                "name the scene the trainee plays first; an ending can only be reached",
            )
        elif start is not None and start not in scene_ids:
            hint = suggest(start, scene_ids) or "name the first scene from 'scenes:'"
            r.error("LS031", top["start"][1], f"start scene {start!r} does not exist", hint)
        needed = (h["id"], h["title"], h["summary"], h["version"], h["feedback_mode"])
        if errors(r.diags) or None in (*needed, start, self.shuffle):
            return None
        return Scenario(
            id=h["id"],
            title=h["title"],
            summary=h["summary"],
            meters=tuple(b.meters.values()),
            start=start,
            scenes=_built(self.scenes),
            endings=_built(self.endings),
            version=h["version"],
            feedback_mode=h["feedback_mode"],
            format=self.fmt,
            shuffle=bool(self.shuffle),
            allowed=tuple(b.allowances),
            flags=frozenset(b.declared_flags | b.flags_written),
            declared_at=b.declared_at,
            author=h["author"],
            passing=h["passing"],
            best_needs=h["best_needs"],
            path=r.path,
            sha256=digest,
            where=where(self.root),
        )


def _built(found: dict[str, Any]) -> dict[str, Any]:
    """The scenes (or endings) read, without the names of any that could not be."""
    if None in found.values():
        return {k: v for k, v in found.items() if v is not None}
    return found


def build(r: NodeReader, root: Node, digest: str) -> Scenario | None:
    """The scenario of a whole node graph (None after reporting why there is none)."""
    top = r.mapping(root, "the scenario")
    if top is None or _oversized(r, top):
        return None
    doc = Document(r, top, root)
    doc.read_head()
    scene_nodes = (r.mapping(top["scenes"][1], "'scenes'") or {}) if "scenes" in top else {}
    ending_nodes = (r.mapping(top["endings"][1], "'endings'") or {}) if "endings" in top else {}
    for key, nodes in (("scenes", scene_nodes), ("endings", ending_nodes)):
        if key in top and not nodes and isinstance(top[key][1], MappingNode):
            doc.empty(key, top[key][1])
    for key, (key_node, node) in scene_nodes.items():
        doc.scene(key, key_node, node)
    for key, (key_node, node) in ending_nodes.items():
        doc.ending(key, key_node, node)
    return doc.finish(digest)


def _oversized(r: NodeReader, top: dict[str, tuple[Node, Node]]) -> bool:
    """Whether a setting, scene or ending holds more than :data:`MAX_ENTRY_VALUES` values
    (then reported at its key, as the streamed reading refuses a large file's)."""
    entries = [(short(k), kv) for k, kv in top.items() if k not in ("scenes", "endings")]
    for section in ("scenes", "endings"):
        listed = top.get(section, (None, None))[1]
        if isinstance(listed, MappingNode):
            entries += [(f"{section[:-1]} {short(str(kv[0].value))}", kv) for kv in listed.value]
    for what, (key, value) in entries:
        if holds_more_than(value, MAX_ENTRY_VALUES):
            refusal = too_many_values(key.start_mark, what)
            r.error(refusal.code, key, refusal.message, refusal.hint)
            return True
    return False
