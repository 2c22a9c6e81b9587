"""`leadsim report` over a synthetic cohort: cold, warm and incremental, against DuckDB.

Writes a seeded cohort of ``--sessions`` logs (10,000 by default) of the five shipped scenarios
with :mod:`sim.report.synthetic` (the real engine and the real log writer), then measures:

* cold report, whole command: ``leadsim report DIR`` in a fresh process with an empty data
  folder (index built from nothing, every table printed), wall and CPU time;
* warm report, whole command: the same again (the index is up to date: nothing is read);
* the cohort query in-process, cold (a new index in memory) and warm, with one process and
  with two (the command uses as many as there are idle cores, by the load average);
* incremental: after adding 100 and then 1,000 new logs, the update alone (it should grow with
  the new logs, not the cohort) and update plus query;
* baseline: DuckDB's ``read_ndjson_objects`` over the same files, the same question (sessions
  per scenario, endings per scenario, choice split per scene, median decision time), in the
  same run. DuckDB counts every decision line: it knows nothing of rewinds, resumes or
  damaged lines, so it does less than the report does, and has no incremental mode.

usage: python benchmarks/report.py [--sessions 10000] [--repeat 3] [--keep DIR]
DuckDB is a benchmark dependency only (``pip install leadsim[bench]``).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.format import loader  # noqa: E402
from sim.report.cohort import build  # noqa: E402
from sim.report.index import Index  # noqa: E402
from sim.report.synthetic import START, trainees, write_session  # noqa: E402

DUCKDB_QUERY = """
WITH lines AS (SELECT json FROM read_ndjson_objects('{glob}', ignore_errors=true)),
heads AS (SELECT json->>'scenario' AS scenario FROM lines WHERE json->>'type' = 'session'),
ends AS (SELECT json->>'ending' AS ending, count(*) AS n FROM lines
         WHERE json->>'type' = 'end' GROUP BY 1),
picks AS (SELECT json->>'scene' AS scene, json->>'choice' AS choice, count(*) AS n,
          median(CAST(json->>'elapsed' AS DOUBLE)) AS t
          FROM lines WHERE json->>'type' = 'decision' GROUP BY 1, 2)
SELECT (SELECT count(*) FROM heads), (SELECT count(*) FROM ends),
       (SELECT count(*) FROM picks), (SELECT sum(n) FROM picks)
"""


def cohort(
    folder: Path, sessions: int, seed: int, offset: int = 0, written: list[Path] | None = None
) -> float:
    """Write ``sessions`` logs (their paths appended to ``written``); returns the seconds it
    took."""
    scenarios = [loader.load(p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    rng = random.Random(seed)
    people = trainees(max(1, sessions // 4), rng)
    from datetime import timedelta

    began = time.perf_counter()
    for i in range(sessions):
        when = START + timedelta(minutes=7 * (i + offset))
        path = write_session(folder, rng.choice(scenarios), rng.choice(people), when, rng)
        if path is not None and written is not None:
            written.append(path)
    return time.perf_counter() - began


def timed(job: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall time and its CPU time (this process) over ``repeat`` runs."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        job()
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return best


def command(folder: Path, home: Path) -> tuple[float, float]:
    """``leadsim report DIR`` as a trainer runs it: wall time and CPU time (with children)."""
    env = {**os.environ, "LEADSIM_HOME": str(home), "PYTHONPATH": str(ROOT)}
    # As installed: from bytecode caches (see warm_up), not compiling sim/ in every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sim", "report", str(folder)],
        env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def warm_up() -> None:
    """Write leadsim's bytecode caches, as installing it does: with the environment's
    PYTHONDONTWRITEBYTECODE every timed run would compile the modules it changed afresh."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "sim")],
        env=env, check=False, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def query(folder: Path, jobs: int | None = None, index: Index | None = None) -> int:
    index = index or Index(None, jobs=jobs)
    scan = index.update([folder])
    return len(build(index, scan.sources).sessions)


