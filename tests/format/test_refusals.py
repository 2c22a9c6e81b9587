"""What the loader refuses rather than hold a large file whole (docs/authoring.md, "Size
limits"): a file of 1 MiB or more laid out so that it cannot be read a scene at a time, and
a setting, scene or ending of more than MAX_ENTRY_VALUES values, each at the place that
forces it, with what to change, in bounded memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from sim.format import loader
from sim.format.diagnostics import Diagnostic
from tests.test_stream_loader import many_scenes

BIG = many_scenes(4000)  # 1.2 MB: read a scene at a time
HEAD, SCENES = BIG.split("scenes:\n", 1)
BODY, ENDINGS = SCENES.split("endings:\n", 1)
SCENES_AT = HEAD.count("\n") + 1  # the line of 'scenes:'
ENDINGS_AT = BIG.split("endings:\n")[0].count("\n") + 1
METERS = "meters:\n  trust: {label: Team trust, start: 50, min: 0, max: 100}\n"

LAYOUTS = {
    # name: (text, line, column, what the message says, what the hint says)
    "meters after the scenes": (
        HEAD.replace(METERS, "") + "scenes:\n" + BODY + METERS + "endings:\n" + ENDINGS,
        ENDINGS_AT - 2,
        1,
        "'meters:' comes after 'scenes:'",
        "move 'meters:' above 'scenes:'",
    ),
    "endings before the scenes": (
        HEAD + "endings:\n" + ENDINGS + "scenes:\n" + BODY,
        SCENES_AT + 2,
        1,
        "'endings:' comes before 'scenes:'",
        "below the scenes",
    ),
    "scenes merged in": (
        HEAD + "scenes:\n  <<: {}\n" + BODY + "endings:\n" + ENDINGS,
        SCENES_AT + 1,
        3,
        "'<<' merges scenes into 'scenes:'",
        "write those scenes out instead",
    ),
    "scenes as an alias": (
        HEAD.replace("start: s0", "x: &all {}\nstart: s0") + "scenes: *all\n" + BODY,
        SCENES_AT + 1,
        1,
        "'scenes:' is an alias",
        "write the scenes out instead of an alias",
    ),
    "scenes listed twice": (
        HEAD + "scenes:\n" + BODY + "scenes:\n  z: {text: Z}\nendings:\n" + ENDINGS,
        ENDINGS_AT,
        1,
        "'scenes:' appears twice",
        "list every scene under one 'scenes:'",
    ),
    "endings listed twice": (
        BIG + "endings:\n  other: {title: O, text: O.}\n",
        BIG.count("\n") + 1,
        1,
        "'endings:' appears twice",
        "list every ending under one 'endings:'",
    ),
}


def check(text: str, tmp_path: Path) -> tuple[object, list[Diagnostic]]:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    return loader.check(path)


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_a_large_file_that_cannot_be_read_a_scene_at_a_time_is_refused_where_and_why(
    name: str, tmp_path: Path
) -> None:
    text, line, column, why, fix = LAYOUTS[name]
    assert len(text.encode()) >= loader.STREAM_FROM
    scenario, diags = check(text, tmp_path)
    assert scenario is None
    assert [(d.code, d.line, d.column) for d in diags] == [("LS004", line, column)]
    assert diags[0].message.startswith(why), diags[0].message
    assert "1 MiB or more" in diags[0].message and "a scene at a time" in diags[0].message
    assert fix in diags[0].hint


def test_the_same_layout_in_a_small_file_loads(tmp_path: Path) -> None:
    small = many_scenes(40)
    head, rest = small.split("scenes:\n", 1)
    body, endings = rest.split("endings:\n", 1)
    later = head.replace(METERS, "") + "scenes:\n" + body + METERS + "endings:\n" + endings
    scenario, diags = check(later, tmp_path)
    assert scenario is not None and len(scenario.scenes) == 40, diags


def test_a_large_file_with_a_file_wide_allow_is_read_a_scene_at_a_time(tmp_path: Path) -> None:
    text = "format: 1.1\nallow: [LS130]\n" + BIG
    scenario, diags = check(text, tmp_path)
    assert scenario is not None, diags
    (allowance,) = scenario.allowed
    assert allowance.codes == {"LS130"} and allowance.end.line > text.count("\n")


FLAGS = 150_000  # more values than MAX_ENTRY_VALUES allows in one setting


@pytest.mark.parametrize("large", [False, True], ids=["small file", "large file"])
def test_a_setting_of_too_many_values_is_refused_at_its_key(large: bool, tmp_path: Path) -> None:
    assert FLAGS > loader.MAX_ENTRY_VALUES
    flags = "flags: [" + ", ".join(["f"] * FLAGS) + "]\n"
    text = flags + (BIG if large else many_scenes(3))
    assert (len(text) >= loader.STREAM_FROM) == large
    scenario, diags = check(text, tmp_path)
    assert scenario is None
    assert [(d.code, d.line, d.column) for d in diags] == [("LS004", 1, 1)]
    assert diags[0].message == f"'flags' holds more than {loader.MAX_ENTRY_VALUES:,} values"
    assert "split it" in diags[0].hint


def test_a_scene_of_too_many_values_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    effects = ", ".join(f"m{i}: +1" for i in range(100 * loader.MAX_ENTRY_VALUES))
    choice = f"{{id: a, text: A, effects: {{{effects}}}}}"
    scene = f"  huge:\n    text: H\n    choices:\n      - {choice}\n"
    text = HEAD + "scenes:\n" + scene + BODY + "endings:\n" + ENDINGS
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    tracemalloc.start()
    try:
        scenario, diags = loader.check(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert scenario is None
    assert [(d.code, d.line, d.column) for d in diags] == [("LS004", SCENES_AT + 1, 3)]
    assert diags[0].message.startswith("scene 'huge' holds more than")
    # composing the whole file took about 46 times its size; the refused scene was never
    # composed past the limit
    assert peak < 10 * path.stat().st_size
