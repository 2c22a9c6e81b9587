"""The `leadsim serve` web server: pages, one session process per visitor, limits.

Each websocket runs ``python -m sim play SCENARIO --name NAME --log SESSIONS`` (or the library,
``python -m sim --name NAME --log SESSIONS``) through textual-serve's process driver, started
with an argument list (no shell ever sees a name). A visitor has at most one live session;
the server at most ``max_sessions``. A session without a keypress for ``idle`` seconds is
ended: the simulator quits, its log (flushed after every decision) stays, and the page offers
to continue, which starts the simulator again under the same name, where it offers to resume.
A visitor's new connection (a reload, a second tab) takes over from their old one, whose page
then says the session is open elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import attrs
import textual_serve
from aiohttp import web
from textual_serve.download_manager import DownloadManager

from sim.serve import pages
from sim.serve.access import TOKEN_COOKIE, Access
from sim.serve.keys import KEY_ENV
from sim.serve.process import (
    ELSEWHERE,
    ENDED,
    FAILED,
    FULL,
    IDLE,
    Live,
    SessionProcess,
    bounded,
    relay,
)
from sim.serve.visitors import NameTaken, Visitors, clean_name

log = logging.getLogger("leadsim.serve")

VISITOR_COOKIE = "leadsim_visitor"
TEXTUAL_STATIC = Path(textual_serve.__file__).parent / "static"


@attrs.frozen
class Settings:
    """What `leadsim serve` was asked for."""

    data: Path
    """The server's data folder: ``sessions/`` (the logs) and ``serve/`` (key, visitors)."""
    scenario: str | None = None
    dirs: tuple[Path, ...] = ()
    token: str | None = None
    max_sessions: int | None = None
    idle: float = 20 * 60
    assessment: bool = False
    title: str = "leadsim"
    python: str = sys.executable

    @property
    def sessions(self) -> Path:
        return self.data / "sessions"

    @property
    def key_file(self) -> Path:
        return self.data / "serve" / "signing.key"


