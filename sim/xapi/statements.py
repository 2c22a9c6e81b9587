"""A session log as xAPI 1.0.3 statements, in the shapes cmi5 uses where they fit.

One statement per log line, in order (docs/lrs.md has the full table):

- the header: ``initialized`` the scenario (a ``simulation`` activity);
- a decision: ``answered`` the scene, a ``cmi.interaction`` of type ``choice`` listing the
  choices shown; ``result.response`` is the choice id, ``result.duration`` the time taken
  (ISO 8601), extensions the style and the meters before and after;
- a narration scene (format 1.1): ``experienced`` the scene, with the time spent reading;
- a reflection: ``commented`` (the answer in ``result.response``); a rewind: leadsim's
  ``rewound``; a resume line: ``resumed``;
- an end line: ``completed`` (``result.score`` by :data:`sim.xapi.vocab.SCORE`; extensions:
  ending, outcome, tally, trait lean, meters), then ``passed`` or ``failed`` in assessment mode
  when the scenario has a pass rule (``assessment: {pass: [...]}``), then ``terminated``.

Statements are a pure function of the log (and the scenario, for the choice texts, outcome and
pass rule): the timestamp of each is the header's start plus the recorded ``elapsed`` times, and
its id is a UUIDv5 of the session's UUID and the line and verb it comes from. Converting a log
twice gives the same statements, so sending twice stores once, and statements of lines added
later (a resumed session) never change those of earlier lines. Every statement made from a
line carries that line verbatim (:data:`sim.xapi.vocab.RECORD`) so :mod:`sim.xapi.readback`
can rebuild the log from an LRS.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

import attrs

from sim.engine import Decision
from sim.log import (
    DecisionRecord,
    EndRecord,
    Header,
    LogError,
    NarrationRecord,
    Record,
    ReflectionRecord,
    ResumeRecord,
    RewindRecord,
    replay,
)
from sim.log.format import TYPES
from sim.model import Scenario, sketch
from sim.prose import say
from sim.traits import trait_lean
from sim.xapi import vocab
from sim.xapi.config import Options

Statement = dict[str, Any]
_KIND = {cls: kind for kind, cls in TYPES.items()}


@attrs.frozen
class Converted:
    """One log's statements; ``problem`` is damage the conversion stopped at (the statements
    of the lines before it are kept), ``notes`` what a trainer should know."""

    path: Path
    header: Header
    statements: list[Statement]
    problem: LogError | None = None
    notes: tuple[str, ...] = ()


def record_dict(record: Record) -> dict[str, Any]:
    """A record as its log line says it (the inverse of :func:`sim.log.parse_record`)."""
    data: dict[str, Any] = {"type": _KIND[type(record)]}
    for field in attrs.fields(type(record))[1:]:
        value = getattr(record, field.name)
        data[field.name] = list(value) if isinstance(value, tuple) else value
    if isinstance(record, Header) and not record.watch:
        del data["watch"]  # written only when set, as the log writes it
    return data


def parse_time(text: str) -> datetime:
    """A log's UTC timestamp; raises ValueError."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(seconds: float) -> str:
    """ISO 8601: 41.2 -> 'PT41.2S'."""
    text = f"{max(0.0, seconds):.2f}".rstrip("0").rstrip(".")
    return f"PT{text}S"


_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]")


def segment(text: str) -> str:
    """An id as one IRI path segment (ids from a log are untrusted)."""
    return quote(text, safe="") if _UNSAFE.search(text) else text


def actor(trainee: str | None, options: Options) -> dict[str, Any]:
    name = trainee or "anonymous"
    if options.mbox_domain:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        local = re.sub(r"[^a-z0-9._-]+", ".", ascii_name.lower()).strip(".") or "anonymous"
        return {
            "objectType": "Agent",
            "name": name,
            "mbox": f"mailto:{local}@{options.mbox_domain}",
        }
    return {
        "objectType": "Agent",
        "name": name,
        "account": {"homePage": options.home_page, "name": name},
    }


