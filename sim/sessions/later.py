"""A new session's log, created once the simulator has painted its first scene.

Creating a log (a folder made if missing, a new file, its lock, the header, two fsyncs) is
work the first scene need not wait for. :class:`LogLater` stands in for the session's
:class:`~sim.log.SessionLog` until :meth:`LogLater.open` creates it, which the simulator calls
right after its first paint; any event to record (a decision, a reflection, a rewind, leaving)
opens it first if that has not happened yet. So the log's header is always its first line, the
one-writer lock is taken before anything is recorded, every decision is written (and flushed)
in the order it was made, and none is ever lost for arriving early. A log that cannot be
created warns through :attr:`warn` exactly as an eagerly created one does, only a moment later.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.engine import Decision, State
    from sim.log import SessionLog
    from sim.sessions.session import Session


class LogLater:
    """The :class:`~sim.sessions.session.Recorder` of a new session whose log ``create()``
    makes when :meth:`open` is first called (directly, or by the first event to record)."""

    def __init__(self, create: Callable[[], SessionLog]) -> None:
        self._create = create
        self._log: SessionLog | None = None
        self._session: Session | None = None
        self._warn: Callable[[str], None] | None = None

    # -- the log, now or later --

    @property
    def opened(self) -> bool:
        return self._log is not None

    def open(self) -> SessionLog:
        """The session's log, created now if it was not yet (and its header written, once
        the session has begun)."""
        if self._log is None:
            log = self._create()
            if self._warn is not None:
                log.warn = self._warn
            self._log = log
            if self._session is not None:
                log.started(self._session)
        return self._log

    @property
    def path(self) -> Path | None:
        """The log's file; None until it is created (or if it could not be)."""
        return self._log.path if self._log is not None else None

    @property
    def warn(self) -> Callable[[str], None] | None:
        return self._log.warn if self._log is not None else self._warn

    @warn.setter
    def warn(self, callback: Callable[[str], None]) -> None:
        """Where the one-line warning goes if the log cannot be written (the TUI's
        notifications); kept for the log until it exists."""
        self._warn = callback
        if self._log is not None:
            self._log.warn = callback

    def close(self) -> None:
        """Let go of the log's file and lock. A session that began is logged even if it is
        closed before the log was opened (its log then holds the header alone, as it would
        have)."""
        if self._session is not None:
            self.open()
        if self._log is not None:
            self._log.close()

    # -- the Recorder protocol --

    def started(self, session: Session) -> None:
        self._session = session
        if self._log is not None:
            self._log.started(session)

    def decided(self, session: Session, decision: Decision, state: State, elapsed: float) -> None:
        self.open().decided(session, decision, state, elapsed)

    def reflected(self, session: Session, step: int, answer: str) -> None:
        self.open().reflected(session, step, answer)

    def rewound(self, session: Session, to_step: int) -> None:
        self.open().rewound(session, to_step)

    def abandoned(self, session: Session) -> None:
        self.open().abandoned(session)

    def finished(self, session: Session) -> None:
        self.open().finished(session)
