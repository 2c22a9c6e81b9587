"""`leadsim sessions`: the logged sessions, oldest first, one line each."""

from __future__ import annotations

import argparse
import sys
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


def state_of(info: LogInfo) -> str:
    if info.problem:
        return "unreadable"
    if info.finished:
        return f"ended: {one_line(info.ending or '?')}"
    return f"unfinished, before decision {info.step + 1}"


def row(info: LogInfo) -> list[str]:
    h = info.header
    when = plain(h.started[:16].replace("T", " ")) if h else "?"
    trainee = plain(h.trainee) if h and h.trainee else "-"
    state = state_of(info) + (" (--watch)" if h and h.watch else "")
    return [when, one_line(info.scenario), one_line(trainee), state, one_line(info.path.name)]


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
    rows = [["when (UTC)", "scenario", "trainee", "state", "log"], *map(row, infos)]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)) + "  " + r[4])
    for info in infos:
        if info.problem:
            print(plain(info.problem), file=sys.stderr)
    print(f"\n{len(infos)} session(s) in {one_line(folder)}")
    return 0
