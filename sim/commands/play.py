"""`leadsim play`: play a scenario in the simulator, or in plain text with --text."""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

from sim.format import library, loader
from sim.model import FEEDBACK_MODES, Scenario
from sim.sessions.session import Session

NAME = "play"
HELP = "play a scenario (a file path or a shipped scenario's id)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="a .yaml file or a shipped id")
    parser.add_argument("--text", action="store_true", help="plain text on stdin/stdout")
    parser.add_argument("--seed", type=int, help="seed for chance events (default: random)")
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


def new_seed() -> int:
    """A fresh seed for a session that did not ask for one; it is shown and logged."""
    return secrets.randbelow(2**31)


def open_library(args: argparse.Namespace) -> int:
    """`leadsim` with no command: the simulator's library screen."""
    return _run_tui(args, scenario=None)


def _run_tui(args: argparse.Namespace, scenario: Path | None) -> int:
    """Open the full-screen simulator: the library, or straight into ``scenario``."""
    try:
        from sim.tui.app import run_app  # type: ignore[import-not-found]
    except ImportError:
        print(
            "the full-screen simulator is not built yet; play in plain text with "
            "`leadsim play SCENARIO --text` (see `leadsim list`)",
            file=sys.stderr,
        )
        return 1
    return int(run_app(args, scenario))


def run(args: argparse.Namespace) -> int:
    if not args.text:
        return _run_tui(args, library.resolve(args.scenario, args.dir))
    scenario = loader.load(library.resolve(args.scenario, args.dir))  # errors: see cli.main
    from sim.commands.resume import offer_text
    from sim.text import play as textplay

    session = offer_text(args, scenario, sys.stdin, sys.stdout)
    if session is None:
        session = make_session(args, scenario).begin()
    return textplay.play(session, sys.stdin, sys.stdout)


def make_session(args: argparse.Namespace, scenario: Scenario) -> Session:
    """A new session for ``scenario`` as the command line asks (seed, feedback, assessment,
    trainee). The TUI calls this too, so both modes start sessions the same way; options a
    caller's ``args`` lacks take their defaults.

    Every session is logged: ``begin()`` creates the log (``args.log``, else
    ``$LEADSIM_HOME/sessions``). If logging fails, the :class:`sim.log.SessionLog` recorder
    warns through its ``warn`` callback (stderr by default; the TUI may replace it) and the
    session goes on unrecorded."""
    from sim.log import SessionLog

    seed = getattr(args, "seed", None)
    return Session(
        scenario,
        seed if seed is not None else new_seed(),
        mode="assessment" if getattr(args, "assessment", False) else "practice",
        feedback=getattr(args, "feedback", None),
        trainee=getattr(args, "name", None),
        recorder=SessionLog(getattr(args, "log", None), watch=bool(getattr(args, "watch", False))),
    )
