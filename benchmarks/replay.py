"""Replay and verification throughput, and whether memory stays flat as logs grow.

Generates a looping scenario and session logs of 10,000 and 100,000 decisions (with a rewind
every 5,000 decisions, so the rewind checkpoints are exercised) in a temporary folder, then
measures, for each size:

* baseline: ``json.loads`` of every line, the least any reader of the format must do;
* read: :class:`sim.log.LogFile` (parse and check every record);
* verify: :func:`sim.log.replay.verify` (read, plus re-run every decision through the engine and
  compare the meters);
* transcript: ``leadsim replay --text`` into a null stream;

and the peak traced memory (tracemalloc) of baseline, verify, and the walk alone (verify with
the scenario already loaded) at each size: streaming means the 100,000-decision peak is about
the 10,000-decision one. Also the writer's throughput with
an fsync per line, as sessions use it. Times are best of ``--repeat`` runs.

usage: python benchmarks/replay.py [--sizes 10000 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from sim import engine, log
from sim.commands.replay import transcript
from sim.format import loader
from sim.log import replay
from sim.model import Scenario
from sim.sessions.session import Session

SCENARIO = """\
scenario: loop
title: Endless week
summary: A generated loop for the replay benchmark.
meters:
  trust:   {label: Team trust, start: 50, min: 0, max: 100}
  results: {label: Results, start: 50, min: 0, max: 100}
start: monday
scenes:
  monday:
    text: Another Monday.
    choices:
      - {id: push, text: Push, style: manager, effects: {results: +3, trust: -2}, next: tuesday}
      - id: ask
        text: Ask
        style: leader
        effects: {trust: "%+10", set: [asked]}
        next: [{chance: 0.5, goto: tuesday}, {goto: monday}]
      - {id: wait, text: Wait, style: neutral, next: tuesday}
  tuesday:
    text: Another Tuesday.
    choices:
      - {id: plan, text: Plan, style: manager, effects: {results: "%+5"}, next: monday}
      - id: listen
        text: Listen
        style: leader
        if: asked
        effects: {trust: +2, results: -1, clear: [asked]}
        next: monday
      - {id: stop, text: Stop, style: neutral, next: done}
endings:
  done: {title: Done, text: The loop ends.}
"""


def generate(scenario: Scenario, path: Path, decisions: int, rewind_every: int = 5000) -> None:
    """A log of ``decisions`` decisions (never 'stop' until the last), as the writer writes it."""
    rng = random.Random(7)
    session = Session(scenario, 42)
    state = engine.start(scenario, 42)
    recent = [state]  # the last few states, to rewind into
    with path.open("wb") as f:
        f.write(log.encode(log.header_record(session, "bench", log.utc_now())))
        for n in range(1, decisions + 1):
            if n % rewind_every == 0 and state.step > 3:
                state = recent[-4]
                del recent[-3:]
                f.write(log.encode({"type": "rewind", "to_step": state.step}))
            ids = [c.id for c in engine.available(scenario, state) if c.id != "stop"]
            if n == decisions:
                ids = [c.id for c in engine.available(scenario, state)]
                ids = ["stop"] if "stop" in ids else ids
            state = engine.choose(scenario, state, rng.choice(ids))
            assert state.last is not None
            f.write(log.encode(log.decision_record(scenario, state.last, 1.5)))
            if n % 97 == 0:
                f.write(log.encode({"type": "reflection", "step": state.step, "answer": "hmm"}))
            recent.append(state)
            del recent[:-8]
        if state.over:
            f.write(log.encode(log.end_record(scenario, state)))


def baseline(path: Path) -> int:
    count = 0
    with path.open("rb") as f:
        for line in f:
            json.loads(line)
            count += 1
    return count


def read(path: Path) -> int:
    return sum(1 for _ in log.LogFile(path).records())


def verify(path: Path) -> int:
    verdict = replay.verify(path)
    assert verdict.ok, (verdict.problem, verdict.divergences)
    return verdict.decisions


_LOADED: dict[str, replay.Located] = {}


def walk(path: Path) -> int:
    """verify without loading the scenario (it is loaded once, beforehand): what a replay
    holds in memory, apart from the scenario itself."""
    reader, header, records = replay.open_log(path)
    walker = replay.Walker(_LOADED["loop"], header, path, reader.rewind_targets())
    steps = sum(walker.feed(r) is not None for r in records)
    assert not walker.divergences and reader.problem is None
    return steps


def text(path: Path) -> int:
    return transcript(path, _Null(), None, [])


class _Null(io.StringIO):
    """A text stream that keeps nothing (the transcript's cost, not the memory's)."""

    def write(self, s: str) -> int:
        return len(s)


def best(fn: Callable[[Path], int], path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - start)
    return min(times)


def peak(fn: Callable[[Path], int], path: Path) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn(path)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def write_rate(scenario: Scenario, folder: Path, decisions: int = 2000) -> float:
    """Decisions per second through SessionLog with an fsync per line (as in play)."""
    session = Session(scenario, 42, recorder=log.SessionLog(folder)).begin()
    rng = random.Random(3)
    start = time.perf_counter()
    for _ in range(decisions):
        ids = [c.id for c in engine.available(scenario, session.state) if c.id != "stop"]
        session.choose(rng.choice(ids))
        del session.states[:-2]  # the benchmark measures the log, not the session's history
    return decisions / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "loop.yaml").write_text(SCENARIO)
        scenario = loader.load(folder / "loop.yaml")
        _LOADED["loop"] = replay.Located(scenario, changed=False)
        rows = []
        for size in args.sizes:
            path = folder / f"log-{size}.jsonl"
            generate(scenario, path, size)
            mb = path.stat().st_size / 1e6
            t = {name: best(fn, path, args.repeat) for name, fn in MEASURES.items()}
            mem = {
                "baseline": peak(baseline, path),
                "verify": peak(verify, path),
                "walk": peak(walk, path),
            }
            rows.append((size, mb, t, mem))
        print(f"{'decisions':>10} {'MB':>6}  " + "  ".join(f"{n:>21}" for n in MEASURES))
        for size, mb, t, _ in rows:
            cells = [f"{t[n]:7.3f} s {size / t[n]:9,.0f}/s" for n in MEASURES]
            print(f"{size:>10,} {mb:6.1f}  " + "  ".join(f"{c:>21}" for c in cells))
        print("\nper decision, relative to the json.loads baseline:")
        for size, _, t, _ in rows:
            ratios = ", ".join(
                f"{n} {t[n] / t['baseline']:.1f}x" for n in MEASURES if n != "baseline"
            )
            print(f"  {size:>7,}: {ratios}")
        print("\npeak traced memory (tracemalloc):")
        for size, _, _, mem in rows:
            print(
                f"  {size:>7,} decisions: baseline {mem['baseline'] / 1024:8,.0f} KiB, "
                f"verify {mem['verify'] / 1024:8,.0f} KiB, "
                f"walk (scenario preloaded) {mem['walk'] / 1024:6,.0f} KiB"
            )
        if len(rows) > 1:
            small, large = rows[0], rows[-1]
            times = large[0] / small[0]
            for name in ("verify", "walk"):
                growth = large[3][name] / small[3][name]
                print(f"  {name} peak grows {growth:.2f}x for {times:.0f}x the decisions")
        rate = write_rate(scenario, folder / "written")
        print(f"\nwriting with an fsync per line: {rate:,.0f} decisions/s")


MEASURES: dict[str, Callable[[Path], int]] = {
    "baseline": baseline,
    "read": read,
    "verify": verify,
    "transcript": text,
}

if __name__ == "__main__":
    main()
