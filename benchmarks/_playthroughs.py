"""Rows 5 and 8 of ``benchmarks/run.py``: random play-testing against ChoiceScript run live,
and the engine's cost per decision by path length.

Row 5 times whole processes against whole processes, interleaved, on the same twin
(``twin.py 10 4`` writes it in both formats) with the same number of runs and the same pick
policy: ChoiceScript's ``node randomtest.js num=N game=GAME seed=0 ...`` (its default
``avoidUsedOptions=true`` picks the options used least; ``avoidUsedOptions=false`` picks
uniformly) against ``leadsim check --random N --policy least-used|uniform twin.yaml`` (which
also loads, explores and runs its persona bots). The ChoiceScript checkout is named with
``--choicescript DIR`` or ``LEADSIM_CHOICESCRIPT``; randomtest reads its game from
``web/GAME/scenes`` under its working folder, so the script stages a folder of links to the
checkout's files plus the twin's scenes, and leaves the checkout untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _report import Section, Target, median

ROOT = Path(__file__).resolve().parent.parent
GAME = "leadsimtwin"


def stage(checkout: Path, scenes: Path, folder: Path) -> Path:
    """A working folder for randomtest.js: links to the checkout's files, and ``web/GAME``
    holding the twin's scenes. Returns the folder."""
    out = folder / "choicescript"
    if out.exists():
        return out
    out.mkdir()
    for entry in checkout.iterdir():
        if entry.name != "web":
            (out / entry.name).symlink_to(entry)
    (out / "web").mkdir()
    for entry in (checkout / "web").iterdir():
        (out / "web" / entry.name).symlink_to(entry)
    game = out / "web" / GAME / "scenes"
    game.mkdir(parents=True)
    shutil.copy(scenes / "startup.txt", game / "startup.txt")
    return out


