"""Pausing Python's cycle collector around work that allocates much and frees little.

Loading a large file, exploring a state space, indexing ten thousand logs: each allocates
hundreds of thousands of small objects and keeps them, and none of them forms a cycle. With
the collector on, every few hundred allocations make it walk the growing heap again, for
nothing (a third to two thirds of the time, measured at each call site). :func:`paused`
stops it for the block and restores it as it was; any cycle made meanwhile is collected once
the collector runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The block runs with the cycle collector off; it is switched back on after only if it
    was on before (a caller that already paused it keeps it paused)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
