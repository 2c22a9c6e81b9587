"""What a trainee has done with each scenario, read from their session logs: for the
library's "finished twice, best outcome GOOD" line.

Only each log's first line and tail are read (:func:`sim.log.list_sessions`), and the library
asks in a worker thread after its list is on screen, so start-up does not wait for it. A
folder without logs (a new trainee) is seen with one directory listing, before the log
reader (and the engine it imports) is loaded at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from sim.places import may_hold_logs
from sim.reprs import shared_repr

_ANY: Any = object()


@attrs.frozen
@shared_repr
class Progress:
    """One scenario's record for one trainee."""

    finished: int = 0
    best: str | None = None
    """The best outcome of a finished session (best, good, mixed, poor), if endings say."""
    unfinished: int = 0
    abandoned: int = 0

    def words(self) -> str:
        """'finished 2 times, best outcome GOOD'; '' when never started."""
        parts = []
        if self.finished:
            times = "once" if self.finished == 1 else f"{self.finished} times"
            parts.append(f"finished {times}")
            if self.best:
                parts.append(f"best outcome {self.best.upper()}")
        elif self.unfinished:
            parts.append("started, not finished yet")
        if self.abandoned:
            parts.append(f"{self.abandoned} abandoned assessment{'s' * (self.abandoned > 1)}")
        return ", ".join(parts)


def progress(
    outcomes: Mapping[str, Mapping[str, str]],
    folder: Path | None = None,
    trainee: str | None = _ANY,
) -> dict[str, Progress]:
    """Per scenario id: how the sessions in ``folder`` (default: the sessions folder) of
    ``trainee`` (None: sessions without a name; omitted: anyone's) went. ``outcomes`` maps a
    scenario id to its endings' outcomes (ending id to outcome); an unreadable folder or
    log counts as nothing."""
    if not may_hold_logs(folder):
        return {}
    from sim.log import list_sessions
    from sim.model import OUTCOMES

    counts: dict[str, dict[str, Any]] = {}
    try:
        infos = list_sessions(folder)
    except OSError:
        return {}
    for info in infos:
        h = info.header
        if h is None or h.watch or (trainee is not _ANY and h.trainee != trainee):
            continue
        c = counts.setdefault(h.scenario, {"finished": 0, "unfinished": 0, "abandoned": 0})
        if info.finished:
            c["finished"] += 1
            outcome = outcomes.get(h.scenario, {}).get(info.ending or "")
            if outcome in OUTCOMES and (
                "best" not in c or OUTCOMES.index(outcome) < OUTCOMES.index(c["best"])
            ):
                c["best"] = outcome
        elif info.abandoned:
            c["abandoned"] += 1
        elif info.step:
            c["unfinished"] += 1
    return {sid: Progress(**c) for sid, c in counts.items()}
