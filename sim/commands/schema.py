"""`leadsim schema`: print the JSON Schema of the scenario format, for editors."""

from __future__ import annotations

import argparse
import sys

from sim.format import schema

NAME = "schema"
HELP = "print the JSON Schema of scenario files (for editor completion and checking)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--path", action="store_true", help="print where the file is installed")


def run(args: argparse.Namespace) -> int:
    if args.path:
        print(schema.path())
    else:
        sys.stdout.write(schema.text())
    return 0
