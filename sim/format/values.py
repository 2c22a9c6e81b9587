"""Reading the value-like elements of a scenario: flags, conditions, meters, effects, routes.

:class:`ValueReader` builds frozen model values from checked nodes, parses conditions once,
and remembers which meters and flags it met so the names can be cross-checked when the whole
file has been read. :class:`sim.format.elements.Elements` builds on it for scenes, choices and
endings.
"""

from __future__ import annotations

from collections.abc import Iterator, KeysView, Mapping
from typing import Any

from yaml.nodes import Node, ScalarNode

from sim import conditions
from sim.format.diagnostics import MAX_DIAGNOSTICS
from sim.format.keys import (
    DELTA,
    ELEMENT_ID,
    FLAG_RULE,
    METER_KEYS,
    NAME_ID,
    NAME_RULE,
    PERCENT,
    ROUTE_KEYS,
    SCENE_RULE,
)
from sim.format.nodes import UNREADABLE, NodeReader, kind_of, offset_in, short, suggest
from sim.format.yamlsource import where
from sim.model import Effects, Ending, Guard, Meter, MeterChange, Route, Scene, Where

MAX_NAMES = 10_000
"""Most different flag names (declared, set, cleared, or read by conditions) a scenario may
use; a shipped scenario uses a dozen. Each costs some 250 bytes however short it is written,
so without a limit a file of flag names would take fifty times its size."""
MAX_SHARED = 100_000
"""Most names kept once each (:meth:`ValueReader.share`); past it a name is kept as written."""

NO_NAMES: frozenset[str] = frozenset()
NO_EFFECTS = Effects()
"""What a choice without effects holds: one shared value, not an object of 80 bytes each."""


def _frozen(names: set[str]) -> frozenset[str]:
    """``names`` frozen; most effects set no flag, and each empty frozenset is 200 bytes."""
    return frozenset(names) if names else NO_NAMES


