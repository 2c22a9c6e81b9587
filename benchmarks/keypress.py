#!/usr/bin/env python3
"""Keypress-to-repaint time of the simulator, next to a bare Textual app, in the same run.

    python benchmarks/keypress.py [--presses 200] [--fps 60]

Start-up is row 1 of benchmarks/run.py (the real command on a pseudo-terminal).

Headless: a key event is posted to the app exactly as the terminal driver would post it, and
the clock stops when the app hands the next screen update to its driver (the update is also
serialised to terminal bytes, so that cost is counted). Before each press the app is let
settle, so every sample is one key and the repaint it caused.

Rows:
  baseline          a bare Textual app (Static + Footer) whose key updates the Static
  choose (debrief)  pick a choice in `debrief` feedback mode: the next scene, choices and
                    meters are drawn at once
  choose (coach)    pick a choice in `coach` mode: the feedback panel replaces the choices
  continue (coach)  Enter after the feedback: the next scene is drawn

Textual draws at most TEXTUAL_FPS frames a second (default 60), so a repaint waits for the
next frame: up to 16.7 ms at 60 fps, for the baseline too. `--fps 1000` shows the work
alone. Sessions are logged as in real use (to a temporary LEADSIM_HOME), fsync included.
Also prints start-up (import, and headless start to exit) against the bare app.

Not a test: it prints a table and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SCENARIO = """
scenario: bench-loop
title: Benchmark loop
summary: One scene that returns to itself, so a session can take any number of decisions.
feedback_mode: {mode}
meters:
  trust:   {{label: Team trust, start: 50}}
  results: {{label: Results, start: 50}}
  morale:  {{label: Morale, start: 50}}
start: desk
scenes:
  desk:
    speaker: Sam, team lead
    text: |
      Monday again. The sprint board is full, two people are out sick and the client has
      asked for a demo on Thursday. Sam waits at your desk with the plan printed out.

      "We can do the demo or the release, not both," Sam says. "What do you want?"
    choices:
      - id: order
        text: Decide yourself and send the team a schedule with owners and times for each task.
        style: manager
        effects: {{results: +5, trust: -5}}
        feedback: Clear and fast, but nobody was asked.
        next: desk
      - id: ask
        text: Bring the team together and ask them what they think is realistic this week.
        style: leader
        effects: {{trust: +5, results: -2}}
        feedback: Slower, and the team owns the plan.
        next: desk
      - id: client
        text: Call the client and ask which of the two matters more to them this week.
        style: neutral
        effects: {{morale: +1}}
        feedback: Useful facts before a decision.
        next: desk
      - id: both
        text: Promise both, and plan to work the weekend yourself if it slips.
        style: manager
        effects: {{results: +2, morale: -5}}
        feedback: Heroics hide the real problem.
        next: desk
