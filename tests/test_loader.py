"""Loading scenario files: every kind of mistake is reported at its line with a fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sim.format import loader
from sim.format.diagnostics import Diagnostic, ScenarioError

BASE = """\
scenario: demo
title: Demo
summary: A demo.
meters:
  trust: {label: Team trust, start: 50, min: 0, max: 100}
start: one
scenes:
  one:
    text: First.
    choices:
      - id: go
        text: Go on.
        style: leader
        effects: {trust: +5}
        feedback: Fine.
        next: done
endings:
  done:
    title: Done
    text: The end.
"""


def diags(text: str) -> list[Diagnostic]:
    scenario, found = loader.parse_text(textwrap.dedent(text), "demo.yaml")
    assert (scenario is None) == any(d.severity == "error" for d in found)
    return found


def only(text: str) -> Diagnostic:
    found = diags(text)
    assert len(found) == 1, [d.format() for d in found]
    return found[0]


def test_the_base_document_is_valid() -> None:
    assert diags(BASE) == []
    scenario = loader.loads(BASE)
    assert scenario.id == "demo" and scenario.scenes["one"].choices[0].routes[0].goto == "done"


@pytest.mark.parametrize(
    ("old", "new", "code", "line", "fragment"),
    [
        (
            "        effects: {trust: +5}",
            "        efects: {trust: +5}",
            "LS010",
            14,
            "did you mean 'effects'",
        ),
        ("summary: A demo.", "summary: A demo.\ncolour: red", "LS010", 4, "unknown key 'colour'"),
        ("        text: Go on.\n", "", "LS011", 11, "has no 'text'"),
        ("        style: leader", "        style: boss", "LS013", 13, "style 'boss'"),
        ("        style: leader", "        style: [leader]", "LS012", 13, "must be text"),
        ("        next: done", "        next: dnoe", "LS030", 16, "did you mean 'done'"),
        ("start: one", "start: on", "LS031", 6, "start scene 'on'"),
        (
            "        effects: {trust: +5}",
            "        effects: {trsut: +5}",
            "LS033",
            14,
            "unknown meter 'trsut'",
        ),
        ("        effects: {trust: +5}", "        effects: {trust: lots}", "LS034", 14, "'trust'"),
        (
            "        effects: {trust: +5}",
            "        effects: {trust: '%+150'}",
            "LS034",
            14,
            "more than 100%",
        ),
        (
            "        style: leader",
            "        style: leader\n        if: 'trust >'",
            "LS020",
            14,
            "expected a number",
        ),
        (
            "        style: leader",
            "        style: leader\n        if: 'trsut > 3'",
            "LS021",
            14,
            "unknown name 'trsut'",
        ),
        (
            "        style: leader",
            "        style: leader\n        if: \"visited('tow')\"",
            "LS021",
            14,
            "unknown scene",
        ),
        (
            "        style: leader",
            "        style: leader\n        traits: [charisma]",
            "LS035",
            14,
            "unknown trait",
        ),
        (
            "        style: leader",
            "        style: neutral\n        traits: [control-influence]",
            "LS035",
            14,
            "neutral",
        ),
        (
            "        style: leader",
            "        style: leader\n        locked: No.",
            "LS039",
            14,
            "no 'if'",
        ),
        (
            "        style: leader",
            "        style: leader\n        once: maybe",
            "LS012",
            14,
            "true or false",
        ),
        (
            "        next: done",
            "        next:\n          - {chance: 1.5, goto: done}\n          - {goto: done}",
            "LS038",
            17,
            "outside 0..1",
        ),
        (
            "        next: done",
            "        next:\n          - {if: 'trust > 3', goto: done}",
            "LS037",
            17,
            "fallback",
        ),
        ("        next: done", "        next: []", "LS013", 16, "empty 'next'"),
        (
            "  trust: {label: Team trust, start: 50, min: 0, max: 100}",
            "  trust: {label: Team trust, start: 150, min: 0, max: 100}",
            "LS013",
            5,
            "outside 0..100",
        ),
        (
            "  trust: {label: Team trust, start: 50, min: 0, max: 100}",
            "  trust: {label: Team trust, start: 50, min: 10, max: 5}",
            "LS013",
            5,
            "min 10 >= max 5",
        ),
        (
            "  trust: {label: Team trust, start: 50, min: 0, max: 100}",
            "  team-trust: {label: T, start: 50}",
            "LS015",
            5,
            "no dashes",
        ),
        ("scenario: demo", "scenario: Demo Scenario", "LS015", 1, "not a valid id"),
        ("title: Demo", "title: Demo\ntitle: Again", "LS014", 3, "appears twice"),
        ("    title: Done", "    title: Done\n    outcome: great", "LS013", 20, "outcome 'great'"),
        ("  done:\n", "  one:\n", "LS032", 18, "both a scene and an ending"),
        ("        text: Go on.", "        text: yes", "LS012", 12, "put the text in quotes"),
    ],
)
def test_each_mistake_is_reported_at_its_line(
    old: str, new: str, code: str, line: int, fragment: str
) -> None:
    assert old in BASE
    found = [d for d in diags(BASE.replace(old, new, 1)) if d.code == code]
    assert found, f"no {code}"
    d = found[0]
    assert d.line == line, d.format()
    assert fragment in d.format()
    assert d.hint, "every diagnostic says how to fix it"
    assert d.format().startswith(f"demo.yaml:{line}:{d.column}: error: ")


def test_duplicate_choice_id_names_the_first() -> None:
    text = BASE.replace(
        "        next: done\n",
        "        next: done\n      - {id: go, text: Again., style: manager, next: done}\n",
    )
    d = only(text)
    assert (d.code, d.line) == ("LS032", 17)
    assert "first is on line 11" in d.hint


def test_all_problems_in_a_file_are_reported() -> None:
    text = (
        BASE.replace("efects", "effects")
        .replace("        effects: {trust: +5}", "        efects: {trust: +5}")
        .replace("next: done", "next: nowhere")
        .replace("start: one", "start: zero")
    )
    codes = sorted(d.code for d in diags(text))
    assert codes == ["LS010", "LS030", "LS031"]


def test_condition_error_column_points_inside_the_quotes() -> None:
    text = BASE.replace(
        "        style: leader", '        style: leader\n        if: "trust >= 3 and trst > 1"'
    )
    d = only(text)
    # `if: "` starts at column 13; 'trst' is 15 characters into the condition.
    assert (d.line, d.column) == (14, 13 + 1 + 15)


def test_flags_must_be_set_somewhere_or_declared() -> None:
    guarded = BASE.replace("        style: leader", "        style: leader\n        if: briefed")
    assert only(guarded).code == "LS021"
    declared = guarded.replace("start: one", "flags: [briefed]\nstart: one")
    assert diags(declared) == []
    set_elsewhere = guarded.replace("{trust: +5}", "{trust: +5, set: [briefed]}")
    assert diags(set_elsewhere) == []


def test_yaml_syntax_error_has_a_position() -> None:
    d = only("scenario: demo\ntitle: [unclosed\nsummary: x\n")
    assert d.code == "LS002" and d.line >= 2


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- a\n- b\n", "a list"),
        ("just words\n", "a single value"),
        ("", "empty"),
        ("# only a comment\n", "empty"),
    ],
)
def test_document_that_is_not_a_mapping(text: str, fragment: str) -> None:
    d = only(text)
    assert d.code == "LS003" and fragment in d.message


def test_no_python_objects_are_constructed() -> None:
    text = BASE.replace("title: Demo", "title: !!python/object/apply:os.system ['echo pwned']")
    found = diags(text)
    assert found and all(d.severity == "error" for d in found)


def test_files_that_are_not_scenarios(tmp_path: Path) -> None:
    missing = loader.check(tmp_path / "nope.yaml")[1][0]
    assert missing.code == "LS001" and "no such file" in missing.message
    assert "directory" in loader.check(tmp_path)[1][0].message
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x00\x01\x02scenario")
    assert "binary" in loader.check(binary)[1][0].message
    latin = tmp_path / "l.yaml"
    latin.write_bytes(b"scenario: demo\ntitle: caf\xe9\n")
    d = loader.check(latin)[1][0]
    assert "UTF-8" in d.message and d.line == 2


def test_load_raises_with_every_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BASE.replace("start: one", "start: zero").replace("next: done", "next: gone"))
    with pytest.raises(ScenarioError) as e:
        loader.load(path)
    assert [d.code for d in e.value.diagnostics] == ["LS031", "LS030"]
    assert str(path) in str(e.value)


def test_hash_is_of_the_file_bytes(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "ok.yaml"
    path.write_text(BASE)
    assert loader.load(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_effect_forms() -> None:
    text = BASE.replace("{trust: +5}", "{trust: '%-25', set: [a, b], clear: c}").replace(
        "start: one", "flags: [c]\nstart: one"
    )
    choice = loader.loads(text).scenes["one"].choices[0]
    (change,) = choice.effects.changes
    assert (change.kind, change.amount) == ("percent", -25)
    assert choice.effects.set == {"a", "b"} and choice.effects.clear == {"c"}


def test_positions_do_not_affect_equality() -> None:
    assert loader.loads(BASE) == loader.loads("\n\n" + BASE)


BROKEN = Path(__file__).parent / "data" / "broken"


@pytest.mark.parametrize(
    ("fixture", "column", "message", "hint"),
    [
        ("LS020-reversed-operator", 19, "unexpected '=>'", "did you mean '>='?"),
        ("LS020-unclosed", 27, "this '(' is never closed", "add the matching ')'"),
        ("LS031-ending", 8, "'done', which is an ending, not a scene", "the scene"),
        ("LS002-undefined-alias", 9, "undefined alias 'go'", "marked '&name' earlier"),
        ("LS021-flag-typo", 25, "sets flag 'breifed'", "did you mean 'briefed'?"),
        ("LS032-aliased", 18, "more than once, through an alias", "list each choice once"),
        ("LS037", 13, "the last route", "such as '{goto: done}'"),
    ],
)
def test_hints_point_at_the_mistake_and_the_fix(
    fixture: str, column: int, message: str, hint: str
) -> None:
    (d,) = loader.check(BROKEN / f"{fixture}.yaml")[1]
    assert (d.column, message in d.message, hint in d.hint) == (column, True, True), d.format()
    assert "indentation" not in d.hint


def test_a_meter_with_a_mistake_still_defines_its_name() -> None:
    """One mistake in `start` gave 23 follow-on "unknown meter" errors, a `lable` typo 27."""
    text = BASE.replace("start: 50", "start: 500").replace(
        "        next: done", "        if: trust > 3\n        next: done"
    )
    assert [d.code for d in diags(text)] == ["LS013"]
    typo = BASE.replace("{label: Team trust", "{lable: Team trust")
    assert [d.code for d in diags(typo)] == ["LS011", "LS010"]


def test_merge_keys_work_and_own_keys_win() -> None:
    text = BASE.replace(
        "    choices:\n      - id: go",
        "    choices:\n      - &base {id: base, text: Base., style: manager, next: done}\n"
        "      - <<: *base\n        id: go",
    ).replace("        style: leader\n", "")
    scenario = loader.loads(text)
    base, go = scenario.scenes["one"].choices
    assert (base.id, go.id) == ("base", "go")
    assert (go.style, go.text, go.feedback) == ("manager", "Go on.", "Fine.")
    assert go.routes[0].goto == "done"
    listed = BASE.replace(
        "meters:\n", "x-defaults: &d {min: 0}\nx-more: &m {max: 100}\nmeters:\n"
    ).replace(
        "{label: Team trust, start: 50, min: 0, max: 100}", "{<<: [*d, *m], label: T, start: 5}"
    )
    assert "x-defaults" in " ".join(d.message for d in diags(listed))  # unknown keys still
    assert all(d.code == "LS010" for d in diags(listed))
