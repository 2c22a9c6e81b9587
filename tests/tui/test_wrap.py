"""Choices wrap at every width; none is clipped inside the list (seen at 160 columns once)."""

from __future__ import annotations

from collections.abc import Callable

from sim.tui.app import LeadsimApp
from sim.tui.widgets.choices import ChoiceList
from tests.tui.conftest import DATA

WRAP = DATA / "wrap" / "wrap.yaml"


async def test_no_width_clips_a_wrapped_choice(make_app: Callable[..., LeadsimApp]) -> None:
    app = make_app(WRAP, dirs=())
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        for width in range(60, 171, 3):
            await pilot.resize_terminal(width, 40)
            await pilot.pause()
            choices = app.screen.query_one(ChoiceList)
            assert choices.max_scroll_y == 0, f"a choice is clipped at {width} columns"
