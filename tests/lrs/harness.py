"""A real Ralph LRS for the tests, and a stub LRS that misbehaves on purpose.

Ralph lives in its own virtual environment (``scripts/install-ralph`` makes ``.venv-ralph``;
``LEADSIM_RALPH_VENV`` names another). :func:`start_ralph` creates basic-auth credentials the
way Ralph documents (``ralph auth --write-to-disk``, into ``RALPH_AUTH_FILE``), starts
``ralph_server.py`` (uvicorn on 127.0.0.1 and a free port, the file-system backend) and waits
for its heartbeat. Without Ralph the test skips through :func:`tests.components.unavailable`.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from tests.components import unavailable

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent


def ralph_venv() -> Path:
    return Path(os.environ.get("LEADSIM_RALPH_VENV", ROOT / ".venv-ralph"))


def ralph_python() -> Path:
    python = ralph_venv() / "bin" / "python"
    if not python.exists():
        unavailable("Ralph", f"no {python}; run scripts/install-ralph")
    return python


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Ralph:
    def __init__(self, url: str, user: str, password: str, process: subprocess.Popen[bytes]):
        self.url, self.user, self.password, self.process = url, user, password, process

    def env(self) -> dict[str, str]:
        """The environment a `leadsim sync` against this LRS runs with."""
        return {
            "LEADSIM_LRS_URL": self.url,
            "LEADSIM_LRS_USER": self.user,
            "LEADSIM_LRS_PASSWORD": self.password,
        }

    def statements(self, **params: str) -> list[dict[str, Any]]:
        """Every statement matching ``params``, read straight from the LRS."""
        out: list[dict[str, Any]] = []
        url: str | None = self.url + "statements"
        query: dict[str, str] | None = dict(params)
        while url:
            r = httpx.get(url, params=query, auth=(self.user, self.password), timeout=30)
            r.raise_for_status()
            out += r.json()["statements"]
            more = r.json().get("more")
            url = str(httpx.URL(self.url).join(more)) if more else None
            query = None
        return out


@contextmanager
def start_ralph(folder: Path) -> Iterator[Ralph]:
    python = ralph_python()
    user, password = "leadsim-test", secrets.token_urlsafe(12)
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(folder / "app"),
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        # Small pages, so every read-back follows `more` links as it must on a big LRS.
        "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "7",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
    }
    (folder / "data").mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [python.parent / "ralph", "auth", "-u", user, "-p", password, "-s", "all",
         "-M", "mailto:leadsim-test@example.org", "-w"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    log = (folder / "ralph.log").open("wb")
    process = subprocess.Popen(
        [python, HERE / "ralph_server.py", str(port)], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}/xAPI/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/__lbheartbeat__", timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "Ralph did not start: " + (folder / "ralph.log").read_text()[-2000:]
                )
            time.sleep(0.2)
        yield Ralph(url, user, password, process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def validate_with_ralph(statements: list[dict[str, Any]]) -> str:
    """Ralph's generic xAPI model's complaints about ``statements`` ('' when valid)."""
    result = subprocess.run(
        [ralph_python(), HERE / "ralph_validate.py"],
        input="".join(json.dumps(s) + "\n" for s in statements),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + (result.stderr if result.returncode not in (0, 1) else "")


# --- a stub LRS ---------------------------------------------------------------------------


Behaviour = Callable[["StubLRS", list[dict[str, Any]]], int | None]
"""Given the stub and a POSTed batch: the status to answer, or None to store it (200)."""


class StubLRS:
    """An LRS on 127.0.0.1 that stores statements by id in memory and misbehaves as told:
    ``behave`` decides each POST's answer; ``delay`` holds answers back (timeouts)."""

    def __init__(self, behave: Behaviour | None = None, user: str = "u", password: str = "p"):
        self.behave = behave
        self.delay = 0.0
        self.stored: dict[str, dict[str, Any]] = {}
        self.posts: list[list[str]] = []
        self.gets: list[str] = []
        self.resent: list[str] = []
        """Ids POSTed again after the stub had stored them (a sync must never do that)."""
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, status: int, body: Any = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                batch = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(stub.delay)
                if self.headers.get("Authorization") != stub.auth:
                    return self._answer(401, {"detail": "Invalid authentication credentials"})
                with stub.lock:
                    stub.posts.append([s["id"] for s in batch])
                    stub.resent += [s["id"] for s in batch if s["id"] in stub.stored]
                    status = stub.behave(stub, batch) if stub.behave else None
                    if status is None:
                        for s in batch:
                            stub.stored.setdefault(s["id"], s)
                        return self._answer(200, [s["id"] for s in batch])
                return self._answer(status, {"detail": f"stub says {status}"})

            def do_GET(self) -> None:
                query = httpx.URL(self.path).params
                if self.headers.get("Authorization") != stub.auth:
                    return self._answer(401, {"detail": "Invalid authentication credentials"})
                with stub.lock:
                    stub.gets.append(self.path)
                    if "statementId" in query:
                        found = stub.stored.get(query["statementId"])
                        return self._answer(200, found) if found else self._answer(404, {})
                    wanted = query.get("registration")
                    found_all = [
                        s for s in stub.stored.values()
                        if wanted is None or s["context"]["registration"] == wanted
                    ]  # fmt: skip
                return self._answer(200, {"statements": found_all, "more": ""})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xAPI/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StubLRS:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
