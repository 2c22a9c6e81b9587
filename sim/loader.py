"""Load a scenario file: safe YAML in, a frozen :class:`Scenario` or every problem out.

The file is untrusted. It is parsed with PyYAML's *safe* loader (the C one when present) only
as far as the node graph, which keeps line and column marks; this module then reads the nodes
itself, so every diagnostic points at the offending key or value, and it keeps going after a
problem so a trainer sees all of them at once. Conditions are parsed here, once.

Limits (documented in docs/authoring.md): files over :data:`MAX_FILE_BYTES`, nesting deeper than
:data:`MAX_DEPTH`, more than :data:`MAX_ALIAS_EXPANSIONS` nodes re-read through aliases
("billion laughs") and numbers longer than :data:`MAX_NUMBER_CHARS` are refused with a
diagnostic rather than tried. tests/test_hostile_input.py holds each limit to a clear
diagnostic in bounded memory; tests/test_fuzz_loader.py checks that no input raises.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim import conditions
from sim.diagnostics import Diagnostic, ScenarioError, errors, sort_key
from sim.model import (
    FEEDBACK_MODES,
    FORMAT_VERSION,
    OUTCOMES,
    STYLES,
    Choice,
    Effects,
    Ending,
    Guard,
    Meter,
    MeterChange,
    Route,
    Scenario,
    Scene,
    Where,
)
from sim.traits import TRAIT_IDS

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest scenario file accepted (64 MiB: a generated 100,000-scene file is about 27 MiB)."""
MAX_DEPTH = 64
"""Deepest nesting of YAML collections accepted; a scenario needs about eight."""
MAX_ALIAS_EXPANSIONS = 10_000
"""How many nodes aliases may re-use before the file is refused (re-using a list of ten
items costs eleven)."""

MAX_NUMBER_CHARS = 100
"""Longest number read; beyond this a value is refused before PyYAML tries to build it."""

UNREADABLE: Any = object()
"""What :meth:`_Reader.scalar` returns for a value PyYAML cannot build (already reported)."""

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


def where(node: Node) -> Where:
    return Where(node.start_mark.line + 1, node.start_mark.column + 1)


