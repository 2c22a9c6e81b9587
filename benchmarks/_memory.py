"""A benchmark process's own memory, read where Linux keeps it.

``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is not the process's own peak on Linux: a
process started by fork (or vfork) and exec inherits the high-water mark of the process that
started it (the kernel carries the old image's peak over the exec), so a small child of a
400 MB benchmark runner reported a 47 MiB peak whatever it loaded. ``VmHWM`` in
/proc/self/status is the peak of the current image only. Both are used only where /proc is
missing (then the figures may include the parent's)."""

from __future__ import annotations

import resource
from pathlib import Path


def _status_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def peak_mib() -> float:
    """The process's peak resident memory so far, in MiB."""
    kib = _status_kib("VmHWM")
    if kib is None:
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kib / 1024


def resident_mib() -> float:
    """The process's resident memory now, in MiB (its peak so far where /proc is missing)."""
    kib = _status_kib("VmRSS")
    return peak_mib() if kib is None else kib / 1024
