"""`leadsim serve` without a browser: names, access rules and hostile requests, over HTTP to
a real server process (loopback only)."""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import WSMsgType

from sim.cli import build_parser
from sim.log import SessionLog
from sim.serve.access import is_loopback
from sim.serve.process import FAILED, FULL
from sim.serve.server import Server, Settings
from sim.serve.visitors import NameTaken, Visitors, clean_name
from tests.helpers import leadsim
from tests.serve.browser import serving


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("serve")
    with serving(data, "check-in") as link:
        yield link, data


def test_names_are_tidied_and_odd_ones_refused() -> None:
    assert clean_name("  Ana   Lima ") == "Ana Lima"
    assert clean_name("Zoë O'Neill-Smith") == "Zoë O'Neill-Smith"
    assert clean_name("李小龍") == "李小龍"
    for bad in ("", "   ", "a" * 41, "Ana\x1b[31m", "Ana\u202e", "<script>", "../x", "-x", "$(id)"):
        assert clean_name(bad) is None, bad


def test_a_name_is_held_by_one_visitor(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    visitors = Visitors(tmp_path / "visitors.json", sessions)
    key = visitors.claim("Ana", None)
    assert visitors.claim("Ana", key) == key
    with pytest.raises(NameTaken):
        visitors.claim("ANA", None)
    other = visitors.claim("Ben", None)
    with pytest.raises(NameTaken):
        visitors.claim("ana", other)
    # A visitor may change name, and change back: their names (and logs) stay theirs.
    assert visitors.claim("Ana Lima", key) == key and visitors.name_of(key) == "Ana Lima"
    assert visitors.claim("Ana", key) == key and visitors.name_of(key) == "Ana"
    with pytest.raises(NameTaken):
        visitors.claim("ana lima", other)
    # The table survives a restart, readable by the server's user only, keys not in it.
    again = Visitors(tmp_path / "visitors.json", sessions)
    assert again.name_of(key) == "Ana"
    assert stat.S_IMODE(os.stat(tmp_path / "visitors.json").st_mode) == 0o600
    assert key not in (tmp_path / "visitors.json").read_text(encoding="utf-8")


def test_a_name_already_in_the_logs_is_not_handed_to_a_new_visitor(
    tmp_path: Path, small: object
) -> None:
    from sim.sessions.session import Session

    sessions = tmp_path / "sessions"
    session = Session(small, 1, trainee="Cleo", recorder=SessionLog(sessions))  # type: ignore[arg-type]
    session.begin()
    with pytest.raises(NameTaken):
        Visitors(tmp_path / "visitors.json", sessions).claim("cleo", None)


def test_loopback_addresses() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "192.168.1.4", "example.org", "", "::"]))


def test_each_session_is_its_own_command_with_the_visitors_name(tmp_path: Path) -> None:
    library = Server(Settings(data=tmp_path, dirs=(tmp_path / "more",)))
    argv = library.command("Ana Lima")
    assert argv[1:3] == ["-m", "sim"] and "play" not in argv
    assert "--name=Ana Lima" in argv and f"--log={tmp_path / 'sessions'}" in argv
    args = build_parser(argv[3:]).parse_args(argv[3:])  # the library's options parse
    assert (args.command, args.name, args.log) == (None, "Ana Lima", tmp_path / "sessions")
    one = Server(Settings(data=tmp_path, scenario="/s/check-in.yaml", assessment=True))
    assert one.command("Ben")[3:5] == ["play", "/s/check-in.yaml"]
    assert "--assessment" in one.command("Ben")
    assert one.environment()["LEADSIM_SIGNING_KEY_FILE"] == str(tmp_path / "serve" / "signing.key")


def test_join_by_link_sets_a_private_cookie(server: tuple[str, Path]) -> None:
    link, _ = server
    with httpx.Client() as client:
        page = client.get(link)
        assert page.status_code == 200 and 'name="name"' in page.text
        assert "googleapis" not in page.text and "http" not in page.text.split("<body")[0]
        joined = client.get(link + "?name=Dora")
        assert joined.status_code == 303 and joined.headers["location"] == "play"
        cookie = joined.headers["set-cookie"]
        assert "HttpOnly" in cookie and "leadsim_visitor=" in cookie
        play = client.get(link + "play")
        assert play.status_code == 200 and "Dora" in play.text
        assert "default-src 'self'" in play.headers["content-security-policy"]
        for static in ("static/textual/textual.js", "static/leadsim/leadsim.js"):
            assert client.get(link + static).status_code == 200
        assert client.get(link + "static/textual/../../server.py").status_code == 404


def test_hostile_requests_get_plain_answers(server: tuple[str, Path]) -> None:
    link, data = server
    with httpx.Client() as client:
        # DNS rebinding: a loopback server without a token answers loopback names only.
        assert client.get(link, headers={"Host": "evil.example:80"}).status_code == 403
        # A form posted from another site.
        crossed = client.post(
            link + "join", data={"name": "Mallory"}, headers={"Origin": "http://evil.example"}
        )
        assert crossed.status_code == 403
        bad = client.post(link + "join", data={"name": "<b>x</b>\x1b[2J"})
        assert bad.status_code == 400 and "<b>x" not in bad.text
        assert client.get(link + "play").status_code == 303  # no name yet: back to join
        assert client.get(link + "v/not-a-key").status_code == 404
        assert client.get(link + "ws").status_code == 403  # no visitor, no session
        assert client.post(link + "join", content=b"\xff" * 1000).status_code == 400
    assert "Mallory" not in (data / "serve" / "visitors.json").read_text(encoding="utf-8")


def test_the_server_keeps_a_private_signing_key(server: tuple[str, Path]) -> None:
    _, data = server
    key = data / "serve" / "signing.key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert len(key.read_text(encoding="ascii").strip()) == 64


def test_bad_options_are_refused_without_a_traceback(tmp_path: Path) -> None:
    for args in (["--max-sessions", "0"], ["--idle", "0"], ["no-such-scenario"]):
        done = leadsim("serve", "--data", str(tmp_path), "--port", "0", *args)
        assert done.returncode in (1, 2) and "Traceback" not in done.stderr, args


def _run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


async def _close_code(server: Server, name: str) -> tuple[int | None, str]:
    """Join as ``name`` on an in-process server and open the session's websocket: how the
    server closes it (code, reason)."""
    from aiohttp.test_utils import TestClient, TestServer

    async with TestClient(TestServer(server.app(), host="127.0.0.1")) as client:
        joined = await client.post("/join", data={"name": name}, allow_redirects=False)
        assert joined.status == 303
        async with client.ws_connect("/ws?width=80&height=24") as ws:
            message = await asyncio.wait_for(ws.receive(), 30)
            while message.type not in (WSMsgType.CLOSE, WSMsgType.CLOSED):
                message = await asyncio.wait_for(ws.receive(), 30)
            return ws.close_code, str(message.extra or "")


def test_a_simulator_that_cannot_start_tells_the_page(tmp_path: Path) -> None:
    broken = Server(Settings(data=tmp_path, python="/bin/false"))
    assert _run(_close_code(broken, "Ana")) == (FAILED, "failed")


class _Elsewhere:
    """Another visitor's running session, as far as counting places goes."""

    async def close(self, code: int) -> None:
        pass


def test_a_full_server_closes_the_websocket_with_the_reason(tmp_path: Path) -> None:
    full = Server(Settings(data=tmp_path, max_sessions=1))
    full.live["someone-else"] = _Elsewhere()  # type: ignore[assignment]
    assert _run(_close_code(full, "Ben")) == (FULL, "full")
