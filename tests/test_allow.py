"""Format 1.1 ``allow``: deliberate warnings silenced where the file says, and listed on
request, so ``validate --strict`` can gate a trainer's CI."""

from __future__ import annotations

import json
from pathlib import Path

from sim.analysis import lint
from sim.format import loader
from sim.format.diagnostics import Diagnostic
from tests.helpers import leadsim

FILE = Path(__file__).parent / "data" / "allow.yaml"
SOURCE = FILE.read_text(encoding="utf-8")


def warnings(text: str) -> tuple[list[str], list[str]]:
    allowed: list[Diagnostic] = []
    kept = lint.lint(loader.loads(text), allowed=allowed)
    return sorted(d.code for d in kept), sorted(d.code for d in allowed)


def test_each_allow_silences_its_code_in_its_element() -> None:
    assert warnings(SOURCE) == ([], ["LS101", "LS121", "LS130", "LS131"])


def test_an_allow_does_not_reach_outside_its_element() -> None:
    # the route's allow moved to the other route: LS121 is reported again
    moved = SOURCE.replace(", allow: [LS121]}", "}").replace(
        '{if: "trust > 0", goto: done}', '{if: "trust > 0", goto: done, allow: [LS121]}'
    )
    assert warnings(moved) == (["LS121"], ["LS101", "LS130", "LS131"])
    # the scene's allow removed: nothing else covers LS101
    assert warnings(SOURCE.replace("    allow: [LS101]\n", ""))[0] == ["LS101"]


def test_errors_are_never_allowed() -> None:
    stuck = SOURCE.replace(
        "      - {id: go, text: Go., style: manager, next: done}",
        "      - {id: go, text: Go., style: manager, if: 'trust > 500', next: done}",
    ).replace("allow: [LS130]", "allow: [LS130, LS110, LS103]")
    stuck = stuck.replace('{if: "trust > 0", goto: done}', '{if: "trust > 500", goto: done}')
    kept, _ = warnings(stuck)
    assert "LS110" in kept  # a softlock is an error: allow cannot hide it


def test_bad_allows_are_load_errors_at_their_place() -> None:
    _, diags = loader.parse_text(SOURCE.replace("[LS131]", "[LS13]"), "s.yaml")
    assert [(d.code, d.line, d.column) for d in diags] == [("LS013", 18, 17)]
    assert "did you mean" in diags[0].hint
    _, diags = loader.parse_text(SOURCE.replace("[LS131]", "[LS021]"), "s.yaml")
    assert "load errors cannot be allowed" in diags[0].hint
    one = SOURCE.replace("format: 1.1\n", "").replace("[LS130]", "[LS130]\n")
    _, diags = loader.parse_text(one, "s.yaml")
    assert {d.code for d in diags} == {"LS016"} and len(diags) == 4


def test_validate_strict_passes_and_show_allowed_lists_them() -> None:
    out = leadsim("validate", str(FILE), "--strict")
    assert out.returncode == 0 and "4 allowed" in out.stderr and "allowed:" not in out.stdout
    shown = leadsim("validate", str(FILE), "--show-allowed")
    lines = shown.stdout.splitlines()
    assert len(lines) == 4 and all(": allowed: " in line for line in lines)
    assert any(line.startswith(f"{FILE}:21:13: allowed: route 2") for line in lines)
    report = json.loads(leadsim("validate", str(FILE), "--format", "json", "--show-allowed").stdout)
    assert report["warnings"] == 0 and len(report["allowed"]) == 4
    bare = FILE.parent / "allow-bare.yaml"
    try:
        bare.write_text(SOURCE.replace("allow: [LS130]\n", ""))
        strict = leadsim("validate", str(bare), "--strict")
        assert strict.returncode == 1 and "[LS130]" in strict.stdout
    finally:
        bare.unlink()
