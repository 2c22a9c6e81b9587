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
from pathlib import Path
from types import ModuleType

# name -> module, in the order `leadsim --help` lists them. Only the module of the command
# being run is imported (every module costs start-up time the simulator should not pay).
COMMANDS = {
    "play": "sim.commands.play",
    "list": "sim.commands.list",
    "validate": "sim.commands.validate",
    "traits": "sim.commands.traits",
    "new": "sim.commands.new",
    "schema": "sim.commands.schema",
    "check": "sim.commands.check",
    "graph": "sim.commands.graph",
    "resume": "sim.commands.resume",
    "replay": "sim.commands.replay",
    "sessions": "sim.commands.sessions",
    "xapi": "sim.commands.xapi",
    "sync": "sim.commands.sync",
    "report": "sim.commands.report",
    "serve": "sim.commands.serve",
}


class _Version(argparse.Action):
    """``--version``, looking the version up only when asked (it costs ~35 ms)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from sim import __version__

        print(f"leadsim {__version__}")
        parser.exit()


def _wanted(argv: Sequence[str]) -> list[str]:
    """The command modules this command line needs: the one it names, or all of them when
    it names none (help, a typo), so argparse can list them."""
    first = next((a for a in argv if not a.startswith("-")), None)
    if first is None:
        # `leadsim` alone opens the simulator, `--version` answers before any command is
        # parsed, and `leadsim --name=Ana --log=DIR` (the library, as `serve` starts it):
        # none needs a command module. Anything else (help, a typo) lists them all.
        library_only = all(a.startswith("--") and "=" in a for a in argv)
        if not argv or "--version" in argv or library_only:
            return []
        return list(COMMANDS.values())
    return [COMMANDS[first]] if first in COMMANDS else list(COMMANDS.values())


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadsim",
        description="Practise managing and leading in branching workplace scenarios. "
        "Run without a command to open the simulator.",
    )
    parser.add_argument("--version", action=_Version)
    # For the library (no command): `leadsim serve` starts it this way for each trainee.
    parser.add_argument("--name", help="the trainee's name, kept in the session logs")
    parser.add_argument("--log", type=Path, metavar="DIR", help="folder for session logs")
    parser.add_argument("--dir", type=Path, action="append", default=[], help="scenario folder")
    parser.add_argument("--assessment", action="store_true", help="no rewinding; recorded")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = list(COMMANDS.values()) if argv is None else _wanted(argv)
    modules: list[ModuleType] = [importlib.import_module(name) for name in names]
    for module in modules:
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    from sim.format.diagnostics import ScenarioError

    try:
        if args.command is None:
            from sim.commands import play

            return play.open_library(args)
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except ScenarioError as e:
        # A command that could not find or load its scenario: its diagnostics, no traceback.
        from sim.safetext import plain

        for d in e.diagnostics:
            print(plain(d.format()), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
