"""Resuming: after a crash (a cut-off line, kill -9), refusing damaged or finished logs, and
the offer `leadsim play` makes at a terminal."""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sim import engine, log
from sim.commands import resume
from sim.format import loader
from sim.log import replay
from sim.model import Scenario
from sim.sessions import lifecycle
from sim.sessions.request import Request
from sim.sessions.session import Session
from sim.text.offer import offer_text
from tests.helpers import leadsim

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"


def text_session(logs: Path, seed: int, answers: str, scenario: Path = FIXTURE) -> Path:
    out = leadsim(
        "play",
        str(scenario),
        "--text",
        "--reflect",  # the answers include reflections
        "--seed",
        str(seed),
        "--log",
        str(logs),
        stdin=answers,
    )
    assert out.returncode in (0, 3), out.stderr  # 3: input ended before an ending
    return log.log_files(logs)[-1]


def decision_lines(path: Path) -> int:
    return sum(b'"type":"decision"' in line for line in path.read_bytes().splitlines())


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


def test_a_log_cut_mid_line_resumes_from_the_last_complete_line(tmp_path: Path) -> None:
    path = text_session(tmp_path, 3, "1\nquiet\n1\n")  # plan, reflect, push; then stop
    data = path.read_bytes()
    cut = data[: data.rindex(b'"before"')]  # the push line, cut off mid-write
    path.write_bytes(cut)
    out = leadsim("resume", str(path), "--text", stdin="1\n1\n\n")  # push, ship, no reflection
    assert out.returncode == 0, out.stderr
    assert "(line 4) was cut off mid-write" in out.stdout
    assert "resuming from the last complete line (3)" in out.stdout
    assert "Resuming" in out.stdout and "at decision 2." in out.stdout
    assert "=== Ending: Notice ===" in out.stdout
    assert path.read_bytes().startswith(cut + b"\n")  # nothing overwritten, only appended
    reader = log.LogFile(path)
    kinds = [type(r).__name__ for r in reader.records()]
    assert reader.problem is None
    assert kinds == [
        "Header",
        "DecisionRecord",
        "ReflectionRecord",
        "ResumeRecord",
        "DecisionRecord",
        "DecisionRecord",
        "EndRecord",
    ]
    assert leadsim("replay", str(path), "--verify").returncode == 0