class Builder:
    """Makes the statements of one log, line by line."""

    def __init__(self, header: Header, scenario: Scenario | None, options: Options) -> None:
        self.header = header
        self.scenario = scenario
        self.registration = uuid.UUID(header.session)
        self.clock = parse_time(header.started)
        self.actor = actor(header.trainee, options)
        self.activity = options.activity_base + "scenarios/" + segment(header.scenario)
        self.run: dict[int, tuple[Decision | None, float]] = {}

    def statement(
        self,
        verb: str,
        line: int,
        obj: dict[str, Any] | None = None,
        result: dict[str, Any] | None = None,
        record: Record | None = None,
    ) -> Statement:
        h = self.header
        extensions: dict[str, Any] = {
            vocab.SEED: h.seed,
            vocab.SHA256: h.sha256,
            vocab.APP: h.app,
            vocab.MODE: h.mode,
            vocab.SCENARIO_VERSION: h.version,
            vocab.LINE: line,
        }
        if record is not None:
            extensions[vocab.RECORD] = record_dict(record)
        context: dict[str, Any] = {
            "registration": str(self.registration),
            "platform": "leadsim",
            "extensions": extensions,
        }
        if obj is not None:
            context["contextActivities"] = {"parent": [{"id": self.activity}]}
        statement: Statement = {
            "id": str(uuid.uuid5(self.registration, f"{line}/{verb}")),
            "actor": self.actor,
            "verb": {"id": vocab.verb(verb), "display": {"en-US": verb}},
            "object": obj or self.course(),
            "context": context,
            "timestamp": iso(self.clock),
        }
        if result is not None:
            statement["result"] = result
        return statement

    def course(self) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": self.activity,
            "definition": {"type": vocab.COURSE, "name": {vocab.LANGUAGE: self.header.title}},
        }

    def initialized(self) -> Statement:
        # The header as its line says it, but with the scenario file's name only: the folders
        # of a trainee's machine (a home folder names the person) are not the LRS's business.
        # Read back, the name is looked for in the folder the report runs in; otherwise the
        # scenario is found by its id among the shipped ones and --dir (docs/lrs.md).
        header = attrs.evolve(self.header, path=PurePath(self.header.path).name)
        return self.statement("initialized", header.line, record=header)

    def answered(self, rec: DecisionRecord, step: replay.Step | None) -> Statement:
        self.clock += timedelta(seconds=max(0.0, rec.elapsed))
        self.run[rec.step] = (step.after.last if step and step.after else None, rec.elapsed)
        definition: dict[str, Any] = {
            "type": vocab.INTERACTION,
            "name": {vocab.LANGUAGE: rec.scene},
            "interactionType": "choice",
        }
        sc = self.scenario
        self.describe(definition, rec.scene, step)
        if sc is not None and step is not None:
            definition["choices"] = [
                {"id": s.id, "description": {vocab.LANGUAGE: s.text}}
                for s in replay.offered(sc, step, self.header.trainee)
            ]
        obj = self.scene(rec.scene, definition)
        result = {
            "response": rec.choice,
            "duration": duration(rec.elapsed),
            "extensions": {
                vocab.STYLE: rec.style,
                vocab.BEFORE: rec.before,
                vocab.AFTER: rec.after,
            },
        }
        return self.statement("answered", rec.line, obj, result, rec)

    def describe(self, definition: dict[str, Any], scene_id: str, step: Any) -> None:
        """The scene's text as the trainee read it (where the log can be followed)."""
        sc = self.scenario
        scene = sc.scenes.get(scene_id) if sc is not None else None
        if sc is None or scene is None:
            return
        before = step.before if step is not None else None
        definition["description"] = {
            vocab.LANGUAGE: say(sc, before, scene.text, self.header.trainee)
            if before is not None
            else sketch(scene.text)
        }

    def scene(self, scene_id: str, definition: dict[str, Any]) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": f"{self.activity}/scenes/{segment(scene_id)}",
            "definition": definition,
        }

    def experienced(self, rec: NarrationRecord, step: replay.Step | None) -> Statement:
        """A narration scene (format 1.1): read, then left by its one way on."""
        self.clock += timedelta(seconds=max(0.0, rec.elapsed))
        self.run[rec.step] = (None, rec.elapsed)
        definition: dict[str, Any] = {"type": vocab.SCENE, "name": {vocab.LANGUAGE: rec.scene}}
        self.describe(definition, rec.scene, step)
        result = {"duration": duration(rec.elapsed), "extensions": {vocab.METERS: rec.meters}}
        return self.statement(
            "experienced", rec.line, self.scene(rec.scene, definition), result, rec
        )

    def rewound(self, rec: RewindRecord) -> Statement:
        for step in [s for s in self.run if s > rec.to_step]:
            del self.run[step]
        return self.statement("rewound", rec.line, record=rec)

    def resumed(self, rec: ResumeRecord) -> Statement:
        with contextlib.suppress(ValueError):  # unreadable: keep counting from the last time
            self.clock = max(self.clock, parse_time(rec.at))
        return self.statement("resumed", rec.line, record=rec)

    def commented(self, rec: ReflectionRecord) -> Statement:
        return self.statement("commented", rec.line, result={"response": rec.answer}, record=rec)

    def ended(self, rec: EndRecord) -> list[Statement]:
        ending = self.scenario.endings.get(rec.ending) if self.scenario is not None else None
        outcome = ending.outcome if ending is not None else None
        score = None
        if outcome is not None:
            raw = vocab.SCORE[outcome]
            score = {"raw": raw, "min": 0, "max": vocab.SCORE_MAX, "scaled": round(raw / 3, 4)}
        decisions = [d for d, _ in self.run.values() if d is not None]
        result: dict[str, Any] = {
            "completion": True,
            "duration": duration(sum(e for _, e in self.run.values())),
            "extensions": {
                vocab.ENDING: rec.ending,
                vocab.OUTCOME: outcome,
                vocab.TALLY: rec.tally,
                vocab.LEAN: trait_lean(decisions),
                vocab.METERS: rec.meters,
            },
        }
        if score is not None:
            result["score"] = score
        out = [self.statement("completed", rec.line, result=result, record=rec)]
        passing = self.scenario.passing if self.scenario is not None else None
        if self.header.mode == "assessment" and passing is not None:
            success = outcome in passing
            verdict: dict[str, Any] = {"success": success, "completion": True}
            if score is not None:
                verdict["score"] = score
            out.append(self.statement("passed" if success else "failed", rec.line, result=verdict))
        out.append(self.statement("terminated", rec.line))
        return out


