"""Sessions as xAPI statements, and sending them to a learning record store (LRS).

:mod:`~sim.xapi.statements` turns a log into statements (a pure function of the log and its
scenario), :mod:`~sim.xapi.config` reads where they go, :mod:`~sim.xapi.client` talks to the
LRS, :mod:`~sim.xapi.queue` remembers what it acknowledged (crash-safe), :mod:`~sim.xapi.sync`
sends what is missing, :mod:`~sim.xapi.background` starts that after a session, and
:mod:`~sim.xapi.readback` rebuilds sessions from the LRS for the report. docs/lrs.md is the
user's guide.
"""
