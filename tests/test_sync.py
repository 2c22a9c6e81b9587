"""`leadsim sync` against a stub LRS that fails on purpose: retries, refusals, timeouts, a
refused connection, a kill in the middle of a batch, automatic sync after a session."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from sim.commands.sync import Bar
from sim.xapi.config import Options
from sim.xapi.statements import convert
from tests.helpers import leadsim
from tests.lrs.harness import StubLRS, free_port
from tests.lrs.sessions import SMALL, play


def home() -> Path:
    return Path(os.environ["LEADSIM_HOME"])


def configure(batch: int = 50, retries: int = 3, timeout: float = 2.0) -> None:
    """Quick retries for the tests (the file the user would write)."""
    (home() / "lrs.toml").write_text(
        f"[lrs]\nbatch = {batch}\nretries = {retries}\nbackoff = 0.05\ntimeout = {timeout}\n"
    )


def logs(count: int) -> tuple[list[Path], list[str]]:
    """``count`` sessions in the sessions folder, and all their statement ids."""
    folder = home() / "sessions"
    paths = [play(folder, seed=i, pick=i % 2) for i in range(count)]
    ids = [s["id"] for p in paths for s in convert(p, Options()).statements]
    return paths, ids


def env(stub: StubLRS, password: str = "p") -> dict[str, str]:
    return {"LEADSIM_LRS_URL": stub.url, "LEADSIM_LRS_USER": "u", "LEADSIM_LRS_PASSWORD": password}


def test_sync_sends_everything_once_and_then_nothing(tmp_path: Path) -> None:
    configure(batch=7)
    _, ids = logs(3)
    with StubLRS() as stub:
        first = leadsim("sync", env=env(stub))
        assert first.returncode == 0, first.stderr
        assert f"sent {len(ids)} statement(s) from 3 log(s)" in first.stdout
        assert set(stub.stored) == set(ids)
        assert all(len(batch) <= 7 for batch in stub.posts)
        posts = len(stub.posts)
        again = leadsim("sync", env=env(stub))
        assert again.returncode == 0 and "sent 0 statement(s)" in again.stdout
        assert len(stub.posts) == posts and stub.resent == []


def test_server_errors_are_retried_with_backoff(tmp_path: Path) -> None:
    configure()
    _, ids = logs(1)
    failures = iter([500, 503])

    def flaky(stub: StubLRS, batch: list[dict[str, Any]]) -> int | None:
        return next(failures, None)

    with StubLRS(flaky) as stub:
        result = leadsim("sync", env=env(stub))
        assert result.returncode == 0, result.stderr
        assert set(stub.stored) == set(ids) and len(stub.posts) == 3


def test_an_lrs_that_keeps_failing_leaves_everything_queued(tmp_path: Path) -> None:
    configure(retries=2)
    _, ids = logs(2)
    with StubLRS(lambda stub, batch: 500) as stub:
        result = leadsim("sync", env=env(stub))
        assert result.returncode == 3
        assert "answered 500" in result.stderr
        assert f"{len(ids)} statement(s) wait" in result.stderr
    with StubLRS() as stub:
        assert leadsim("sync", env=env(stub)).returncode == 0
        assert set(stub.stored) == set(ids)


def test_timeouts_are_retried_then_wait_for_the_next_sync(tmp_path: Path) -> None:
    configure(retries=2, timeout=0.3)
    _, ids = logs(1)
    with StubLRS() as stub:
        stub.delay = 1.0
        result = leadsim("sync", env=env(stub))
        assert result.returncode == 3 and "no answer in time" in result.stderr
        stub.delay = 0.0
        assert leadsim("sync", env=env(stub)).returncode == 0
        assert set(stub.stored) == set(ids)


def test_refused_credentials_stop_with_a_clear_message_and_no_password(tmp_path: Path) -> None:
    configure()
    logs(1)
    with StubLRS() as stub:
        result = leadsim("sync", env=env(stub, password="wrong-secret"))
        assert result.returncode == 4
        assert "refused the credentials (401)" in result.stderr
        assert "LEADSIM_LRS_PASSWORD" in result.stderr
        assert "wrong-secret" not in result.stderr + result.stdout
        assert stub.stored == {}


def test_a_refused_connection_waits_in_the_queue(tmp_path: Path) -> None:
    configure(retries=2)
    paths, ids = logs(1)
    port = free_port()  # nothing listens there
    url = f"http://127.0.0.1:{port}/xAPI/"
    result = leadsim("sync", "--lrs", url, str(paths[0]))
    assert result.returncode == 3 and "cannot connect" in result.stderr
    with StubLRS() as stub:
        assert leadsim("sync", env=env(stub)).returncode == 0
        assert set(stub.stored) == set(ids)


def test_a_rejected_statement_is_named_and_the_others_are_stored(tmp_path: Path) -> None:
    configure(batch=50)
    paths, ids = logs(2)
    bad = ids[3]

    def picky(stub: StubLRS, batch: list[dict[str, Any]]) -> int | None:
        return 400 if any(s["id"] == bad for s in batch) else None

    with StubLRS(picky) as stub:
        result = leadsim("sync", env=env(stub))
        assert result.returncode == 1
        assert f"{paths[0]}:4: error: the LRS rejected the statement {bad}" in result.stderr
        assert "stub says 400" in result.stderr
        assert set(stub.stored) == set(ids) - {bad}
        assert "1 waiting" in result.stdout


def test_the_url_never_carries_a_password(tmp_path: Path) -> None:
    result = leadsim("sync", "--lrs", "http://me:hunter2@127.0.0.1:9/xAPI/")
    assert result.returncode == 2 and "carries credentials" in result.stderr
    assert "hunter2" not in result.stderr
    nothing = leadsim("sync")
    assert nothing.returncode == 2 and "no LRS is configured" in nothing.stderr


@pytest.mark.parametrize("stored_before_kill", [True, False])
def test_a_sync_killed_mid_batch_loses_nothing_and_resends_nothing_stored(
    tmp_path: Path, stored_before_kill: bool
) -> None:
    """SIGKILL while the LRS holds the second batch's request: the batch is stored (or not),
    the answer never reaches the sync. The next sync asks about exactly those statements and
    sends only what the LRS lacks."""
    configure(batch=5, timeout=30)
    _, ids = logs(2)
    holding, release = threading.Event(), threading.Event()
    count = 0

    def hold_second(stub: StubLRS, batch: list[dict[str, Any]]) -> int | None:
        nonlocal count
        count += 1
        if count != 2:
            return None
        if stored_before_kill:
            for s in batch:
                stub.stored[s["id"]] = s
        holding.set()
        release.wait(30)
        return 503

    with StubLRS(hold_second) as stub:
        process = subprocess.Popen(
            [sys.executable, "-m", "sim", "sync"],
            env={**os.environ, **env(stub)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert holding.wait(30), "the sync never sent its second batch"
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
        finally:
            release.set()
        second = stub.posts[1]
        assert set(stub.stored) == set(stub.posts[0]) | (
            set(second) if stored_before_kill else set()
        )
        stub.behave = None
        time.sleep(0.1)  # the held request finishes answering the dead client
        result = leadsim("sync", env=env(stub))
        assert result.returncode == 0, result.stderr
        assert set(stub.stored) == set(ids)  # nothing lost
        assert stub.resent == []  # nothing the LRS had was sent again
        asked = [g for g in stub.gets if "statementId=" in g]
        assert len(asked) == len(second)  # it asked about exactly the batch in doubt
        if stored_before_kill:
            assert "found already stored" in result.stdout


def test_a_session_is_synced_in_the_background_when_it_ends(tmp_path: Path) -> None:
    configure()
    with StubLRS() as stub:
        result = leadsim(
            "play", str(SMALL), "--text", "--seed", "1", "--name", "Ana",
            stdin="1\n" * 30, env=env(stub),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        (log,) = (home() / "sessions").glob("*.jsonl")
        expected = {s["id"] for s in convert(log, Options()).statements}
        deadline = time.monotonic() + 60
        while set(stub.stored) != expected and time.monotonic() < deadline:
            time.sleep(0.2)
        assert set(stub.stored) == expected


def test_offline_sessions_wait_and_go_with_the_next_automatic_sync(tmp_path: Path) -> None:
    configure(retries=1, timeout=0.5)
    offline = {"LEADSIM_LRS_URL": f"http://127.0.0.1:{free_port()}/xAPI/"}
    answers = "1\n" * 30
    assert (
        leadsim("play", str(SMALL), "--text", "--seed", "2", stdin=answers, env=offline).returncode
        == 0
    )
    with StubLRS() as stub:
        assert (
            leadsim(
                "play", str(SMALL), "--text", "--seed", "3", stdin=answers, env=env(stub)
            ).returncode
            == 0
        )
        expected = {
            s["id"]
            for log in (home() / "sessions").glob("*.jsonl")
            for s in convert(log, Options()).statements
        }
        deadline = time.monotonic() + 60
        while set(stub.stored) != expected and time.monotonic() < deadline:
            time.sleep(0.2)
        assert set(stub.stored) == expected


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal_only() -> None:
    tty, pipe = Terminal(), io.StringIO()
    for stream in (tty, pipe):
        bar = Bar(stream)
        for done in (0, 50, 100):
            bar(done, 100)
        bar.end()
    assert "[###############...............] 50/100 statements" in tty.getvalue()
    assert tty.getvalue().endswith("100/100 statements\n")
    assert pipe.getvalue() == ""


def test_report_from_an_lrs_that_refuses_says_so(tmp_path: Path) -> None:
    configure(retries=1)
    with StubLRS() as stub:
        result = leadsim("report", "--lrs", stub.url, env=env(stub, password="wrong-secret"))
        assert result.returncode == 1 and "refused the credentials (401)" in result.stderr
        assert "wrong-secret" not in result.stderr and "Traceback" not in result.stderr
        empty = leadsim("report", "--lrs", stub.url, env=env(stub))
        assert empty.returncode == 1 and "No session logs in" in empty.stderr