class ValueReader:
    """Flags, conditions, meters, effects and routes, read into model values."""

    def __init__(self, reader: NodeReader) -> None:
        self.r = reader
        self.meters: dict[str, Meter] = {}
        # Every meter name 'meters:' declares, even one whose definition has a mistake: that
        # mistake is reported once, and the name still counts as known, so effects and
        # conditions that use it raise no flood of follow-on "unknown meter" errors.
        self.meter_names: set[str] = set()
        # Where each flag is first set by an effect, to point a misspelt flag at its 'set:'.
        self.set_at: dict[str, Where] = {}
        self.flags_written: set[str] = set()
        self.declared_flags: set[str] = set()
        self.declared_at: dict[str, Where] = {}
        self.shared: dict[str, str] = {}
        self.names: set[str] = set()  # every flag name, and every name a condition reads
        self.too_many_names = False  # past MAX_NAMES, reported once
        # A condition's names are checked as it is read, against the meters, the flags
        # declared and the flags set so far; a name or scene not known yet is kept with where
        # it is used (up to MAX_DIAGNOSTICS places each: no more could be reported) and
        # checked once every scene is read. Keeping every parsed condition and its node for
        # that instead cost a large file more than its nodes had.
        self.conditions: dict[str, conditions.Condition] = {}
        self.names_read: set[str] = set()
        self.later_names: dict[str, list[Where]] = {}
        self.later_scenes: dict[str, list[tuple[str, Where]]] = {}
        self.later_more: dict[tuple[str, str], int] = {}  # places past the cap, by kind and name
        # The scenes and endings named so far (the document's), and where each 'next' names
        # one not named yet (a position, not the node: a large file's nodes are dropped as
        # each scene is read), until it is: only names still waiting at the end are
        # mistakes. Keeping every target instead cost 16 bytes a route to the end.
        self.named: tuple[Mapping[str, Scene | Ending | None], ...] = ()
        self.waiting: dict[str, tuple[str, list[Where]]] = {}

    def target(self, goto: str, at: Where) -> str:
        """Note that a 'next' at ``at`` names ``goto``; the name to keep for it. Every route to
        a scene and the scene itself hold one string for its name: the one written first
        (its scene's, or the first 'next' naming it when that comes first), since a string
        is 50 bytes or more, and a scenario of one-line scenes holds one a scene."""
        for names in self.named:
            if goto in names:
                element = names[goto]
                return goto if element is None else element.id
        waiting = self.waiting.get(goto)
        if waiting is None:
            self.waiting[goto] = waiting = (goto, [])
        waiting[1].append(at)
        return waiting[0]

    def arrived(self, name: str) -> str:
        """``name`` is a scene or ending now: 'next' may name it. The name to keep for it
        (the string the first 'next' naming it holds, if one did)."""
        waiting = self.waiting.pop(name, None)
        return name if waiting is None else waiting[0]

    def share(self, name: str) -> str:
        """One string for each name the file repeats (choice ids, meter and flag names,
        speakers), so a loaded scenario holds each once however often it is written."""
        if len(self.shared) < MAX_SHARED:
            return self.shared.setdefault(name, name)
        return self.shared.get(name, name)

    def may_name(self, name: str, node: Node) -> bool:
        """Whether the file may use one more flag name (or a name in a condition); past
        :data:`MAX_NAMES` different ones, the file is refused at ``node`` (once)."""
        if name in self.names or name in self.meter_names:
            return True
        if len(self.names) < MAX_NAMES:
            self.names.add(name)
            return True
        if not self.too_many_names:
            self.too_many_names = True
            self.r.error(
                "LS004",
                node,
                f"the scenario uses more than {MAX_NAMES:,} different flag names",
                "a scenario needs a few dozen: check the file was generated as meant",
            )
        return False

    @property
    def targets(self) -> Iterator[tuple[str, Where]]:
        """Where a 'next' names what no scene or ending was named, so far."""
        return ((goto, at) for goto, (_, places) in self.waiting.items() for at in places)

    def flag_names(
        self, node: Node, what: str, places: dict[str, Where] | None = None
    ) -> list[str]:
        """The flag names a `set`, `clear` or `flags` value lists; ``places`` (if given)
        learns where each one is written."""
        nodes = [node] if isinstance(node, ScalarNode) else self.r.sequence(node, what) or []
        names = []
        for n in nodes:
            name = self.r.identifier(n, f"flag in {what}", NAME_ID, FLAG_RULE)
            if name is not None and self.may_name(name, n):
                name = self.share(name)
                names.append(name)
                if places is not None:
                    places.setdefault(name, where(n))
        return names

    # -- conditions --

    def condition(self, node: Node, what: str) -> Guard | None:
        source = self.r.text(node, what)
        if source is None:
            return None
        try:
            parsed = conditions.parse(source)
        except conditions.ConditionError as e:
            self.r.error("LS020", offset_in(node, e.offset), f"{what}: {e.message}", e.hint)
            return None
        self._names(parsed, node)
        # Kept as its text (one Condition for each text): the tree is parsed again when
        # first needed; see sim.conditions.
        kept = self.conditions.get(source)
        if kept is None:
            self.conditions[source] = kept = conditions.Condition(source)
        return Guard(kept, where=where(node))

    def _names(self, parsed: conditions.Condition, node: Node) -> None:
        """Note the names and scenes a condition reads that are not known yet."""
        scenes = self.named[0] if self.named else {}
        for n in conditions.walk(parsed.tree):
            if isinstance(n, conditions.Name):
                name = n.name
                if not self.may_name(name, node):
                    continue
                self.names_read.add(name)
                if not (
                    name in self.meter_names
                    or name in self.flags_written
                    or name in self.declared_flags
                ):
                    places = self.later_names.setdefault(name, [])
                    if self._room(places, ("name", name)):
                        places.append(offset_in(node, n.offset))
            elif isinstance(n, conditions.Call) and n.scene not in scenes:
                calls = self.later_scenes.setdefault(n.scene, [])
                if self._room(calls, ("scene", n.scene)):
                    calls.append((n.function, offset_in(node, n.offset)))

    def _room(self, places: list[Any], key: tuple[str, str]) -> bool:
        """Whether ``places`` may hold one more (else that one is counted under ``key``)."""
        if len(places) < MAX_DIAGNOSTICS:
            return True
        self.later_more[key] = self.later_more.get(key, 0) + 1
        return False

    def check_names(self, scenes: KeysView[str]) -> None:
        known = self.meter_names | self.flags_written | self.declared_flags
        for scene, calls in self.later_scenes.items():
            if scene in scenes:
                continue
            hint = suggest(scene, scenes) or "name a scene id from 'scenes:'"
            for function, at in calls:
                message = f"{function}() names unknown scene {short(scene)}"
                self.r.error("LS021", at, message, hint)
            self.r.dropped += self.later_more.get(("scene", scene), 0)
        unknown = {name: at for name, at in self.later_names.items() if name not in known}
        read = self.names_read
        # A flag that is set but never read, close to a name that is read but never set, is
        # the typo: point at the 'set:' rather than asking every correct reader to change.
        misspelt = {
            name: self.set_at[name]
            for name in self.set_at
            if name not in read and name not in self.declared_flags
        }
        for name, places in unknown.items():
            close = suggest(name, misspelt)
            if close:
                typo = close.split("'")[1]
                self.r.error(
                    "LS021",
                    misspelt.pop(typo),
                    f"this sets flag {typo!r}, which no condition reads, while conditions read "
                    f"{name!r} (first on line {places[0].line}), which nothing sets",
                    f"did you mean {name!r}? correct the name here",
                )
                continue
            hint = suggest(name, known) or (
                "a name must be a meter, or a flag that some choice sets or clears "
                "(or that 'flags:' declares)"
            )
            for at in places:
                self.r.error("LS021", at, f"condition uses unknown name {short(name)}", hint)
            self.r.dropped += self.later_more.get(("name", name), 0)

    # -- meters --

    def read_meters(self, node: Node) -> None:
        items = self.r.mapping(node, "'meters'")
        if items is None:
            return
        if not items:
            self.r.error("LS013", node, "'meters' is empty", "declare at least one meter")
        for name, (key_node, value_node) in items.items():
            if not NAME_ID.match(name):
                self.r.error(
                    "LS015",
                    key_node,
                    f"meter name {short(name)} is not a valid name",
                    NAME_RULE,
                )
                continue
            self.meter_names.add(name)
            what = f"meter {name!r}"
            fields = self.r.mapping(value_node, what)
            if fields is None:
                continue
            self.r.check_keys(fields, METER_KEYS, what, value_node)
            label = self.r.text(fields["label"][1], f"{what} label") if "label" in fields else None
            low = self.r.integer(fields["min"][1], f"{what} min") if "min" in fields else 0
            high = self.r.integer(fields["max"][1], f"{what} max") if "max" in fields else 100
            begin = (
                self.r.integer(fields["start"][1], f"{what} start") if "start" in fields else None
            )
            if low is not None and high is not None and low >= high:
                self.r.error(
                    "LS013",
                    value_node,
                    f"{what} has min {low} >= max {high}",
                    "make min smaller than max",
                )
                continue
            if (
                begin is not None
                and low is not None
                and high is not None
                and not low <= begin <= high
            ):
                self.r.error(
                    "LS013",
                    fields["start"][1],
                    f"{what} starts at {begin}, outside {low}..{high}",
                    "pick a start between min and max",
                )
                continue
            if label is None or begin is None or low is None or high is None:
                continue
            self.meters[name] = Meter(name, label, begin, low, high, where=where(key_node))

    # -- effects --

    def effects(self, node: Node, what: str) -> Effects:
        items = self.r.mapping(node, what)
        if items is None:
            return NO_EFFECTS
        changes: list[MeterChange] = []
        set_flags: set[str] = set()
        clear_flags: set[str] = set()
        for key, (key_node, value_node) in items.items():
            if key in ("set", "clear"):
                names = self.flag_names(value_node, f"{what} {key}", self._written(key))
                (set_flags if key == "set" else clear_flags).update(names)
                self.flags_written.update(names)
                continue
            if key not in self.meters:
                if key in self.meter_names:
                    continue  # its definition has a mistake, already reported there
                hint = suggest(key, [*list(self.meters), "set", "clear"]) or (
                    "effects name meters from 'meters:', or 'set'/'clear' for flags"
                )
                self.r.error("LS033", key_node, f"{what} changes unknown meter {short(key)}", hint)
                continue
            change = self.meter_change(key, value_node, what)
            if change is not None:
                changes.append(change)
        if not (changes or set_flags or clear_flags):
            return NO_EFFECTS
        return Effects(tuple(changes), _frozen(set_flags), _frozen(clear_flags))

    def _written(self, key: str) -> dict[str, Where] | None:
        return self.set_at if key == "set" else None

    def meter_change(self, meter: str, node: Node, what: str) -> MeterChange | None:
        meter = self.share(meter)
        value = self.r.scalar(node) if isinstance(node, ScalarNode) else None
        if value is UNREADABLE:
            return None
        hint = "write a whole number such as +10 or -5, or a percentage such as '%+20'"
        if isinstance(value, str) and DELTA.match(value.strip()):
            # A quoted change such as '+10' reads as its number; a long one is far too
            # large without converting it (int() refuses more than 4,300 digits).
            digits = value.strip()
            value = int(digits) if len(digits) <= 12 else 10**12
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > 1_000_000_000:
                self.r.error("LS034", node, f"{what}: change of {meter!r} is far too large", hint)
                return None
            return MeterChange(meter, "delta", value, where=where(node))
        if isinstance(value, str):
            text = value.strip()
            m = PERCENT.match(text)
            if m:
                amount = float(m.group(2))
                if amount > 100:
                    self.r.error(
                        "LS034",
                        node,
                        f"{what}: {text!r} moves more than 100% of the way",
                        "use at most %+100",
                    )
                    return None
                amount = amount if m.group(1) == "+" else -amount
                return MeterChange(meter, "percent", amount, where=where(node))
        self.r.error("LS034", node, f"{what}: change of {meter!r} is {kind_of(node)}", hint)
        return None

    # -- routes --

    def routes(self, node: Node, what: str) -> tuple[Route, ...]:
        if isinstance(node, ScalarNode):
            goto = self.r.identifier(node, f"{what} next", ELEMENT_ID, SCENE_RULE)
            if goto is None:
                return ()
            at = where(node)
            return (Route(self.target(goto, at), where=at),)
        items = self.r.sequence(node, f"{what} next")
        if items is None:
            return ()
        if not items:
            self.r.error(
                "LS013",
                node,
                f"{what} has an empty 'next' list",
                "add at least a fallback '{goto: scene}'",
            )
            return ()
        routes: list[Route] = []
        for i, item in enumerate(items, 1):
            rwhat = f"route {i} of {what}"
            fields = self.r.mapping(item, rwhat)
            if fields is None:
                continue
            self.r.check_keys(fields, ROUTE_KEYS, rwhat, item)
            self.route_extras(fields, item, rwhat)
            guard = self.condition(fields["if"][1], f"{rwhat} 'if'") if "if" in fields else None
            chance = None
            if "chance" in fields:
                cnode = fields["chance"][1]
                value = self.r.scalar(cnode) if isinstance(cnode, ScalarNode) else None
                if value is UNREADABLE:
                    pass
                elif isinstance(value, bool) or not isinstance(value, int | float):
                    self.r.error(
                        "LS012",
                        cnode,
                        f"{rwhat} chance must be a number",
                        "write a probability such as 0.25",
                    )
                elif not 0 < value <= 1:
                    self.r.error(
                        "LS038",
                        cnode,
                        f"{rwhat} has chance {short(str(value), quote=False)}, outside 0..1",
                        "a chance is a probability: 0.25 means one time in four",
                    )
                else:
                    chance = float(value)
            if "goto" not in fields:
                continue
            goto = self.r.identifier(fields["goto"][1], f"{rwhat} goto", ELEMENT_ID, SCENE_RULE)
            if goto is None:
                continue
            goto = self.target(goto, where(fields["goto"][1]))
            fallback = "if" not in fields and "chance" not in fields
            routes.append(Route(goto, guard, chance, where=where(item)))
            if i == len(items) and not fallback:
                self.r.error(
                    "LS037",
                    item,
                    f"the last route of {what} has a condition, so sometimes no route applies",
                    f"end the list with a fallback route that has no 'if' or 'chance', "
                    f"such as '{{goto: {goto}}}'",
                )
        return tuple(routes)

    def route_extras(self, fields: dict[str, tuple[Node, Node]], node: Node, what: str) -> None:
        """Keys of a route read elsewhere (format 1.1 ``allow``: see Elements)."""

    # -- choices, scenes, endings --
