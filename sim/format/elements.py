"""Reading the elements of a scenario: meters, scenes, choices, effects, routes, endings.

The loader hands each part of the document here. :class:`Elements` knows the format's keys
(the tables below are the contract that docs/authoring.md and the JSON Schema describe),
builds frozen model values, parses conditions once, and remembers which ids and names it met
so the loader can cross-check them when the whole file has been read.
"""

from __future__ import annotations

from yaml.nodes import Node, ScalarNode

from sim.format import allow, textparts
from sim.format.keys import (
    ASSESSMENT_KEYS,
    BEST_NEEDS_KEYS,
    CHOICE_KEYS,
    ELEMENT_ID,
    ENDING_KEYS,
    FORMAT_11_KEYS,
    SCENE_KEYS,
    SCENE_RULE,
)
from sim.format.nodes import UNREADABLE, NodeReader, suggest
from sim.format.values import NO_EFFECTS, ValueReader
from sim.format.yamlsource import where
from sim.model import (
    CONTINUE,
    OUTCOMES,
    STYLES,
    Allowance,
    BestNeeds,
    Choice,
    Ending,
    Outcome,
    Prose,
    Scene,
)
from sim.traits import TRAIT_IDS


class Elements(ValueReader):
    """Second half of loading: turns checked nodes into model values and cross-checks ids."""

    v11 = False
    """The file says ``format: 1.1`` (set by the loader before any scene is read)."""

    def __init__(self, reader: NodeReader) -> None:
        super().__init__(reader)
        self.allowances: list[Allowance] = []
        """Every ``allow:`` read (format 1.1)."""

    def route_extras(self, fields: dict[str, tuple[Node, Node]], node: Node, what: str) -> None:
        self.only_11(fields, "route", what)
        if self.v11:
            allow.read(self, fields, node, what)

    def prose(self, node: Node, what: str) -> Prose | None:
        return textparts.prose(self, node, what)

    def only_11(self, fields: dict[str, tuple[Node, Node]], kind: str, what: str) -> None:
        """Report the format 1.1 keys a format 1 file uses in a ``kind`` of element."""
        if not self.v11:
            for key in sorted(FORMAT_11_KEYS[kind] & fields.keys()):
                textparts.needs_format(self, fields[key][0], f"{key!r} in {what}")

    def choice(self, node: Node, scene: str, seen: dict[str, Node]) -> Choice | None:
        fields = self.r.mapping(node, f"a choice in scene {scene!r}")
        if fields is None:
            return None
        cid = None
        if "id" in fields:
            cid = self.r.identifier(fields["id"][1], "choice id", ELEMENT_ID, SCENE_RULE)
            cid = None if cid is None else self.share(cid)
        what = f"choice {cid!r}" if cid else f"a choice in scene {scene!r}"
        self.r.check_keys(fields, CHOICE_KEYS, what, node)
        self.only_11(fields, "choice", what)
        if self.v11:
            allow.read(self, fields, node, what)
        if cid is not None:
            if cid in seen and seen[cid] is fields["id"][1]:
                self.r.error(
                    "LS032",
                    fields["id"][1],
                    f"scene {scene!r} lists choice {cid!r} more than once, through an alias",
                    "list each choice once",
                )
                cid = None
            elif cid in seen:
                self.r.error(
                    "LS032",
                    fields["id"][1],
                    f"scene {scene!r} has two choices with id {cid!r}",
                    f"rename one (the first is on line {where(seen[cid]).line})",
                )
                cid = None
            else:
                seen[cid] = fields["id"][1]
        text = self.prose(fields["text"][1], f"{what} text") if "text" in fields else None
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
            elif style is not None:
                style = STYLES[STYLES.index(style)]  # type: ignore[arg-type]  # one string each
        effects = (
            self.effects(fields["effects"][1], f"{what} effects")
            if "effects" in fields
            else NO_EFFECTS
        )
        feedback = (
            self.prose(fields["feedback"][1], f"{what} feedback") if "feedback" in fields else ""
        )
        outcome = self.prose(fields["outcome"][1], f"{what} outcome") if "outcome" in fields else ""
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
        once = self.boolean(fields["once"][1], f"{what} once") if "once" in fields else False
        traits = self.traits(fields["traits"][1], what, style) if "traits" in fields else ()
        routes = self.routes(fields["next"][1], what) if "next" in fields else ()
        if None in (cid, text, style, feedback, outcome) or not routes:
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
            outcome=outcome or "",
            where=where(node),
        )

    def boolean(self, node: Node, what: str) -> bool:
        """A ``true``/``false`` key; anything else is an error (and counts as false)."""
        value = self.r.scalar(node) if isinstance(node, ScalarNode) else None
        if value is UNREADABLE:
            return False
        if not isinstance(value, bool):
            key = what.rsplit(" ", 1)[-1]
            self.r.error("LS012", node, f"{what} must be true or false", f"write '{key}: true'")
            return False
        return value

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
            tags.append(self.share(tag))
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
        self.only_11(fields, "scene", what)
        if self.v11:
            allow.read(self, fields, node, what)
        text = self.prose(fields["text"][1], f"{what} text") if "text" in fields else None
        speaker = (
            self.r.text(fields["speaker"][1], f"{what} speaker") if "speaker" in fields else None
        )
        speaker = None if speaker is None else self.share(speaker)
        reflect = (
            self.prose(fields["reflect"][1], f"{what} reflect") if "reflect" in fields else None
        )
        title = self.r.text(fields["title"][1], f"{what} title") if "title" in fields else None
        source = (
            self.boolean(fields["source"][1], f"{what} source") if "source" in fields else False
        )
        if self.v11 and "next" in fields:
            return self.narration(sid, node, fields, text, speaker, reflect, title, source)
        if "choices" not in fields and "next" not in fields:
            hint = "add 'choices:', or 'next:' to make it a narration scene" if self.v11 else ""
            self.r.error("LS011", node, f"{what} has no 'choices'", hint or "add 'choices:'")
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
        return Scene(
            sid,
            text,
            tuple(choices),
            speaker,
            reflect,
            where=where(node),
            title=title,
            source=source,
        )

    def narration(
        self,
        sid: str,
        node: Node,
        fields: dict[str, tuple[Node, Node]],
        text: Prose | None,
        speaker: str | None,
        reflect: Prose | None,
        title: str | None = None,
        source: bool = False,
    ) -> Scene | None:
        """A scene with ``next`` and no choices: the trainee reads it and continues. Its one
        choice, :data:`CONTINUE`, is neutral, changes nothing and is never tallied."""
        what = f"scene {sid!r}"
        if "choices" in fields:
            self.r.error(
                "LS013",
                fields["next"][0],
                f"{what} has both 'choices' and 'next'",
                "a narration scene has 'next' and no choices; otherwise put 'next' on each choice",
            )
            return None
        routes = self.routes(fields["next"][1], what)
        if text is None or not routes:
            return None
        go_on = Choice(CONTINUE, "Continue", "neutral", routes, where=where(fields["next"][1]))
        return Scene(
            sid,
            text,
            (go_on,),
            speaker,
            reflect,
            where=where(node),
            narration=True,
            title=title,
            source=source,
        )

    def ending(self, eid: str, node: Node) -> Ending | None:
        what = f"ending {eid!r}"
        fields = self.r.mapping(node, what)
        if fields is None:
            return None
        self.r.check_keys(fields, ENDING_KEYS, what, node)
        title = self.r.text(fields["title"][1], f"{what} title") if "title" in fields else None
        text = self.prose(fields["text"][1], f"{what} text") if "text" in fields else None
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
        lessons: list[Prose] = []
        if "lessons" in fields:
            for item in self.r.sequence(fields["lessons"][1], f"{what} lessons") or []:
                lesson = self.prose(item, f"a lesson of {what}")
                if lesson is not None:
                    lessons.append(lesson)
        if title is None or text is None:
            return None
        return Ending(eid, title, text, outcome, tuple(lessons), where=where(node))  # type: ignore[arg-type]

    def passing(self, node: Node) -> frozenset[Outcome] | None:
        """``assessment: {pass: [best, good]}``: the outcomes that pass; None when unreadable."""
        fields = self.r.mapping(node, "'assessment'")
        if fields is None:
            return None
        self.r.check_keys(fields, ASSESSMENT_KEYS, "'assessment'", node)
        if "pass" not in fields:
            return None
        items = self.r.sequence(fields["pass"][1], "assessment pass")
        if items is not None and not items:
            self.r.error(
                "LS013",
                fields["pass"][1],
                "assessment pass is empty",
                "list the ending outcomes that pass, e.g. [best, good]",
            )
        found: set[Outcome] = set()
        for item in items or []:
            outcome = self.r.text(item, "an outcome in assessment pass")
            if outcome is not None and outcome not in OUTCOMES:
                self.r.error(
                    "LS013",
                    item,
                    f"assessment pass names outcome {outcome!r}",
                    suggest(outcome, OUTCOMES) or "outcome is one of best, good, mixed, poor",
                )
            elif outcome is not None:
                found.add(outcome)  # type: ignore[arg-type]
        return frozenset(found) if found and items else None

    def best_needs(self, node: Node) -> BestNeeds:
        """``best_needs: {manager: N, leader: N}``: unset styles keep their default."""
        fields = self.r.mapping(node, "'best_needs'")
        if fields is None:
            return BestNeeds()
        self.r.check_keys(fields, BEST_NEEDS_KEYS, "'best_needs'", node)
        counts = {}
        for style in BEST_NEEDS_KEYS:
            if style not in fields:
                continue
            value = self.r.integer(fields[style][1], f"best_needs {style}")
            if value is not None and value < 0:
                self.r.error(
                    "LS013",
                    fields[style][1],
                    f"best_needs {style} is {value}, below zero",
                    "write how many decisions of that style a best ending needs, e.g. 2",
                )
            elif value is not None:
                counts[style] = value
        return BestNeeds(**counts, where=where(node))
