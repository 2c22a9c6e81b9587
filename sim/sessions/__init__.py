"""Sessions: the :class:`Session` class (:mod:`sim.sessions.session`) and the service that
makes, resumes and offers them (:mod:`sim.sessions.lifecycle`), used by every shell alike."""
