"""`leadsim serve`: the simulator in a browser, one private session per trainee (see
:mod:`sim.serve` and the README's "Running a workshop")."""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import sys
from pathlib import Path

from sim.format import library, loader

NAME = "serve"
HELP = "serve the simulator to browsers: one private session per trainee, logged here"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario", metavar="SCENARIO", nargs="?", help="serve one scenario (default: the library)"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port (default: %(default)s; 0: any free one)"
    )
    parser.add_argument("--dir", type=Path, action="append", default=[], help="scenario folder")
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="the server's data folder: logs in DIR/sessions (default: $LEADSIM_HOME)",
    )
    parser.add_argument(
        "--token",
        help="access token visitors need (default: none on loopback, a random one otherwise)",
    )
    parser.add_argument("--max-sessions", type=int, metavar="N", help="at most N sessions at once")
    parser.add_argument(
        "--idle",
        type=float,
        default=20.0,
        metavar="MINUTES",
        help="end a session after this long without a keypress; its log is kept (default: 20)",
    )
    parser.add_argument(
        "--assessment", action="store_true", help="assessment sessions (no rewinding)"
    )


def run(args: argparse.Namespace) -> int:
    from sim import log
    from sim.serve.access import is_loopback, new_token
    from sim.serve.keys import ensure_key_file
    from sim.serve.server import Server, Settings

    if args.max_sessions is not None and args.max_sessions < 1:
        print("leadsim serve: error: --max-sessions must be at least 1", file=sys.stderr)
        return 2
    if args.idle <= 0:
        print("leadsim serve: error: --idle must be more than 0 minutes", file=sys.stderr)
        return 2
    scenario = None
    if args.scenario is not None:
        path = library.resolve(args.scenario, args.dir)
        loader.load(path)  # a broken scenario stops here, with its diagnostics (cli.main)
        scenario = str(path.resolve())
    token = args.token or (None if is_loopback(args.host) else new_token())
    settings = Settings(
        data=(args.data or log.home_dir()).resolve(),
        scenario=scenario,
        dirs=tuple(d.resolve() for d in args.dir),
        token=token,
        max_sessions=args.max_sessions,
        idle=args.idle * 60,
        assessment=args.assessment,
    )
    try:
        settings.sessions.mkdir(parents=True, exist_ok=True)
        ensure_key_file(settings.key_file)
        server = Server(settings)
    except OSError as e:
        print(f"leadsim serve: error: {e}", file=sys.stderr)
        return 1
    import logging

    logging.basicConfig(level=logging.INFO, format="leadsim serve: %(message)s")
    try:
        return asyncio.run(_serve(server, args.host, args.port))
    except OSError as e:
        print(
            f"leadsim serve: error: cannot listen on {args.host}:{args.port}: {e}", file=sys.stderr
        )
        return 1


async def _serve(server: object, host: str, port: int) -> int:
    from aiohttp import web

    from sim.serve.server import Server

    assert isinstance(server, Server)
    runner = web.AppRunner(server.app(), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    bound = runner.addresses[0][1]
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    token = server.settings.token
    link = f"http://{shown}:{bound}/" + (f"?token={token}" if token else "")
    print(f"leadsim serve: share this link: {link}", flush=True)
    print(f"Session logs go to {server.settings.sessions}; Ctrl+C stops the server.", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    print("leadsim serve: stopping; every session's log is kept.", flush=True)
    await runner.cleanup()
    return 0