def _timed(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        raise RuntimeError(f"{argv[:3]} failed: {done.stdout[-300:]}{done.stderr[-300:]}")
    if argv[0].endswith("node") and "RANDOMTEST PASSED" not in done.stdout:
        raise RuntimeError(f"randomtest did not pass: {done.stdout[-300:]}")
    return took


def row_versus_choicescript(
    quick: bool, twin_yaml: Path, checkout: Path | None, tmp: Path
) -> Section:
    section = Section("5. Random play-testing against ChoiceScript (whole processes, same twin)")
    if checkout is None:
        section.skipped = (
            "no ChoiceScript checkout given (--choicescript DIR or LEADSIM_CHOICESCRIPT)"
        )
        return section
    node = shutil.which("node")
    if node is None:
        section.skipped = "node is not on the PATH (ChoiceScript's randomtest.js needs it)"
        return section
    if not (checkout / "randomtest.js").exists():
        section.skipped = f"{checkout} has no randomtest.js"
        return section
    cwd = stage(checkout, twin_yaml.parent / "cs" / "scenes", tmp)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    sizes = (2_000, 20_000)
    repeat = 3 if quick else 5
    flags = ["seed=0", "showText=false", "showChoices=false", "showCoverage=false"]
    section.headers = [
        "runs",
        "picks",
        "ChoiceScript s",
        "leadsim check s",
        "ChoiceScript runs/s",
        "leadsim runs/s",
        "leadsim vs ChoiceScript",
    ]
    for runs in sizes:
        for policy, avoid in (("least-used", "true"), ("uniform", "false")):
            cs_argv = [node, "randomtest.js", f"num={runs}", f"game={GAME}", *flags]
            cs_argv.append(f"avoidUsedOptions={avoid}")
            ls_argv = [sys.executable, "-m", "sim", "check", "--random", str(runs)]
            ls_argv += ["--policy", policy, str(twin_yaml)]
            try:
                _timed(cs_argv, cwd)  # warm the file cache for both
                _timed(ls_argv, ROOT, env)
                cs, ls = [], []
                for _ in range(repeat):  # interleaved, so the machine's load hits both alike
                    cs.append(_timed(cs_argv, cwd))
                    ls.append(_timed(ls_argv, ROOT, env))
            except (OSError, RuntimeError) as e:
                section.skipped = f"{type(e).__name__}: {e}"
                return section
            c, s = median(cs), median(ls)
            section.rows.append(
                [
                    f"{runs:,}",
                    policy,
                    f"{c:.2f}",
                    f"{s:.2f}",
                    f"{runs / c:,.0f}",
                    f"{runs / s:,.0f}",
                    f"{c / s:.2f}x",
                ]
            )
            if runs == 20_000:
                section.targets.append(
                    Target(
                        f"random play-testing vs ChoiceScript, 20,000 runs, {policy} picks",
                        f"{c / s:.2f}x",
                        ">= 5x",
                        c / s >= 5,
                    )
                )
    section.notes.append(
        f"Medians of {repeat} interleaved whole-process runs after a warm-up of each. "
        f"ChoiceScript: `node randomtest.js num=N game=twin {' '.join(flags)}` with "
        "`avoidUsedOptions=true` (its default: the options used least) or `=false` "
        "(uniform), from the checkout given. leadsim: `leadsim check --random N --policy P "
        "twin.yaml`, which also loads the file, explores its state space and runs the persona "
        "bots before the random runs (sim/analysis/kernel.py: the scenario compiled into "
        "tables, tested to agree with the engine seed for seed)."
    )
    return section


def _chain(length: int) -> str:
    """A chain of ``length`` scenes: three options a scene lead on (one behind a condition),
    a fourth leaves for the one ending, so one scenario holds paths of any length."""
    out = [
        "scenario: chain",
        "title: Chain",
        "summary: A long path.",
        "meters:",
        "  trust: {label: Trust, start: 50, min: 0, max: 100}",
        "  results: {label: Results, start: 50, min: 0, max: 100}",
        "start: s0",
        "scenes:",
    ]
    for i in range(length):
        nxt = f"s{i + 1}" if i + 1 < length else "done"
        out += [
            f"  s{i}:",
            "    text: A scene.",
            "    choices:",
            f"      - {{id: a, text: A, style: manager, feedback: ok, effects: {{trust: -5}}, "
            f"next: {nxt}}}",
            f"      - {{id: b, text: B, style: leader, feedback: ok, effects: {{trust: +5}}, "
            f"if: 'trust >= 20', next: {nxt}}}",
            f"      - {{id: c, text: C, style: neutral, feedback: ok, next: {nxt}}}",
            "      - {id: leave, text: Leave, style: neutral, feedback: ok, next: done}",
        ]
    out += ["endings:", "  done: {title: Done, text: The end.}"]
    return "\n".join(out) + "\n"


def row_path_length(quick: bool) -> Section:
    import random

    from sim import engine
    from sim.format import loader

    section = Section("8. Engine cost per decision by path length (sim.engine.choose)")
    decisions, repeat = (16_000, 3) if quick else (32_000, 7)
    section.headers = ["path", "decisions timed", "us/decision (median)"]
    chain = 8_000
    scenario = loader.loads(_chain(chain))  # one scenario: only the paths differ
    # (name, decisions a path, where a path starts): short paths from the start meet the
    # same ten scenes again and again, warm in the CPU's caches; short paths from random
    # places meet scenes as a long path does, once each.
    kinds = {
        "10 decisions from the start": (10, lambda rng: 0),
        "10 decisions from a random scene of the chain": (
            10,
            lambda rng: rng.randrange(chain - 10),
        ),
        "8,000 decisions (the whole chain)": (chain, lambda rng: 0),
    }
    samples: dict[str, list[float]] = {name: [] for name in kinds}
    for r in range(repeat):  # interleaved, so the machine's load hits all alike
        for name, (length, first) in kinds.items():
            rng = random.Random(r)
            runs = max(1, decisions // length)
            start = time.perf_counter()
            for run in range(runs):
                state = engine.start(scenario, run)
                state = engine.State(scene=f"s{first(rng)}", meters=state.meters, rng=state.rng)
                while state.ending is None:
                    if state.step == length - 1:
                        state = engine.choose(scenario, state, "leave")
                        continue
                    offered = [c for c in engine.available(scenario, state) if c.id != "leave"]
                    state = engine.choose(scenario, state, rng.choice(offered).id)
            samples[name].append((time.perf_counter() - start) / (runs * length))
    cost = {name: median(values) for name, values in samples.items()}
    for name, (length, _) in kinds.items():
        timed = max(1, decisions // length) * length * repeat
        section.rows.append([name, f"{timed:,}", f"{cost[name] * 1e6:.2f}"])
    short, long = (
        cost["10 decisions from a random scene of the chain"],
        cost["8,000 decisions (the whole chain)"],
    )
    ratio = long / short
    section.targets.append(
        Target(
            "cost per decision, 8,000-step paths vs 10-step paths (from random scenes)",
            f"{ratio:.2f}x",
            "about 1x (<= 1.5x)",
            ratio <= 1.5,
        )
    )
    section.notes.append(
        "One chain of 8,000 scenes (three options on, one behind a condition, and one to leave "
        "for the ending); a path of N decisions takes N - 1 uniform picks on, then leaves, "
        "through engine.available and engine.choose, in-process; "
        f"the same number of decisions at each length, {repeat} interleaved repeats."
    )
    return section
