"""`leadsim report [PATH...] [--lrs URL]`: what a cohort did, from a folder of session logs
or from a learning record store the sessions were synced to (docs/lrs.md).

Indexes the logs (incrementally, in ``$LEADSIM_HOME/report.sqlite3``), then prints summary
tables, CSV or JSON rows, and/or writes one self-contained HTML file. Exit codes: 0 a report
was made (damaged logs are listed, their intact part counted), 1 nothing to read, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.report.index import Index

NAME = "report"
HELP = "summarize a cohort's sessions: endings, choices, reflections, times, style balance"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        metavar="PATH",
        type=Path,
        nargs="*",
        help="log files or folders of logs (default: $LEADSIM_HOME/sessions)",
    )
    parser.add_argument("--scenario", metavar="ID", help="only sessions of this scenario")
    parser.add_argument("--trainee", metavar="NAME", help="only this trainee's sessions")
    parser.add_argument("--since", metavar="DATE", help="sessions started on or after (UTC)")
    parser.add_argument(
        "--until", metavar="DATE", help="sessions started up to (a date: that day included)"
    )
    parser.add_argument("--mode", choices=("practice", "assessment"), help="only this mode")
    parser.add_argument(
        "--include-watch", action="store_true", help="count the author's --watch runs too"
    )
    parser.add_argument(
        "--anonymize",
        action="store_true",
        help="stable pseudonyms for trainee names and log paths in every output",
    )
    parser.add_argument(
        "--format", choices=("text", "csv", "json"), default="text", help="what to print"
    )
    parser.add_argument(
        "--rows",
        choices=("sessions", "decisions"),
        default="sessions",
        help="csv/json: one row per session (default) or per decision",
    )
    parser.add_argument("--html", metavar="FILE", type=Path, help="also write an HTML report")
    parser.add_argument(
        "--dir", type=Path, action="append", default=[], help="a folder of scenarios (labels)"
    )
    parser.add_argument(
        "--lrs",
        metavar="URL",
        help="read the sessions from a learning record store instead (docs/lrs.md; "
        "credentials from LEADSIM_LRS_USER/PASSWORD or the config file); with PATHs, both",
    )
    parser.add_argument(
        "--index",
        metavar="FILE",
        type=Path,
        help="the index file (default: $LEADSIM_HOME/report.sqlite3); ':memory:' keeps none",
    )


def _bounds(args: argparse.Namespace) -> tuple[str | None, str | None] | str:
    from sim.report.rows import time_bound

    try:
        since = time_bound(args.since) if args.since else None
    except ValueError:
        return f"--since {args.since!r} is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
    try:
        until = time_bound(args.until, end=True) if args.until else None
    except ValueError:
        return f"--until {args.until!r} is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
    return since, until


def run(args: argparse.Namespace) -> int:
    from sim.collector import paused

    # The cycle collector stays off for the whole command, not just while indexing and
    # building: else its first pass afterwards walks the whole cohort once more for nothing
    # (a tenth of a second). It is back on once the cohort is freed.
    with paused():
        return _report(args)


def _report(args: argparse.Namespace) -> int:
    from sim import log
    from sim.report import cohort as cohort_mod
    from sim.report import text
    from sim.report.index import Index
    from sim.report.rows import Filters
    from sim.report.walk import Scenarios
    from sim.safetext import plain

    bounds = _bounds(args)
    if isinstance(bounds, str):
        print(f"error: {bounds}", file=sys.stderr)
        return 2
    paths = list(args.paths) or ([] if args.lrs else [log.sessions_dir()])
    scenarios = Scenarios(args.dir)
    if args.index is not None:
        index = Index(None if str(args.index) == ":memory:" else args.index, scenarios)
    else:
        index = Index.default(scenarios)
    if index.note:
        print(f"warning: {plain(index.note)}", file=sys.stderr)
    scan = index.update(paths)
    for missing in scan.missing:
        print(f"{plain(missing)}: error: no such file or folder", file=sys.stderr)
    for folder in paths:
        if folder.is_dir():
            index.forget_missing(folder, scan.sources)
    sources = list(scan.sources)
    if args.lrs:
        found = _from_lrs(args.lrs, index)
        if found is None:
            return 1
        sources += found
    if not sources:
        where = ", ".join(plain(str(p)) for p in paths) or plain(args.lrs)
        print(f"No session logs in {where}.", file=sys.stderr)
        return 1
    pseudonyms = None
    if args.anonymize:
        from sim.report.privacy import Pseudonyms, load_key

        key, note = load_key()
        if note:
            print(f"warning: {plain(note)}", file=sys.stderr)
        pseudonyms = Pseudonyms(key)
    filters = Filters(
        args.scenario, args.trainee, bounds[0], bounds[1], args.mode, args.include_watch
    )
    cohort = cohort_mod.build(index, sources, filters, pseudonyms=pseudonyms, dirs=args.dir)
    index.close()
    if args.html is not None:
        from sim.report.html import render

        try:
            args.html.write_text(render(cohort), encoding="utf-8")
        except OSError as e:
            print(
                f"{plain(str(args.html))}: error: cannot write ({log.describe(e)})", file=sys.stderr
            )
            return 1
        print(f"wrote {plain(str(args.html))}", file=sys.stderr)
    if args.format == "text":
        if args.html is None or cohort.scenarios:
            print(text.report_text(cohort))
    else:
        rows = text.session_rows(cohort) if args.rows == "sessions" else text.decision_rows(cohort)
        print(text.as_csv(rows) if args.format == "csv" else text.as_json(rows), end="")
        if args.format == "json":
            print()
    return 0


def _from_lrs(url: str, index: Index) -> list[str] | None:
    """Index the sessions an LRS holds (rebuilt from their statements, sim.xapi.readback) as
    one more source; their source ids, or None after printing why it could not read them."""
    from sim.report.walk import Given
    from sim.safetext import plain
    from sim.xapi import config
    from sim.xapi.client import LrsError
    from sim.xapi.readback import read_sessions

    try:
        connection = config.load(url).connection
        assert connection is not None  # a URL was given
        sessions = read_sessions(connection)
    except (config.ConfigError, LrsError) as e:
        print(f"error: {plain(str(e))}", file=sys.stderr)
        return None
    for s in sessions:
        index.add(Given(s.source, s.header, s.records, s.problem))
    return [s.source for s in sessions]
