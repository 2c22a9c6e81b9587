"""`leadsim sync [--lrs URL] [LOG...]`: send sessions to a learning record store.

Sends every statement the LRS has not acknowledged yet, of the named logs (a folder means
every log in it) or of every log in the sessions folder. The URL and credentials come from the
environment or the config file (docs/lrs.md; never the password on a command line).

Exit codes: 0 everything is stored; 1 a log is damaged or the LRS rejected statements (each
named with its log line); 2 no LRS configured or a bad config; 3 the LRS could not be reached
(what is unsent waits for the next sync); 4 the LRS refused the credentials.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

NAME = "sync"
HELP = "send sessions to a learning record store (LRS) as xAPI statements"
WIDTH = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "logs", metavar="LOG", type=Path, nargs="*", help="session log(s) (default: all)"
    )
    parser.add_argument(
        "--lrs", metavar="URL", help="the LRS's xAPI endpoint (default: LEADSIM_LRS_URL, config)"
    )
    parser.add_argument("--dir", type=Path, action="append", default=[], help="scenario folder")
    parser.add_argument(
        "--all",
        action="store_true",
        help="also every log in the sessions folder still waiting (with LOG arguments)",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print only problems (the automatic sync uses it)"
    )


class Bar:
    """A one-line progress bar on a terminal's stderr; nothing when it is not a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.on = stream.isatty()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.on or total < 1:
            return
        filled = WIDTH * done // total
        bar = "#" * filled + "." * (WIDTH - filled)
        self.stream.write(f"\rsyncing [{bar}] {done}/{total} statements")
        self.stream.flush()
        self.drawn = True

    def end(self) -> None:
        if self.drawn:
            self.stream.write("\n")


def run(args: argparse.Namespace) -> int:
    from sim.safetext import plain
    from sim.xapi import config
    from sim.xapi.sync import sync

    err = sys.stderr
    try:
        cfg = config.load(args.lrs)
        bar = Bar(err) if not args.quiet else None
        try:
            outcome = sync(
                args.logs or None, cfg, progress=bar, dirs=args.dir, also_queued=args.all
            )
        finally:
            if bar is not None:
                bar.end()
    except config.ConfigError as e:
        print(f"error: {plain(str(e))}", file=err)
        return 2
    except OSError as e:
        print(f"error: cannot keep the sync state ({plain(e.strerror or str(e))})", file=err)
        return 1
    for line in outcome.problems + outcome.rejected:
        print(plain(line), file=err)
    if not args.quiet:
        for line in outcome.notes:
            print(plain(line), file=err)
    where = cfg.connection.where() if cfg.connection else ""
    if outcome.stopped:
        print(f"error: {plain(outcome.stopped)}", file=err)
        print(f"{outcome.waiting} statement(s) wait for the next `leadsim sync`", file=err)
        return 4 if outcome.refused else 3
    if not args.quiet:
        confirmed = f", {outcome.confirmed} found already stored" if outcome.confirmed else ""
        print(
            f"sent {outcome.sent} statement(s) from {outcome.logs} log(s) to "
            f"{plain(where)}{confirmed}; {outcome.waiting} waiting"
        )
    return 1 if outcome.problems or outcome.rejected else 0
