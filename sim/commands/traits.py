"""`leadsim traits`: the manager/leader pair ids a choice can tag."""

from __future__ import annotations

import argparse

from sim.traits import TRAITS

NAME = "traits"
HELP = "list the nineteen manager/leader trait pairs and their ids"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    width = max(len(t.id) for t in TRAITS)
    for t in TRAITS:
        print(f"{t.id:<{width}}  manager: {t.manager:<32}  leader: {t.leader}")
    return 0
