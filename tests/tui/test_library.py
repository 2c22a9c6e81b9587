"""The library: lists scenarios with their size, filters as you type, shows broken files."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import OptionList

from sim.tui.app import LeadsimApp
from sim.tui.screens.library import LibraryScreen

from .conftest import screen_text


async def test_lists_scenarios_and_a_broken_file_with_its_error(
    make_app: Callable[..., LeadsimApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "The Late Report" in text
        assert "2 scenes  ·  2 decisions  ·  3 endings  ·  feedback: coach" in text
        assert "A Quiet Week" in text
        assert "broken.yaml  cannot be loaded" in text
        assert "line 4, column 1: YAML syntax error: did not find expected node" in text
        assert "3 of 3 scenarios  ·  1 cannot be loaded" in text

        await pilot.press("b", "r", "o", "k")
        assert "1 of 3 scenarios" in screen_text(app)
        await pilot.press("enter")  # a broken file cannot start: it says why, and stays
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.session is None
        toasts = [n.message for n in app._notifications]
        assert any("YAML syntax error" in t for t in toasts)

        await pilot.press("escape")
        assert app.screen.query_one("#scenarios", OptionList).option_count == 3


async def test_opens_the_real_library(make_app: Callable[..., LeadsimApp]) -> None:
    """The shipped scenarios all load (whatever they are by now) and one can be started."""
    app = make_app(shipped=True, dirs=())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.entries is not None
        broken = [(row.name, row.problem) for row in screen.entries if row.problem]
        assert broken == []
        if screen.entries:
            await pilot.press("enter")
            await pilot.pause()
            assert app.session is not None
            assert "What do you do?" in screen_text(app)
