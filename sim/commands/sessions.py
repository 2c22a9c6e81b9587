"""`leadsim sessions`: the logged sessions, oldest first, one line each; ``--discard`` removes
unfinished practice logs.

Every attempt stays visible to a trainer: the mode column says practice or assessment, and an
assessment left before its ending is marked abandoned. ``--discard`` never touches an
assessment log, a finished log, or one written to in the last ten minutes (it may be in play);
it says what it kept and why.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sim import log
from sim.log import LogInfo
from sim.safetext import one_line, plain

NAME = "sessions"
HELP = "list logged sessions (when, scenario, trainee, ending or where it stopped)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder",
        metavar="DIR",
        type=Path,
        nargs="?",
        help="a folder of logs (default: $LEADSIM_HOME/sessions)",
    )
    parser.add_argument("--scenario", metavar="ID", help="only sessions of this scenario")
    parser.add_argument(
        "--discard",
        action="store_true",
        help="remove unfinished practice logs (assessment logs are always kept)",
    )


RECENT = 600
"""Seconds: a log written to more recently may belong to a session in play; never discarded."""


def state_of(info: LogInfo) -> str:
    if info.problem:
        return "unreadable"
    if info.abandoned:
        return f"ABANDONED before decision {info.step + 1}"
    if info.finished:
        return f"ended: {one_line(info.ending or '?')}"
    return f"unfinished, before decision {info.step + 1}"


def row(info: LogInfo) -> list[str]:
    h = info.header
    when = plain(h.started[:16].replace("T", " ")) if h else "?"
    trainee = plain(h.trainee) if h and h.trainee else "-"
    state = state_of(info) + (" (--watch)" if h and h.watch else "")
    mode = one_line(h.mode) if h else "?"
    return [
        when,
        one_line(info.scenario),
        one_line(trainee),
        mode,
        state,
        one_line(info.path.name),
    ]


def run(args: argparse.Namespace) -> int:
    folder = args.folder if args.folder is not None else log.sessions_dir()
    if args.folder is not None and not folder.is_dir():
        print(f"{one_line(folder)}: error: no such folder", file=sys.stderr)
        return 1
    infos = [
        i
        for i in log.list_sessions(folder)
        if args.scenario is None or (i.header is not None and i.header.scenario == args.scenario)
    ]
    if not infos:
        print(f"No sessions logged in {one_line(folder)}.")
        return 0
    if args.discard:
        return discard(infos, folder)
    rows = [["when (UTC)", "scenario", "trainee", "mode", "state", "log"], *map(row, infos)]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)) + "  " + r[5])
    for info in infos:
        if info.problem:
            print(plain(info.problem), file=sys.stderr)
    print(f"\n{len(infos)} session(s) in {one_line(folder)}")
    return 0


def discard(infos: list[LogInfo], folder: Path) -> int:
    """Remove the unfinished practice logs; keep (and say so) everything else a trainer may
    need: assessments, finished sessions, unreadable logs, and logs in use."""
    now = time.time()
    removed = kept_assessments = kept_recent = 0
    failed = False
    for info in infos:
        h = info.header
        if h is None or info.problem or info.finished:
            continue
        if h.mode != "practice":
            kept_assessments += 1
            continue
        try:
            if now - info.path.stat().st_mtime < RECENT:
                kept_recent += 1
                continue
            info.path.unlink()
        except OSError as e:
            print(f"{info.path}: error: cannot remove it ({log.describe(e)})", file=sys.stderr)
            failed = True
            continue
        removed += 1
        print(f"removed {info.path.name} ({plain(h.scenario)}, {state_of(info)})")
    print(f"\nRemoved {removed} unfinished practice log(s) from {folder}.")
    if kept_assessments:
        print(
            f"Kept {kept_assessments} unfinished or abandoned assessment log(s): assessment "
            "logs are never discarded (delete the files yourself if you must)."
        )
    if kept_recent:
        print(f"Kept {kept_recent} log(s) written to in the last ten minutes: they may be in play.")
    return 1 if failed else 0
