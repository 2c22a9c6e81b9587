"""`leadsim new` and the guide's tutorial: what a trainer starts from must be valid and clean."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sim.analysis import lint
from sim.analysis.explore import Always, explore
from sim.format import loader, starter
from sim.model import CONTINUE

ROOT = Path(__file__).parent.parent


def new(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", "new", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_new_writes_a_valid_commented_scenario_with_no_warning(tmp_path: Path) -> None:
    out = new("first-day", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    path = tmp_path / "first-day.yaml"
    assert f"wrote {path.name}" in out.stdout
    text = path.read_text()
    assert text.startswith("# A leadsim scenario.") and "# yaml-language-server: $schema=" in text
    assert sum(line.lstrip().startswith("#") or " # " in line for line in text.splitlines()) > 15
    scenario = loader.load(path)
    assert scenario.id == "first-day" and scenario.title == "First day"
    assert lint.lint(scenario) == []


def test_new_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my work")
    out = new("first-day", "--out", str(path), cwd=tmp_path)
    assert out.returncode == 1 and "already exists" in out.stderr
    assert path.read_text() == "my work"


def test_new_out_names_a_file_or_a_folder(tmp_path: Path) -> None:
    assert new("a-b", "--out", str(tmp_path / "x.yaml"), cwd=tmp_path).returncode == 0
    assert loader.load(tmp_path / "x.yaml").id == "a-b"
    (tmp_path / "sub").mkdir()
    assert new("c-d", "--out", str(tmp_path / "sub"), cwd=tmp_path).returncode == 0
    assert loader.load(tmp_path / "sub" / "c-d.yaml").id == "c-d"


def test_new_refuses_a_bad_id(tmp_path: Path) -> None:
    out = new("First Day", cwd=tmp_path)
    assert out.returncode == 2 and "not a valid scenario id" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_starter_needs_both_styles_for_the_best_ending() -> None:
    scenario = loader.loads(starter.text("x"))
    for style in ("manager", "leader"):
        assert "settled" not in explore(scenario, persona=Always(style)).endings
    assert "settled" in explore(scenario).endings


def test_the_guide_tutorial_builds_the_scenario_it_describes() -> None:
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    tutorial = guide[guide.index("## Tutorial") : guide.index("## The format")]
    text = "".join(re.findall(r"```yaml\n(.*?)```", tutorial, re.S))
    scenario = loader.loads(text, "late-report.yaml")
    assert lint.lint(scenario) == []
    solved = explore(scenario).endings["solved"]
    assert dict(solved.meters) == {"trust": (60, 60), "results": (65, 65)}
    assert [s.choice for s in solved.trail] == ["ask", "noon", CONTINUE]  # review: narration
    for style in ("manager", "leader"):
        assert set(explore(scenario, persona=Always(style)).endings) == {"patched"}
