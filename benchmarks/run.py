#!/usr/bin/env python3
"""leadsim's benchmarks: print a table and write BENCHMARKS.md.

    python benchmarks/run.py            # everything, about 7 minutes on 2 cores
    python benchmarks/run.py --quick    # smaller sizes and fewer repeats, about 1 minute
    python benchmarks/run.py --rows 3 5 --no-write
    python benchmarks/run.py --choicescript ~/src/choicescript   # row 5 needs a checkout

Rows (each against a baseline measured in the same run, as medians of repeated runs):

1. start-up to the first useful screen: the real ``leadsim`` and ``leadsim play X`` commands,
   whole process on an 80x24 pseudo-terminal (``benchmarks/_pty.py``), each versus a bare
   Textual app with the same kinds of widgets started the same way (``_bare_app.py`` for the
   library, ``_bare_play.py`` for the play screen);
2. keypress to repaint when choosing an option, p50 and p95 (``benchmarks/keypress.py``,
   by the TUI's authors, run from here);
3. load + validate generated scenarios of 100 to 100,000 scenes (``twin.py LAYERS 4``) versus
   a bare ``yaml.load(..., Loader=yaml.CSafeLoader)`` of the same file, each size in a fresh
   process (``benchmarks/_load.py``), with the deep analysis (``sim.analysis.lint``) as its own
   column;
4. deep analysis of each shipped scenario: states explored per second, and lint's total time;
5. random play-testing, whole process against whole process: ``leadsim check --random N``
   versus ChoiceScript's ``randomtest.js`` run live from a checkout (``--choicescript DIR``)
   on the same twin (``twin.py 10 4``), N = 2,000 and 20,000, least-used and uniform picks
   (``benchmarks/_playthroughs.py``);
6. ``replay --verify`` throughput and peak memory on a 100,000-decision log
   (``benchmarks/replay.py``, by the session log's authors, run from here);
7. ``leadsim report`` over a seeded synthetic cohort of 10,000 logs: cold, warm and incremental,
   against DuckDB's ``read_ndjson_objects`` over the same files (``benchmarks/report.py``);
8. the engine's cost per decision on 10-step and 8,000-step paths.

A row that cannot run (its benchmark script fails, twin.py is missing) is reported as not
measured, with the reason. Only the standard library and the project's own dependencies are used,
  except row 7's DuckDB baseline (``pip install .[bench]``; without it that line is not measured).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import _shapes  # noqa: E402
from _history import ENGINE_PROFILE, PERFORMANCE, ROBUSTNESS  # noqa: E402
from _report import Section, Target, md_table, median, percentile, text_table  # noqa: E402
from _report import machine as describe_machine  # noqa: E402

TWIN = Path(os.environ.get("LEADSIM_TWIN", "/work/shared/bench/twin.py"))
SCENARIOS = ROOT / "scenarios"


def module_at(path: Path, name: str) -> ModuleType:
    """Import a benchmark script that lives beside this one (benchmarks/ is no package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def twin(layers: int, width: int, folder: Path) -> Path:
    out = folder / f"twin-{layers}x{width}"
    if not (out / "twin.yaml").exists():
        subprocess.run(
            [sys.executable, str(TWIN), str(layers), str(width), str(out)],
            check=True,
            capture_output=True,
        )
    return out / "twin.yaml"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


# --- 1. start-up ------------------------------------------------------------------------


BARE = "bare Textual app (title, Input, OptionList, key bar)"
BARE_PLAY = "bare Textual app with the play screen's widgets"
PLAY = "leadsim play friday-shipment: first scene"


def row_startup(quick: bool, tmp: Path) -> Section:
    section = Section("1. Start-up to the first useful screen (real command, 80x24 terminal)")
    from _pty import times_to_text

    runs = 5 if quick else 9
    py = sys.executable
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "LEADSIM_HOME": str(tmp / "home-startup"),
        "PYTHONPATH": str(ROOT),
    }
    # Both sides start from bytecode caches, as an installed program does: Textual's are in
    # site-packages; leadsim's are written by the warm-up run below, which an environment
    # with PYTHONDONTWRITEBYTECODE would prevent (every run would then compile sim/ afresh).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # name -> (argv, the text that marks the screen as shown)
    commands: dict[str, tuple[list[str], str]] = {
        BARE: ([py, str(HERE / "_bare_app.py")], "Consultant Office"),
        BARE_PLAY: ([py, str(HERE / "_bare_play.py")], "What do you do"),
        "leadsim: library screen shown": ([py, "-m", "sim"], "Scenario library"),
        "leadsim: library listed": ([py, "-m", "sim"], "Friday Shipment"),
        PLAY: (
            [py, "-m", "sim", "play", "friday-shipment", "--name", "Bench"],
            "What do you do",
        ),
    }
    imports = {
        "import textual.app": "import textual.app",
        "import sim.tui.app": "import sim.tui.app",
    }
    times: dict[str, list[float]] = {name: [] for name in [*imports, *commands]}
    cpu: dict[str, list[float]] = {name: [] for name in commands}

    def fresh(run: int) -> dict[str, str]:
        # A new data folder per run: a killed session leaves an unfinished log, and the next
        # run would open on the offer to resume it instead of the screen being timed.
        return {**env, "LEADSIM_HOME": str(tmp / f"home-startup-{run}")}

    for argv, marker in commands.values():  # warm the file cache and the bytecode caches
        times_to_text(argv, marker, fresh(-1))
    for run in range(runs):  # interleaved, so drift in the machine's load hits all alike
        for name, code in imports.items():
            start = time.perf_counter()
            subprocess.run([py, "-c", code], env=env, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
        for number, (name, (argv, marker)) in enumerate(commands.items()):
            wall, used = times_to_text(argv, marker, fresh(run * 10 + number))
            times[name].append(wall)
            cpu[name].append(used)
    section.headers = [
        "process",
        "median ms",
        "min ms",
        "max ms",
        "vs its bare app",
        "CPU ms",
        "CPU vs its bare app",
    ]
    for name, values in times.items():
        base = BARE_PLAY if name == PLAY else BARE  # the bare app with the same widgets
        used = median(cpu[name]) if name in cpu else None
        section.rows.append(
            [
                name,
                ms(median(values)),
                ms(min(values)),
                ms(max(values)),
                f"{median(values) / median(times[base]):.2f}x",
                "-" if used is None else ms(used),
                "-" if used is None else f"{used / median(cpu[base]):.2f}x",
            ]
        )
    for name, base in (("leadsim: library screen shown", BARE), (PLAY, BARE_PLAY)):
        ratio = median(times[name]) / median(times[base])
        section.targets.append(
            Target(f"{name} vs its bare app", f"{ratio:.2f}x", "<= 1.30x", ratio <= 1.3)
        )
    versus_library_bare = median(times[PLAY]) / median(times[BARE])
    section.notes.append(
        f"Median of {runs} interleaved runs each, after one warm-up run. Each is a whole "
        "process (interpreter start, imports, first paint) on a real 80x24 pseudo-terminal "
        "(benchmarks/_pty.py); the clock stops when the marking text reaches the terminal. "
        "CPU ms: user + system time the process had used by then (from wait4), which a "
        "loaded machine inflates less than the wall clock. "
        "Each leadsim screen is set against a bare app with its kinds of widgets and no "
        "data: the library against benchmarks/_bare_app.py (title, Input, OptionList, key "
        "bar), play against benchmarks/_bare_play.py (title, two meter rows, scrolling scene "
        "text and cue, prompt and OptionList of three options, key bar; no scenario, session "
        "or log). vs its bare app is that ratio (the bare apps themselves are set against the "
        f"library one); play against the library's bare app: {versus_library_bare:.2f}x."
    )
    return section


# --- 2. keypress ------------------------------------------------------------------------


def row_keypress(quick: bool, tmp: Path) -> Section:
    section = Section("2. Keypress to repaint when choosing an option (headless 80x24)")
    keypress = module_at(HERE / "keypress.py", "leadsim_bench_keypress")
    os.environ.setdefault("LEADSIM_HOME", str(tmp / "home-keypress"))
    presses = 40 if quick else 80
    results: dict[str, list[float]] = {}
    try:
        results["baseline: bare app, key updates a Static"] = asyncio.run(
            keypress.bench_baseline(presses)
        )
        for mode in ("debrief", "coach"):
            results.update(asyncio.run(keypress.bench_simulator(presses, mode)))
    except Exception as e:  # another part's script: report, do not crash the whole run
        section.skipped = f"benchmarks/keypress.py failed: {type(e).__name__}: {e}"
        return section
    from textual import constants

    section.headers = ["action", "presses", "p50 ms", "p95 ms", "max ms"]
    for name, samples in results.items():
        section.rows.append(
            [
                name,
                str(len(samples)),
                f"{median(samples):.2f}",
                f"{percentile(samples, 0.95):.2f}",
                f"{max(samples):.2f}",
            ]
        )
    for name, samples in results.items():
        if name.startswith("choose"):
            p50 = median(samples)
            section.targets.append(
                Target(f"keypress p50, {name}", f"{p50:.2f} ms", "< 16 ms", p50 < 16)
            )
    section.notes.append(
        f"TEXTUAL_FPS={constants.MAX_FPS}. The clock runs from posting the key event, as the "
        "terminal driver does, to the frame handed to the driver (serialised to terminal "
        "bytes); the baseline is the same measurement on a bare app whose key updates a "
        "Static. Sessions are logged (fsync per line) as in real use. 'coach' replaces the "
        "choices with the feedback panel, 'continue' draws the next scene."
    )
    return section


# --- 3. load + validate -----------------------------------------------------------------


def row_load(quick: bool, tmp: Path) -> Section:
    section = Section("3. Load + validate generated scenarios (twin.py LAYERS 4)")
    if not TWIN.exists():
        section.skipped = f"{TWIN} not found (set LEADSIM_TWIN)"
        return section
    plan = {25: 5, 250: 3, 2500: 1} if quick else {25: 7, 250: 5, 2500: 3, 25000: 1}
    has_lint = (ROOT / "sim" / "analysis" / "lint.py").exists()
    section.headers = [
        "scenes",
        "MB",
        "yaml.load s",
        "yaml.load, gc paused s",
        "loader.check s",
        "check / yaml.load",
        "check us/scene",
        "yaml.load us/scene",
        "deep analysis s (states)",
        "peak RSS MB",
    ]
    ratios, per_scene = [], {}
    for layers, repeat in plan.items():
        path = twin(layers, 4, tmp)
        args = [sys.executable, str(HERE / "_load.py"), str(path), "--repeat", str(repeat)]
        if has_lint:
            args.append("--lint")
        if layers <= 2500:
            args.append("--paused-baseline")
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            section.notes.append(f"{layers * 4} scenes failed: {done.stdout}{done.stderr}"[:500])
            continue
        r = json.loads(done.stdout)
        scenes = r["scenes"]
        base, check = median(r["baseline"]), median(r["check"])
        paused = f"{median(r['baseline_paused']):.3f}" if r["baseline_paused"] else "-"
        ratios.append(check / base)
        per_scene[scenes] = check / scenes
        lint = (
            f"{r['lint']:.2f} ({r['lint_states']:,}{'' if r['lint_complete'] else ', capped'})"
            if "lint" in r
            else "-"
        )
        section.rows.append(
            [
                f"{scenes:,}",
                f"{r['bytes'] / 1e6:.1f}",
                f"{base:.3f}",
                paused,
                f"{check:.3f}",
                f"{check / base:.2f}x",
                f"{check / scenes * 1e6:,.0f}",
                f"{base / scenes * 1e6:,.0f}",
                lint,
                f"{r['maxrss_mb']:,.0f}",
            ]
        )
    if ratios:
        worst = max(ratios)
        section.targets.append(
            Target("load + validate vs yaml.load", f"{worst:.2f}x at worst", "<= 3x", worst <= 3)
        )
    if len(per_scene) >= 3:
        sizes = sorted(per_scene)
        smallest_fair = sizes[1]  # 100 scenes is dominated by fixed costs
        growth = per_scene[sizes[-1]] / per_scene[smallest_fair]
        section.targets.append(
            Target(
                "linear growth (check cost per scene, largest vs 1,000 scenes)",
                f"{growth:.2f}x",
                "about 1x (<= 1.5x)",
                growth <= 1.5,
            )
        )
    section.targets += loader_memory(quick, tmp, section.notes)
    section.notes += [
        "Each size runs in a fresh process (benchmarks/_load.py); yaml.load and loader.check "
        "alternate, medians of the repeats shown (one run at 100,000 scenes).",
        "loader.check pauses the cycle collector while it composes (a measured 2.6x on "
        "10,000 scenes); the 'gc paused' column is yaml.load under the same condition, to "
        "separate the parser from the collector.",
        "Deep analysis = sim.analysis.explore + sim.analysis.lint on the loaded scenario, "
        "exploring up to its default limit of states ('capped' when the twin's state space is "
        "larger).",
    ]
    return section


LIMIT_LAYERS = 26_450
"""twin.py LAYERS 4 with the most layers under the loader's size limit (67.07 MB of 67.11)."""


AT_THE_LIMIT = 1_199_000
"""Narration scenes in the largest file of them the value limit accepts (33 MB, 5,995,000
values): the shape with the most model per value, so the largest peak any accepted file
reaches (docs/authoring.md, "Size limits")."""


def loader_memory(quick: bool, tmp: Path, notes: list[str]) -> list[Target]:
    """Peak memory of loader.check alone, as docs/authoring.md defines it: a fresh process's
    peak RSS less its RSS before loading, over the file's size. Measured on the largest twin
    the size limit accepts, on each of the densest shapes in benchmarks/_shapes.py just over
    1 MiB (where a fixed part of the peak weighs most), and on the shape with the most model
    per value at the value limit (the largest peak of any accepted file). Two targets: under
    10x for the shapes a trainer's or a generator's file has (twins, one-line scenes), and
    under 1 GB for every file; the ratio of the densest shapes is shown beside them."""
    files = {
        "twin": twin(2500 if quick else LIMIT_LAYERS, 4, tmp),
        "one-line scenes": _shapes.one_line(15_000, tmp),
        "tightest one-line scenes": _shapes.tightest(17_000, tmp),
        "narration scenes": _shapes.narration(43_000, tmp),
        "guarded routes": _shapes.guarded(1_200, tmp),
        "long conditions": _shapes.long_conditions(4_800, tmp),
    }
    if not quick:
        files["one-line scenes at the value limit"] = _shapes.one_line(499_000, tmp)
        files["narration scenes at the value limit"] = _shapes.narration(AT_THE_LIMIT, tmp)
    plain = ("twin", "one-line scenes", "tightest one-line scenes")
    found: dict[str, tuple[float, float, float]] = {}  # name -> (ratio, peak MiB, file MB)
    for name, path in files.items():
        args = [sys.executable, str(HERE / "_load.py"), str(path), "--repeat", "1", "--check-only"]
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            notes.append(f"loader memory not measured ({name}): {done.stdout}{done.stderr}"[:500])
            return [Target("loader peak memory", "not measured", "< 10x and < 1 GB", None)]
        r = json.loads(done.stdout)
        found[name] = (r["peak_x_file"], r["maxrss_mb"], r["bytes"] / 1e6)
        notes.append(
            f"Loader memory ({found[name][2]:.1f} MB, {name}, {r['scenes']:,} scenes): peak RSS "
            f"{r['maxrss_mb']:,.0f} MiB, {r['rss_before_mb']:,.0f} of it before loading; "
            f"{r['peak_x_file']:.1f}x the file."
        )

    def worst(names: Iterable[str]) -> tuple[str, tuple[float, float, float]]:
        return max(((n, found[n]) for n in names), key=lambda kv: kv[1][0])

    name, (ratio, _, size) = worst(n for n in found if n.startswith(plain))
    dense_name, (dense_ratio, _, dense_size) = worst(n for n in found if not n.startswith(plain))
    biggest, (_, peak, big_size) = max(found.items(), key=lambda kv: kv[1][1])
    notes.append(
        "The densest shapes (benchmarks/_shapes.py) cost more than 10 times their size because "
        "the model costs a fixed amount per element, whatever the file spends on it: a "
        "narration scene written in 25 bytes is a Scene (104 bytes), its one way on (a Choice, "
        "128), a Route (64), two one-item tuples (96), three positions (96), its id (64 with "
        "the allocator's rounding) and its entry in the scenes' dict (about 40), some 560 "
        "bytes; a scene object with nothing but its id, text, dict entry and two positions "
        "would still be about 230, 9 times. Under 10 times for every accepted file would take "
        "a columnar model (elements as rows of arrays) that every layer reads, or refusing "
        "valid files. The value limit (6,000,000) and the limit of 10,000 flag names bound "
        "them in absolute terms instead, and conditions are kept as their text (parsed when "
        "first used): the largest peak of any accepted file is the value limit's narration "
        "file."
    )
    return [
        Target(
            "loader peak vs file size (twins, one-line scenes)",
            f"{ratio:.1f}x ({size:.1f} MB {name}); densest shapes up to "
            f"{dense_ratio:.1f}x ({dense_size:.1f} MB {dense_name})",
            "< 10x",
            all(found[n][0] < 10 for n in found if n.startswith(plain)),
        ),
        Target(
            "loader peak, any accepted file",
            f"{peak:,.0f} MiB at most ({big_size:.1f} MB {biggest})",
            "< 1 GB",
            all(f[1] * 2**20 < 1e9 for f in found.values()),
        ),
    ]


# --- 4. deep analysis -------------------------------------------------------------------


def row_explore(quick: bool) -> Section:
    section = Section("4. Deep analysis of each shipped scenario")
    from sim.analysis import explore, lint
    from sim.format import loader

    repeat = 1 if quick else 3
    section.headers = [
        "scenario",
        "states",
        "transitions",
        "complete",
        "explore s",
        "states/s",
        "lint total s",
    ]
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario, _ = loader.check(path)
        if scenario is None:
            section.rows.append([path.stem, "-", "-", "does not load", "-", "-", "-"])
            continue
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            found = explore.explore(scenario)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        lint.lint(scenario)
        lint_time = f"{time.perf_counter() - start:.3f}"
        t = median(times)
        section.rows.append(
            [
                scenario.id,
                f"{found.states:,}",
                f"{found.transitions:,}",
                "yes" if found.complete else "no (capped)",
                f"{t:.3f}",
                f"{found.states / t:,.0f}",
                lint_time,
            ]
        )
    section.notes.append(
        f"explore() to its default limit, median of {repeat}; lint = graph checks plus its own "
        "exploration, once."
    )
    return section


# --- 5. random play-testing vs ChoiceScript, 8. cost per decision ------------------------


def row_playthroughs(quick: bool, tmp: Path) -> Section:
    from _playthroughs import row_versus_choicescript

    if not TWIN.exists():
        return Section("5. Random play-testing against ChoiceScript", skipped=f"{TWIN} not found")
    named = os.environ.get("LEADSIM_CHOICESCRIPT")
    return row_versus_choicescript(quick, twin(10, 4, tmp), Path(named) if named else None, tmp)


def row_path_length(quick: bool, tmp: Path) -> Section:
    from _playthroughs import row_path_length as row

    return row(quick)


# --- 6. replay --verify -----------------------------------------------------------------


def row_replay(quick: bool, tmp: Path) -> Section:
    section = Section("6. Replay --verify of a long session log")
    bench = module_at(HERE / "replay.py", "leadsim_bench_replay")
    size, repeat = (20_000, 1) if quick else (100_000, 3)
    try:
        from sim.format import loader
        from sim.log import replay

        folder = tmp / "replay"
        folder.mkdir(exist_ok=True)
        (folder / "loop.yaml").write_text(bench.SCENARIO)
        scenario = loader.load(folder / "loop.yaml")
        bench._LOADED["loop"] = replay.Located(scenario, changed=False)
        path = folder / f"log-{size}.jsonl"
        bench.generate(scenario, path, size)
        times: dict[str, list[float]] = {"baseline": [], "verify": []}
        for _ in range(repeat):
            for name in times:
                start = time.perf_counter()
                getattr(bench, name)(path)
                times[name].append(time.perf_counter() - start)
        peak_verify = bench.peak(bench.verify, path)
        peak_base = bench.peak(bench.baseline, path)
    except Exception as e:  # another part's script: report, do not crash the whole run
        section.skipped = f"benchmarks/replay.py failed: {type(e).__name__}: {e}"
        return section
    base, verify = median(times["baseline"]), median(times["verify"])
    mb = path.stat().st_size / 1e6
    section.headers = ["measure", "decisions", "log MB", "seconds", "decisions/s", "peak traced MB"]
    section.rows = [
        [
            "json.loads of every line",
            f"{size:,}",
            f"{mb:.1f}",
            f"{base:.2f}",
            f"{size / base:,.0f}",
            f"{peak_base / 1e6:.1f}",
        ],
        [
            "leadsim replay --verify",
            f"{size:,}",
            f"{mb:.1f}",
            f"{verify:.2f}",
            f"{size / verify:,.0f}",
            f"{peak_verify / 1e6:.1f}",
        ],
    ]
    section.notes.append(
        f"Median of {repeat}; verify re-runs every decision through the engine and compares "
        f"the meters ({verify / base:.1f}x the bare JSON parse). Peak memory by tracemalloc."
    )
    return section


# --- 7. leadsim report ------------------------------------------------------------------


def row_report(quick: bool, tmp: Path) -> Section:
    section = Section("7. leadsim report over a synthetic cohort, against DuckDB")
    bench = module_at(HERE / "report.py", "leadsim_bench_report")
    sessions, repeat = (2_000, 1) if quick else (10_000, 3)
    try:
        rows = bench.measure(tmp / "cohort", sessions, repeat, tmp)
    except Exception as e:  # another part's script: report, do not crash the whole run
        section.skipped = f"benchmarks/report.py failed: {type(e).__name__}: {e}"
        return section
    section.headers = ["measure", "time", "note"]
    section.rows = [list(r) for r in rows]
    cold = next(
        float(t.split()[0]) for name, t, _n in rows if name.startswith("leadsim report, cold")
    )
    section.targets.append(
        Target(f"cold report of {sessions:,} logs", f"{cold:.2f} s", "< 5 s", cold < 5)
    )
    section.notes.append(
        "Cold: a fresh data folder, so the index is built from every log (as many processes as "
        "there are idle cores, by the load average: one on a busy machine); warm: the index is "
        "up to date. Both from bytecode caches, as installed. DuckDB reads every line each "
        "time and knows nothing of rewinds, resumes or damaged lines (it counts every decision "
        "line), so it answers a simpler question; it is the outside baseline for reading the "
        "same files."
    )
    return section


# --- output -----------------------------------------------------------------------------

ROWS: dict[int, Callable[[bool, Path], Section]] = {
    1: row_startup,
    2: row_keypress,
    3: row_load,
    4: lambda quick, tmp: row_explore(quick),
    5: row_playthroughs,
    6: row_replay,
    7: row_report,
    8: row_path_length,
}


def show(section: Section) -> None:
    print(f"\n{section.title}")
    if section.skipped:
        print(f"  skipped: {section.skipped}")
        return
    print(text_table(section.headers, section.rows))
    for t in section.targets:
        print(f"  target {t.what}: {t.figure} (goal {t.goal}) - {t.verdict}")


def markdown(
    sections: list[Section], machine: list[tuple[str, str]], elapsed: float, quick: bool
) -> str:
    out = [
        "# Benchmarks",
        "",
        "Written by `python benchmarks/run.py`"
        + (" --quick" if quick else "")
        + f" (this run took {elapsed:.0f} s); do not edit by hand: the figures are that "
        "run's, the notes below them come from the script. Figures are medians of repeated "
        "runs, and each is set against a baseline measured in the same run.",
        "",
        "## Machine",
        "",
        md_table(["", ""], [[k, v] for k, v in machine]),
        "",
        "## Targets",
        "",
    ]
    targets = [t for s in sections for t in s.targets]
    out.append(
        md_table(
            ["target", "measured", "goal", "verdict"],
            [[t.what, t.figure, t.goal, t.verdict] for t in targets],
        )
    )
    for s in sections:
        if s.skipped:
            out += ["", f"*{s.title}: not measured: {s.skipped}.*"]
    for s in sections:
        out += ["", f"## {s.title}", ""]
        if s.skipped:
            out.append(f"Not measured: {s.skipped}.")
            continue
        out.append(md_table(s.headers, s.rows))
        if s.notes:
            out.append("")
            out += [f"- {n}" for n in s.notes]
    out += ["", "## Why a target is missed", ""]
    out += why_missed(sections)
    out += ["", "## Before and after", "", "### Performance", ""]
    headers = ["change (commit)", "measured on", "before", "after"]
    out.append(md_table(headers, [list(row) for row in PERFORMANCE]))
    out += ["", ENGINE_PROFILE, "", "### Robustness (hostile-input and fuzz tests)", ""]
    out.append(md_table(["input", "before", "after"], [list(row) for row in ROBUSTNESS]))
    return "\n".join(out).rstrip() + "\n"


def why_missed(sections: list[Section]) -> list[str]:
    missed = {t.what for s in sections for t in s.targets if t.met is False}
    lines = []
    if any("bare app" in w for w in missed):
        lines.append(
            "- **Start-up of `leadsim play X`** (TUI, format and core): paired runs (11-15 "
            "each, CPU column, a 2-core machine under load 4-5) against the library's bare app "
            "went from 1.73x to 1.40x: the garbage collector paused until the first paint and "
            "what start-up built frozen (`sim/tui/startup.py`; 1.50x), the session log created "
            "after the first paint and the log package not imported when there is no log to "
            "offer for resuming (`sim/sessions/later.py`; 1.45x), no frame drawn during the "
            "app's mount batch only to be dropped (1.40x), and the scene in one widget; the "
            "attrs classes made before the first scene share one `__repr__` (`sim/reprs.py`: "
            "attrs compiles one per class, about 0.13 ms each, some 5 ms in all). Set "
            "against a bare app with the play screen's own kinds of widgets (`_bare_play.py`), "
            "what is left comes before the app runs: from `App.run()` to the first paint the "
            "two take about the same (85 against 82 ms, medians of 6), so nearly all of the "
            "60-70 ms between them is importing and loading the scenario: attrs (about 10 ms) "
            "and the 24 classes of the model and conditions (about 13 ms, 8 of it attrs "
            "compiling their generated methods), PyYAML (11 ms, 4 of it compiling a pattern of "
            "its pure-Python reader that the C parser never uses), the loader's and sessions' "
            "own modules (about 15 ms), argparse (about 3 ms) and reading friday-shipment "
            "(5-7 ms). Those are the chosen libraries' costs, so the ratio sits at the line: "
            "1.28-1.35x from run to run (the bare app's median moves by 7 ms), and paired "
            "runs of the code before and after the loader's memory work measured the same "
            "(278.1 against 277.7 ms). With earlier logs in the folder, the resume check also "
            "imports the log package (about 10 ms)."
        )
    if any(w.startswith("cold report") for w in missed):
        lines.append(
            "- **Cold report of 10,000 logs**: the cost is CPU in one process (the command "
            "reads with one process when no core is idle): parsing about 127,000 log lines and "
            "walking 10,000 sessions through the replay walker (about 1.8 s), building the "
            "cohort (0.6 s), printing it (0.1 s), start-up (0.2 s). The parser's fast path, "
            "one index row a session, the cycle collector kept off and a one-pass cohort build "
            "took it from 4.2 to 2.8 s of CPU: 2.9-3.5 s wall at load averages of 2.4-4.9 on "
            "the two cores, where the code before took 4.3-6.6 s (see the history below). A "
            "miss means the machine was busier still. What is left lies below the report: the "
            "log reader's own per-line work (`sim/log/reader.py`, about 0.3 s) and the "
            "walker's (0.2 s)."
        )
    if any(w.startswith("keypress") for w in missed):
        lines.append(
            "- **Keypress** (TUI, `sim/tui/**`): cProfile of 60 coach-mode choices: the engine "
            "and session are negligible; the time is Textual restyling and compositing the "
            "play screen: `Stylesheet.apply` about 9 ms a press (widgets mounted anew for the "
            "feedback panel and the next scene get the CSS applied from scratch) and "
            "`Compositor._render_chops` about 7 ms a frame. Re-using the choice and feedback "
            "widgets (updating their content instead of removing and mounting) is the likely "
            "fix; reported to the TUI's authors. The p50 sits at the 16 ms line, so it passes "
            "or misses from run to run."
        )
    if any(w.startswith("linear") for w in missed):
        lines.append(
            "- **Linear growth**: the per-scene cost rises at 100,000 scenes in PyYAML's "
            "composer itself (libyaml + PyYAML's resolver), which a bare yaml.load pays just "
            "the same (its per-scene column rises alike); the loader's own reading of the "
            "nodes stays linear (compose 25.8 s, depth check 2.9 s, reading 8.5 s at 100,000 "
            "scenes against 2.0, 0.2 and 2.2 s at 10,000, cProfile and phase timers)."
        )
    if any(w.startswith("random") for w in missed):
        lines.append(
            "- **Random play-testing**: leadsim's process also explores the state space and "
            "runs the persona bots; the per-phase split is in the notes of row 5."
        )
    if any(w.startswith("cost per decision") for w in missed):
        lines.append("- **Cost per decision**: see row 8.")
    if any(w.startswith("load + validate") for w in missed):
        lines.append("- **Load + validate**: see the per-size figures above.")
    if any(w.startswith("loader peak") for w in missed):
        lines.append(
            "- **Loader memory** (`sim/format/`, `sim/model.py`): the figures are in row 3's "
            "notes. The smallest streamed files are the worst of each shape, since a part of "
            "the peak does not grow with the file (the parser's buffers, the last 64 KiB "
            "piece of the file, the allocator's pools: about 1 MB). Most of the peak is the "
            "loaded Scenario itself: per one-line scene a Scene (104 bytes), a Choice (128), a "
            "Route (64), two one-item tuples (96), three positions (96), the id (64) and its "
            "place in the scenes' dict."
        )
    return lines or ["Every measured target was met."]


def _serve_section(out: Path) -> str:
    """The `leadsim serve` section benchmarks/serve.py wrote (it needs a browser and takes
    minutes, so it runs on its own): kept as it is when this script rewrites the file."""
    start, end = "<!-- benchmarks/serve.py -->", "<!-- /benchmarks/serve.py -->"
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if start not in old or end not in old:
        return ""
    return "\n" + start + old.split(start, 1)[1].split(end, 1)[0] + end + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--rows", type=int, nargs="+", choices=sorted(ROWS), help="run only these")
    parser.add_argument("--no-write", action="store_true", help="do not write BENCHMARKS.md")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--choicescript",
        type=Path,
        metavar="DIR",
        help="a ChoiceScript checkout, for row 5 (or set LEADSIM_CHOICESCRIPT)",
    )
    args = parser.parse_args(argv)
    if args.choicescript is not None:
        os.environ["LEADSIM_CHOICESCRIPT"] = str(args.choicescript.resolve())
    machine = describe_machine()
    print("\n".join(f"{k}: {v}" for k, v in machine))
    began = time.perf_counter()
    sections = []
    with tempfile.TemporaryDirectory(prefix="leadsim-bench-") as name:
        tmp = Path(name)
        for number in args.rows or sorted(ROWS):
            gc.collect()
            section = ROWS[number](args.quick, tmp)
            show(section)
            sections.append(section)
    elapsed = time.perf_counter() - began
    print(f"\n{elapsed:.0f} s")
    if not args.no_write and not args.rows:
        text = markdown(sections, machine, elapsed, args.quick)
        args.out.write_text(text + _serve_section(args.out), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
