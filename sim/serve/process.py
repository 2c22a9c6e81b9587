"""One visitor's simulator process and the websocket that shows it.

:class:`SessionProcess` is textual-serve's process driver started from an argument list (no
shell ever sees a trainee's name). :class:`Live` is a running session; :func:`relay` carries
the browser's messages to the process, trusting none of them. A session ends with a close code
the page reads to say why (:data:`CLOSE_REASONS`).
"""

from __future__ import annotations

import asyncio
import time

import attrs
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService

# Websocket close codes (the 4000-4999 range is the application's) and the page's word for
# each; the page's script turns the word into a sentence.
ENDED, IDLE, ELSEWHERE, FULL, FAILED = 4000, 4001, 4002, 4003, 4004
CLOSE_REASONS = {
    ENDED: "ended",
    IDLE: "idle",
    ELSEWHERE: "elsewhere",
    FULL: "full",
    FAILED: "failed",
}


class SessionProcess(AppService):
    """textual-serve's driver for one simulator process, started from an argument list."""

    def __init__(self, argv: list[str], env: dict[str, str], **kwargs: object) -> None:
        super().__init__(" ".join(argv), **kwargs)  # type: ignore[arg-type]
        self.argv = argv
        self.extra_env = env

    async def _open_app_process(
        self, width: int = 80, height: int = 24
    ) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        environment.update(self.extra_env)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the simulator to quit (it keeps its log), and make sure it has gone."""
        await super().stop()
        process = self._process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                process.kill()
                await process.wait()

    async def exited(self) -> int:
        """The simulator's exit code, once it has ended (quit, crashed or failed to start)."""
        return await self._process.wait() if self._process is not None else 0


@attrs.define
class Live:
    """A visitor's running session."""

    name: str
    websocket: web.WebSocketResponse
    process: SessionProcess | None = None
    last_input: float = attrs.Factory(time.monotonic)
    done: asyncio.Event = attrs.Factory(asyncio.Event)
    """Set once the process has stopped and the session is no longer counted."""

    async def close(self, code: int) -> None:
        await self.websocket.close(code=code, message=CLOSE_REASONS[code].encode())


async def relay(live: Live) -> None:
    """Messages from the browser to the simulator until the page goes; a keypress counts as
    activity. Anything that is not one of textual-serve's messages is ignored."""
    process, websocket = live.process, live.websocket
    assert process is not None
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = message.json()
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        except (ValueError, TypeError, IndexError, KeyError):
            continue
        if kind == "stdin" and isinstance(data, str):
            live.last_input = time.monotonic()
            await process.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width = bounded(str(data.get("width")), 80, 20, 400)
            height = bounded(str(data.get("height")), 24, 5, 200)
            await process.set_terminal_size(width, height)
        elif kind == "ping":
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await process.blur()
        elif kind == "focus":
            await process.focus()


def bounded(text: str | None, default: int, low: int, high: int) -> int:
    """``text`` as a whole number within [low, high]; ``default`` when it is not one."""
    try:
        value = int(text or "")
    except ValueError:
        return default
    return min(max(value, low), high)
