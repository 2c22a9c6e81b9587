"""The log under stress: the disk fills, the folder is read-only, the file is deleted while
playing, two sessions start at the same moment. Each time: a clear warning (no traceback), the
lines already written stay intact, no log overwrites another, and the session plays on."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sim import log
from sim.format import loader
from sim.model import Scenario
from sim.sessions.lifecycle import resume_session
from sim.sessions.session import Session
from tests.helpers import leadsim

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"
ANSWERS = "1\n\n1\n1\n"  # plan, (skip reflection), push, ship: an ending


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


def logged(scenario: Scenario, target: Path, warnings: list[str]) -> Session:
    return Session(scenario, 3, recorder=log.SessionLog(target, warn=warnings.append)).begin()


def path_of(session: Session) -> Path:
    assert isinstance(session.recorder, log.SessionLog) and session.recorder.path is not None
    return session.recorder.path


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_disk_full_keeps_earlier_lines_and_the_session(
    scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    warnings: list[str] = []
    session = logged(scenario, tmp_path, warnings)
    session.choose("plan")
    path = path_of(session)
    intact = path.read_bytes()

    def full(*args: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, call, full)
        session.choose("push")  # must not raise
    session.choose("ship")
    assert session.over and session.step == 3
    assert len(warnings) == 1
    assert "the disk is full" in warnings[0] and "lines already written are kept" in warnings[0]
    assert "not recorded" in warnings[0]
    if call == "write":
        assert path.read_bytes() == intact
    else:  # the line reached the file; only its fsync failed
        assert path.read_bytes().startswith(intact)
    resumed = resume_session(path)
    assert resumed.session.choice_ids()[:1] == ["plan"]


def test_disk_full_mid_line_leaves_a_log_that_resumes(
    scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    session = logged(scenario, tmp_path, warnings)
    session.choose("plan")
    path = path_of(session)
    real_write = os.write
    calls = []

    def half_then_full(fd: int, data: Any) -> int:
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[:25]))
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "write", half_then_full)
        session.choose("push")
    assert len(warnings) == 1 and not path.read_bytes().endswith(b"\n")
    resumed = resume_session(path)
    assert resumed.session.choice_ids() == ["plan"]
    assert "cut off mid-write" in resumed.notes[0]


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_a_read_only_log_folder_warns_and_plays_on(
    scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any) -> int:
        if flags & os.O_CREAT:
            raise OSError(code, os.strerror(code))
        return real_open(path, flags, *args)

    warnings: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(os, "open", refuse)
        session = logged(scenario, tmp_path, warnings)
        session.choose("ask")
    assert session.step == 1 and list(tmp_path.iterdir()) == []
    assert len(warnings) == 1 and "cannot create the session log" in warnings[0]
    assert ("read-only" if code == errno.EROFS else "permission denied") in warnings[0]


def test_a_log_folder_that_cannot_be_made_warns(scenario: Scenario, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    warnings: list[str] = []
    session = logged(scenario, tmp_path / "file" / "sessions", warnings)
    session.choose("ask")
    assert session.step == 1 and "cannot create the log folder" in warnings[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_from_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        out = leadsim(
            "play", str(FIXTURE), "--text", "--seed", "3", "--log", str(folder), stdin=ANSWERS
        )
    finally:
        folder.chmod(0o700)
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert "permission denied" in out.stderr and "Ending:" in out.stdout
    assert list(folder.iterdir()) == []


def test_a_log_deleted_while_playing_warns_and_plays_on(scenario: Scenario, tmp_path: Path) -> None:
    warnings: list[str] = []
    session = logged(scenario, tmp_path, warnings)
    session.choose("plan")
    path_of(session).unlink()
    session.choose("push")
    session.choose("ship")
    assert session.over
    assert len(warnings) == 1 and "was deleted while playing" in warnings[0]
    assert not path_of(session).exists()  # nothing recreated it behind the trainer's back


def test_two_sessions_in_the_same_microsecond_get_their_own_logs(
    scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    same = uuid.UUID("12345678-0000-4000-8000-000000000000")
    ids = iter([same, same, uuid.uuid4()])
    monkeypatch.setattr(uuid, "uuid4", lambda: next(ids))
    first = Session(scenario, 1, recorder=log.SessionLog(tmp_path, now=lambda: moment)).begin()
    second = Session(scenario, 2, recorder=log.SessionLog(tmp_path, now=lambda: moment)).begin()
    first.choose("ask")
    second.choose("plan")
    assert path_of(first) != path_of(second)
    heads = [json.loads(path_of(s).read_text().splitlines()[0]) for s in (first, second)]
    assert [h["seed"] for h in heads] == [1, 2]
    assert heads[0]["session"] != heads[1]["session"]


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_at_once_never_share_a_log(tmp_path: Path) -> None:
    procs = [
        _start("play", str(FIXTURE), "--text", "--seed", "3", "--log", str(tmp_path))
        for _ in range(2)
    ]
    outs = [p.communicate(ANSWERS, timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert all("Traceback" not in err and "warning" not in err for _, err in outs)
    files = log.log_files(tmp_path)
    assert len(files) == 2
    for path in files:
        reader = log.LogFile(path)
        kinds = [type(r).__name__ for r in reader.records()]
        assert reader.problem is None and kinds[0] == "Header" and kinds[-1] == "EndRecord"


def test_two_processes_naming_the_same_log_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.jsonl"
    procs = [
        _start("play", str(FIXTURE), "--text", "--seed", "3", "--log", str(path)) for _ in range(2)
    ]
    outs = [p.communicate(ANSWERS, timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert all("Traceback" not in err for _, err in outs)
    assert sum("already exists" in err for _, err in outs) == 1
    assert all("Ending:" in out for out, _ in outs)  # the refused one played on, unlogged
    reader = log.LogFile(path)
    records = list(reader.records())
    assert reader.problem is None and len(records) == 5  # one header, 3 decisions, one end
