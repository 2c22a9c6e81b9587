"""Arguments several subcommands share, defined once so their names and help agree."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_logs(parser: argparse.ArgumentParser) -> None:
    """``LOG...``: one or more session logs, a folder meaning every log in it."""
    parser.add_argument(
        "logs",
        metavar="LOG",
        type=Path,
        nargs="+",
        help="session log(s); a folder means every log in it",
    )
