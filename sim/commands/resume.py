"""`leadsim resume LOG`: continue an unfinished session where its log stops.

Also the offer `leadsim play --text` makes before the first scene when an unfinished session of
the same scenario exists (the TUI makes the same offer from :func:`sim.log.unfinished`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import attrs

from sim import engine, log
from sim.log import (
    DecisionRecord,
    EndRecord,
    LogError,
    LogFile,
    LogInfo,
    ReflectionRecord,
    RewindRecord,
    replay,
)
from sim.model import Scenario
from sim.safetext import plain
from sim.sessions.session import RewindNotAllowed, Session

NAME = "resume"
HELP = "continue an unfinished session from its log"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("log", metavar="LOG", type=Path, help="the session's log file")
    parser.add_argument("--text", action="store_true", help="plain text on stdin/stdout")
    parser.add_argument(
        "--scenario", type=Path, help="the scenario file (default: the recorded one)"
    )
    parser.add_argument("--dir", type=Path, action="append", default=[], help="scenario folder")


@attrs.frozen
class Resumed:
    """A session rebuilt from its log, ready to continue (attach a recorder with
    ``SessionLog.reopen(path, session, cut_line=..., newline_missing=...)``)."""

    session: Session
    log: LogFile
    notes: tuple[str, ...]
    missing_end: bool
    """The last decision reached an ending but the end line was never written (a crash)."""


def resume_session(path: Path, override: Path | None = None, dirs: Iterable[Path] = ()) -> Resumed:
    """Rebuild the session a log records by re-running its choices (rewinds, reflections and
    all) from the seed. Raises :class:`LogError` when it cannot be continued: damaged,
    finished, or a recorded choice the scenario no longer has."""
    logfile, header, records = replay.open_log(path)
    located = replay.find_scenario(header, path, override, dirs)
    session = Session(
        located.scenario,
        header.seed,
        mode="assessment" if header.mode == "assessment" else "practice",
        feedback=header.feedback,  # type: ignore[arg-type]
        trainee=header.trainee,
    )
    notes = list(located.notes)
    ended: EndRecord | None = None
    for record in records:
        if isinstance(record, DecisionRecord):
            _redo(path, session, record, notes)
        elif isinstance(record, ReflectionRecord):
            session.reflections[record.step] = record.answer
        elif isinstance(record, RewindRecord):
            try:
                session.rewind(record.to_step)
            except (RewindNotAllowed, engine.EngineError) as e:
                raise LogError(path, record.line, f"cannot redo this rewind: {e}") from None
            ended = None
        elif isinstance(record, EndRecord):
            ended = record
    if logfile.problem is not None:
        raise LogError(
            path,
            logfile.problem.line,
            f"{logfile.problem.message}; a damaged log is not resumed",
            f"`leadsim replay {path} --text` shows the part before the damage",
        )
    if ended is not None:
        raise LogError(
            path,
            ended.line,
            f"this session is finished (ending {ended.ending!r}); there is nothing to resume",
            f"replay it with `leadsim replay {path}`",
        )
    if logfile.cut_line is not None:
        notes.insert(
            0,
            f"The last line of the log (line {logfile.cut_line}) was cut off mid-write, probably "
            f"by a crash; resuming from the last complete line ({logfile.cut_line - 1}).",
        )
    return Resumed(session, logfile, tuple(notes), missing_end=session.over)


def _redo(path: Path, session: Session, rec: DecisionRecord, notes: list[str]) -> None:
    where = f"decision {rec.step} ({rec.scene}/{rec.choice})"
    if rec.step != session.step + 1 or session.state.scene != rec.scene:
        raise LogError(
            path,
            rec.line,
            f"cannot resume: at {where} the scenario now leads to "
            f"{session.state.scene!r} at step {session.step + 1}",
            "the scenario changed since this session; replay it instead",
        )
    try:
        session.choose(rec.choice)
    except engine.EngineError as e:
        raise LogError(
            path,
            rec.line,
            f"cannot resume: {e}",
            "the scenario changed since this session; replay it instead",
        ) from None
    now = engine.meters_by_name(session.scenario, session.state.meters)
    if not any(n.startswith("Meters differ") for n in notes):
        diff = replay.meter_difference(rec.after, now)
        if diff:
            notes.append(
                f"Meters differ from the log from {where} on ({diff}); "
                "continuing with what the scenario gives now."
            )


def continue_session(
    path: Path, override: Path | None = None, dirs: list[Path] | None = None
) -> tuple[Session, tuple[str, ...]]:
    """The session a log records, rebuilt and appending to the same log again, with the notes
    a trainer should see (a cut-off last line, a changed scenario). Raises :class:`LogError`."""
    resumed = resume_session(path, override, dirs or [])
    session = resumed.session
    session.recorder = log.SessionLog.reopen(
        path,
        session,
        cut_line=resumed.log.cut_line,
        newline_missing=resumed.log.newline_missing,
    )
    notes = resumed.notes
    if resumed.missing_end:
        session.recorder.finished(session)
        notes += ("The session had reached its ending; its closing line is now written.",)
    return session, notes


def run(args: argparse.Namespace) -> int:
    try:
        session, notes = continue_session(args.log, args.scenario, args.dir)
    except LogError as e:
        print(plain(e.format()), file=sys.stderr)
        return 1
    if args.text:
        from sim.text import play as textplay

        for note in notes:
            print(plain(note))
        print(f"Resuming {args.log} at decision {session.step + 1}.")
        return textplay.play(session, sys.stdin, sys.stdout)
    for note in notes:
        print(plain(note), file=sys.stderr)
    try:
        from sim.tui.app import run_app
    except ImportError:
        print(
            f"the full-screen simulator is not built yet; resume in plain text with "
            f"`leadsim resume {args.log} --text`",
            file=sys.stderr,
        )
        return 1
    return int(run_app(args, None, session=session))


# --- the offer `leadsim play --text` makes -------------------------------------------------


def describe_unfinished(info: LogInfo) -> str:
    """'started 2025-03-01 09:12 UTC, stopped before decision 3, trainee Ana'."""
    h = info.header
    assert h is not None
    when = h.started[:16].replace("T", " ")
    who = f", trainee {plain(h.trainee)}" if h.trainee else ""
    return f"started {when} UTC, stopped before decision {info.step + 1}{who}"


def offer_text(
    args: argparse.Namespace, scenario: Scenario, stdin: TextIO, stdout: TextIO
) -> Session | None:
    """Before a new text-mode session: offer the newest unfinished session of the same
    scenario (same trainee, mode, and seed if one was given) and return it resumed, or None
    to start afresh.

    Only a person at a terminal is asked: piped input holds a script's answers to the
    scenario, and a question before the first scene would swallow one (scripts resume with
    `leadsim resume LOG`). ``--log FILE`` asks for a new log, so it skips the offer too."""
    target = getattr(args, "log", None)
    if not stdin.isatty() or (target is not None and log.names_a_file(Path(target))):
        return None
    found = log.unfinished(
        scenario.id,
        folder=Path(target) if target is not None else None,
        trainee=getattr(args, "name", None),
        seed=getattr(args, "seed", None),
        mode="assessment" if getattr(args, "assessment", False) else "practice",
    )
    if not found:
        return None
    newest = found[0]
    others = f" (and {len(found) - 1} older; `leadsim sessions` lists them)" if found[1:] else ""
    stdout.write(
        f"You have an unfinished session of this scenario: {describe_unfinished(newest)}"
        f"{others}.\nResume it? [y/N] "
    )
    stdout.flush()
    line = stdin.readline()
    if line.strip().lower() not in ("y", "yes"):
        return None
    try:
        session, notes = continue_session(newest.path, Path(scenario.path), args.dir)
    except LogError as e:
        stdout.write(f"{plain(e.format())}\nStarting a new session instead.\n")
        return None
    for note in notes:
        stdout.write(plain(note) + "\n")
    stdout.write(f"Resuming {newest.path} at decision {session.step + 1}.\n")
    return session
