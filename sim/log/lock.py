"""One writer per log: an exclusive OS lock held for as long as a session writes to its log.

Two processes appending to one log would interleave their lines (``d3 d3 d4 d4``) and leave a
log that can never be resumed. So the writer (:class:`sim.log.SessionLog`, for a new log and
for `leadsim resume`, which takes it *before* reading the log) holds an exclusive
``fcntl.flock`` on the log's file descriptor from before its first write until the process
ends. A second writer does not wait: it is told who holds the lock and refuses, writing
nothing.

The lock belongs to the open file, so it dies with the process: after a crash or ``kill -9``
nothing stale is left behind, and nothing beside the log needs cleaning up. Who holds it is
read from the lock itself: on Linux ``/proc/locks`` names the process, and ``/proc`` its
command line and start time; elsewhere the message says "another process".

On platforms without ``fcntl`` (Windows) no lock is taken: there, keeping to one writer per log
is the user's care (`leadsim sessions` shows which sessions are unfinished). A file system that
refuses locks (some network mounts) is written as before, without one.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

PROC = Path("/proc")


class Held(Exception):
    """Another process writes this log; the message says who, as far as it is known."""


def acquire(fd: int) -> None:
    """Take the exclusive lock on ``fd`` (a log opened for appending), or raise :class:`Held`
    naming the holder."""
    if fcntl is None:  # pragma: no cover - not POSIX
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise Held(holder(fd)) from None
    except OSError:
        return  # a file system without locks: write as before


def holder(fd: int) -> str:
    """'process 4242 (leadsim resume x.jsonl), running since 2026-01-01 09:00:00 UTC', or
    'another process' where the system does not say."""
    try:
        pid = _lock_owner(fd)
    except (OSError, ValueError):
        pid = None
    if pid is None:
        return "another process"
    who = f"process {pid}"
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()[:2000]
        words = [w.decode(errors="replace") for w in raw.split(b"\0") if w]
        if "-m" in words and words[words.index("-m") + 1 :][:1] == ["sim"]:
            words = ["leadsim", *words[words.index("-m") + 2 :]]
        if words:
            who += f" ({' '.join(words)})"
    except (OSError, ValueError):
        pass
    since = _started(pid)
    return who + (f", running since {since:%Y-%m-%d %H:%M:%S} UTC" if since else "")


def _lock_owner(fd: int) -> int | None:
    """The pid /proc/locks gives for the FLOCK on ``fd``'s file."""
    st = os.fstat(fd)
    inode = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    for line in (PROC / "locks").read_text(errors="replace").splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 4242 08:01:123456 0 EOF" (blocked waiters start "->")
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == inode:
            return int(fields[4])
    return None


def _started(pid: int) -> datetime | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        ticks = int(stat.rsplit(")", 1)[1].split()[19])
        boot = next(
            int(line.split()[1])
            for line in (PROC / "stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        return datetime.fromtimestamp(boot + ticks / os.sysconf("SC_CLK_TCK"), UTC)
    except (OSError, ValueError, IndexError, StopIteration):
        return None
