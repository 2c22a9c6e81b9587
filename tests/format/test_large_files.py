"""A large file is parsed from its bytes and read a scene at a time: the same scenario and
the same diagnostics, at the same places, as reading its whole node graph from the text, and
in bounded memory, a mistake YAML itself reports included (docs/authoring.md, "Size limits")."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest

from sim.format import loader
from sim.model import Scenario
from tests.test_loader import BASE
from tests.test_stream_loader import many_scenes

BOM = "\ufeff"

VARIANTS = {
    "plain": BASE,
    "byte-order mark": BOM + BASE,
    "control character": BASE.replace("text: First.", "text: Fé\x1brst."),
    "control character after a byte-order mark": BOM + BASE.replace("First.", "Fé\x1brst."),
    "control character on the first line, after a byte-order mark": BOM
    + BASE.replace("scenario: demo", "scenario: d\x1bemo"),
    "syntax error at the end": BASE + "  bad: [unclosed\n",
    "tab indentation": BASE.replace("    text: First.", "\ttext: First."),
    "undefined alias": BASE.replace("text: First.", "text: *nowhere"),
    "two documents": BASE + "---\nscenario: other\n",
    "line breaks YAML reads besides LF": BASE.replace("\n", "\r\n", 5).replace(
        "text: The end.", "text: The\u2028end."
    ),
    "scene errors": BASE.replace("style: leader", "style: boss").replace("next: done", "next: x"),
    "settings after the scenes": BASE.replace("start: one\n", "") + "start: one\n",
    "meters after the scenes": BASE.replace("meters:\n  trust: {", "x:\n  trust: {")
    + "meters: {trust: {label: T, start: 50, min: 0, max: 100}}\n",
}


def positions(scenario: Scenario | None) -> list[object]:
    if scenario is None:
        return []
    found: list[object] = [scenario.where]
    for scene in scenario.scenes.values():
        found.append(scene.where)
        for choice in scene.choices:
            found += [choice.where, *(r.where for r in choice.routes)]
            found += [c.where for c in choice.effects.changes]
    return found


@pytest.mark.parametrize("name", list(VARIANTS))
def test_a_file_parsed_from_its_bytes_reads_as_its_text_does(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(VARIANTS[name].encode("utf-8"))
    monkeypatch.setattr(loader, "STREAM_FROM", 0)  # every file counts as large
    streamed, streamed_diags = loader.check(path)
    monkeypatch.setattr(loader, "STREAM_FROM", 10**12)  # the whole graph, from the text
    whole, whole_diags = loader.check(path)
    if name == "meters after the scenes":  # refused when large (test_refusals.py)
        assert [d.code for d in streamed_diags] == ["LS004"] and streamed is None
        return
    assert [d.format() for d in streamed_diags] == [d.format() for d in whole_diags]
    assert streamed == whole
    assert positions(streamed) == positions(whole)
    loads = name in ("plain", "byte-order mark", "settings after the scenes")
    assert (whole is not None) == loads


def traced(path: Path) -> tuple[float, float]:
    """Peak and kept memory of ``loader.check(path)``, as multiples of the file's size."""
    gc.collect()
    tracemalloc.start()
    try:
        kept_alive = loader.check(path)
        gc.collect()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept_alive[0] is not None or kept_alive[1]
    size = path.stat().st_size
    return peak / size, kept / size


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(many_scenes(4000), encoding="utf-8")
    assert path.stat().st_size > loader.STREAM_FROM
    return path


def test_a_large_file_costs_one_copy_of_itself_beyond_the_scenario(big: Path) -> None:
    # Parsing the text made libyaml copy it into UTF-8 of its own: the text and the copy were
    # both held while the scenario was built (2.8 times the file beyond what is kept).
    peak, kept = traced(big)
    assert peak - kept < 2
    assert peak < 10


def test_a_syntax_error_at_the_end_of_a_large_file_is_found_in_bounded_memory(
    big: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(big.read_text(encoding="utf-8") + "  bad: [unclosed\n", encoding="utf-8")
    peak, _ = traced(broken)
    # composing the whole file to reach the error took 45 times its size
    assert peak < 10
    scenario, diags = loader.check(broken)
    assert scenario is None
    assert [(d.code, d.line) for d in diags] == [("LS002", big.read_text().count("\n") + 2)]


def one_line_scenes(n: int) -> str:
    """The densest file the loader accepts, per byte: one-line scenes of one choice each."""
    head = "scenario: dense\ntitle: Dense\nmeters:\n  trust: {label: T, start: 50}\nstart: s1\n"
    scenes = "".join(
        f"  s{i}: {{text: x, choices: [{{id: a, text: y, style: leader, next: s{i + 1}}}]}}\n"
        for i in range(1, n)
    )
    last = f"  s{n}: {{text: x, choices: [{{id: a, text: y, style: leader, next: done}}]}}\n"
    return head + "scenes:\n" + scenes + last + "endings:\n  done: {title: D, text: E}\n"


def test_one_line_scenes_load_in_under_ten_times_their_size(tmp_path: Path) -> None:
    # 13.5 times (10.5 kept) before positions were packed, an empty Effects shared and the
    # file fed to the parser a piece at a time: each element kept a two-int object and a
    # line number, and the whole file was held to the end; 9.8 times (9.2 kept) after
    path = tmp_path / "dense.yaml"
    path.write_text(one_line_scenes(20_000), encoding="utf-8")
    assert path.stat().st_size > 1.4 * loader.STREAM_FROM
    peak, kept = traced(path)
    assert peak < 10.5
    assert kept < 9.8
