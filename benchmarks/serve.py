#!/usr/bin/env python3
"""`leadsim serve` at workshop scale: memory per connected trainee and keypress-to-repaint
through a real browser, with 1, 10 and 25 concurrent sessions.

    python benchmarks/serve.py [--sizes 1 10 25] [--presses 20] [--write]

A real server (`leadsim serve` in a subprocess, on loopback) and Debian's Chromium (driven by
Playwright; one tab per trainee, each in its own browser context, so each is its own visitor).
Each trainee joins by link and plays the benchmark loop scenario (one scene that returns to
itself, `debrief` feedback, so every key draws a new decision).

- memory: resident set size (RSS) of the server and of every session process it started,
  read from /proc once all tabs show the simulator; "per trainee" is (total - the server
  before anyone joined) / N. The browser is not counted: it runs on the trainee's device.
- idle CPU: CPU time the server and all session processes use over 5 s while nobody
  presses a key, as a percentage of one core.
- keypress to repaint: in the page, from the keydown event to the animation frame after the
  first screen update that arrives on the websocket after it (what the trainee sees). "one
  presses" has one trainee pressing while the others stay connected (a workshop, where most
  trainees are reading); "all press" has every trainee press at the same moment.

Not a test: it prints a table (and with --write puts it in BENCHMARKS.md) and exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
from tests.serve.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the tests' browser)

IDLE_WINDOW = 5.0
MARK_START, MARK_END = "<!-- benchmarks/serve.py -->", "<!-- /benchmarks/serve.py -->"
# Times each keydown and the frame after the first screen bytes that follow it.
PROBE = """
(() => {
  window.__samples = []; let t0 = null;
  document.addEventListener("keydown", () => { t0 = performance.now(); }, true);
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener("message", (e) => {
      if (t0 !== null && typeof e.data !== "string") {
        const start = t0; t0 = null;
        requestAnimationFrame(() => window.__samples.push(performance.now() - start));
      }
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
})();
"""


def loop_scenario() -> str:
    spec = importlib.util.spec_from_file_location("leadsim_bench_keypress", HERE / "keypress.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.SCENARIO).format(mode="debrief")


def rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) if match else 0


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by ``pids``."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def start_server(data: Path, scenario: Path, size: int) -> tuple[subprocess.Popen[str], str]:
    options = ["--port", "0", "--data", str(data), "--max-sessions", str(size)]
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "serve", str(scenario), *options],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "share this link: " not in line:
        raise SystemExit(f"serve did not start: {line}")
    return process, line.split("share this link: ", 1)[1].strip()


def wait_samples(page: Any, count: int, timeout: float = 30) -> None:
    page.wait_for_function(f"window.__samples.length >= {count}", timeout=timeout * 1000)


def measure(browser: Any, size: int, presses: int, scenario: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        server, link = start_server(Path(tmp), scenario, size)
        try:
            time.sleep(0.5)
            before = rss_kib(server.pid)
            pages = []
            for n in range(size):
                context = browser.new_context(
                    viewport={"width": 1100, "height": 750}, bypass_csp=True
                )
                context.add_init_script(PROBE)
                page = context.new_page()
                page.goto(f"{link}?name=Trainee{n + 1:02d}")
                pages.append(page)
            for page in pages:
                page.wait_for_selector("body.-first-byte", timeout=120_000)
            time.sleep(2.0)  # every simulator past its first screen
            procs = children(server.pid)
            total = rss_kib(server.pid) + sum(rss_kib(p) for p in procs)
            session_rss = [rss_kib(p) for p in procs]
            used = cpu_seconds([server.pid, *procs])
            time.sleep(IDLE_WINDOW)
            idle_cpu = (cpu_seconds([server.pid, *procs]) - used) / IDLE_WINDOW * 100
            one: list[float] = []
            page = pages[0]
            for i in range(presses):
                page.keyboard.press("1")
                wait_samples(page, i + 1)
                time.sleep(0.05)
            one = list(page.evaluate("window.__samples"))
            every: list[float] = []
            rounds = max(2, presses // max(1, size // 2))
            done = [len(p.evaluate("window.__samples")) for p in pages]
            for _ in range(rounds):
                for p in pages:
                    p.keyboard.press("2")
                for i, p in enumerate(pages):
                    done[i] += 1
                    wait_samples(p, done[i], timeout=60)
                time.sleep(0.2)
            for i, p in enumerate(pages):
                samples = p.evaluate("window.__samples")
                every += samples[len(samples) - rounds :] if i else samples[len(one) :]
            return {
                "sessions": size,
                "processes": len(procs),
                "server_mib": before / 1024,
                "session_mib": statistics.median(session_rss) / 1024 if session_rss else 0,
                "per_trainee_mib": (total - before) / 1024 / size,
                "total_mib": total / 1024,
                "idle_cpu": idle_cpu,
                "one_p50": statistics.median(one),
                "one_p95": _p95(one),
                "all_p50": statistics.median(every),
                "all_p95": _p95(every),
            }
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(60)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        "| sessions | RSS per trainee | one session process | server (before) | total RSS "
        "| idle CPU (all sessions) | one presses p50 / p95 | all press p50 / p95 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['sessions']:.0f} | {r['per_trainee_mib']:.0f} MiB | {r['session_mib']:.0f} MiB "
            f"| {r['server_mib']:.0f} MiB | {r['total_mib']:.0f} MiB | {r['idle_cpu']:.1f} % "
            f"| {r['one_p50']:.0f} / {r['one_p95']:.0f} ms | {r['all_p50']:.0f} / "
            f"{r['all_p95']:.0f} ms |"
        )
    return "\n".join(lines)


def write(text: str) -> None:
    """Put the section between its markers in BENCHMARKS.md (run.py keeps it there)."""
    out = ROOT / "BENCHMARKS.md"
    current = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    section = f"{MARK_START}\n{text}\n{MARK_END}"
    if MARK_START in current:
        head, rest = current.split(MARK_START, 1)
        current = head + section + rest.split(MARK_END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + section + "\n"
    out.write_text(current, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 25])
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--write", action="store_true", help="write the table to BENCHMARKS.md")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows = []
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        scenario = Path(tmp) / "loop.yaml"
        scenario.write_text(loop_scenario(), encoding="utf-8")
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for size in args.sizes:
            rows.append(measure(browser, size, args.presses, scenario))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        browser.close()
    cores = os.cpu_count()
    text = (
        "## `leadsim serve`: memory per trainee and keypress to repaint in a browser\n\n"
        f"Written by `python benchmarks/serve.py --write` on {time.strftime('%Y-%m-%d %H:%M')} "
        f"UTC, {cores} cores, load average at start {load[0]:.2f}; the browser (headless "
        "Chromium, one tab per trainee) ran on the same machine, so its work competes with "
        "the server's. Times are from keydown to the frame after the screen update, in the "
        "page.\n\n" + table(rows)
    )
    print()
    print(text)
    if args.write:
        write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
