"""What a loaded scenario keeps: each name once, conditions as their text until they are
needed, and names that a condition reads before the file defines them checked at the end
(docs/authoring.md, "Size limits"). Memory is traced, so the figures are the same on every
run of the same Python; benchmarks/run.py measures the process's peak."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from sim import engine
from sim.format import loader, values
from sim.format.diagnostics import MAX_DIAGNOSTICS

HEAD = (
    "scenario: dense\ntitle: Dense\nsummary: S.\n"
    "meters:\n  trust: {label: Trust, start: 50}\nstart: s0\nscenes:\n"
)
END = "endings:\n  done: {title: Done, text: The end.}\n"


def kept_per_byte(text: str) -> float:
    """Memory the loaded scenario holds (traced, after loading), over the text's size."""
    gc.collect()
    tracemalloc.start()
    scenario, found = loader.parse_text(text, "f.yaml")
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert scenario is not None, [d.format() for d in found]
    return held / len(text.encode())


def chain(n: int, choice: str) -> str:
    """``n`` one-line scenes, each with the one ``choice`` (``{g}``: the next scene)."""
    lines = [
        f"  s{i}: {{text: x, choices: [{choice.format(g=f's{i + 1}' if i + 1 < n else 'done')}]}}\n"
        for i in range(n)
    ]
    return HEAD + "".join(lines) + END


@pytest.mark.parametrize("stream_from", [0, 10**12], ids=["streamed", "whole"])
def test_one_line_scenes_are_held_in_under_nine_times_their_text(
    stream_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "STREAM_FROM", stream_from)
    text = chain(5000, "{{id: a, text: y, style: leader, next: {g}}}")
    assert kept_per_byte(text) < 9


def test_a_scene_and_the_routes_to_it_share_its_name() -> None:
    scenario = loader.loads(chain(3, "{{id: a, text: y, style: manager, next: {g}}}"))
    first, second = scenario.scenes["s0"], scenario.scenes["s1"]
    assert first.choices[0].routes[0].goto is second.id
    assert first.choices[0].style is second.choices[0].style


def test_long_conditions_are_kept_as_their_text() -> None:
    # a different condition for each scene (it names the next one), so none is shared
    cond = " and ".join(f"visits('{{g}}') < {k}" for k in range(1, 15))
    route = f'{{{{goto: {{g}}, if: "{cond}"}}}}, {{{{goto: done}}}}'
    text = chain(300, f"{{{{id: a, text: y, style: leader, next: [{route}]}}}}")
    text = text.replace("visits('done')", "visits('s0')")  # an ending is never visited
    assert text.count("visits('s7') < 14") == 1
    # Parsed and compiled, each condition was held in about 60 times its text.
    assert kept_per_byte(text) < 3


@pytest.mark.parametrize(("change", "lands"), [("+20", "done"), ("+5", "s1")])
def test_conditions_kept_as_text_still_decide_the_route(change: str, lands: str) -> None:
    text = chain(
        2,
        "{{id: a, text: y, style: leader, effects: {{trust: " + change + "}},"
        " next: [{{goto: done, if: trust > 60 and not visited('s1')}}, {{goto: {g}}}]}}",
    )
    scenario = loader.loads(text)
    state = engine.choose(scenario, engine.start(scenario, 1), "a")
    assert (state.ending or state.scene) == lands


def test_names_a_condition_reads_before_the_file_defines_them_are_not_mistakes() -> None:
    text = chain(
        3,
        "{{id: a, text: y, style: leader, if: briefed and visits('s2') < 2, next: {g}}}",
    ).replace("next: done}", "next: done, effects: {set: [briefed]}}")
    found = loader.parse_text(text, "f.yaml")[1]
    assert found == []


def test_every_use_of_an_unknown_name_is_counted_when_not_all_can_be_shown() -> None:
    n = MAX_DIAGNOSTICS + 50
    text = chain(n, "{{id: a, text: y, style: leader, if: ghost > 1, next: {g}}}")
    found = loader.parse_text(text, "f.yaml")[1]
    shown = [d for d in found if d.code == "LS021"]
    assert len(shown) == MAX_DIAGNOSTICS
    assert all("unknown name 'ghost'" in d.message for d in shown)
    assert [d.line for d in shown] == sorted(d.line for d in shown)
    assert found[-1].code == "LS005" and "and 50 more problems" in found[-1].message


def test_a_visit_to_a_scene_that_never_comes_is_reported_where_it_is_asked() -> None:
    text = chain(2, "{{id: a, text: y, style: leader, if: visited('s9'), next: {g}}}")
    found = loader.parse_text(text, "f.yaml")[1]
    assert [(d.code, d.line) for d in found] == [("LS021", 8), ("LS021", 9)]
    assert "visited() names unknown scene 's9'" in found[0].message


def test_a_file_of_too_many_different_flag_names_is_refused_at_the_first_past_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(values, "MAX_NAMES", 20)
    sets = "{{id: a, text: y, style: leader, effects: {{set: [{names}]}}, next: {g}}}"
    fine = chain(4, sets.replace("{names}", "f{g}a, f{g}b, f{g}c, f{g}d, f{g}e"))
    assert loader.parse_text(fine, "f.yaml")[1] == []  # 4 scenes x 5 names
    over = fine.replace("next: done}", "next: done, if: g1 or g2}")
    found = loader.parse_text(over, "f.yaml")[1]
    column = over.splitlines()[10].index("g1 or g2") + 1  # the condition naming the 21st
    assert [(d.code, d.line, d.column) for d in found] == [("LS004", 11, column)]
    assert "more than 20 different flag names" in found[0].message
