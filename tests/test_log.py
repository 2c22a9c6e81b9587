"""The session log: what each line holds, where logs go, and how the reader treats crashes and
damage. The stress cases (disk full, read-only folder, deleted file, two sessions at once) are
in test_log_hardening.py."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sim import log
from sim.format import loader
from sim.log import DecisionRecord, EndRecord, Header, ReflectionRecord, RewindRecord
from sim.model import Scenario
from sim.sessions.session import Session

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


def play(scenario: Scenario, target: Path | None, **kw: object) -> Session:
    """A session with a reflection, a rewind, an ending and a reflection after it."""
    session = Session(scenario, 3, trainee="Ana", recorder=log.SessionLog(target), **kw)  # type: ignore[arg-type]
    session.begin()
    session.choose("plan")
    session.reflect("they were quiet")
    session.choose("review")
    session.rewind(1)
    session.choose("push")
    session.choose("ship")
    session.reflect("shipping was right")
    return session


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_every_event_is_one_line(scenario: Scenario, tmp_path: Path) -> None:
    session = play(scenario, tmp_path)
    path = session.recorder.path  # type: ignore[union-attr]
    rows = lines(path)
    assert [r["type"] for r in rows] == [
        "session",
        "decision",
        "reflection",
        "decision",
        "rewind",
        "decision",
        "decision",
        "end",
        "reflection",
    ]
    head = rows[0]
    assert head["format"] == 1 and head["log"] == log.KIND
    assert uuid.UUID(str(head["session"])).version == 4
    assert head["sha256"] == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    assert head["path"] == str(FIXTURE.resolve())
    assert (head["scenario"], head["version"], head["seed"], head["trainee"]) == (
        "log-fixture",
        "1",
        3,
        "Ana",
    )
    assert (head["mode"], head["feedback"]) == ("practice", "coach")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", str(head["started"]))
    first = rows[1]
    assert first == {
        "type": "decision",
        "step": 1,
        "scene": "monday",
        "choice": "plan",
        "style": "manager",
        "before": {"trust": 50, "results": 50},
        "after": {"trust": 45, "results": 60},
        "flags_set": ["planned"],
        "flags_cleared": [],
        "goto": "tuesday",
        "elapsed": first["elapsed"],
    }
    assert rows[2] == {"type": "reflection", "step": 1, "answer": "they were quiet"}
    assert rows[4] == {"type": "rewind", "to_step": 1}
    assert rows[7] == {
        "type": "end",
        "step": 3,
        "ending": "quit",
        "meters": {"trust": 35, "results": 75},
        "tally": {"manager": 3, "leader": 0, "neutral": 0},
    }


def test_the_reader_gives_back_typed_records(scenario: Scenario, tmp_path: Path) -> None:
    path = play(scenario, tmp_path).recorder.path  # type: ignore[union-attr]
    reader = log.LogFile(path)
    records = list(reader.records())
    assert reader.problem is None and reader.cut_line is None
    assert isinstance(records[0], Header) and records[0].trainee == "Ana"
    assert isinstance(records[1], DecisionRecord) and records[1].flags_set == ("planned",)
    assert isinstance(records[2], ReflectionRecord) and records[2].line == 3
    assert isinstance(records[4], RewindRecord) and records[4].to_step == 1
    assert isinstance(records[7], EndRecord) and records[7].ending == "quit"
    assert reader.rewind_targets() == {1: 5}  # step 1, last rewound to on line 5


def test_logs_go_to_leadsim_home_under_sortable_unique_names(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LEADSIM_HOME", str(tmp_path / "home"))
    moments = iter(
        [datetime(2025, 3, 1, 9, 0, tzinfo=UTC), datetime(2025, 3, 1, 10, 0, tzinfo=UTC)]
    )
    first = log.SessionLog(now=lambda: next(moments))
    second = log.SessionLog(now=lambda: next(moments))
    Session(scenario, 1, recorder=first).begin()
    Session(scenario, 1, recorder=second).begin()
    assert first.path is not None and second.path is not None
    assert first.path.parent == tmp_path / "home" / "sessions"
    assert re.fullmatch(r"20250301T090000000000Z-log-fixture-[0-9a-f]{8}\.jsonl", first.path.name)
    assert [p.name for p in log.log_files(first.path.parent)] == [
        first.path.name,
        second.path.name,
    ]


def test_log_option_names_a_file_or_a_folder(scenario: Scenario, tmp_path: Path) -> None:
    named = log.SessionLog(tmp_path / "ana.jsonl")
    Session(scenario, 1, recorder=named).begin()
    assert named.path == tmp_path / "ana.jsonl" and named.path.exists()
    folder = log.SessionLog(tmp_path)
    Session(scenario, 1, recorder=folder).begin()
    assert folder.path is not None and folder.path.parent == tmp_path


def test_an_existing_log_file_is_never_overwritten(scenario: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "taken.jsonl"
    path.write_text("someone else's session\n")
    warnings: list[str] = []
    session = Session(scenario, 1, recorder=log.SessionLog(path, warn=warnings.append)).begin()
    session.choose("ask")
    assert path.read_text() == "someone else's session\n"
    assert len(warnings) == 1 and "already exists" in warnings[0]
    assert "not recorded" in warnings[0] and session.step == 1


# --- reading damaged logs -----------------------------------------------------------------


def test_a_cut_off_last_line_is_a_crash_not_damage(scenario: Scenario, tmp_path: Path) -> None:
    path = play(scenario, tmp_path).recorder.path  # type: ignore[union-attr]
    data = path.read_bytes()
    cut = data[: data.rindex(b'"answer"')]  # partway through the last line
    path.write_bytes(cut)
    reader = log.LogFile(path)
    records = list(reader.records())
    assert reader.problem is None
    assert reader.cut_line == 9 and reader.newline_missing
    assert len(records) == 8 and isinstance(records[-1], EndRecord)


def test_a_damaged_middle_line_is_reported_with_its_number(
    scenario: Scenario, tmp_path: Path
) -> None:
    path = play(scenario, tmp_path).recorder.path  # type: ignore[union-attr]
    rows = path.read_text().splitlines()
    rows[3] = rows[3][:40] + "#garbage#"
    path.write_text("\n".join(rows) + "\n")
    reader = log.LogFile(path)
    records = list(reader.records())
    assert len(records) == 3  # header, decision, reflection: the intact part
    assert reader.problem is not None and reader.problem.line == 4
    assert reader.problem.format().startswith(f"{path}:4: error: damaged line")


def test_a_line_of_the_wrong_shape_is_damage(scenario: Scenario, tmp_path: Path) -> None:
    path = play(scenario, tmp_path).recorder.path  # type: ignore[union-attr]
    rows = lines(path)
    rows[1]["after"] = {"trust": "high"}
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    reader = log.LogFile(path)
    list(reader.records())
    assert reader.problem is not None and reader.problem.line == 2
    assert "'after' has the wrong type" in reader.problem.message


def test_a_file_that_is_not_a_log_says_so(tmp_path: Path) -> None:
    reader = log.LogFile(FIXTURE)
    assert list(reader.records()) == []
    assert reader.problem is not None and reader.problem.line == 1
    assert "not a leadsim session log" in reader.problem.message
    newer = tmp_path / "newer.jsonl"
    newer.write_text(json.dumps({**_header(), "format": log.FORMAT + 1}) + "\n")
    reader = log.LogFile(newer)
    list(reader.records())
    assert reader.problem is not None and "newer than this leadsim" in reader.problem.message


def _header() -> dict[str, object]:
    return {
        "type": "session",
        "format": 1,
        "session": str(uuid.uuid4()),
        "mode": "practice",
        "feedback": "coach",
        "scenario": "log-fixture",
        "title": "t",
        "sha256": "",
        "path": "",
        "version": "1",
        "seed": 1,
        "trainee": None,
        "app": "0",
        "started": "2025-01-01T00:00:00.000000Z",
    }


# --- listing ------------------------------------------------------------------------------


def test_unfinished_offers_only_sessions_the_new_one_could_continue(
    scenario: Scenario, tmp_path: Path
) -> None:
    done = play(scenario, tmp_path)
    ana = Session(scenario, 5, trainee="Ana", recorder=log.SessionLog(tmp_path)).begin()
    ana.choose("ask")
    anon = Session(scenario, 5, recorder=log.SessionLog(tmp_path)).begin()
    anon.choose("ask")
    Session(scenario, 5, recorder=log.SessionLog(tmp_path)).begin()  # no decision: not offered
    found = log.unfinished("log-fixture", folder=tmp_path)
    assert [i.path for i in found] == [anon.recorder.path, ana.recorder.path]  # type: ignore[union-attr]
    assert done.recorder.path not in [i.path for i in found]  # type: ignore[union-attr]
    (mine,) = log.unfinished("log-fixture", folder=tmp_path, trainee="Ana", seed=5)
    assert mine.path == ana.recorder.path and mine.step == 1  # type: ignore[union-attr]
    assert log.unfinished("log-fixture", folder=tmp_path, trainee="Bob") == []
    assert log.unfinished("other", folder=tmp_path) == []
    assert log.unfinished("log-fixture", folder=tmp_path, mode="assessment") == []


def test_watch_sessions_are_marked_and_never_offered_for_resume(
    scenario: Scenario, tmp_path: Path
) -> None:
    # `play --watch` starts a new log at every reload; the old ones must not pile up as
    # resume offers, but they stay listed and readable.
    draft = Session(scenario, 5, recorder=log.SessionLog(tmp_path, watch=True)).begin()
    draft.choose("ask")
    ordinary = Session(scenario, 5, recorder=log.SessionLog(tmp_path)).begin()
    ordinary.choose("ask")
    assert lines(draft.recorder.path)[0]["watch"] is True  # type: ignore[union-attr]
    assert "watch" not in lines(ordinary.recorder.path)[0]  # type: ignore[union-attr]
    found = log.unfinished("log-fixture", folder=tmp_path)
    assert [i.path for i in found] == [ordinary.recorder.path]  # type: ignore[union-attr]
    (info,) = [i for i in log.list_sessions(tmp_path) if i.header and i.header.watch]
    assert info.path == draft.recorder.path and info.step == 1  # type: ignore[union-attr]


def test_a_listing_reads_where_each_session_stands(scenario: Scenario, tmp_path: Path) -> None:
    done = play(scenario, tmp_path)
    info = log.summarize(done.recorder.path)  # type: ignore[union-attr]
    assert info.finished and info.ending == "quit" and info.step == 3
    broken = tmp_path / "broken.jsonl"
    broken.write_text("not json\n")
    assert log.summarize(broken).problem is not None
