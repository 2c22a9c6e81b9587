"""Load one scenario file repeatedly in a fresh process and print the timings as JSON.

    python benchmarks/_load.py FILE --repeat N [--lint] [--paused-baseline] [--check-only]

``benchmarks/run.py`` runs this once per generated size, so each size starts from a clean
heap and reports its own peak resident memory. Measured, alternating, ``--repeat`` times:

* ``baseline``: ``yaml.load(text, Loader=yaml.CSafeLoader)``, called as anyone would call it;
* ``baseline_paused``: the same with the cycle collector paused, as the loader runs
  (``--paused-baseline``; it isolates the parser from the collector);
* ``check``: ``sim.format.loader.check(FILE)``: read, hash, compose, validate, build the model;
* ``lint`` (``--lint``): the deep analysis of ``sim.analysis.lint`` on the loaded scenario (graph
  checks plus a state-space exploration bounded at its default limit), once.

``--check-only`` skips the baselines (and never reads the file itself), so ``maxrss_mb`` is the
loader's own peak (the baseline holds every object of the file at once, and would set the peak
itself). The loader's memory is then measured as docs/authoring.md ("Size limits") defines
it: ``peak_x_file`` is the process's peak resident memory minus its resident memory just
before the first load (``rss_before_mb``: the interpreter, the imports and a one-scene
warm-up load), divided by the
file's size (both in MiB); ``maxrss_mb`` is the absolute peak (the process's own:
benchmarks/_memory.py says why not ``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

import yaml
from _memory import peak_mib, resident_mib

from sim.format import loader


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


WARM_UP = (
    "scenario: w\ntitle: W\nsummary: S.\nmeters:\n  trust: {label: T, start: 50}\n"
    "start: a\nscenes:\n  a: {text: x, choices: [{id: a, text: y, style: leader, "
    "if: trust > 1, next: done}]}\nendings:\n  done: {title: D, text: E.}\n"
)


def warm_up() -> None:
    """Load a one-scene file both ways (streamed, as a large file is, and whole) before the
    baseline is taken, so the modules the loader imports on first use are counted in the
    interpreter's part, not in the file's."""
    stream_from = loader.STREAM_FROM
    try:
        for loader.STREAM_FROM in (0, stream_from):
            assert loader.parse_text(WARM_UP, "warm-up.yaml")[0] is not None
    finally:
        loader.STREAM_FROM = stream_from


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lint", action="store_true")
    parser.add_argument("--paused-baseline", action="store_true")
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args()
    text = "" if args.check_only else args.file.read_text(encoding="utf-8")
    out: dict[str, object] = {"bytes": args.file.stat().st_size}
    warm_up()
    gc.collect()
    out["rss_before_mb"] = before = resident_mib()
    baseline, paused, check = [], [], []
    scenario = None
    for _ in range(args.repeat):
        if not args.check_only:
            baseline.append(timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader)))
        if args.paused_baseline and not args.check_only:
            gc.disable()
            paused.append(timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader)))
            gc.enable()
        scenario = None
        gc.collect()
        start = time.perf_counter()
        scenario, diags = loader.check(args.file)
        check.append(time.perf_counter() - start)
        if scenario is None:
            print(json.dumps({"error": [d.format() for d in diags[:3]]}))
            return 1
        gc.collect()
    out.update(baseline=baseline, baseline_paused=paused, check=check)
    assert scenario is not None
    out["scenes"] = len(scenario.scenes)
    if args.lint:
        from sim.analysis import explore, lint

        start = time.perf_counter()
        found = explore.explore(scenario)
        diags = lint.lint(scenario, exploration=found)
        out["lint"] = time.perf_counter() - start
        out["lint_states"] = found.states
        out["lint_complete"] = found.complete
        out["lint_findings"] = len(diags)
    out["maxrss_mb"] = peak = peak_mib()
    out["peak_x_file"] = (peak - before) / (args.file.stat().st_size / 2**20)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
