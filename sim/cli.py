"""The `leadsim` command: parses arguments and hands over to one command module.

Each subcommand lives in ``sim/commands/<name>.py`` and exposes ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. Command modules import heavy libraries
(Textual) inside ``run`` so ``leadsim validate`` and ``--help`` start fast.

Exit codes: 0 success, 1 a problem with the input (a broken scenario, a failed check),
2 a usage error (argparse's own convention).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from sim import __version__

COMMANDS = (
    "sim.commands.play",
    "sim.commands.list",
    "sim.commands.validate",
    "sim.commands.traits",
    "sim.commands.new",
    "sim.commands.schema",
    "sim.commands.check",
    "sim.commands.graph",
    "sim.commands.resume",
    "sim.commands.replay",
    "sim.commands.sessions",
)


def _modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in COMMANDS]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadsim",
        description="Practise managing and leading in branching workplace scenarios. "
        "Run without a command to open the simulator.",
    )
    parser.add_argument("--version", action="version", version=f"leadsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _modules():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from sim.commands import play

        return play.open_library(args)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
