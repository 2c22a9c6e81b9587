"""Any unreadable line is a damaged line (issue 14, items 1 and 10): lines nested 100,000 deep,
numbers of absurd size, invalid UTF-8, lines too long: every reader reports them, none raises,
and one bad file in the sessions folder never stops `sessions`, the resume offer, replay,
verify or resume of the other logs. A header cut off mid-write is called that."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import log
from sim.format import loader
from sim.log import replay, screen
from sim.log.format import MAX_LINE
from sim.log.parse import looks_cut, parse_record
from sim.model import Scenario
from sim.sessions.lifecycle import continue_session, unfinished_for
from sim.sessions.request import Request
from sim.sessions.session import Session
from sim.text.offer import offer_text
from tests.helpers import leadsim

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"
NESTED = "[" * 100_000


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


def good_log(scenario: Scenario, folder: Path) -> Path:
    session = Session(scenario, 3, recorder=log.SessionLog(folder)).begin()
    session.choose("plan")
    assert isinstance(session.recorder, log.SessionLog) and session.recorder.path is not None
    session.recorder.close()
    return session.recorder.path


def good_lines(scenario: Scenario, folder: Path) -> list[bytes]:
    return good_log(scenario, folder).read_bytes().splitlines(keepends=True)


# --- the line parser, under hypothesis ----------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=20,
)


# What the writer can put in a line: standard JSON only (no NaN or Infinity, which
# json.dumps would spell as bare words), so a cut line is always the prefix of an object.
written_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=20,
)


def nested(depth: int, opener: str) -> bytes:
    return (opener * depth).encode()


lines = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.builds(nested, st.integers(1, 200_000), st.sampled_from(["[", '{"a":', '[{"b":'])),
    st.integers(4000, 6000).map(lambda n: b'{"type":"session","seed":' + b"9" * n + b"}"),
    st.sampled_from(
        [b'{"type":"decision","step":1e999}', b"\xff\xfe{", b'{"type":"end","tally":NaN}']
    ),
)


@settings(max_examples=150, deadline=None)
@given(lines)
def test_any_line_is_a_record_or_a_damaged_line(raw: bytes) -> None:
    try:
        record = parse_record(raw, 1)
    except ValueError:
        return
    assert record.line == 1


@settings(max_examples=40, deadline=None)
@given(st.lists(lines, min_size=1, max_size=5), st.integers(0, 4), st.booleans())
def test_a_log_with_any_lines_is_read_without_raising(
    scenario: Scenario,
    tmp_path_factory: pytest.TempPathFactory,
    bad: list[bytes],
    at: int,
    newline: bool,
) -> None:
    folder = tmp_path_factory.mktemp("logs")
    good = good_lines(scenario, folder)
    path = folder / "mixed.jsonl"
    body = good[:at] + [b + b"\n" for b in bad] + good[at:]
    path.write_bytes(b"".join(body).rstrip(b"\n") + (b"\n" if newline else b""))
    reader = log.LogFile(path)
    records = list(reader.records())
    assert reader.problem is None or isinstance(reader.problem, log.LogError)
    assert all(r.line >= 1 for r in records)
    # every other reader too: the listing, verify, the replay screen's index, resume
    assert log.summarize(path).path == path
    assert replay.verify(path).path == path
    try:
        screen.collect(path)
        session, _notes = continue_session(path)
    except log.LogError:
        return
    assert isinstance(session.recorder, log.SessionLog)
    session.recorder.close()


@settings(max_examples=100, deadline=None)
@given(written_values, st.data())
def test_a_line_cut_anywhere_is_recognised_as_cut(value: Any, data: st.DataObject) -> None:
    line = json.dumps({"type": "decision", "v": value}, ensure_ascii=False).encode()
    cut = data.draw(st.integers(0, len(line) - 1))
    assert looks_cut(line[:cut])
    assert looks_cut(line[:cut] + b"\0" * 5)  # what some file systems leave after a crash
    assert not looks_cut(line)  # a whole line is not a cut one
    assert not looks_cut(line + b" junk")


def test_a_line_longer_than_the_limit_is_damaged() -> None:
    with pytest.raises(ValueError, match="longer than"):
        parse_record(b" " * (MAX_LINE + 1), 2)


# --- one bad file never stops the simulator ---------------------------------------------


@pytest.fixture
def home(tmp_path: Path, scenario: Scenario) -> Path:
    """A sessions folder with one unfinished good log and three bad files beside it."""
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    good_log(scenario, sessions)
    (sessions / "a-nested.jsonl").write_text(NESTED + "\n")
    (sessions / "b-nested-header.jsonl").write_text('{"type":"session","a":' + NESTED + "\n")
    (sessions / "c-huge.jsonl").write_bytes(b'{"type":"session","seed":' + b"9" * 5000 + b"}\n")
    return tmp_path


def test_sessions_lists_the_good_log_and_reports_the_bad_ones(home: Path) -> None:
    done = leadsim("sessions", env={"LEADSIM_HOME": str(home)})
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "log-fixture" in done.stdout and "unfinished, before decision 2" in done.stdout
    assert done.stdout.count("unreadable") == 3
    assert "not a leadsim session log (not a log line (nested too deeply" in done.stderr
    assert "Exceeds the limit" in done.stderr


def test_the_resume_offer_skips_the_bad_files(home: Path, scenario: Scenario) -> None:
    found = unfinished_for(scenario, Request(log=home / "sessions"))
    assert [info.header.scenario for info in found if info.header] == ["log-fixture"]

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = io.StringIO()
    session = offer_text(scenario, Request(log=home / "sessions"), [], Terminal("y\n"), out)
    assert session is not None and session.choice_ids() == ["plan"]


@pytest.mark.parametrize(
    "args",
    [
        ("replay", "--verify", "{sessions}"),
        ("replay", "--text", "{sessions}/a-nested.jsonl"),
        ("replay", "{sessions}/b-nested-header.jsonl"),
        ("resume", "--text", "{sessions}/a-nested.jsonl"),
        ("resume", "--text", "{sessions}/c-huge.jsonl"),
    ],
)
def test_replay_verify_and_resume_report_a_bad_file(home: Path, args: tuple[str, ...]) -> None:
    sessions = str(home / "sessions")
    done = leadsim(*(a.format(sessions=sessions) for a in args), env={"LEADSIM_HOME": str(home)})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert ":1: error: this is not a leadsim session log" in done.stderr
    if "--verify" in args:
        assert "4 session(s) checked: 1 agree" in done.stdout


def test_a_deep_line_in_the_middle_is_a_damaged_line(scenario: Scenario, tmp_path: Path) -> None:
    path = good_log(scenario, tmp_path)
    with path.open("a") as f:
        f.write(NESTED + "\n" + '{"type":"rewind","to_step":0}\n')
    verdict = replay.verify(path)
    assert verdict.problem is not None and verdict.problem.line == 3
    assert "damaged line" in verdict.problem.message and verdict.decisions == 1


# --- item 10: a cut-off header ------------------------------------------------------------


def test_a_header_cut_off_mid_write_is_called_that(scenario: Scenario, tmp_path: Path) -> None:
    whole = good_lines(scenario, tmp_path)[0]
    path = tmp_path / "cut.jsonl"
    path.write_bytes(whole[: len(whole) // 2])  # the disk filled up while writing line 1
    done = leadsim("resume", "--text", str(path))
    assert done.returncode == 1
    assert "the session header was cut off mid-write (the disk may have been full" in done.stderr
    assert "empty" not in done.stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert "the log is empty" in leadsim("replay", "--text", str(empty)).stderr
