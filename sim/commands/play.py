"""`leadsim play`: play a scenario in the simulator, or in plain text with --text.

`leadsim` alone opens the library through :func:`open_library`, which needs none of the
engine, model or loader before its first paint: those (attrs, YAML) are imported by the
functions that use them, so the library screen appears as fast as a bare Textual app's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.sessions.request import Request

NAME = "play"
HELP = "play a scenario (a file path or a shipped scenario's id)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from sim.model import FEEDBACK_MODES

    parser.add_argument("scenario", metavar="SCENARIO", help="a .yaml file or a shipped id")
    parser.add_argument("--text", action="store_true", help="plain text on stdin/stdout")
    parser.add_argument(
        "--reflect",
        action="store_true",
        help="--text: read reflection answers from input even when it is not a terminal",
    )
    parser.add_argument(
        "--seed", type=seed_arg, help="seed for chance events, 0 to 2^64-1 (default: random)"
    )
    parser.add_argument("--feedback", choices=FEEDBACK_MODES, help="override the scenario's")
    parser.add_argument("--assessment", action="store_true", help="no rewinding; recorded")
    parser.add_argument("--name", help="the trainee's name, kept in the session log")
    parser.add_argument("--dir", type=Path, action="append", default=[], help="scenario folder")
    parser.add_argument(
        "--log",
        type=Path,
        metavar="PATH",
        help="session log: a new .jsonl file, or a folder (default: $LEADSIM_HOME/sessions)",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="reload the scenario whenever the file is saved, keeping your place (simulator)",
    )


def seed_arg(text: str) -> int:
    """A seed the engine uses as given (its generator is 64 bits wide), so that a log's seed
    can be checked (`replay --verify` reports one outside this range)."""
    from sim.engine import MAX_SEED

    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= seed <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"{seed} is not between 0 and 2^64-1")
    return seed


def open_library(args: argparse.Namespace) -> int:
    """`leadsim` with no command: the simulator's library screen."""
    return _run_tui(args, None)


def _run_tui(args: argparse.Namespace, scenario: str | None) -> int:
    """Open the full-screen simulator: the library, or straight into ``scenario`` (a path or
    a shipped id). The garbage collector is paused until the first screen is painted
    (:mod:`sim.tui.startup`), and running again however the app ends."""
    from sim.tui import startup

    startup.hold()
    try:
        path = None
        if scenario is not None:
            from sim.format import library

            path = library.resolve(scenario, args.dir)
        from sim.tui.app import run_app

        return int(run_app(args, path))
    finally:
        startup.release()


def run(args: argparse.Namespace) -> int:
    if not args.text:
        return _run_tui(args, args.scenario)
    from sim.format import library, loader

    scenario = loader.load(library.resolve(args.scenario, args.dir))  # errors: see cli.main
    from sim.sessions.lifecycle import make_session
    from sim.text import play as textplay
    from sim.text.offer import offer_text

    request = request_from(args)
    session = offer_text(scenario, request, args.dir, sys.stdin, sys.stdout)
    if session is None:
        session = make_session(scenario, request).begin()
    return textplay.play(session, sys.stdin, sys.stdout, reflect=args.reflect or None)


def request_from(args: argparse.Namespace) -> Request:
    """The session the command line asks for; options a caller's ``args`` lacks take their
    defaults (`resume` and the library's arguments have fewer)."""
    from sim.sessions.request import Request

    return Request(
        seed=getattr(args, "seed", None),
        feedback=getattr(args, "feedback", None),
        assessment=bool(getattr(args, "assessment", False)),
        trainee=getattr(args, "name", None),
        log=getattr(args, "log", None),
        watch=bool(getattr(args, "watch", False)),
    )
