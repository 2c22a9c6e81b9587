"""The session log that also starts an automatic LRS sync when a session reaches its end.

It is the :class:`sim.log.SessionLog` every session gets (:mod:`sim.sessions.lifecycle`), plus
one thing: after the end line (and after a reflection typed at the ending) is written, it asks
:func:`sim.xapi.background.start` to send the log in a detached process. That costs the
session reading a small config file; nothing waits for the network. ``--watch`` runs (a
trainer's drafts) are never sent.
"""

from __future__ import annotations

from sim.log import SessionLog
from sim.log.format import Played


class SyncingLog(SessionLog):
    def finished(self, session: Played) -> None:
        super().finished(session)
        self._sync()

    def reflected(self, session: Played, step: int, answer: str) -> None:
        super().reflected(session, step, answer)
        if session.state.over:
            self._sync()

    def _sync(self) -> None:
        if self.path is None or self.watch or self.problem is not None:
            return
        from sim.xapi import background

        background.start(self.path)
