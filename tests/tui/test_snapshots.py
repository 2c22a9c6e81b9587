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

from .conftest import LATE

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
