"""`leadsim resume LOG`: continue an unfinished session where its log stops (the work is
:func:`sim.sessions.lifecycle.continue_session`'s)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.log import LogError
from sim.safetext import one_line, plain
from sim.sessions.lifecycle import continue_session

NAME = "resume"
HELP = "continue an unfinished session from its log"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("log", metavar="LOG", type=Path, help="the session's log file")
    parser.add_argument("--text", action="store_true", help="plain text on stdin/stdout")
    parser.add_argument(
        "--reflect",
        action="store_true",
        help="--text: read reflection answers from input even when it is not a terminal",
    )
    parser.add_argument(
        "--scenario", type=Path, help="the scenario file (default: the recorded one)"
    )
    parser.add_argument("--dir", type=Path, action="append", default=[], help="scenario folder")


def run(args: argparse.Namespace) -> int:
    try:
        session, notes = continue_session(args.log, args.scenario, args.dir)
    except LogError as e:
        print(plain(e.format()), file=sys.stderr)
        return 1
    if args.text:
        from sim.text import play as textplay

        for note in notes:
            print(plain(note))
        print(f"Resuming {one_line(args.log)} at decision {session.step + 1}.")
        return textplay.play(session, sys.stdin, sys.stdout, reflect=args.reflect or None)
    for note in notes:
        print(plain(note), file=sys.stderr)
    from sim.tui.app import run_app

    return int(run_app(args, None, session=session))
