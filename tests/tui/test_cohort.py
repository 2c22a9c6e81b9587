"""The cohort screen: one key from the library, every section readable at 80x24 and wide."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from sim import log
from sim.format import loader
from sim.report.synthetic import write_cohort
from sim.tui.app import LeadsimApp
from sim.tui.screens.cohort import CohortScreen
from sim.tui.screens.library import LibraryScreen

from .conftest import LIBRARY, screen_text

SECTIONS = (
    "Endings",
    "Choices at each scene",
    "Style balance",
    "Where unfinished sessions stopped",
    "Reflections",
    "Median time per decision",
)


@pytest.fixture
def cohort_home() -> Path:
    """A synthetic cohort of the fixture library's two playable scenarios, in the sessions
    folder of the test's (isolated) LEADSIM_HOME."""
    scenarios = [
        loader.load(LIBRARY / "late-report.yaml"),
        loader.load(LIBRARY / "quiet-week.yaml"),
    ]
    write_cohort(log.sessions_dir(), scenarios, 40, seed=9)
    return Path(os.environ[log.HOME_ENV])


async def open_cohort(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("f6")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def read_all(pilot: Pilot[Any]) -> str:
    """Every line of the scenario shown, by scrolling to the end a page at a time."""
    seen: list[str] = []
    view = pilot.app.screen.query_one("#cohort-view")
    while True:
        seen.append(screen_text(pilot.app))
        if view.scroll_y >= view.max_scroll_y:
            return "\n".join(seen)
        await pilot.press("pagedown")
        await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_the_cohort_screen_shows_each_scenario_in_full(
    size: tuple[int, int], cohort_home: Path, make_app: Callable[..., LeadsimApp]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_cohort(pilot)
        assert isinstance(app.screen, CohortScreen)
        titles = set()
        for _ in range(2):
            text = await read_all(pilot)
            for section in SECTIONS:
                assert section in text, (section, size)
            titles.add(text.splitlines()[0])
            if "Late Report" in text.splitlines()[0]:  # its first scene asks for a reflection
                assert "What did you notice about Priya?" in text
            # Nothing is cut at the right edge: every row fits the terminal.
            assert all(len(line.rstrip()) <= size[0] for line in text.splitlines())
            await pilot.press("right")
            await pilot.pause()
        assert any("Late Report" in t for t in titles) and any("Quiet Week" in t for t in titles)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    assert (cohort_home / "report.sqlite3").is_file()


async def test_an_empty_sessions_folder_says_so(make_app: Callable[..., LeadsimApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cohort(pilot)
        assert "No sessions logged" in screen_text(app)


async def test_the_key_is_in_the_library_key_bar(make_app: Callable[..., LeadsimApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "F6 Cohort report" in screen_text(app).splitlines()[-1].replace("  ", " ")


def test_cohort_snapshot(
    snap_compare: Any, cohort_home: Path, make_app: Callable[..., LeadsimApp]
) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_cohort)
