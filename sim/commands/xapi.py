"""`leadsim xapi LOG...`: print sessions as xAPI statements (NDJSON, or a JSON array).

What each statement holds is in docs/lrs.md; the activity base and the actor's account home
page (or mbox domain) come from the config file (:mod:`sim.xapi.config`). Nothing is sent:
`leadsim sync` does that.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sim.commands.args import add_logs

NAME = "xapi"
HELP = "print sessions as xAPI statements (one JSON object per line, or --array)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_logs(parser)
    parser.add_argument("--array", action="store_true", help="print one JSON array")
    parser.add_argument("--dir", type=Path, action="append", default=[], help="scenario folder")


def run(args: argparse.Namespace) -> int:
    from sim.log import LogError
    from sim.safetext import plain
    from sim.xapi import config
    from sim.xapi.statements import convert
    from sim.xapi.sync import expand

    try:
        options = config.load().options
    except config.ConfigError as e:
        print(f"error: {plain(str(e))}", file=sys.stderr)
        return 1
    status = 0
    first = True
    if args.array:
        sys.stdout.write("[")
    for path in expand(args.logs):
        try:
            converted = convert(path, options, args.dir)
        except LogError as e:
            print(plain(e.format()), file=sys.stderr)
            status = 1
            continue
        for note in converted.notes:
            print(f"{plain(str(path))}: note: {plain(note)}", file=sys.stderr)
        if converted.problem is not None:
            print(plain(converted.problem.format()), file=sys.stderr)
            status = 1
        for statement in converted.statements:
            text = json.dumps(statement, ensure_ascii=False, separators=(",", ":"))
            if args.array:
                sys.stdout.write(("\n" if first else ",\n") + text)
            else:
                sys.stdout.write(text + "\n")
            first = False
    if args.array:
        sys.stdout.write("\n]\n" if not first else "]\n")
    return status
