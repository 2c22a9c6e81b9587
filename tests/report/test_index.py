"""The cohort index: effective paths, damaged and growing logs, incremental updates, sources."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import attrs
import pytest

from sim import log
from sim.format import loader
from sim.log import LogFile
from sim.model import Scenario
from sim.report.cohort import build
from sim.report.index import Index
from sim.report.rows import Filters, time_bound
from sim.report.text import report_text
from sim.report.walk import Given
from sim.sessions.session import Session

FIXTURE = Path(__file__).parent.parent / "data" / "log_fixture.yaml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


def session(scenario: Scenario, folder: Path, trainee: str = "Ana", **kw: object) -> Session:
    s = Session(scenario, 3, trainee=trainee, recorder=log.SessionLog(folder, sync=False), **kw)  # type: ignore[arg-type]
    return s.begin()


def rewound(scenario: Scenario, folder: Path) -> Path:
    """plan (reflected on), review (reflected on), rewind to 1, push, ship (reflected on)."""
    s = session(scenario, folder)
    s.choose("plan")
    s.reflect("they were quiet")
    s.choose("review")
    s.reflect("an abandoned thought")
    s.rewind(1)
    s.choose("push")
    s.choose("ship")
    s.reflect("shipping was right")
    assert isinstance(s.recorder, log.SessionLog) and s.recorder.path
    return s.recorder.path


def report(index: Index, folder: Path, **filters: object):  # type: ignore[no-untyped-def]
    scan = index.update([folder])
    return build(index, scan.sources, Filters(**filters))  # type: ignore[arg-type]


def test_a_session_counts_by_its_effective_path(scenario: Scenario, tmp_path: Path) -> None:
    rewound(scenario, tmp_path)
    cohort = report(Index(None), tmp_path)
    [sc] = cohort.scenarios
    [row] = sc.sessions
    steps = cohort.decisions[row.source]
    assert [d.choice for d in steps] == ["plan", "push", "ship"]  # "review" was rewound away
    assert row.rewinds == 1 and row.finished and row.steps == 3
    splits = {s.scene: {c.choice: c.count for c in s.choices} for s in sc.scenes}
    assert splits["tuesday"] == {"push": 1}
    reflections = {s.scene: [a for _w, a in s.reflections] for s in sc.scenes}
    assert reflections["monday"] == ["they were quiet"]
    assert reflections["wednesday"] == ["shipping was right"]
    assert "an abandoned thought" not in str(reflections)
    # The balance and lean are the trainee's over the path they kept.
    [trainee] = sc.trainees
    assert (trainee.manager, trainee.leader) == (3, 0)


def test_a_damaged_log_gives_its_intact_part_and_its_line(
    scenario: Scenario, tmp_path: Path
) -> None:
    path = rewound(scenario, tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[3] = b"{not json\n"
    path.write_bytes(b"".join(lines))
    cohort = report(Index(None), tmp_path)
    [row] = cohort.sessions
    assert [d.choice for d in cohort.decisions[row.source]] == ["plan"]
    assert not row.finished and row.stopped == "tuesday"
    assert cohort.problems == ((str(path.resolve()), 4, row.problem),)
    assert "damaged line" in (row.problem or "")


def test_a_file_that_is_no_log_is_listed_not_counted(tmp_path: Path) -> None:
    (tmp_path / "notes.jsonl").write_text("hello\nworld\n")
    cohort = report(Index(None), tmp_path)
    assert cohort.sessions == []
    [(where, line, message)] = cohort.problems
    assert where.endswith("notes.jsonl") and line == 1 and "not a leadsim session log" in message


def test_a_resumed_session_carries_on_after_the_cut_line(
    scenario: Scenario, tmp_path: Path
) -> None:
    s = session(scenario, tmp_path)
    s.choose("plan")
    assert isinstance(s.recorder, log.SessionLog) and s.recorder.path
    path = s.recorder.path
    s.recorder.close()
    with path.open("ab") as f:
        f.write(b'{"type":"decision","st')  # the crash
    reader = LogFile(path)
    list(reader.records())
    again = Session(scenario, 3, trainee="Ana", states=list(s.states))
    again.recorder = log.SessionLog.reopen(
        path, again, cut_line=reader.cut_line, newline_missing=True, sync=False
    )
    again.choose("push")
    again.choose("ship")
    cohort = report(Index(None), tmp_path)
    [row] = cohort.sessions
    assert row.resumes == 1 and row.finished and row.problem is None
    assert [d.choice for d in cohort.decisions[row.source]] == ["plan", "push", "ship"]


def test_updates_read_only_new_or_grown_logs(scenario: Scenario, tmp_path: Path) -> None:
    logs, db = tmp_path / "logs", tmp_path / "index.sqlite3"
    first = session(scenario, logs, "Ana")
    first.choose("plan")
    session(scenario, logs, "Ben").choose("ask")
    index = Index(db)
    assert (index.update([logs]).read, index.update([logs]).read) == (2, 0)
    first.choose("push")  # the first log grows
    session(scenario, logs, "Cy").choose("wait")  # and a third appears
    scan = index.update([logs])
    assert (scan.read, scan.unchanged) == (2, 1)
    index.close()
    # A new process, the same file: nothing to read, the same answer.
    again = Index(db)
    cohort = build(again, again.update([logs]).sources)
    assert sorted(s.trainee for s in cohort.sessions) == ["Ana", "Ben", "Cy"]
    ana = next(s for s in cohort.sessions if s.trainee == "Ana")
    assert ana.steps == 2


def test_a_line_being_written_waits_for_its_newline(scenario: Scenario, tmp_path: Path) -> None:
    s = session(scenario, tmp_path)
    s.choose("plan")
    assert isinstance(s.recorder, log.SessionLog) and s.recorder.path
    path = s.recorder.path
    line = log.encode(
        log.decision_record(scenario, s.choose("push"), 1.0)
    )  # written to the file already; cut it back to half and write it in two goes
    whole = path.read_bytes()
    path.write_bytes(whole[: -len(line)] + line[:-1])  # all but its newline
    index = Index(None)
    cohort = report(index, tmp_path)
    assert cohort.sessions[0].steps == 1 and cohort.problems == ()
    with path.open("ab") as f:
        f.write(b"\n")
    scan = index.update([tmp_path])
    assert scan.read == 1
    cohort = build(index, scan.sources)
    assert cohort.sessions[0].steps == 2


def test_a_damaged_index_is_set_aside_and_rebuilt(scenario: Scenario, tmp_path: Path) -> None:
    session(scenario, tmp_path / "logs").choose("plan")
    db = tmp_path / "index.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    index = Index(db)
    assert index.note and "damaged" in index.note
    assert (tmp_path / "index.sqlite3.damaged").exists()
    assert index.update([tmp_path / "logs"]).read == 1
    assert sqlite3.connect(db).execute("SELECT count(*) FROM sessions").fetchone() == (1,)


def test_an_unusable_index_place_indexes_in_memory(scenario: Scenario, tmp_path: Path) -> None:
    session(scenario, tmp_path / "logs").choose("plan")
    (tmp_path / "a-file").write_text("not a folder")
    index = Index(tmp_path / "a-file" / "index.sqlite3")
    assert index.path is None and index.note and "in memory" in index.note
    assert index.update([tmp_path / "logs"]).read == 1


def test_any_source_feeds_the_same_report(scenario: Scenario, tmp_path: Path) -> None:
    """An LRS rebuilds a header and records; the index takes them as it takes a file's."""
    path = rewound(scenario, tmp_path)
    reader = LogFile(path)
    header, *records = list(reader.records())
    index = Index(None)
    index.add(Given("lrs:registration/42", header, tuple(records)))  # type: ignore[arg-type]
    cohort = build(index, ["lrs:registration/42"])
    [row] = cohort.sessions
    assert row.source == "lrs:registration/42" and row.finished
    assert [d.choice for d in cohort.decisions[row.source]] == ["plan", "push", "ship"]
    [from_file] = report(Index(None), tmp_path).sessions
    assert attrs.evolve(row, source="", log="") == attrs.evolve(from_file, source="", log="")


