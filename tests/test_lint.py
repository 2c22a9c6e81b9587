"""Every diagnostic code, on one small broken file each, at the line its header names.

Each fixture's first line says what it must produce, e.g. ``# expect: LS101@15, LS121@12``;
the tests hold the loader and the deep analysis to exactly that set (nothing missing, no
noise), so a fixture documents its mistake and its expected report in one place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sim.analysis import lint
from sim.analysis.explore import explore
from sim.format import loader
from sim.format.diagnostics import DEEP_CODES, LOAD_CODES, Diagnostic
from tests.test_cli import leadsim

DATA = Path(__file__).parent / "data"
BROKEN = sorted((DATA / "broken").glob("*.yaml"))
LINT = sorted((DATA / "lint").glob("*.yaml"))
DOCS = Path(__file__).parent.parent / "docs" / "authoring.md"


def expected(path: Path) -> set[tuple[str, int]]:
    head = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    assert head.startswith("# expect:"), f"{path.name} has no '# expect:' header"
    return {(code, int(line)) for code, line in re.findall(r"(LS\d{3})@(\d+)", head)}


def found(diags: list[Diagnostic]) -> set[tuple[str, int]]:
    return {(d.code, d.line) for d in diags}


def deep(path: Path, **kw: int) -> list[Diagnostic]:
    scenario, diags = loader.check(path)
    assert scenario is not None, [d.format() for d in diags]
    assert diags == []
    return lint.lint(scenario, **kw)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_each_load_error_at_its_line(path: Path) -> None:
    scenario, diags = loader.check(path)
    assert scenario is None
    assert found(diags) == expected(path), [d.format() for d in diags]


@pytest.mark.parametrize("path", LINT, ids=lambda p: p.stem)
def test_each_deep_problem_at_its_line(path: Path) -> None:
    diags = deep(path)
    assert found(diags) == expected(path), [d.format() for d in diags]
    for d in diags:
        assert d.path == str(path) and d.column >= 1
        assert d.hint and d.message, d
        assert d.severity == ("error" if d.code in ("LS110", "LS111", "LS140") else "warning")


def test_every_code_has_a_fixture_and_a_description() -> None:
    covered = {code for path in BROKEN + LINT for code, _ in expected(path)}
    assert set(LOAD_CODES) <= covered
    assert set(DEEP_CODES) - {"LS190"} <= covered  # LS190 needs a limit: tested below
    assert not set(LOAD_CODES) & set(DEEP_CODES)


def test_every_code_is_documented_with_an_example_and_a_fix() -> None:
    guide = DOCS.read_text(encoding="utf-8")
    for code in [*LOAD_CODES, *DEEP_CODES]:
        assert re.search(rf"^#+ .*{code}\b", guide, re.M), f"{code} has no section"


def test_a_softlock_names_the_choices_and_meters_that_lead_to_it() -> None:
    (d,) = deep(DATA / "lint" / "LS110.yaml")
    assert "after one/ask" in d.message and "results 50" in d.message


def test_a_loop_lists_its_scenes() -> None:
    (d,) = deep(DATA / "lint" / "LS111.yaml")
    assert "corridor, stairs" in d.message and "after one/explore" in d.message


def test_a_best_ending_without_enough_of_a_style_names_the_style_and_the_path() -> None:
    (d,) = deep(DATA / "lint" / "LS140.yaml")
    assert d.severity == "error"
    assert "with 0 manager decisions (best_needs asks for 2)" in d.message
    assert "one/ask[L], two/listen[L], review/close -> best" in d.message


def test_a_choice_feeding_an_unreached_scene_is_reported_once() -> None:
    text = (DATA / "lint" / "LS101-orphan.yaml").read_text()
    attic = (
        "next: attic}\n  attic:\n    text: Up.\n    choices:\n"
        "      - {id: go, text: Go., style: leader, next: done}\nendings"
    )
    text = text.replace("next: done}\nendings", attic)
    scenario = loader.loads(text, "chain.yaml")
    (d,) = lint.lint(scenario)
    assert d.code == "LS101" and "'orphan'" in d.message and "nor can attic" in d.message


def test_stopping_at_the_limit_is_a_note_and_claims_no_absence() -> None:
    loop = deep(DATA / "lint" / "LS111.yaml", limit=2)
    codes = found(loop)
    assert ("LS190", 2) in codes
    assert ("LS111", 15) in codes  # the file alone proves the trap
    (note,) = [d for d in loop if d.code == "LS190"]
    assert note.severity == "note" and "explored 2" in note.message
    # With the limit hit, "the conditions never let anyone in" cannot be claimed.
    cond = deep(DATA / "lint" / "LS101-conditions.yaml", limit=1)
    assert {d.code for d in cond} == {"LS190"}


def test_a_softlock_found_before_the_limit_is_still_reported() -> None:
    scenario = loader.load(DATA / "lint" / "LS110.yaml")
    partial = explore(scenario, limit=3)
    assert not partial.complete
    assert "LS110" in {d.code for d in lint.lint(scenario, exploration=partial)}


def test_a_scenario_without_mistakes_gets_no_diagnostic() -> None:
    assert deep(DATA / "lint" / "clean.yaml") == []


def test_validate_reports_deep_problems_and_strict_fails_on_warnings() -> None:
    path = str(DATA / "lint" / "LS130.yaml")
    out = leadsim("validate", path)
    assert out.returncode == 0
    assert out.stdout.startswith(f"{path}:6:3: warning: meter 'budget' is never changed")
    assert out.stdout.rstrip().endswith("[LS130]")
    assert leadsim("validate", "--strict", path).returncode == 1
    report = json.loads(leadsim("validate", path, "--format", "json").stdout)
    assert report["warnings"] == 1 and report["errors"] == 0
    (d,) = report["diagnostics"]
    assert (d["code"], d["line"], d["column"], d["severity"]) == ("LS130", 6, 3, "warning")


def test_validate_fails_on_a_softlock_and_notes_do_not_fail_strict() -> None:
    assert leadsim("validate", str(DATA / "lint" / "LS110.yaml")).returncode == 1
    clean = str(DATA / "lint" / "clean.yaml")
    out = leadsim("validate", "--strict", "--max-states", "2", clean)
    assert out.returncode == 0 and "[LS190]" in out.stdout and "1 note" in out.stderr
