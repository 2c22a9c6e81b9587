"""Large files are read a scene at a time: the same scenario and the same diagnostics as
reading the whole node graph, in a fraction of the memory; a large file that cannot be read
that way is refused at the place that forces it (docs/authoring.md, "Size limits")."""

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


REFUSED = {
    "meters after the scenes": (21, 1, "'meters:' comes after 'scenes:'", "move 'meters:' above"),
    "endings before scenes": (9, 1, "'endings:' comes before 'scenes:'", "below the scenes"),
    "merge into scenes": (8, 3, "'<<' merges scenes into 'scenes:'", "write those scenes out"),
}
"""What a large file's streamed reading refuses, where, why and the fix (read whole when small)."""


def refusal(found: object) -> tuple[int, int, str, str] | None:
    """The one LS004 refusal of a result, as (line, column, message, hint); else None."""
    scenario, diags = found  # type: ignore[misc]
    if scenario is not None or len(diags) != 1 or diags[0].code != "LS004":
        return None
    d = diags[0]
    return d.line, d.column, d.message, d.hint


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
    if name in REFUSED:
        line, column, why, fix = REFUSED[name]
        refused = refusal(streamed)
        assert refused is not None and refused[:2] == (line, column)
        assert refused[2].startswith(why) and "cannot be read a scene at a time" in refused[2]
        assert fix in refused[3]
    elif name == "deep":  # the same refusal, which the streamed reading can place
        assert refusal(streamed) is not None and refusal(whole) is not None
        assert refusal(streamed)[2:] == refusal(whole)[2:]  # type: ignore[index]
        assert refusal(streamed)[:2] == (9, 71)  # type: ignore[index]
    else:
        assert streamed == whole


def test_a_large_file_that_needs_the_whole_file_reading_loads_when_small(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in REFUSED:
        _, whole = both(TEXTS[name], monkeypatch)
        assert refusal(whole) is None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_sample_file_reads_the_same_either_way(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_bytes().decode("utf-8", "replace")
    streamed, whole = both(text, monkeypatch)
    refused = refusal(streamed)
    if refused is not None and "cannot be read a scene at a time" in refused[2]:
        assert refusal(whole) is None  # only a large file is refused for its layout
    elif refused is not None and refusal(whole) is not None:  # a limit either way
        assert refused[2:] == refusal(whole)[2:]  # type: ignore[index]
    else:
        assert streamed == whole


def test_a_plain_file_is_streamed_and_a_tangled_one_is_refused() -> None:
    assert loader.stream_text(BASE, "f.yaml", "x")[0] is not None
    assert loader.stream_text(TEXTS["settings after the scenes"], "f.yaml", "x")[0] is not None
    assert refusal(loader.stream_text(TEXTS["meters after the scenes"], "f.yaml", "x"))
    assert refusal(loader.stream_text(TEXTS["merge into scenes"], "f.yaml", "x"))


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
