"""What a trainer reads across a cohort of sessions (`leadsim report`, the cohort screen).

:mod:`~sim.report.walk` turns one session from any source into its effective path;
:mod:`~sim.report.index` keeps every walked session in SQLite and updates it incrementally;
:mod:`~sim.report.cohort` aggregates the index into per-scenario summaries; :mod:`~sim.report.text`
and :mod:`~sim.report.html` show them; :mod:`~sim.report.synthetic` writes test cohorts.
"""
