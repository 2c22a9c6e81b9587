"""`leadsim new`: write a small, valid, commented starter scenario to edit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.format import starter
from sim.format.keys import SCENARIO_ID, SCENARIO_RULE

NAME = "new"
HELP = "write a commented starter scenario ID.yaml (never overwrites a file)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the new scenario's id, e.g. first-day")
    parser.add_argument("--out", type=Path, help="where to write it (default: ./ID.yaml)")


def run(args: argparse.Namespace) -> int:
    if not SCENARIO_ID.match(args.id):
        print(
            f"leadsim new: {args.id!r} is not a valid scenario id; {SCENARIO_RULE}", file=sys.stderr
        )
        return 2
    out: Path = args.out or Path(f"{args.id}.yaml")
    if out.is_dir():
        out = out / f"{args.id}.yaml"
    try:
        with out.open("x", encoding="utf-8") as f:  # "x": refuse to overwrite, atomically
            f.write(starter.text(args.id))
    except FileExistsError:
        print(f"leadsim new: {out} already exists; choose another --out or id", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"leadsim new: cannot write {out} ({e.strerror or e})", file=sys.stderr)
        return 1
    print(f"wrote {out}; check it with `leadsim validate {out}`, play it with `leadsim play {out}`")
    return 0
