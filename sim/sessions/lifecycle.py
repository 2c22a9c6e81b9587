"""Start, resume and offer sessions: the one place every shell goes through.

The text player, the simulator and the commands all start a session with :func:`make_session`
(so every session is seeded, moded and logged the same way), continue one with
:func:`continue_session`, and find what to offer with :func:`unfinished_for`. The
:class:`~sim.sessions.session.Session` class itself (the stateful wrapper around the engine)
lives in :mod:`sim.sessions.session`; this module is the service around it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from sim import engine
from sim.model import FEEDBACK_MODES, Scenario
from sim.places import may_hold_logs
from sim.reprs import shared_repr
from sim.safetext import plain
from sim.sessions.later import LogLater
from sim.sessions.request import Request
from sim.sessions.session import RewindNotAllowed, Session

if TYPE_CHECKING:
    from sim.log import DecisionRecord, LogFile, LogInfo
    from sim.sessions.autosync import SyncingLog

# The log package (sim.log: its record classes, the writer, signing) is imported by the
# functions that read or write a log, not here: the simulator shows a new session's first
# scene before it creates the log (sim/sessions/later.py), and when the sessions folder holds
# no log it has nothing to offer for resuming either, so its first scene needs no sim.log.


def new_seed() -> int:
    """A fresh seed for a session that did not ask for one; it is shown and logged."""
    return secrets.randbelow(2**31)


def make_session(
    scenario: Scenario, request: Request = Request(), *, log_later: bool = False
) -> Session:
    """A new session for ``scenario`` as ``request`` asks.

    Every session is logged: ``begin()`` creates the log (``request.log``, else
    ``$LEADSIM_HOME/sessions``), or with ``log_later`` the recorder's ``open()`` does, or the
    first event to record (:class:`~sim.sessions.later.LogLater`: the simulator shows the
    first scene first). If logging fails, the :class:`sim.log.SessionLog` recorder warns
    through its ``warn`` callback (stderr by default; the TUI may replace it) and the session
    goes on unrecorded."""

    def log() -> SyncingLog:
        from sim.sessions.autosync import SyncingLog

        return SyncingLog(request.log, watch=request.watch)

    return Session(
        scenario,
        request.seed if request.seed is not None else new_seed(),
        mode="assessment" if request.assessment else "practice",
        feedback=request.feedback,  # type: ignore[arg-type]
        trainee=request.trainee,
        recorder=LogLater(log) if log_later else log(),
    )


@attrs.frozen
@shared_repr
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
    from sim.log import (
        AbandonedRecord,
        DecisionRecord,
        EndRecord,
        LogError,
        NarrationRecord,
        ReflectionRecord,
        RewindRecord,
        replay,
    )

    logfile, header, records = replay.open_log(path)
    if header.mode not in replay.MODES or header.feedback not in FEEDBACK_MODES:
        raise LogError(
            path,
            1,
            f"the header's mode {header.mode!r} or feedback mode {header.feedback!r} is not one "
            "leadsim plays; the log is not resumed",
            f"`leadsim replay --verify {path}` says more",
        )
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
        if isinstance(record, NarrationRecord):
            _redo(path, session, record.as_decision(), notes)
        elif isinstance(record, DecisionRecord):
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
        elif isinstance(record, AbandonedRecord):
            raise LogError(
                path,
                record.line,
                "this assessment attempt was abandoned; it counts as such and is not resumed",
                f"replay it with `leadsim replay {path}`",
            )
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
    from sim.log import LogError, replay

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
    path: Path, override: Path | None = None, dirs: Iterable[Path] = ()
) -> tuple[Session, tuple[str, ...]]:
    """The session a log records, rebuilt and appending to the same log again, with the notes
    a trainer should see (a cut-off last line, a changed scenario). Raises :class:`LogError`."""
    from sim.sessions.autosync import SyncingLog

    recorder = SyncingLog.claim(path)  # before reading: no one appends in between
    try:
        resumed = resume_session(path, override, dirs)
    except BaseException:
        recorder.close()
        raise
    session = resumed.session
    recorder.resume(
        session, cut_line=resumed.log.cut_line, newline_missing=resumed.log.newline_missing
    )
    session.recorder = recorder
    notes = resumed.notes
    if resumed.missing_end:
        session.recorder.finished(session)
        notes += ("The session had reached its ending; its closing line is now written.",)
    return session, notes


# --- what to offer before a new session ---------------------------------------------------


def unfinished_for(scenario: Scenario, request: Request) -> list[LogInfo]:
    """The unfinished sessions of ``scenario`` a new session as ``request`` asks could resume
    instead (same trainee, mode, and seed if one was given), newest first; a session with no
    decision yet, or an abandoned assessment, is never among them (the shells offer only the
    newest). A request for a new
    log file (``--log FILE``) resumes nothing; an unreadable folder offers nothing."""
    target = request.log
    if target is None and not may_hold_logs():
        return []  # a first session: nothing to offer, and no log package to import
    from sim.log import names_a_file, unfinished

    if target is not None and names_a_file(Path(target)):
        return []
    try:
        return unfinished(
            scenario.id,
            folder=Path(target) if target is not None else None,
            trainee=request.trainee,
            seed=request.seed,
            mode=request.mode,
        )
    except OSError:
        return []


def describe_unfinished(info: LogInfo) -> str:
    """'started 2025-03-01 09:12 UTC, stopped before decision 3, trainee Ana'."""
    h = info.header
    assert h is not None
    when = plain(h.started[:16].replace("T", " "))
    who = f", trainee {plain(h.trainee)}" if h.trainee else ""
    return f"started {when} UTC, stopped before decision {info.step + 1}{who}"