def test_filters_pick_sessions(scenario: Scenario, tmp_path: Path) -> None:
    session(scenario, tmp_path, "Ana").choose("plan")
    session(scenario, tmp_path, "Ben", mode="assessment").choose("ask")
    watched = Session(scenario, 3, trainee="Author", recorder=log.SessionLog(tmp_path, watch=True))
    watched.begin().choose("wait")
    index = Index(None)

    def names(**filters: object) -> list[str]:
        return sorted(s.trainee for s in report(index, tmp_path, **filters).sessions)

    assert names() == ["Ana", "Ben"]  # the author's --watch run is left out
    assert names(include_watch=True) == ["Ana", "Author", "Ben"]
    assert names(mode="assessment") == ["Ben"]
    assert names(trainee="Ana") == ["Ana"]
    assert names(scenario="another") == []
    assert names(since=time_bound("2999-01-01")) == []
    assert names(until=time_bound("2000-01-01", end=True)) == []
    today = log.utc_now().strftime("%Y-%m-%d")
    assert names(since=time_bound(today), until=time_bound(today, end=True)) == ["Ana", "Ben"]


def test_time_bounds_read_dates_and_times() -> None:
    assert time_bound("2026-11-30") == "2026-11-30T00:00:00.000000Z"
    assert time_bound("2026-11-30", end=True) == "2026-12-01T00:00:00.000000Z"
    assert time_bound("2026-11-30T10:15+01:00") == "2026-11-30T09:15:00.000000Z"
    with pytest.raises(ValueError):
        time_bound("last tuesday")