def suggest(word: str, options: Iterable[str]) -> str:
    """'did you mean ...' for a near miss, else an empty string."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "text" if node.tag.endswith(":str") else f"the value {node.value!r}"


class _Reader:
    """Reads the node graph of one file, collecting diagnostics instead of stopping."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diags: list[Diagnostic] = []
        self._constructor = yaml.constructor.SafeConstructor()
        self._seen: set[int] = set()
        self._revisits = 0
        self._refused = False

    # -- reporting --

    def error(self, code: str, at: Node | Where, message: str, hint: str) -> None:
        w = at if isinstance(at, Where) else where(at)
        self.diags.append(Diagnostic(code, "error", message, hint, self.path, w.line, w.column))

    # -- generic shapes --

    def note_visit(self, node: Node) -> bool:
        """Count alias re-use; False once the file has re-used nodes too often.

        A re-used collection costs one plus its number of entries, since reading it again
        reads every entry again: counting aliases alone would let a small file make the
        reader walk one 1,000-item list 1,000 times, with a diagnostic for every item."""
        key = id(node)
        if key in self._seen:
            self._revisits += 1 + len(node.value)
            if self._revisits > MAX_ALIAS_EXPANSIONS:
                if not self._refused:
                    self._refused = True
                    self.error(
                        "LS004",
                        node,
                        f"anchors and aliases re-use nodes more than {MAX_ALIAS_EXPANSIONS} times",
                        "write the repeated parts out, or use fewer aliases",
                    )
                return False
        else:
            self._seen.add(key)
        return True

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]] | None:
        if not isinstance(node, MappingNode):
            self.error(
                "LS012",
                node,
                f"{what} must be a mapping of keys, not {_kind(node)}",
                "write it as 'key: value' lines indented under it",
            )
            return None
        if not self.note_visit(node):
            return None
        items: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(
                    "LS012", key_node, f"a key in {what} must be plain text", "use a plain word"
                )
                continue
            key = str(key_node.value)
            if key in items:
                first = where(items[key][0])
                self.error(
                    "LS014",
                    key_node,
                    f"{key!r} appears twice in {what}",
                    f"keep one of them (the first is on line {first.line})",
                )
                continue
            items[key] = (key_node, value_node)
        return items

    def check_keys(
        self,
        items: dict[str, tuple[Node, Node]],
        allowed: dict[str, bool],
        what: str,
        node: Node,
    ) -> None:
        for key, (key_node, _) in items.items():
            if key not in allowed:
                hint = suggest(key, allowed) or "allowed keys: " + ", ".join(allowed)
                self.error("LS010", key_node, f"unknown key {key!r} in {what}", hint)
        for key, required in allowed.items():
            if required and key not in items:
                self.error("LS011", node, f"{what} has no {key!r}", f"add '{key}:'")

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.error(
                "LS012",
                node,
                f"{what} must be a list, not {_kind(node)}",
                "write one '- item' per line, or [a, b]",
            )
            return None
        if not self.note_visit(node):
            return None
        return list(node.value)

    def scalar(self, node: Node) -> Any:
        """The scalar's value as YAML types it, or :data:`UNREADABLE` (reported here) when
        PyYAML cannot build it: an unknown or unsafe tag, a date such as 2001-13-45, an
        integer of thousands of digits. Callers skip an unreadable value without a second
        diagnostic."""
        kind = node.tag.rsplit(":", 1)[-1]
        hint = "write a plain number, true/false or text in quotes"
        # PyYAML reads '1:2:3' as a base-60 integer in quadratic time: a long one would hang.
        if kind in ("int", "float") and len(node.value) > MAX_NUMBER_CHARS:
            self.error("LS012", node, f"the number {_short(node.value)} is too long", hint)
            return UNREADABLE
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self.error(
                "LS012",
                node,
                f"the tag {_short(node.tag)} is not allowed in a scenario",
                "remove the tag: scenario files use plain YAML values",
            )
        except (ValueError, TypeError, KeyError, OverflowError, yaml.YAMLError):
            self.error("LS012", node, f"the value {_short(node.value)} is not a valid {kind}", hint)
        return UNREADABLE

    def text(self, node: Node, what: str, *, empty_ok: bool = False) -> str | None:
        if not isinstance(node, ScalarNode) or not node.tag.endswith(":str"):
            hint = (
                "put the text in quotes"
                if isinstance(node, ScalarNode)
                else "write one line of text, or a block of text after '|'"
            )
            self.error("LS012", node, f"{what} must be text, not {_kind(node)}", hint)
            return None
        value = str(node.value)
        if not empty_ok and not value.strip():
            self.error("LS013", node, f"{what} is empty", "write the text, or remove the key")
            return None
        return value

    def identifier(self, node: Node, what: str, pattern: re.Pattern[str], rule: str) -> str | None:
        if isinstance(node, ScalarNode) and not node.tag.endswith(":str"):
            value = str(node.value)  # e.g. a numeric id such as 2 reads as the id "2"
        else:
            value = self.text(node, what)  # type: ignore[assignment]
            if value is None:
                return None
        if not pattern.match(value):
            self.error("LS015", node, f"{what} {value!r} is not a valid id", rule)
            return None
        return value

    def integer(self, node: Node, what: str) -> int | None:
        value = self.scalar(node) if isinstance(node, ScalarNode) else None
        if value is UNREADABLE:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(
                "LS012",
                node,
                f"{what} must be a whole number, not {_kind(node)}",
                "write a number such as 50",
            )
            return None
        if abs(value) > 1_000_000_000:
            self.error(
                "LS013",
                node,
                f"{what} is {_short(str(value), quote=False)}, "
                "far outside any sensible meter range",
                "meters usually run from 0 to 100",
            )
            return None
        return value

    def flag_names(self, node: Node, what: str) -> list[str]:
        nodes = [node] if isinstance(node, ScalarNode) else self.sequence(node, what) or []
        names = []
        for n in nodes:
            name = self.identifier(n, f"flag in {what}", NAME_ID, FLAG_RULE)
            if name is not None:
                names.append(name)
        return names


