"""Peak memory of opening the replay screen's data on a big log, against ``--verify``.

Generates a session log of about ``--mb`` megabytes (the looping scenario of
``benchmarks/replay.py``, rewinds and reflections included) in a temporary folder, then runs,
each in a fresh process so that the numbers do not mix, and reports the peak resident memory
(its own ``VmHWM``, benchmarks/_memory.py) of:

* python: the interpreter with leadsim's log modules imported, nothing read (the floor);
* verify: :func:`sim.log.replay.verify` of the log, the flat reference;
* screen: :func:`sim.log.screen.collect`, everything the replay screen reads before it shows
  anything, then stepping to the first, middle and last decision and the debrief.

Measured on the development machine (an 89 MB log of 400,000 decisions): python 26 MB,
verify 26 MB, screen 30 MB; before the screen indexed the log (it kept every step's states),
screen was 913 MB.

usage: python benchmarks/replay_screen.py [--mb 100]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _memory import peak_mib  # noqa: E402

MODES = ("python", "verify", "screen")


def child(mode: str, log_path: Path, scenario: Path) -> None:
    from sim.log import replay

    if mode == "verify":
        verdict = replay.verify(log_path, scenario)
        assert verdict.ok, (verdict.problem, verdict.divergences)
    elif mode == "screen":
        from sim.log.screen import collect

        recorded = collect(log_path, scenario)
        steps = recorded.steps
        for i in (0, len(steps) // 2, len(steps) - 1):
            assert steps[i].record.step > 0
        assert recorded.end is not None and not recorded.divergences
    print(round(peak_mib() * 1024))  # KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "LOG", "SCENARIO"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    import replay as bench  # benchmarks/replay.py: its scenario and log generator

    from sim.format import loader

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scenario_path = folder / "loop.yaml"
        scenario_path.write_text(bench.SCENARIO, encoding="utf-8")
        scenario = loader.load(scenario_path)
        log_path = folder / "big.jsonl"
        decisions = int(args.mb * 1e6 / 250)
        bench.generate(scenario, log_path, decisions)
        size = log_path.stat().st_size / 1e6
        print(f"log: {size:.0f} MB, {decisions} decisions")
        for mode in MODES:
            done = subprocess.run(
                [sys.executable, __file__, "--child", mode, str(log_path), str(scenario_path)],
                capture_output=True,
                text=True,
                check=True,
            )
            peak = int(done.stdout.split()[-1]) / 1024
            print(f"{mode:8} peak {peak:7.0f} MB")


if __name__ == "__main__":
    main()
