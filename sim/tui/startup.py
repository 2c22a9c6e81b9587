"""The cyclic garbage collector during start-up: paused until the first screen is painted.

Starting the simulator builds some 90,000 objects that live as long as the process: modules,
classes, the scenario, the first screen's widgets. Python's cyclic collector would walk them
again and again while they are being built (about 140 collections, one of them a full one of
about 30 ms, before ``leadsim play X`` shows its first scene; 40-80 ms of a 350 ms start on
a two-core machine). Start-up makes almost no garbage (a few thousand objects, well under a
megabyte), so the command pauses the collector (:func:`hold`) and the app, once its first
screen has been painted, freezes what start-up built (:func:`gc.freeze`: those objects are
never walked again, which also keeps later full collections shorter) and
switches the collector back on (:func:`release`). Nothing is collected late that would have
been freed earlier: reference counting frees almost everything as usual; only reference
cycles wait, and those made during start-up stay (they are part of what is frozen).

This module imports nothing but :mod:`gc`: the command calls :func:`hold` before it imports
anything heavy.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Pause the collector for start-up (the command line calls it first thing)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Start-up is over: freeze what it built and collect as usual from now on. Does nothing
    unless :func:`hold` paused the collector (tests build apps with it running), and only
    the first time."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
