"""Pictures of each screen at 80x24 (and one wide debrief), compared with the committed SVGs.

Regenerate after an intended change with ``pytest tests/tui --snapshot-update`` and look at
the report before committing. The fixture app uses a fixed seed, no shipped scenarios and
no cursor blink, so the pictures do not move between runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from sim.tui.app import LeadsimApp

from .conftest import DATA, LATE

LONG = DATA / "long" / "long-call.yaml"

SIZE = (80, 24)


async def library_loaded(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_library(snap_compare: Any, make_app: Callable[..., LeadsimApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=library_loaded)


def test_play(snap_compare: Any, make_app: Callable[..., LeadsimApp]) -> None:
    assert snap_compare(make_app(LATE), terminal_size=SIZE)


def test_feedback(snap_compare: Any, make_app: Callable[..., LeadsimApp]) -> None:
    assert snap_compare(make_app(LATE), press=["2"], terminal_size=SIZE)


def test_debrief(snap_compare: Any, make_app: Callable[..., LeadsimApp]) -> None:
    keys = ["1", "enter", "2", "enter"]
    assert snap_compare(make_app(LATE), press=keys, terminal_size=SIZE)


def test_debrief_wide(snap_compare: Any, make_app: Callable[..., LeadsimApp]) -> None:
    keys = ["2", *"tired", "enter", "1", "enter"]
    assert snap_compare(make_app(LATE), press=keys, terminal_size=(160, 48))


def test_help(snap_compare: Any, make_app: Callable[..., LeadsimApp]) -> None:
    assert snap_compare(make_app(LATE), press=["question_mark"], terminal_size=SIZE)


def test_map(snap_compare: Any, make_app: Callable[..., LeadsimApp]) -> None:
    assert snap_compare(make_app(LATE), press=["2", "enter", "m"], terminal_size=SIZE)


def test_long_scene_keeps_its_choices(
    snap_compare: Any, make_app: Callable[..., LeadsimApp]
) -> None:
    """The scene text scrolls with a cue; all three long choices stay on screen."""
    assert snap_compare(make_app(LONG, dirs=()), terminal_size=SIZE)


def test_long_feedback_is_whole(snap_compare: Any, make_app: Callable[..., LeadsimApp]) -> None:
    """The whole feedback panel (choice, style, note, a capped change, the reflection)."""
    assert snap_compare(make_app(LONG, dirs=()), press=["2"], terminal_size=SIZE)


def test_debrief_scrolled_to_the_end(
    snap_compare: Any, make_app: Callable[..., LeadsimApp]
) -> None:
    keys = ["2", *"the hospital", "enter", "1", "enter", "end"]
    assert snap_compare(make_app(LONG, dirs=()), press=keys, terminal_size=SIZE)
