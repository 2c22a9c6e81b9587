"""`leadsim validate`: check scenario files and report every problem with its place.

The deep analysis (:mod:`sim.analysis.lint`) runs with or without ``--strict``: the output
lists every warning and the errors only it finds (softlocks, loops with no way out), and
``--strict`` changes only whether the warnings fail the run, not what is printed. Skipping it
without ``--strict`` would hide exactly the problems a trainer runs ``validate`` to see."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sim.analysis import lint
from sim.analysis.explore import DEFAULT_LIMIT
from sim.format import library, loader
from sim.format.diagnostics import MAX_DIAGNOSTICS, Diagnostic, bounded
from sim.safetext import json_safe, plain

NAME = "validate"
HELP = "check scenario files: every problem as path:line:column: severity: message"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--strict", action="store_true", help="warnings also fail (exit 1)")
    parser.add_argument(
        "--show-allowed",
        action="store_true",
        help="also list the warnings the files silence with 'allow:' (they never fail)",
    )
    parser.add_argument(
        "--max-states",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"explore at most N states per file (default {DEFAULT_LIMIT:,})",
    )


def files_of(paths: list[str]) -> list[Path]:
    """Files named directly, plus the scenario files inside named folders."""
    out: list[Path] = []
    for name in paths:
        path = Path(name)
        out.extend(library.scenario_files(path) if path.is_dir() else [path])
    return out


def empty_folders(paths: list[str]) -> list[Diagnostic]:
    """An error for each named folder without a scenario file: checking nothing is not a
    pass (a typo in a CI job's folder would otherwise go green for ever)."""
    return [
        Diagnostic(
            "LS001",
            "error",
            "this folder holds no scenario files (*.yaml or *.yml)",
            "name a folder of scenarios, or the files themselves",
            name,
        )
        for name in paths
        if Path(name).is_dir() and not library.scenario_files(Path(name))
    ]


def diagnose(
    path: Path, limit: int = DEFAULT_LIMIT, allowed: list[Diagnostic] | None = None
) -> list[Diagnostic]:
    """Load errors, and, for a file that loads, what the deeper analysis finds (at most
    :data:`MAX_DIAGNOSTICS`, then a note of how many more; the warnings the file allows go
    to ``allowed``, when given)."""
    scenario, diags = loader.check(path)
    if scenario is None:
        return diags
    found = diags + lint.lint(scenario, limit=limit, allowed=allowed)
    return found if len(found) <= MAX_DIAGNOSTICS else bounded(found, str(path))


def allowed_line(d: Diagnostic) -> str:
    return f"{d.path}:{d.line}:{d.column}: allowed: {d.message} [{d.code}]"


def run(args: argparse.Namespace) -> int:
    files = files_of(args.paths)
    found: list[Diagnostic] = empty_folders(args.paths)
    allowed: list[Diagnostic] = []
    for path in files:
        found.extend(diagnose(path, max(1, args.max_states), allowed))
    errors = sum(d.severity == "error" for d in found)
    warnings = sum(d.severity == "warning" for d in found)
    notes = len(found) - errors - warnings
    if args.format == "json":
        report = {
            "files": [str(p) for p in files],
            "errors": errors,
            "warnings": warnings,
            "notes": notes,
            "diagnostics": [d.to_json() for d in found],
        }
        if args.show_allowed:
            report["allowed"] = [d.to_json() for d in allowed]
        print(json_safe(json.dumps(report, indent=2, ensure_ascii=False)))
    else:
        for d in found:
            print(plain(d.format()))
        for d in allowed if args.show_allowed else ():
            print(plain(allowed_line(d)))
        silenced = f", {len(allowed)} allowed" if allowed else ""
        print(
            f"checked {len(files)} file{'s' * (len(files) != 1)}: "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
            + (f", {notes} note{'s' * (notes != 1)}" if notes else "")
            + silenced,
            file=sys.stderr,
        )
    return 1 if errors or (args.strict and warnings) else 0
