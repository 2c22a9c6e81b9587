"""Large files are read a scene at a time: the same scenario and the same diagnostics as
reading the whole node graph, in a fraction of the memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from sim.format import loader
from tests.test_loader import BASE

HERE = Path(__file__).parent
FILES = sorted(
    [*HERE.glob("data/**/*.yaml"), *(HERE.parent / "scenarios").glob("*.yaml")],
    key=str,
)

TEXTS = {
    "base": BASE,
    "scene errors": BASE.replace("style: leader", "style: boss").replace("next: done", "next: dne"),
    "scene listed twice by alias": BASE.replace("  one:\n", "  one: &one\n").replace(
        "endings:", "  two: *one\nendings:"
    ),
    "aliased scalar": BASE.replace("Go on.", "&go Go on.").replace("text: Fine.", "text: *go"),
    "settings after the scenes": BASE.replace("start: one\n", "") + "start: one\n",
    "meters after the scenes": BASE.replace("meters:\n  trust: {", "x:\n  trust: {")
    + "meters: {trust: {label: T, start: 50, min: 0, max: 100}}\n",
    "endings before scenes": BASE.split("endings:")[0].replace(
        "scenes:", "endings:\n  done: {title: Done, text: The end.}\nscenes:"
    ),
    "merge into scenes": BASE.replace("scenes:\n", "scenes:\n  <<: {}\n"),
    "duplicate scene": BASE.replace("endings:", "  one: {text: Again.}\nendings:"),
    "ending named as a scene": BASE + "  one: {title: X, text: Y.}\n",
    "empty scenes": BASE.split("scenes:")[0] + "scenes: {}\nendings: {done: {title: D, text: E}}\n",
    "undefined alias": BASE.replace("text: First.", "text: *nowhere"),
    "deep": BASE.replace("text: First.", "text: " + "[" * 70 + "]" * 70),
    "two documents": BASE + "---\nscenario: other\n",
    "unknown top key": BASE + "extra: 1\n",
}


def both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    monkeypatch.setattr(loader, "STREAM_FROM", 0)
    streamed = loader.parse_text(text, "f.yaml")
    monkeypatch.setattr(loader, "STREAM_FROM", 10**12)
    whole = loader.parse_text(text, "f.yaml")
    return streamed, whole


@pytest.mark.parametrize("name", list(TEXTS))
def test_streamed_reading_reports_exactly_what_the_whole_graph_does(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamed, whole = both(TEXTS[name], monkeypatch)
    assert streamed == whole


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_sample_file_reads_the_same_either_way(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_bytes().decode("utf-8", "replace")
    streamed, whole = both(text, monkeypatch)
    assert streamed == whole


def test_a_plain_file_is_streamed_and_a_tangled_one_is_not() -> None:
    assert loader.stream_text(BASE, "f.yaml", "x") is not None
    assert loader.stream_text(TEXTS["settings after the scenes"], "f.yaml", "x") is not None
    assert loader.stream_text(TEXTS["meters after the scenes"], "f.yaml", "x") is None
    assert loader.stream_text(TEXTS["merge into scenes"], "f.yaml", "x") is None


def many_scenes(n: int) -> str:
    scene = (
        "  s{i}:\n    text: Situation {i}, with a few words of prose to read.\n    choices:\n"
        "      - {{id: a, text: Option one here., style: leader, effects: {{trust: +5}},"
        " feedback: Fine., next: s{j}}}\n"
        "      - {{id: b, text: Option two here., style: manager, effects: {{trust: -5}},"
        " feedback: Less so., next: done}}\n"
    )
    head = BASE.split("scenes:")[0].replace("start: one", "start: s0")
    body = "".join(scene.format(i=i, j=i + 1 if i + 1 < n else 0) for i in range(n))
    return head + "scenes:\n" + body + "endings:\n  done: {title: Done, text: The end.}\n"


def test_a_large_file_is_read_in_far_less_memory_than_its_whole_graph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = many_scenes(3000)
    peaks = []
    for stream_from in (0, 10**12):
        monkeypatch.setattr(loader, "STREAM_FROM", stream_from)
        tracemalloc.start()
        scenario, diags = loader.parse_text(text, "big.yaml")
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert scenario is not None and len(scenario.scenes) == 3000, diags
    streamed, whole = peaks
    assert streamed < whole / 2