def measure(folder: Path, sessions: int, repeat: int, tmp: Path) -> list[tuple[str, str, str]]:
    """Every row of this benchmark: (what, time, note). Writes the cohort into ``folder``
    unless it already holds logs; adds 1,100 logs to it for the incremental rows and takes
    them away at the end, so a kept cohort is the same size at every run."""
    warm_up()
    rows: list[tuple[str, str, str]] = []
    if not (folder.is_dir() and any(folder.iterdir())):
        folder.mkdir(parents=True, exist_ok=True)
        took = cohort(folder, sessions, seed=15)
        rows.append(("write the synthetic cohort", f"{took:.1f} s", f"{sessions} logs"))
    home = tmp / "home-cold"
    cold = command(folder, home)
    warm = min(command(folder, home) for _ in range(repeat))
    rows.append(
        ("leadsim report, cold (whole command)", f"{cold[0]:.2f} s", f"CPU {cold[1]:.2f} s")
    )
    rows.append(
        ("leadsim report, warm (whole command)", f"{warm[0]:.2f} s", f"CPU {warm[1]:.2f} s")
    )
    serial = timed(lambda: query(folder, jobs=1), repeat)
    parallel = timed(lambda: query(folder, jobs=2), repeat)
    rows.append(("query, cold, 1 process", f"{serial[0]:.2f} s", f"CPU {serial[1]:.2f} s"))
    rows.append(("query, cold, 2 processes", f"{parallel[0]:.2f} s", "workers' CPU not counted"))
    index = Index(tmp / "index.sqlite3")
    query(folder, index=index)
    warm_q = timed(lambda: query(folder, index=index), repeat)
    rows.append(("query, warm (index up to date)", f"{warm_q[0]:.2f} s", f"CPU {warm_q[1]:.2f} s"))
    sql = ""
    try:
        import duckdb
    except ImportError:
        rows.append(("DuckDB read_ndjson_objects", "not measured", "duckdb is not installed"))
    else:
        sql = DUCKDB_QUERY.format(glob=str(folder / "*.jsonl").replace("'", "''"))
        con = duckdb.connect()
        con.execute("SET threads TO 2")
        result: list[object] = []
        duck = timed(lambda: result.append(con.execute(sql).fetchall()), repeat)
        rows.append(("DuckDB read_ndjson_objects, same query", f"{duck[0]:.2f} s", f"{result[-1]}"))
    added: list[Path] = []
    for extra in (100, 1000):
        cohort(folder, extra, seed=extra, offset=sessions + extra, written=added)
        wall = time.perf_counter()
        scan = index.update([folder])
        update = time.perf_counter() - wall
        build(index, scan.sources)
        total = time.perf_counter() - wall
        rows.append(
            (f"incremental: {extra} new logs", f"{update:.2f} s update",
             f"{scan.read} read, {total:.2f} s with the query")
        )  # fmt: skip
    if sql:
        again = timed(lambda: con.execute(sql).fetchall(), repeat)
        rows.append(("DuckDB after the new logs (reads all)", f"{again[0]:.2f} s", ""))
    for path in added:
        path.unlink(missing_ok=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write (or reuse) the cohort here")
    args = parser.parse_args()
    started = " ".join(f"{x:.2f}" for x in os.getloadavg())
    tmp = Path(tempfile.mkdtemp(prefix="leadsim-report-bench-"))
    folder = args.keep or tmp / "cohort"
    rows = measure(folder, args.sessions, args.repeat, tmp)
    files = sum(1 for _ in folder.glob("*.jsonl"))
    size = sum(p.stat().st_size for p in folder.glob("*.jsonl")) / 2**20
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{files} logs, {size:.1f} MiB, in {folder}; load average {started} at the start, "
          f"{load} at the end, {os.cpu_count()} cores\n")  # fmt: skip
    width = max(len(r[0]) for r in rows)
    for name, measured, note in rows:
        print(f"{name:<{width}}  {measured:>14}  {note}")


if __name__ == "__main__":
    main()
