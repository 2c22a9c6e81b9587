"""`leadsim list`: the scenarios a trainee can play."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sim.format import library
from sim.safetext import json_safe, plain

NAME = "list"
HELP = "list the shipped scenarios (and those in --dir) with id, title and size"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dir", type=Path, action="append", default=[], help="also list DIR")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def run(args: argparse.Namespace) -> int:
    entries = library.discover(args.dir)
    if args.format == "json":
        rows = [
            {
                "id": e.id,
                "path": str(e.path),
                "title": e.scenario.title if e.scenario else None,
                "scenes": len(e.scenario.scenes) if e.scenario else None,
                "endings": len(e.scenario.endings) if e.scenario else None,
                "error": e.first_error or None,
            }
            for e in entries
        ]
        print(json_safe(json.dumps(rows, indent=2, ensure_ascii=False)))
        return 0
    if not entries:
        print("no scenarios found")
        return 0
    width = max(len(e.id) for e in entries)
    for e in entries:
        if e.scenario is None:
            print(f"{plain(e.id):<{width}}  BROKEN: {plain(e.first_error)}")
        else:
            s = e.scenario
            size = f"{plural(len(s.scenes), 'scene')}, {plural(len(s.endings), 'ending')}"
            print(f"{s.id:<{width}}  {plain(s.title)}  ({size})")
    return 0
