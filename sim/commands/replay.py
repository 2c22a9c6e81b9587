"""`leadsim replay LOG`: step through a logged session, print it, or verify it.

Without options it opens the replay screen; ``--text`` prints a transcript (streamed, so any
length of log prints in constant memory); ``--verify`` re-runs every named log, or every log
in named folders, against its scenario as it is now (or ``--against FILE``) and exits 1 if any
has diverged: old sessions as regression tests for a scenario.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from sim import prose
from sim.commands.args import add_logs
from sim.engine import State
from sim.log import (
    SUFFIX,
    EndRecord,
    LogError,
    ReflectionRecord,
    ResumeRecord,
    RewindRecord,
    replay,
    screen,
    signing,
)
from sim.model import CONTINUE, Scenario
from sim.safetext import one_line, plain
from sim.text.play import style_word

Say = Callable[[str], object]

NAME = "replay"
HELP = "step through a logged session; --text prints it, --verify re-checks it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_logs(parser)
    parser.add_argument("--text", action="store_true", help="print a transcript")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="re-run the engine; exit 1 where the scenario now disagrees with a log",
    )
    parser.add_argument(
        "--scenario",
        "--against",
        dest="scenario",
        type=Path,
        metavar="FILE",
        help="the scenario to replay against (default: the recorded file, else the shipped id)",
    )
    parser.add_argument("--dir", type=Path, action="append", default=[], help="scenario folder")
    parser.add_argument(
        "--key",
        type=Path,
        metavar="FILE",
        help="with --verify: check the logs' signatures with this key file (signed logs)",
    )


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders as every ``*.jsonl`` under them, in name (= time) order."""
    out: list[Path] = []
    for path in paths:
        out.extend(sorted(path.rglob(f"*{SUFFIX}")) if path.is_dir() else [path])
    return out


def run(args: argparse.Namespace) -> int:
    logs = expand(args.logs)
    if not logs:
        where = ", ".join(map(one_line, args.logs))
        print(f"error: no session logs found in {where}", file=sys.stderr)
        return 1
    if args.verify:
        key = None
        if args.key is not None:
            try:
                key = signing.read_key(args.key)
            except signing.KeyProblem as e:
                print(f"error: {one_line(str(e))}", file=sys.stderr)
                return 1
        return verify_all(logs, args.scenario, args.dir, sys.stdout, key)
    if args.key is not None:
        print("error: --key checks signatures, so it goes with --verify", file=sys.stderr)
        return 1
    if args.text or len(logs) > 1:
        worst = 0
        for i, path in enumerate(logs):
            if i:
                print()
            worst = max(worst, transcript(path, sys.stdout, args.scenario, args.dir))
        return worst
    try:
        recorded = screen.collect(logs[0], args.scenario, args.dir)
    except LogError as e:
        print(plain(e.format()), file=sys.stderr)
        return 1
    from sim.tui.replay_app import run_replay

    return run_replay(recorded)


# --- verify -----------------------------------------------------------------------------


def verify_all(
    logs: list[Path],
    against: Path | None,
    dirs: list[Path],
    out: TextIO,
    key: bytes | None = None,
) -> int:
    agree = diverge = unreadable = unsigned = 0
    for path in logs:
        verdict = replay.verify(path, against, dirs, key)
        if verdict.signatures:
            unsigned += 1
            out.write(f"SIGNATURE {one_line(path)}\n")
            for p in verdict.signatures:
                out.write(f"  {one_line(path)}:{p.line}: {one_line(p.message)}\n")
        if verdict.problem is None and not verdict.divergences:
            agree += 1
            ending = f", ending {one_line(repr(verdict.ended))}" if verdict.ended else ""
            ending = ending or ", unfinished"
            signed = "signed, " if key is not None else ""
            if not verdict.signatures:
                out.write(
                    f"ok        {one_line(path)} ({signed}{verdict.decisions} decisions{ending})\n"
                )
        elif verdict.divergences:
            diverge += 1
            out.write(f"DIVERGES  {one_line(path)}\n")
            for d in verdict.divergences:
                more = verdict.counts.get(d.kind, 1) - 1
                extra = f" (and {more} more like it)" if more else ""
                out.write(f"  {one_line(path)}:{d.line}: {one_line(d.message)}{extra}\n")
        if verdict.problem is not None:
            unreadable += 1
            print(plain(verdict.problem.format()), file=sys.stderr)
        for note in verdict.notes:
            out.write(f"  note: {plain(note)}\n")
    signed = f", {unsigned} with signature problems" if key is not None else ""
    out.write(
        f"{len(logs)} session(s) checked: {agree} agree with the scenario as it is now, "
        f"{diverge} diverge, {unreadable} could not be read to the end{signed}\n"
    )
    return 1 if diverge or unreadable or unsigned else 0


