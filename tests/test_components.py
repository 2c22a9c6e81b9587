"""The CI rule: a test skipped for a missing component fails the run under CI=true."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
from tests.components import unavailable

def test_needs_something():
    unavailable("thing", "not installed here")
"""


def run_probe(tmp_path: Path, ci: str) -> subprocess.CompletedProcess[str]:
    probe = ROOT / "tests" / f"test_probe_{os.getpid()}_{ci}.py"
    probe.write_text(PROBE, encoding="utf-8")
    try:
        env = {**os.environ, "CI": ci}
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", str(probe)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        probe.unlink()


def test_a_component_skip_fails_under_ci(tmp_path: Path) -> None:
    done = run_probe(tmp_path, "true")
    assert done.returncode == 1, done.stdout
    assert "skipped for a missing component" in done.stdout


def test_a_component_skip_is_only_a_skip_elsewhere(tmp_path: Path) -> None:
    done = run_probe(tmp_path, "")
    assert done.returncode == 0, done.stdout
    assert "component unavailable: thing" in done.stdout
