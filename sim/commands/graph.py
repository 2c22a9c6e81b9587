"""`leadsim graph`: draw a scenario's scene graph as Mermaid or Graphviz DOT."""

from __future__ import annotations

import argparse
import sys

from sim.analysis import graph
from sim.format import library, loader

NAME = "graph"
HELP = "print the scene graph as Mermaid or Graphviz DOT (colours and labels show style)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="a .yaml file or a shipped id")
    parser.add_argument(
        "--format",
        choices=("mermaid", "dot"),
        default="mermaid",
        help="mermaid (paste into Markdown) or dot (`| dot -Tsvg > graph.svg`)",
    )


def run(args: argparse.Namespace) -> int:
    scenario = loader.load(library.resolve(args.scenario))  # cli.main reports a ScenarioError
    render = graph.mermaid if args.format == "mermaid" else graph.dot
    sys.stdout.write(render(scenario))
    return 0
