"""What a trainer reads across a cohort of sessions (`leadsim report`, the cohort screen).

:mod:`~sim.report.walk` turns one session from any source (a log header plus its records) into
its effective path with the replay walker; :mod:`~sim.report.index` keeps every walked session
in SQLite and updates it incrementally; :mod:`~sim.report.rows` reads the index back through
the filters; :mod:`~sim.report.cohort` aggregates it into per-scenario summaries;
:mod:`~sim.report.text`, :mod:`~sim.report.html` and :mod:`~sim.report.flow` show them;
:mod:`~sim.report.privacy` makes the pseudonyms of ``--anonymize``; :mod:`~sim.report.synthetic`
writes seeded cohorts for tests and benchmarks.
"""
