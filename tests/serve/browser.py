"""What the `leadsim serve` tests share: a real server in a subprocess, Debian's Chromium
driven by Playwright (every request outside loopback fails the test), screenshots kept as
artifacts, and a small PNG reader to find things on the terminal's canvas."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sim.serve.access import is_loopback
from tests.components import unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("LEADSIM_TEST_ARTIFACTS", "/tmp/leadsim-test-artifacts")) / "serve"
# The Textual highlight behind the chosen option (a blue bar across the choice's lines).
HIGHLIGHT = (1, 120, 212)


def chromium_executable() -> str:
    """Debian's Chromium; the test skips (and fails under CI) only where it does not exist.
    Playwright itself is a test dependency: without it the tests fail, they do not skip."""
    if not CHROMIUM.exists():
        unavailable(
            "chromium", f"{CHROMIUM} is missing (scripts/install-debian-packages installs it)"
        )
    return str(CHROMIUM)


@contextmanager
def serving(data: Path, *args: str) -> Iterator[str]:
    """`leadsim serve ARGS` on a free loopback port; yields the link it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "serve", "--port", "0", "--data", str(data), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if "share this link: " not in line:
            process.kill()
            raise AssertionError(f"serve did not start: {line}{process.communicate()[1]}")
        yield line.split("share this link: ", 1)[1].strip()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Outside:
    """Every request a page tried outside loopback (each one is aborted)."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def guard(self, context: Any) -> None:
        def route(route: Any) -> None:
            host = urlsplit(route.request.url).hostname or ""
            if route.request.url.startswith("data:") or is_loopback(host):
                route.continue_()
            else:
                self.requests.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        context.on(
            "websocket", lambda ws: None if _loopback(ws.url) else self.requests.append(ws.url)
        )


def _loopback(url: str) -> bool:
    return is_loopback(urlsplit(url).hostname or "")


def shot(page: Any, name: str) -> bytes:
    """A screenshot, kept under ARTIFACTS as ``name``.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    data: bytes = page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    return data


def wait_until(check: Any, timeout: float = 20.0, what: str = "condition") -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def records(sessions: Path, trainee: str) -> list[dict[str, Any]]:
    """The records of ``trainee``'s one log in ``sessions`` (header first)."""
    found = []
    for path in sorted(sessions.glob("*.jsonl")):
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
        if lines and lines[0].get("trainee") == trainee:
            found.append(lines)
    assert len(found) <= 1, f"{trainee} has {len(found)} logs"
    return found[0] if found else []


def decisions(sessions: Path, trainee: str) -> list[dict[str, Any]]:
    return [r for r in records(sessions, trainee) if r.get("type") == "decision"]


def wait_for_decisions(sessions: Path, trainee: str, count: int) -> list[dict[str, Any]]:
    return wait_until(
        lambda: (d := decisions(sessions, trainee)) and len(d) >= count and d,
        what=f"{count} decisions of {trainee} in the log",
    )


def wait_for_screen_change(page: Any, before: bytes, name: str) -> bytes:
    """Screenshots until the screen differs from ``before`` and holds still."""
    last = before
    end = time.monotonic() + 20
    while time.monotonic() < end:
        time.sleep(0.15)
        now: bytes = page.screenshot()
        if now != before and now == last:
            # The simulator drops keys that arrive within 0.3 s of a new screen (they were
            # meant for the one before); a person reads first, and so does the test.
            time.sleep(0.35)
            return shot(page, name)
        last = now
    raise AssertionError(f"the screen did not settle on a change ({name})")


def highlighted_row(page: Any) -> tuple[int, int]:
    """(x, y) on the highlighted choice's first line, found in a thin strip of the screen."""
    height = page.viewport_size["height"]
    strip = page.screenshot(clip={"x": 30, "y": 0, "width": 8, "height": height})
    _, rows_high, pixel = read_png(strip)
    rows = [y for y in range(rows_high) if _near(pixel(4, y), HIGHLIGHT)]
    assert rows, f"no highlighted choice on the screen (colours seen: {pixel(4, 300)})"
    first = rows[0]
    end = first
    while end + 1 < rows_high and _near(pixel(4, end + 1), HIGHLIGHT):
        end += 1
    return 200, first + max(1, (end - first) // 4)


def _near(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(abs(p - q) <= 12 for p, q in zip(a, b, strict=False))


def read_png(data: bytes) -> tuple[int, int, Any]:
    """A minimal reader for Chromium's screenshots (8-bit RGB/RGBA, not interlaced):
    (width, height, pixel(x, y) -> (r, g, b))."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        row = rows[y]
        return row[x * channels], row[x * channels + 1], row[x * channels + 2]

    return width, height, pixel