# --- transcript -------------------------------------------------------------------------


def indent(text: str, by: str = "  ") -> str:
    return "\n".join(by + line for line in plain(text).rstrip().splitlines())


def transcript(path: Path, out: TextIO, override: Path | None, dirs: list[Path]) -> int:
    """Print a log as a readable transcript; 1 if the log is damaged or unreadable."""
    try:
        log, header, records = replay.open_log(path)
        located = replay.find_scenario(header, path, override, dirs)
    except LogError as e:
        print(plain(e.format()), file=sys.stderr)
        return 1
    sc = located.scenario
    say = out.write
    title = plain(header.title)
    say(f"{title}\n{'=' * len(title)}\n")
    say(f"Session log {one_line(path)}\n")
    who = f"; trainee {plain(header.trainee)}" if header.trainee else ""
    say(
        f"Scenario {plain(header.scenario)} version {plain(header.version)}; seed {header.seed}; "
        f"{plain(header.mode)}, feedback {plain(header.feedback)}{who}\n"
    )
    say(f"Started {plain(header.started)} with leadsim {plain(header.app)}\n")
    for note in located.notes:
        say(f"Note: {plain(note)}\n")
    walker = replay.Walker(located, header, path, log.rewind_targets())
    problem = None
    try:
        for record in records:
            step = walker.feed(record)
            if step is not None:
                _step(sc, step, say, header.trainee)
            elif isinstance(record, ReflectionRecord):
                say(f"  Reflection: {plain(record.answer)}\n")
            elif isinstance(record, RewindRecord):
                say(f"\n[Rewound to just after decision {record.to_step}]\n")
            elif isinstance(record, ResumeRecord):
                say(f"\n[Resumed {plain(record.at)} with leadsim {plain(record.app)}]\n")
            elif isinstance(record, EndRecord):
                _end(sc, record, say, walker.state if walker.following else None)
    except LogError as e:
        problem = e
    problem = problem or log.problem
    if walker.ended is None:
        say(f"\n(Unfinished: the log stops after decision {walker.step}.)\n")
    if log.cut_line is not None:
        say(f"(The last line, line {log.cut_line}, was cut off mid-write, probably by a crash.)\n")
    if walker.divergences:
        say("\nWhere the scenario as it is now disagrees with this log:\n")
        for d in walker.divergences:
            say(f"  {one_line(path)}:{d.line}: {one_line(d.message)}\n")
    if problem is not None:
        out.flush()
        print(plain(problem.format()), file=sys.stderr)
        return 1
    return 0


def _step(sc: Scenario, step: replay.Step, say: Say, trainee: str | None) -> None:
    rec = step.record
    scene = sc.scenes.get(rec.scene)
    say(f"\nDecision {rec.step} - {plain(rec.scene)}\n")
    if scene is not None:
        if scene.speaker:
            say(f"  {plain(scene.speaker)}:\n")
        say(indent(prose.say(sc, step.before, scene.text, trainee)) + "\n")
    else:
        say(f"  (scene {plain(rec.scene)!r} is no longer in the scenario)\n")
    if rec.choice == CONTINUE:  # a narration scene: read and left
        say("  > (read on)\n")
    for shown in screen.offered(sc, step, trainee) if rec.choice != CONTINUE else ():
        mark = ">" if shown.chosen else "-"
        note = f"  [{style_word(shown.style)}, chosen]" if shown.chosen else ""
        locked = f" (locked: {plain(shown.reason or '')})" if not shown.available else ""
        say(f"  {mark} {plain(shown.text)}{locked}{note}\n")
    choice = scene.choice(rec.choice) if scene is not None else None
    story = prose.say(sc, step.after, choice.outcome, trainee) if choice else ""
    if story:
        say(indent(story) + "\n")
    say(f"  Meters: {screen.meter_changes(sc, rec.before, rec.after)}  ({rec.elapsed:.1f} s)\n")
    if rec.flags_set or rec.flags_cleared:
        flags = [*(f"+{f}" for f in rec.flags_set), *(f"-{f}" for f in rec.flags_cleared)]
        say(f"  Flags: {plain(' '.join(flags))}\n")


def _end(sc: Scenario, rec: EndRecord, say: Say, state: State | None) -> None:
    ending = sc.endings.get(rec.ending)
    title = plain(ending.title) if ending is not None else plain(rec.ending)
    say(f"\n=== Ending: {title} ({plain(rec.ending)}) ===\n")
    if ending is not None:
        say(indent(prose.say(sc, state, ending.text)) + "\n")
    say(f"Final meters: {screen.meter_values(sc, rec.meters)}\n")
    t = rec.tally
    say(
        f"Decisions: {t.get('manager', 0)} manager, {t.get('leader', 0)} leader, "
        f"{t.get('neutral', 0)} neutral\n"
    )
