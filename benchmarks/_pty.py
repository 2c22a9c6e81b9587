"""Time a whole process in a real pseudo-terminal until a piece of text is on its screen.

The start-up row compares the real ``leadsim`` command with a bare Textual app started the same
way: each is a fresh process on an 80x24 pseudo-terminal, and the clock stops when the text
that marks its first useful screen has been written to the terminal (the same bytes a person's
terminal would receive). The process is then killed; exiting is not part of start-up.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Sequence


def time_to_text(
    argv: Sequence[str],
    marker: str,
    env: dict[str, str],
    size: tuple[int, int] = (80, 24),
    timeout: float = 30.0,
) -> float:
    """Seconds from fork to ``marker`` appearing in the process's terminal output.
    Raises RuntimeError (with the tail of what it printed) if it never does."""
    return times_to_text(argv, marker, env, size, timeout)[0]


def times_to_text(
    argv: Sequence[str],
    marker: str,
    env: dict[str, str],
    size: tuple[int, int] = (80, 24),
    timeout: float = 30.0,
) -> tuple[float, float]:
    """:func:`time_to_text`, and the CPU seconds (user + system) the process had used when it
    was killed: on a loaded machine the CPU time shows the work apart from the waiting."""
    cpu = [0.0]
    took = 0.0
    want = marker.encode()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the program
        try:
            os.execvpe(argv[0], list(argv), env)
        finally:
            os._exit(127)
    start = time.perf_counter()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            # Keep enough of the tail for a marker split across two reads.
            seen = seen[-len(want) :] + chunk
            if want in seen:
                took = time.perf_counter() - start
                break
        if want not in seen:
            raise RuntimeError(f"{marker!r} never appeared; last output: {seen[-300:]!r}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _, _, usage = os.wait4(pid, 0)
        cpu[0] = usage.ru_utime + usage.ru_stime
        os.close(fd)
    return took, cpu[0]