def test_a_session_killed_mid_play_resumes_to_the_same_state(
    tmp_path: Path, scenario: Scenario
) -> None:
    play = [sys.executable, "-m", "sim", "play", str(FIXTURE), "--text", "--reflect"]
    proc = subprocess.Popen(
        [*play, "--seed", "11", "--log", str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    # wait at Monday four times (each asks the reflection question), then plan.
    answers = ["3\n", "\n", "3\n", "thinking\n", "3\n", "\n", "3\n", "\n", "1\n", "\n"]
    for line in answers:
        proc.stdin.write(line.encode())
        proc.stdin.flush()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        files = log.log_files(tmp_path)
        if files and decision_lines(files[0]) >= 5:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    (path,) = log.log_files(tmp_path)
    assert decision_lines(path) == 5
    resumed = lifecycle.resume_session(path)
    ids = ["wait"] * 4 + ["plan"]
    assert resumed.session.choice_ids() == ids
    assert resumed.session.state == engine.run(scenario, 11, ids)
    assert resumed.session.reflections == {2: "thinking"}
    out = leadsim("resume", str(path), "--text", stdin="2\n2\n")  # listen, celebrate
    assert out.returncode == 0 and "=== Ending:" in out.stdout
    assert replay.verify(path).ok


def test_a_damaged_log_is_not_resumed_and_not_touched(tmp_path: Path) -> None:
    path = text_session(tmp_path, 3, "1\nquiet\n1\n")
    rows = path.read_text().splitlines()
    rows[1] = rows[1].replace('"step":1', '"step":"one"')
    path.write_text("\n".join(rows) + "\n")
    before = path.read_bytes()
    out = leadsim("resume", str(path), "--text", stdin="1\n")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith(f"{path}:2: error: damaged line")
    assert "a damaged log is not resumed" in out.stderr and "replay" in out.stderr
    assert path.read_bytes() == before


def test_a_finished_session_is_not_resumed(tmp_path: Path) -> None:
    path = text_session(tmp_path, 3, "1\n\n1\n1\n")
    out = leadsim("resume", str(path), "--text")
    assert out.returncode == 1 and "this session is finished (ending 'quit')" in out.stderr


def test_a_crash_before_the_end_line_is_completed_on_resume(tmp_path: Path) -> None:
    path = text_session(tmp_path, 3, "1\n\n1\n1\n")
    rows = path.read_text().splitlines()
    path.write_text("\n".join(rows[:-1]) + "\n")  # the end line never made it
    out = leadsim("resume", str(path), "--text")
    assert out.returncode == 0 and "its closing line is now written" in out.stdout
    assert "=== Ending: Notice ===" in out.stdout
    assert path.read_text().splitlines()[-1].startswith('{"type":"end"')
    assert replay.verify(path).ok


def test_resume_says_why_when_the_scenario_lost_a_choice(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    shutil.copy(FIXTURE, copy)
    path = text_session(tmp_path / "logs", 3, "2\n\n2\n", scenario=copy)
    copy.write_text(copy.read_text().replace("- id: listen", "- id: hear"))
    out = leadsim("resume", str(path), "--text")
    assert out.returncode == 1
    assert f"{path}:3: error: cannot resume: choice 'listen' does not exist" in out.stderr


def test_resume_opens_the_simulator_with_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = text_session(tmp_path, 3, "2\n\n")
    import sim.tui.app

    opened: dict[str, Any] = {}

    def run_app(args: argparse.Namespace, scenario: Path | None, session: Session) -> int:
        opened.update(scenario=scenario, session=session)
        return 0

    monkeypatch.setattr(sim.tui.app, "run_app", run_app)
    args = argparse.Namespace(log=path, text=False, scenario=None, dir=[])
    assert resume.run(args) == 0
    assert opened["scenario"] is None and opened["session"].choice_ids() == ["ask"]
    assert isinstance(opened["session"].recorder, log.SessionLog)


# --- the offer `leadsim play --text` makes ------------------------------------------------


class Terminal(io.StringIO):
    """Typed input: what a trainee at a terminal answers."""

    def isatty(self) -> bool:
        return True


def offer(logs: Path, scenario: Scenario, stdin: Any, stdout: Any, **kw: Any) -> Session | None:
    return offer_text(scenario, Request(log=logs, **kw), [], stdin, stdout)


def test_play_offers_the_newest_unfinished_session_at_a_terminal(
    tmp_path: Path, scenario: Scenario
) -> None:
    old = Session(scenario, 1, recorder=log.SessionLog(tmp_path)).begin()
    old.choose("ask")
    new = Session(scenario, 2, recorder=log.SessionLog(tmp_path)).begin()
    new.choose("plan")
    new.choose("review")
    for earlier in (old, new):  # their processes have ended: the logs' locks are free
        assert isinstance(earlier.recorder, log.SessionLog)
        earlier.recorder.close()
    out = io.StringIO()
    session = offer(tmp_path, scenario, Terminal("y\n"), out)
    assert session is not None and session.choice_ids() == ["plan", "review"]
    shown = out.getvalue()
    assert "stopped before decision 3" in shown and "older" not in shown  # only the newest
    assert "Resume it? [y/N]" in shown
    session.choose("celebrate")  # appends to the same log
    assert log.summarize(new.recorder.path).finished  # type: ignore[union-attr]

    declined = offer(tmp_path, scenario, Terminal("\n"), io.StringIO())
    assert declined is None
    other = offer(tmp_path, scenario, Terminal("y\n"), out, trainee="Bo")
    assert other is None  # Bo's play is not offered someone else's session


def test_piped_input_is_never_asked(tmp_path: Path) -> None:
    text_session(tmp_path, 3, "2\n")
    out = leadsim(
        "play", str(FIXTURE), "--text", "--seed", "3", "--log", str(tmp_path), stdin="2\n"
    )
    assert "Resume it?" not in out.stdout
    assert len(log.log_files(tmp_path)) == 2
    piped = io.StringIO("y\n")
    assert offer(tmp_path, loader.load(FIXTURE), piped, io.StringIO()) is None
    assert piped.tell() == 0  # not a line consumed


def test_resume_keeps_the_logs_header_and_mode(tmp_path: Path) -> None:
    out = leadsim(
        "play",
        str(FIXTURE),
        "--text",
        "--seed",
        "3",
        "--assessment",
        "--name",
        "Ana",
        "--log",
        str(tmp_path / "ana.jsonl"),
        stdin="1\n",
    )
    assert out.returncode == 3, out.stderr  # input ended before an ending
    session, _ = lifecycle.continue_session(tmp_path / "ana.jsonl")
    assert (session.mode, session.trainee, session.seed, session.step) == (
        "assessment",
        "Ana",
        3,
        1,
    )
    session.choose("push")
    heads = [r for r in log.LogFile(tmp_path / "ana.jsonl").records() if isinstance(r, log.Header)]
    assert len(heads) == 1
    assert os.path.getsize(tmp_path / "ana.jsonl") > 0