class Server:
    """The aiohttp application of `leadsim serve`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.access = Access(settings.token)
        self.visitors = Visitors(settings.data / "serve" / "visitors.json", settings.sessions)
        self.live: dict[str, Live] = {}
        """Running sessions by visitor key."""
        self.downloads = DownloadManager()

    # --- the application -----------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes(
            [
                web.get("/", self.index),
                web.post("/join", self.join),
                web.get("/play", self.play),
                web.get("/ws", self.websocket),
                web.get("/v/{key}", self.personal),
                web.static("/static/leadsim", pages.STATIC),
                web.get("/static/textual/{file}", self.textual_static),
            ]
        )
        app.on_shutdown.append(self._close_all)
        return app

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if not self.access.allows(request):
            return pages.forbidden()
        response = await handler(request)
        token = request.query.get("token")
        if token and self.settings.token and request.cookies.get(TOKEN_COOKIE) != token:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/")
        return response

    async def textual_static(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's terminal script and stylesheet, from the installed package."""
        files = {"textual.js": "js/textual.js", "xterm.css": "css/xterm.css"}
        name = request.match_info["file"]
        if name not in files:
            raise web.HTTPNotFound()
        return web.FileResponse(TEXTUAL_STATIC / files[name])

    # --- pages ---------------------------------------------------------------------------

    def _key(self, request: web.Request) -> str | None:
        key = request.cookies.get(VISITOR_COOKIE)
        return key if key and self.visitors.name_of(key) else None

    def _personal_link(self, request: web.Request, key: str) -> str:
        # Behind a TLS proxy the request came in over http: the proxy says what the visitor used.
        scheme = request.headers.get("X-Forwarded-Proto", request.scheme)
        scheme = scheme if scheme in ("http", "https") else request.scheme
        link = f"{scheme}://{request.host}/v/{key}"
        return link + (f"?token={self.settings.token}" if self.settings.token else "")

    async def index(self, request: web.Request) -> web.StreamResponse:
        """The join page; a link may carry the name (``/?name=Ana``) and join at once."""
        key = self._key(request)
        wanted = request.query.get("name")
        if wanted is not None:
            return self._claim(request, wanted, key)
        return self._join_page(request, key, None)

    def _join_page(self, request: web.Request, key: str | None, error: str | None) -> web.Response:
        current = self.visitors.name_of(key)
        link = self._personal_link(request, key) if key else None
        status = 400 if error else 200
        response = pages.join(self.settings.title, current, error, link)
        response.set_status(status)
        return response

    async def join(self, request: web.Request) -> web.StreamResponse:
        if not self.access.same_origin(request):
            return pages.forbidden()
        form = await request.post()
        raw = form.get("name")
        return self._claim(request, raw if isinstance(raw, str) else "", self._key(request))

    def _claim(self, request: web.Request, raw: str, key: str | None) -> web.StreamResponse:
        name = clean_name(raw)
        if name is None:
            error = (
                "Please give a name of 1 to 40 letters, digits, spaces, dots, dashes or "
                "apostrophes."
            )
            return self._join_page(request, key, error)
        try:
            key = self.visitors.claim(name, key)
        except NameTaken:
            error = f"Someone here already uses the name {name}: add an initial or a surname."
            return self._join_page(request, key, error)
        except OSError as e:
            log.error("%s", e)
            return pages.message("Server problem", "The server cannot save names.", 500)
        return _remember("play", key)

    async def personal(self, request: web.Request) -> web.StreamResponse:
        """A visitor's personal link: the same name (and resume offers) on another device."""
        key = request.match_info["key"]
        if self.visitors.name_of(key) is None:
            return pages.message(
                "Unknown link", "This personal link is not known here.", 404, ("./", "Join")
            )
        return _remember("../", key)

    def _full(self, key: str) -> bool:
        """No place for the visitor with ``key`` (their own running session makes room)."""
        limit = self.settings.max_sessions
        others = len(self.live) - (key in self.live)
        return limit is not None and others >= limit

    async def play(self, request: web.Request) -> web.StreamResponse:
        key = self._key(request)
        if key is None:
            raise web.HTTPSeeOther("./")
        if self._full(key):
            return pages.full(self.settings.max_sessions or 0)
        font = bounded(request.query.get("fontsize"), 16, 8, 40)
        name = self.visitors.name_of(key) or ""
        return pages.play(self.settings.title, name, self.settings.idle, font)

    # --- sessions ------------------------------------------------------------------------

    def command(self, name: str) -> list[str]:
        """The simulator command line for trainee ``name``."""
        s = self.settings
        argv = [s.python, "-m", "sim"]
        if s.scenario is not None:
            argv += ["play", s.scenario]
        argv += [f"--name={name}", f"--log={s.sessions}"]
        for folder in s.dirs:
            argv.append(f"--dir={folder}")
        if s.assessment:
            argv.append("--assessment")
        return argv

    def environment(self) -> dict[str, str]:
        return {"LEADSIM_HOME": str(self.settings.data), KEY_ENV: str(self.settings.key_file)}

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        key = self._key(request)
        if key is None or not self.access.same_origin(request):
            return pages.forbidden()
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        old = self.live.get(key)
        if old is not None:  # a reload or a second tab: the newest page has the session
            await old.close(ELSEWHERE)
            await old.done.wait()
        if self._full(key):
            await websocket.close(code=FULL, message=b"full")
            return websocket
        name = self.visitors.name_of(key) or ""
        live = self.live[key] = Live(name, websocket)
        width = bounded(request.query.get("width"), 80, 20, 400)
        height = bounded(request.query.get("height"), 24, 5, 200)
        watchdog = asyncio.create_task(self._watch_idle(live))
        try:
            live.process = SessionProcess(
                self.command(name),
                self.environment(),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.downloads,
            )
            await live.process.start(width, height)
            ended = asyncio.create_task(self._close_after(live))
            try:
                await relay(live)
            finally:
                ended.cancel()
        except (asyncio.CancelledError, ConnectionResetError):
            pass
        except Exception:
            log.exception("session of %r failed", name)
        finally:
            watchdog.cancel()
            if live.process is not None:
                with contextlib.suppress(Exception):
                    await live.process.stop()
            if self.live.get(key) is live:
                del self.live[key]
            live.done.set()
            await websocket.close()
        return websocket

    async def _close_after(self, live: Live) -> None:
        """A simulator that ends by itself (or never starts) closes the page's connection,
        so the page says so instead of waiting."""
        assert live.process is not None
        code = await live.process.exited()
        if code != 0:
            log.error("%s: the simulator stopped with exit code %s", live.name, code)
        await live.close(ENDED if code == 0 else FAILED)

    async def _watch_idle(self, live: Live) -> None:
        idle = self.settings.idle
        while True:
            left = live.last_input + idle - time.monotonic()
            if left <= 0:
                log.info("%s: no keypress for %.0f s, session closed, log kept", live.name, idle)
                await live.close(IDLE)
                return
            await asyncio.sleep(min(left, 30.0) + 0.05)

    async def _close_all(self, app: web.Application) -> None:
        for live in list(self.live.values()):
            await live.close(ENDED)


def _remember(location: str, key: str) -> web.Response:
    """On to ``location``, with the visitor's key in a cookie scripts cannot read, kept for a
    season of workshops."""
    response = web.Response(status=303, headers={"Location": location})
    response.set_cookie(
        VISITOR_COOKIE, key, httponly=True, samesite="Lax", path="/", max_age=90 * 86400
    )
    return response