endings:
  never:
    title: Never reached
    text: The loop never ends.
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class PaintClock:
    """Wraps ``app._display`` to timestamp each screen update handed to the driver."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.painted = asyncio.Event()
        self.at = 0.0
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            render = getattr(renderable, "render_segments", None)
            if render is not None:
                render(app.console)  # the bytes a terminal would receive
            if not self.painted.is_set():
                self.at = time.perf_counter()
                self.painted.set()

        app._display = display

    async def press(self, pilot: Any, key: str) -> float:
        """Post ``key`` and return the milliseconds until the next repaint."""
        from textual import events

        await pilot.pause()
        await asyncio.sleep(0.02)  # let any pending frame go out first
        self.painted.clear()
        character = {"enter": "\r"}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, character)
        event.set_sender(self.app)
        start = time.perf_counter()
        self.app._driver.send_message(event)  # as the terminal driver delivers a key
        try:
            await asyncio.wait_for(self.painted.wait(), timeout=5)
        except TimeoutError:
            screen = self.app.screen
            raise SystemExit(f"no repaint after {key!r} on {screen!r}") from None
        return (self.at - start) * 1000


async def bench_baseline(presses: int) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Footer, Static

    class Bare(App[None]):
        BINDINGS = [Binding("1", "bump", "Bump")]  # noqa: RUF012
        count = 0

        def compose(self) -> ComposeResult:
            yield Static("0", id="n")
            yield Footer()

        def action_bump(self) -> None:
            self.count += 1
            self.query_one("#n", Static).update(str(self.count))

    app = Bare()
    samples = []
    async with app.run_test(size=(80, 24)) as pilot:
        clock = PaintClock(app)
        for _ in range(presses):
            samples.append(await clock.press(pilot, "1"))
    return samples


async def bench_simulator(presses: int, mode: str) -> dict[str, list[float]]:
    from sim.format import loader
    from sim.tui.app import Options, build_app

    folder = Path(tempfile.mkdtemp(prefix="leadsim-bench-"))
    path = folder / "loop.yaml"
    path.write_text(SCENARIO.format(mode=mode), encoding="utf-8")
    loader.load(path)  # fail early, with diagnostics, if the bench scenario is wrong
    # Each run logs to its own folder, so no earlier run's unfinished session is offered.
    logs = Path(tempfile.mkdtemp(prefix="leadsim-bench-logs-"))
    # settle=0: the simulator ignores keys for 0.3 s after a new screen (they were typed for
    # the one before); this measures the repaint itself, so it does not wait that out.
    opts = Options(seed=7, blink=False, shipped=False, log=logs, settle=0)
    app = build_app(opts, path)
    choose: list[float] = []
    carry_on: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        clock = PaintClock(app)
        for i in range(presses):
            choose.append(await clock.press(pilot, str(1 + i % 4)))
            if mode == "coach":
                carry_on.append(await clock.press(pilot, "enter"))
        # Inside the run: an app that exits lets go of its session (and the log's lock).
        assert app.session is not None and app.session.step == presses, "presses were lost"
    if mode == "coach":
        return {"choose (coach)": choose, "continue (coach)": carry_on}
    return {"choose (debrief)": choose}


def row(name: str, samples: list[float]) -> str:
    return (
        f"{name:<18} {len(samples):>5} {statistics.median(samples):>8.2f} "
        f"{percentile(samples, 0.95):>8.2f} {statistics.fmean(samples):>8.2f} {max(samples):>8.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--fps", type=int, help="TEXTUAL_FPS for this run (default: Textual's)")
    args = parser.parse_args(argv)
    if args.fps and os.environ.get("TEXTUAL_FPS") != str(args.fps):
        env = {**os.environ, "TEXTUAL_FPS": str(args.fps)}
        return subprocess.call([sys.executable, __file__, *(argv or sys.argv[1:])], env=env)
    os.environ["LEADSIM_HOME"] = tempfile.mkdtemp(prefix="leadsim-bench-home-")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    from textual import constants

    results: dict[str, list[float]] = {}
    jobs: list[Callable[[], Any]] = [
        lambda: bench_baseline(args.presses),
        lambda: bench_simulator(args.presses, "debrief"),
        lambda: bench_simulator(args.presses, "coach"),
    ]
    for job in jobs:
        outcome = asyncio.run(job())
        if isinstance(outcome, dict):
            results.update(outcome)
        else:
            results["baseline"] = outcome

    print(
        f"Keypress to repaint, headless 80x24, {args.presses} presses each, "
        f"TEXTUAL_FPS={constants.MAX_FPS} (ms)"
    )
    print(f"{'':<18} {'n':>5} {'p50':>8} {'p95':>8} {'mean':>8} {'max':>8}")
    for name, samples in results.items():
        print(row(name, samples))
    base = statistics.median(results["baseline"])
    worst = max(statistics.median(v) for k, v in results.items() if k != "baseline")
    print(f"slowest p50 over baseline p50: +{worst - base:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