def convert(path: Path, options: Options, dirs: Iterable[Path] = ()) -> Converted:
    """The statements of the log at ``path``; raises :class:`LogError` when it has no usable
    header. Without its scenario (moved, renamed) the statements still carry every recorded
    fact, but no choice texts, score or pass/fail."""
    log, header, records = replay.open_log(path)
    notes: list[str] = []
    try:
        uuid.UUID(header.session)
        parse_time(header.started)
    except ValueError:
        raise log.error(1, "the header's session id or start time is unreadable") from None
    try:
        located: replay.Located | None = replay.find_scenario(header, path, None, dirs)
    except LogError as e:
        located = None
        notes.append(f"{e.message}: statements carry no choice texts, score or pass/fail")
    scenario = located.scenario if located is not None else None
    walker = replay.Walker(located, header, path, log.rewind_targets()) if located else None
    builder = Builder(header, scenario, options)
    out = [builder.initialized()]
    problem = None
    try:
        for record in records:
            step = walker.feed(record) if walker is not None else None
            if isinstance(record, DecisionRecord):
                out.append(builder.answered(record, step))
            elif isinstance(record, NarrationRecord):
                out.append(builder.experienced(record, step))
            elif isinstance(record, ReflectionRecord):
                out.append(builder.commented(record))
            elif isinstance(record, RewindRecord):
                out.append(builder.rewound(record))
            elif isinstance(record, ResumeRecord):
                out.append(builder.resumed(record))
            elif isinstance(record, EndRecord):
                out.extend(builder.ended(record))
            elif not isinstance(record, Header):
                # A record type added after this table: still sent, so read-back has no gap.
                kind = _KIND[type(record)]
                out.append(builder.statement(kind, record.line, record=record))
    except LogError as e:
        problem = e
    return Converted(Path(path), header, out, problem or log.problem, tuple(notes))
