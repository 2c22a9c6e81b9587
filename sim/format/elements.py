"""Reading the elements of a scenario: meters, scenes, choices, effects, routes, endings.

The loader hands each part of the document here. :class:`Elements` knows the format's keys
(the tables below are the contract that docs/authoring.md and the JSON Schema describe),
builds frozen model values, parses conditions once, and remembers which ids and names it met
so the loader can cross-check them when the whole file has been read.
"""

from __future__ import annotations

import re

from yaml.nodes import Node, ScalarNode

from sim import conditions
from sim.format.nodes import UNREADABLE, NodeReader, kind_of, offset_in, short, suggest
from sim.format.yamlsource import where
from sim.model import (
    OUTCOMES,
    STYLES,
    Choice,
    Effects,
    Ending,
    Guard,
    Meter,
    MeterChange,
    Route,
    Scene,
    Where,
)
from sim.traits import TRAIT_IDS

SCENARIO_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
ELEMENT_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
NAME_ID = re.compile(r"[a-z_][a-z0-9_]*\Z")
PERCENT = re.compile(r"%\s*([+-])\s*(\d+(?:\.\d+)?)\Z")
DELTA = re.compile(r"[+-]?\d+\Z")

TOP_KEYS = {
    "format": False,
    "scenario": True,
    "title": True,
    "summary": False,
    "version": False,
    "author": False,
    "feedback_mode": False,
    "meters": True,
    "flags": False,
    "start": True,
    "scenes": True,
    "endings": True,
}
METER_KEYS = {"label": True, "start": True, "min": False, "max": False}
SCENE_KEYS = {"text": True, "choices": True, "speaker": False, "reflect": False}
CHOICE_KEYS = {
    "id": True,
    "text": True,
    "style": True,
    "next": True,
    "effects": False,
    "feedback": False,
    "if": False,
    "locked": False,
    "once": False,
    "traits": False,
}
ROUTE_KEYS = {"goto": True, "if": False, "chance": False}
ENDING_KEYS = {"title": True, "text": True, "outcome": False, "lessons": False}


SCENE_RULE = "ids use lowercase letters, digits, '-' and '_', e.g. 'monday-call'"
SCENARIO_RULE = "a scenario id uses lowercase letters, digits and dashes, e.g. 'friday-shipment'"
NAME_RULE = "meter names use lowercase letters, digits and '_' (no dashes: '-' means minus)"
FLAG_RULE = "flag names use lowercase letters, digits and '_', e.g. 'team_briefed'"


