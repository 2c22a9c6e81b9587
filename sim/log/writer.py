"""Writing a log as the session happens, so that a crash loses at most one line.

Every event is one ``os.write`` of a whole line to a file opened ``O_APPEND`` and fsync'd at
once; a new log is created ``O_CREAT | O_EXCL`` under a unique name. One process writes a log
at a time: the writer holds an exclusive lock on it (:mod:`sim.log.lock`). When
``LEADSIM_SIGNING_KEY_FILE`` names a key file, every line is signed (:mod:`sim.log.signing`).
If the log cannot be written (disk full, a read-only folder, the file deleted while playing)
the writer warns once and stops: the session carries on and the trainee keeps their place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sim import __version__
from sim.engine import Decision, State
from sim.log import lock, signing
from sim.log.files import file_name, names_a_file
from sim.log.format import (
    LogError,
    Played,
    decision_record,
    describe,
    encode,
    end_record,
    header_record,
    timestamp,
    utc_now,
)
from sim.places import sessions_dir
from sim.safetext import one_line


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class SessionLog:
    """Writes one session's log as it happens: the :class:`sim.sessions.session.Recorder` a play
    session is given.

    ``target`` is a ``.jsonl`` file that must not exist yet, or a folder to create a new log
    in (default: :func:`sessions_dir`). ``warn`` receives the one-line warning shown when logging
    stops (default: stderr; the TUI passes its own); :attr:`problem` keeps it.
    """

    def __init__(
        self,
        target: Path | None = None,
        *,
        sync: bool = True,
        warn: Callable[[str], None] | None = None,
        now: Callable[[], datetime] = utc_now,
        watch: bool = False,
    ) -> None:
        self.target = target
        self.watch = watch
        self.sync = sync
        self.warn = warn or _stderr
        self.now = now
        self.path: Path | None = None
        self.session_id: str | None = None
        self.problem: str | None = None
        self._fd: int | None = None
        self.signer: signing.Signer | None = None

    def _load_key(self) -> None:
        """Sign from the first line when the environment names a key; a key that cannot be
        read is warned about, and the log is written unsigned rather than not at all."""
        try:
            key = signing.key_from_environment()
        except signing.KeyProblem as e:
            self.warn(one_line(f"warning: {e}; this session's log is written unsigned"))
            return
        self.signer = signing.Signer(key) if key is not None else None

    @property
    def active(self) -> bool:
        return self._fd is not None

    # -- opening --

    def _create(self, session: Played) -> None:
        self._load_key()
        target = self.target if self.target is not None else sessions_dir()
        explicit = names_a_file(target)
        folder = target.parent if explicit else target
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            self._fail(f"cannot create the log folder {folder} ({describe(e)})")
            return
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        for _ in range(5):
            session_id = str(uuid.uuid4())
            moment = self.now()
            name = file_name(session.scenario.id, session_id, moment)
            path = target if explicit else target / name
            try:
                self._fd = os.open(path, flags, 0o644)
            except FileExistsError:
                if explicit:
                    self._fail(
                        f"the log file {path} already exists and is never overwritten "
                        f"(resume it with `leadsim resume {path}`, or name a new file)"
                    )
                    return
                continue  # another session took this name in the same microsecond
            except OSError as e:
                self._fail(f"cannot create the session log in {folder} ({describe(e)})")
                return
            self.path, self.session_id = path, session_id
            try:
                lock.acquire(self._fd)
            except lock.Held as e:
                self._fail(f"the new log {path} is already being written by {e}")
                return
            _sync_folder(folder)
            self._write(header_record(session, session_id, moment, watch=self.watch))
            return
        self._fail(f"cannot find a free log file name in {folder}")

    @classmethod
    def claim(
        cls,
        path: Path,
        *,
        sync: bool = True,
        warn: Callable[[str], None] | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> SessionLog:
        """Open an existing log to continue it, and take its lock: before reading it, so that
        no one can append between the reading and the writing. Raises :class:`LogError`
        when another process writes it (nothing is written then); a log that cannot be
        opened for writing warns, as any write failure does, and the session goes on."""
        log = cls(path, sync=sync, warn=warn, now=now)
        log.path = path
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
        except OSError as e:
            log._fail(f"cannot reopen the log {path} ({describe(e)})")
            return log
        try:
            lock.acquire(fd)
        except lock.Held as e:
            os.close(fd)
            raise LogError(
                path,
                0,
                f"this log is being written by {e}; a second writer would interleave its "
                "lines with that one's, so nothing was written",
                "finish or close that session first",
            ) from None
        log._fd = fd
        log._load_key()
        if log.signer is not None:
            chain = signing.check(path, log.signer.key, resuming=True)
            if chain.problems:
                log.close()
                first = chain.problems[0]
                raise LogError(
                    path,
                    first.line,
                    f"its signature does not check out ({first.message}); a signed log is "
                    "continued only while every line is intact",
                    f"`leadsim replay --verify --key FILE {path}` lists what is wrong",
                )
            log.signer.previous, log.signer.number = chain.previous or "", chain.number
        return log

    def resume(
        self, session: Played, *, cut_line: int | None = None, newline_missing: bool = False
    ) -> None:
        """Append the ``resume`` line to a claimed log; the new events follow it.

        ``newline_missing``: the last line lacks its newline (it was cut off, or is complete
        but its newline was not written); one is added first so no two lines run together.
        """
        if newline_missing:
            self._write_bytes(b"\n")
        record = {
            "type": "resume",
            "step": session.step,
            "at": timestamp(self.now()),
            "app": __version__,
            "cut_line": cut_line,
        }
        self._write(record)

    @classmethod
    def reopen(
        cls,
        path: Path,
        session: Played,
        *,
        cut_line: int | None = None,
        newline_missing: bool = False,
        sync: bool = True,
        warn: Callable[[str], None] | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> SessionLog:
        """:meth:`claim` then :meth:`resume`. Raises :class:`LogError` if another process
        writes the log."""
        log = cls.claim(path, sync=sync, warn=warn, now=now)
        log.resume(session, cut_line=cut_line, newline_missing=newline_missing)
        return log

    # -- the Recorder protocol --

    def started(self, session: Played) -> None:
        if self._fd is None and self.problem is None:
            self._create(session)

    def decided(self, session: Played, decision: Decision, state: State, elapsed: float) -> None:
        self._write(decision_record(session.scenario, decision, elapsed))

    def reflected(self, session: Played, step: int, answer: str) -> None:
        self._write({"type": "reflection", "step": step, "answer": answer})

    def rewound(self, session: Played, to_step: int) -> None:
        self._write({"type": "rewind", "to_step": to_step})

    def abandoned(self, session: Played) -> None:
        self._write({"type": "abandoned", "step": session.step, "at": timestamp(self.now())})
        self.close()  # nothing follows an abandoned attempt

    def finished(self, session: Played) -> None:
        # The file stays open: a reflection on the last scene, or a rewind from the debrief
        # (practice mode), still follows the end line.
        self._write(end_record(session.scenario, session.state))

    # -- writing --

    def _write(self, record: dict[str, Any]) -> None:
        line = encode(record)
        self._write_bytes(self.signer.sign(line) if self.signer is not None else line)

    def _write_bytes(self, data: bytes) -> None:
        fd = self._fd
        if fd is None:
            return
        try:
            if os.fstat(fd).st_nlink == 0:
                self._fail(f"the session log {self.path} was deleted while playing")
                return
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                if written <= 0:
                    raise OSError(errno.EIO, "nothing was written")
                view = view[written:]
            if self.sync:
                os.fsync(fd)
        except OSError as e:
            self._fail(f"cannot write the session log {self.path} ({describe(e)})")

    def _fail(self, reason: str) -> None:
        self.close()
        self.problem = reason
        kept = " (lines already written are kept)" if self.path is not None else ""
        self.warn(
            one_line(
                f"warning: {reason}{kept}; the session continues, "
                "but from here on it is not recorded"
            )
        )

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the new file's name durable too (best effort; not every platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