@pytest.mark.parametrize("thread", [False, True], ids=["forked", "spawned from a thread"])
def test_reading_in_several_processes_gives_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, thread: bool
) -> None:
    import multiprocessing
    import threading

    from sim.report import index as index_module
    from sim.report.synthetic import write_cohort

    write_cohort(tmp_path / "logs", [loader.load(FIXTURE)], 30, seed=3)
    monkeypatch.setattr(index_module, "PER_JOB", 5)  # worth a second process from 10 logs
    original, parts = index_module._in_parallel, []

    def counted(*args: Any) -> Any:
        batches = original(*args)
        parts.append(len(batches))
        return batches

    monkeypatch.setattr(index_module, "_in_parallel", counted)
    methods: list[str | None] = []
    real_context = multiprocessing.get_context

    def context(method: str | None = None) -> Any:
        methods.append(method)
        return real_context(method)

    monkeypatch.setattr(multiprocessing, "get_context", context)
    alone = Index(None, jobs=1)
    one = build(alone, alone.update([tmp_path / "logs"]).sources)
    found: list[Any] = []

    def shared() -> None:
        index = Index(None, jobs=2)
        found.append(build(index, index.update([tmp_path / "logs"]).sources))

    if thread:  # as the simulator's cohort screen reads (forking a threaded process is unsafe)
        worker = threading.Thread(target=shared)
        worker.start()
        worker.join()
    else:
        shared()
    [two] = found
    assert one.sessions == two.sessions and one.problems == two.problems
    assert one.decisions == two.decisions and len(one.sessions) > 20
    assert parts == [2]  # two processes did read, and nothing fell back
    assert methods == ["spawn" if thread else "fork"]


def test_a_session_of_a_scenario_that_is_gone_is_listed_not_counted(
    scenario: Scenario, tmp_path: Path
) -> None:
    path = rewound(scenario, tmp_path)
    text = path.read_text().replace('"scenario":"log-fixture"', '"scenario":"long-gone"')
    path.write_text(text.replace(str(FIXTURE.resolve()), "/nowhere/long-gone.yaml"))
    cohort = report(Index(None), tmp_path)
    assert cohort.sessions == []
    [(_where, line, message)] = cohort.problems
    assert line == 1 and "cannot find scenario 'long-gone'" in message


def test_text_no_terminal_can_print_is_shown_escaped(scenario: Scenario, tmp_path: Path) -> None:
    """A log line may escape a lone surrogate (``\\ud800``), and a log's file name may hold a
    byte that is no UTF-8: neither can be stored or printed as it is, so both are shown as
    their escapes (the report used to stop with a traceback)."""
    path = rewound(scenario, tmp_path)
    text = path.read_text().replace('"trainee":"Ana"', '"trainee":"Ana\\udc80"')
    text = text.replace("they were quiet", "they were \\ud800quiet")
    path.unlink()
    (tmp_path / os.fsdecode(b"odd-\xff.jsonl")).write_text(text)
    index = Index(tmp_path / "index.sqlite3")
    cohort = report(index, tmp_path)
    [row] = cohort.sessions
    assert row.trainee == "Ana\\udc80" and row.source.endswith("odd-\\udcff.jsonl")
    reflections = [a for s in cohort.scenarios[0].scenes for _w, a in s.reflections]
    assert "they were \\ud800quiet" in reflections
    assert "Ana\\udc80" in report_text(cohort).encode().decode()
    assert index.update([tmp_path]).read == 0  # and known again by that name next time