class Elements:
    """Second half of loading: turns checked nodes into model values and cross-checks ids."""

    def __init__(self, reader: NodeReader) -> None:
        self.r = reader
        self.meters: dict[str, Meter] = {}
        self.flags_written: set[str] = set()
        self.declared_flags: set[str] = set()
        self.declared_at: dict[str, Where] = {}
        # Conditions are checked for names after every scene is read.
        self.pending: list[tuple[conditions.Condition, Node]] = []
        self.targets: list[tuple[str, Node]] = []

    def flag_names(
        self, node: Node, what: str, places: dict[str, Where] | None = None
    ) -> list[str]:
        """The flag names a `set`, `clear` or `flags` value lists; ``places`` (if given)
        learns where each one is written."""
        nodes = [node] if isinstance(node, ScalarNode) else self.r.sequence(node, what) or []
        names = []
        for n in nodes:
            name = self.r.identifier(n, f"flag in {what}", NAME_ID, FLAG_RULE)
            if name is not None:
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
        self.pending.append((parsed, node))
        return Guard(parsed, where=where(node))

    def check_names(self, scenes: set[str]) -> None:
        known = set(self.meters) | self.flags_written | self.declared_flags
        for cond, node in self.pending:
            for n in conditions.walk(cond.tree):
                if isinstance(n, conditions.Name) and n.name not in known:
                    hint = suggest(n.name, known) or (
                        "a name must be a meter, or a flag that some choice sets or clears "
                        "(or that 'flags:' declares)"
                    )
                    self.r.error(
                        "LS021",
                        offset_in(node, n.offset),
                        f"condition uses unknown name {n.name!r}",
                        hint,
                    )
                elif isinstance(n, conditions.Call) and n.scene not in scenes:
                    hint = suggest(n.scene, scenes) or "name a scene id from 'scenes:'"
                    self.r.error(
                        "LS021",
                        offset_in(node, n.offset),
                        f"{n.function}() names unknown scene {n.scene!r}",
                        hint,
                    )

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
                    f"meter name {name!r} is not a valid name",
                    NAME_RULE,
                )
                continue
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
            return Effects()
        changes: list[MeterChange] = []
        set_flags: set[str] = set()
        clear_flags: set[str] = set()
        for key, (key_node, value_node) in items.items():
            if key in ("set", "clear"):
                names = self.flag_names(value_node, f"{what} {key}")
                (set_flags if key == "set" else clear_flags).update(names)
                self.flags_written.update(names)
                continue
            if key not in self.meters:
                hint = suggest(key, [*list(self.meters), "set", "clear"]) or (
                    "effects name meters from 'meters:', or 'set'/'clear' for flags"
                )
                self.r.error("LS033", key_node, f"{what} changes unknown meter {key!r}", hint)
                continue
            change = self.meter_change(key, value_node, what)
            if change is not None:
                changes.append(change)
        return Effects(tuple(changes), frozenset(set_flags), frozenset(clear_flags))

    def meter_change(self, meter: str, node: Node, what: str) -> MeterChange | None:
        value = self.r.scalar(node) if isinstance(node, ScalarNode) else None
        if value is UNREADABLE:
            return None
        hint = "write a whole number such as +10 or -5, or a percentage such as '%+20'"
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > 1_000_000_000:
                self.r.error("LS034", node, f"{what}: change of {meter!r} is far too large", hint)
                return None
            return MeterChange(meter, "delta", value, where=where(node))
        if isinstance(value, str):
            text = value.strip()
            if DELTA.match(text):
                return MeterChange(meter, "delta", int(text), where=where(node))
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
            self.targets.append((goto, node))
            return (Route(goto, where=where(node)),)
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
            self.targets.append((goto, fields["goto"][1]))
            fallback = "if" not in fields and "chance" not in fields
            routes.append(Route(goto, guard, chance, where=where(item)))
            if i == len(items) and not fallback:
                self.r.error(
                    "LS037",
                    item,
                    f"the last route of {what} has a condition, so sometimes no route applies",
                    "end the list with a fallback such as '{goto: tuesday}'",
                )
        return tuple(routes)

    # -- choices, scenes, endings --

    def choice(self, node: Node, scene: str, seen: dict[str, Node]) -> Choice | None:
        fields = self.r.mapping(node, f"a choice in scene {scene!r}")
        if fields is None:
            return None
        cid = None
        if "id" in fields:
            cid = self.r.identifier(fields["id"][1], "choice id", ELEMENT_ID, SCENE_RULE)
        what = f"choice {cid!r}" if cid else f"a choice in scene {scene!r}"
        self.r.check_keys(fields, CHOICE_KEYS, what, node)
        if cid is not None:
            if cid in seen:
                self.r.error(
                    "LS032",
                    fields["id"][1],
                    f"scene {scene!r} has two choices with id {cid!r}",
                    f"rename one (the first is on line {where(seen[cid]).line})",
                )
                cid = None
            else:
                seen[cid] = fields["id"][1]
        text = self.r.text(fields["text"][1], f"{what} text") if "text" in fields else None
        style = None
        if "style" in fields:
            style = self.r.text(fields["style"][1], f"{what} style")
            if style is not None and style not in STYLES:
                self.r.error(
                    "LS013",
                    fields["style"][1],
                    f"{what} has style {style!r}",
                    suggest(style, STYLES) or "style is one of manager, leader, neutral",
                )
                style = None
        effects = (
            self.effects(fields["effects"][1], f"{what} effects")
            if "effects" in fields
            else Effects()
        )
        feedback = (
            self.r.text(fields["feedback"][1], f"{what} feedback") if "feedback" in fields else ""
        )
        guard = self.condition(fields["if"][1], f"{what} 'if'") if "if" in fields else None
        locked = None
        if "locked" in fields:
            locked = self.r.text(fields["locked"][1], f"{what} locked")
            if "if" not in fields:
                self.r.error(
                    "LS039",
                    fields["locked"][0],
                    f"{what} has 'locked' but no 'if', so it is never locked",
                    "add the 'if' condition that unlocks it, or remove 'locked'",
                )
        once = False
        if "once" in fields:
            value = (
                self.r.scalar(fields["once"][1])
                if isinstance(fields["once"][1], ScalarNode)
                else None
            )
            if value is UNREADABLE:
                pass
            elif not isinstance(value, bool):
                self.r.error(
                    "LS012",
                    fields["once"][1],
                    f"{what} once must be true or false",
                    "write 'once: true'",
                )
            else:
                once = value
        traits = self.traits(fields["traits"][1], what, style) if "traits" in fields else ()
        routes = self.routes(fields["next"][1], what) if "next" in fields else ()
        if None in (cid, text, style, feedback) or not routes:
            return None
        return Choice(
            id=cid,  # type: ignore[arg-type]
            text=text,  # type: ignore[arg-type]
            style=style,  # type: ignore[arg-type]
            routes=routes,
            effects=effects,
            feedback=feedback or "",
            guard=guard,
            locked=locked,
            once=once,
            traits=traits,
            where=where(node),
        )

    def traits(self, node: Node, what: str, style: str | None) -> tuple[str, ...]:
        items = (
            [node]
            if isinstance(node, ScalarNode)
            else self.r.sequence(node, f"{what} traits") or []
        )
        tags = []
        for item in items:
            tag = self.r.text(item, f"trait in {what}")
            if tag is None:
                continue
            if tag not in TRAIT_IDS:
                hint = suggest(tag, TRAIT_IDS) or "see `leadsim traits` for the nineteen pair ids"
                self.r.error("LS035", item, f"{what} has unknown trait {tag!r}", hint)
                continue
            tags.append(tag)
        if tags and style == "neutral":
            self.r.error(
                "LS035",
                node,
                f"{what} is neutral but tags traits, which lean to neither side",
                "give it style manager or leader, or remove 'traits'",
            )
        return tuple(tags)

    def scene(self, sid: str, node: Node) -> Scene | None:
        what = f"scene {sid!r}"
        fields = self.r.mapping(node, what)
        if fields is None:
            return None
        self.r.check_keys(fields, SCENE_KEYS, what, node)
        text = self.r.text(fields["text"][1], f"{what} text") if "text" in fields else None
        speaker = (
            self.r.text(fields["speaker"][1], f"{what} speaker") if "speaker" in fields else None
        )
        reflect = (
            self.r.text(fields["reflect"][1], f"{what} reflect") if "reflect" in fields else None
        )
        choices: list[Choice] = []
        if "choices" in fields:
            items = self.r.sequence(fields["choices"][1], f"{what} choices")
            if items is not None and not items:
                self.r.error(
                    "LS013",
                    fields["choices"][1],
                    f"{what} has no choices",
                    "add a choice, or make it an ending",
                )
            seen: dict[str, Node] = {}
            for item in items or []:
                choice = self.choice(item, sid, seen)
                if choice is not None:
                    choices.append(choice)
        if text is None or not choices:
            return None
        return Scene(sid, text, tuple(choices), speaker, reflect, where=where(node))

    def ending(self, eid: str, node: Node) -> Ending | None:
        what = f"ending {eid!r}"
        fields = self.r.mapping(node, what)
        if fields is None:
            return None
        self.r.check_keys(fields, ENDING_KEYS, what, node)
        title = self.r.text(fields["title"][1], f"{what} title") if "title" in fields else None
        text = self.r.text(fields["text"][1], f"{what} text") if "text" in fields else None
        outcome = None
        if "outcome" in fields:
            outcome = self.r.text(fields["outcome"][1], f"{what} outcome")
            if outcome is not None and outcome not in OUTCOMES:
                self.r.error(
                    "LS013",
                    fields["outcome"][1],
                    f"{what} has outcome {outcome!r}",
                    suggest(outcome, OUTCOMES) or "outcome is one of best, good, mixed, poor",
                )
                outcome = None
        lessons: list[str] = []
        if "lessons" in fields:
            for item in self.r.sequence(fields["lessons"][1], f"{what} lessons") or []:
                lesson = self.r.text(item, f"a lesson of {what}")
                if lesson is not None:
                    lessons.append(lesson)
        if title is None or text is None:
            return None
        return Ending(eid, title, text, outcome, tuple(lessons), where=where(node))  # type: ignore[arg-type]
