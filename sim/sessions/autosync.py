"""The session log that also starts an automatic LRS sync when a session reaches its end.

It is the :class:`sim.log.SessionLog` every session gets (:mod:`sim.sessions.lifecycle`), plus
one thing: after the end line (and after a reflection typed at the ending) is written, it asks
:func:`sim.xapi.background.start`, on a short-lived thread, to send the log in a detached
process. Play never waits: not for the network, not even for the process to start (about
20 ms on a busy two-core machine; without an LRS configured the check costs ~10 µs).
``--watch`` runs (a trainer's drafts) are never sent.
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
        import threading

        from sim.xapi import background

        # Starting a process takes ~20 ms; a thread keeps even that off the screen's time.
        # Not a daemon: a text session that ends and exits still starts its sync first.
        threading.Thread(target=background.start, args=(self.path,), name="leadsim-sync").start()
