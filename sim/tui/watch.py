"""``--watch``: notice a saved scenario file, and carry the trainee's place over to it.

Watching is polling the file's modification time and size (no new dependency, and it works
the same on every platform and network drive); the app does the polling with a timer and
the loading in a worker. This module holds the two decisions a reader could question:
what counts as "changed", and how far a session survives an edit.
"""

from __future__ import annotations

import os
from pathlib import Path

from sim.sessions.session import Session

Stamp = tuple[int, int] | None


def stamp(path: Path) -> Stamp:
    """What changes when an editor saves: modification time (ns) and size; None if missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def carry_over(old: Session, new: Session) -> int:
    """Replay ``old``'s decisions on ``new`` (a fresh session of the edited scenario with the
    same seed) for as long as they still apply: the decision's scene is where the new session
    stands and its choice is still offered. Reflections come along with their decisions and
    the earlier runs are kept. Returns how many decisions were carried over."""
    carried = 0
    for decision in old.decisions():
        if new.over or new.state.scene != decision.scene:
            break
        offered = {o.choice.id for o in new.offers() if o.available}
        if decision.choice not in offered:
            break
        new.choose(decision.choice)
        carried += 1
        if decision.step in old.reflections:
            new.reflect(old.reflections[decision.step])
    new.branches.extend(old.branches)
    return carried