SCENE_RULE = "ids use lowercase letters, digits, '-' and '_', e.g. 'monday-call'"
SCENARIO_RULE = "a scenario id uses lowercase letters, digits and dashes, e.g. 'friday-shipment'"
NAME_RULE = "meter names use lowercase letters, digits and '_' (no dashes: '-' means minus)"
FLAG_RULE = "flag names use lowercase letters, digits and '_', e.g. 'team_briefed'"


class _Build:
    """Second half of loading: turns checked nodes into model values and cross-checks ids."""

    def __init__(self, reader: _Reader) -> None:
        self.r = reader
        self.meters: dict[str, Meter] = {}
        self.flags_written: set[str] = set()
        self.declared_flags: set[str] = set()
        # Conditions are checked for names after every scene is read.
        self.pending: list[tuple[conditions.Condition, Node]] = []
        self.targets: list[tuple[str, Node]] = []

    # -- conditions --

    def condition(self, node: Node, what: str) -> Guard | None:
        source = self.r.text(node, what)
        if source is None:
            return None
        try:
            parsed = conditions.parse(source)
        except conditions.ConditionError as e:
            self.r.error("LS020", _offset(node, e.offset), f"{what}: {e.message}", e.hint)
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
                        _offset(node, n.offset),
                        f"condition uses unknown name {n.name!r}",
                        hint,
                    )
                elif isinstance(n, conditions.Call) and n.scene not in scenes:
                    hint = suggest(n.scene, scenes) or "name a scene id from 'scenes:'"
                    self.r.error(
                        "LS021",
                        _offset(node, n.offset),
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
                names = self.r.flag_names(value_node, f"{what} {key}")
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
        self.r.error("LS034", node, f"{what}: change of {meter!r} is {_kind(node)}", hint)
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
                        f"{rwhat} has chance {_short(str(value), quote=False)}, outside 0..1",
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


def _version(r: _Reader, node: Node) -> str | None:
    if not isinstance(node, ScalarNode):
        return r.text(node, "version")
    value = r.scalar(node)
    return None if value is UNREADABLE else str(value)


def _short(value: str, limit: int = 40, *, quote: bool = True) -> str:
    """A file's value quoted for a message, cut short: a hostile file can hold megabytes."""
    text = repr(value) if quote else value
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _offset(node: Node, offset: int) -> Where:
    """The file position of character ``offset`` inside a scalar's text (quotes skipped)."""
    w = where(node)
    quoted = isinstance(node, ScalarNode) and node.style in ("'", '"')
    return Where(w.line, w.column + offset + (1 if quoted else 0))


def _depth_ok(root: Node) -> bool:
    """Whether no node sits deeper than :data:`MAX_DEPTH` (the root at depth 1), each shared
    node counted where the walk first meets it. Only collections are stacked: a scalar's
    depth is known from its parent's, and most nodes are scalars."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or isinstance(node, ScalarNode) or not node.value:
            continue
        seen.add(id(node))
        if depth >= MAX_DEPTH:
            return False  # its entries sit deeper than the limit
        children = (
            node.value if isinstance(node, SequenceNode) else [c for kv in node.value for c in kv]
        )
        deeper = depth + 1
        stack.extend([(c, deeper) for c in children if not isinstance(c, ScalarNode)])
    return True


def _read_bounded(f: BinaryIO, size_on_disk: int) -> bytes:
    """The file's bytes, at most one more than :data:`MAX_FILE_BYTES` (so a larger file is
    noticed). Asks for the size on disk first, then more in growing steps for a file that
    grew or a device that reports no size: one ``read(MAX_FILE_BYTES + 1)`` allocates the
    whole 64 MiB buffer even for a 4 KB file."""
    limit = MAX_FILE_BYTES + 1
    first = f.read(min(size_on_disk + 1, limit))
    if len(first) <= size_on_disk:
        return first  # the usual case: the whole file in one read
    data = bytearray(first)  # grows in place, so the peak stays near the limit
    while len(data) < limit:
        more = f.read(min(max(len(data), 1 << 16), limit - len(data)))
        if not more:
            break
        data += more
    return bytes(data) if len(data) < limit else data  # type: ignore[return-value]


def _read_text(path: Path, shown: str) -> tuple[str | None, bytes, list[Diagnostic]]:
    def fail(message: str, hint: str) -> tuple[None, bytes, list[Diagnostic]]:
        return None, b"", [Diagnostic("LS001", "error", message, hint, shown)]

    try:
        if path.is_dir():
            return fail(
                "this is a directory, not a scenario file",
                "name a .yaml file inside it",
            )
        with path.open("rb") as f:
            # Refuse a huge (or sparse) file by its size, without reading it; the bounded read
            # still guards files whose size is not known ahead, such as /dev/zero or a pipe.
            size = os.fstat(f.fileno()).st_size
            too_big = size > MAX_FILE_BYTES
            data = b"" if too_big else _read_bounded(f, size)
    except FileNotFoundError:
        return fail(
            "no such file",
            "check the path, or run `leadsim list` for shipped scenarios",
        )
    except OSError as e:
        return fail(
            f"cannot read the file ({e.strerror or e})",
            "check the path and its permissions",
        )
    if too_big or len(data) > MAX_FILE_BYTES:
        return fail(
            f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB",
            "a scenario is text; split it or check you named the right file",
        )
    if b"\x00" in data:
        return fail("the file is binary, not text", "a scenario is a UTF-8 YAML text file")
    try:
        return data.decode("utf-8-sig"), data, []
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        d = Diagnostic(
            "LS001",
            "error",
            "the file is not valid UTF-8",
            "save it as UTF-8",
            shown,
            line,
            1,
        )
        return None, data, [d]


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
        return _parse_text(text, path, sha256)
    finally:
        if collecting:
            gc.enable()


def _parse_text(
    text: str, path: str, sha256: str | None
) -> tuple[Scenario | None, list[Diagnostic]]:
    reader = _Reader(path)
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "maximum nesting depth" in str(e.problem):
            # libyaml (0.2.5 and later) stops at 1,000 levels, before the C composer, which
            # recurses, could exhaust the stack; report it as the limit it is.
            message = f"the YAML nests deeper than {MAX_DEPTH} levels"
            return None, [Diagnostic("LS004", "error", message, "flatten it", path, line, col)]
        message = f"YAML syntax error: {e.problem or e.context or 'cannot parse'}"
        hint = "check indentation and quoting near here (text containing ': ' needs quotes)"
        return None, [Diagnostic("LS002", "error", message, hint, path, line, col)]
    except yaml.reader.ReaderError as e:
        return None, [_reader_error(e, text, path)]
    except yaml.YAMLError as e:
        message = "YAML error: " + " ".join(str(e).split())
        return None, [Diagnostic("LS002", "error", message, "check the file's syntax", path)]
    except RecursionError:
        return None, [
            Diagnostic(
                "LS004",
                "error",
                "the YAML is nested too deeply to read",
                "flatten it",
                path,
            )
        ]
    if root is None:
        return None, [
            Diagnostic(
                "LS003",
                "error",
                "the file is empty",
                "start from `leadsim new ID`",
                path,
            )
        ]
    if not _depth_ok(root):
        return None, [
            Diagnostic(
                "LS004",
                "error",
                f"the YAML nests deeper than {MAX_DEPTH} levels",
                "a scenario needs about eight",
                path,
            )
        ]
    if not isinstance(root, MappingNode):
        what = "a list" if isinstance(root, SequenceNode) else "a single value"
        d = Diagnostic(
            "LS003",
            "error",
            f"the file holds {what}, not a scenario",
            "a scenario is a mapping that starts with 'scenario: your-id'",
            path,
            *_line_col(root),
        )
        return None, [d]
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    scenario = _build(reader, root, digest)
    diags = sorted(reader.diags, key=sort_key)
    return (None if errors(diags) else scenario), diags


def _reader_error(e: yaml.reader.ReaderError, text: str, path: str) -> Diagnostic:
    """A character YAML refuses (a control character such as ESC, typed raw), at its place.

    libyaml gives the position as a byte offset into the UTF-8 text, PyYAML's own reader as
    a character offset."""
    before = (
        text.encode("utf-8", "surrogatepass")[: e.position].decode("utf-8", "replace")
        if SafeLoader is not yaml.SafeLoader
        else text[: e.position]
    )
    line = before.count("\n") + 1
    column = len(before) - before.rfind("\n")
    what = f"U+{e.character:04X}" if isinstance(e.character, int) else "a byte"
    return Diagnostic(
        "LS002",
        "error",
        f"the file contains the control character {what}, which YAML does not allow",
        "remove it: YAML allows tabs and newlines but no other control characters",
        path,
        line,
        column,
    )


def _line_col(node: Node) -> tuple[int, int]:
    w = where(node)
    return w.line, w.column


def _build(r: _Reader, root: Node, digest: str) -> Scenario | None:
    top = r.mapping(root, "the scenario")
    if top is None:
        return None
    r.check_keys(top, TOP_KEYS, "the scenario", root)
    b = _Build(r)

    def field(key: str, read: Callable[[Node], Any], default: Any = None) -> Any:
        return read(top[key][1]) if key in top else default

    if "format" in top:
        fmt = r.integer(top["format"][1], "format")
        if fmt is not None and fmt != FORMAT_VERSION:
            r.error(
                "LS013",
                top["format"][1],
                f"format {fmt} is not supported",
                f"this version reads format {FORMAT_VERSION}",
            )
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
            f"feedback_mode {mode!r} is unknown",
            "use coach, consequences or debrief",
        )
        mode = None
    if "flags" in top:
        b.declared_flags.update(r.flag_names(top["flags"][1], "'flags'"))
    if "meters" in top:
        b.read_meters(top["meters"][1])

    scene_nodes = (r.mapping(top["scenes"][1], "'scenes'") or {}) if "scenes" in top else {}
    ending_nodes = (r.mapping(top["endings"][1], "'endings'") or {}) if "endings" in top else {}
    if "scenes" in top and not scene_nodes and isinstance(top["scenes"][1], MappingNode):
        r.error("LS013", top["scenes"][1], "'scenes' is empty", "add at least one scene")
    if "endings" in top and not ending_nodes and isinstance(top["endings"][1], MappingNode):
        r.error("LS013", top["endings"][1], "'endings' is empty", "add at least one ending")

    scenes: dict[str, Scene] = {}
    for key, (key_node, node) in scene_nodes.items():
        if r.identifier(key_node, "scene id", ELEMENT_ID, SCENE_RULE) is None:
            continue
        scene = b.scene(key, node)
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
        ending = b.ending(key, node)
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
    if start is not None and start not in scene_nodes:
        hint = suggest(start, scene_nodes) or "name the first scene from 'scenes:'"
        r.error("LS031", top["start"][1], f"start scene {start!r} does not exist", hint)

    if errors(r.diags) or None in (sid, title, summary, version, mode, start):
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
        flags=frozenset(b.declared_flags | b.flags_written),
        author=author,
        path=r.path,
        sha256=digest,
        where=where(root),
    )


def check(path: str | Path) -> tuple[Scenario | None, list[Diagnostic]]:
    """Read and check a scenario file; never raises for a bad file. The scenario's hash is
    of the bytes on disk, so it matches `sha256sum FILE`."""
    text, data, diags = _read_text(Path(path), str(path))
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
