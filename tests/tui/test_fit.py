"""Every scene of every shipped scenario fits: its choices, and the whole feedback after each
of them, are on screen at 80x24 and at 160x48 without scrolling (the scene text scrolls on its
own above them, with a cue when it is cut)."""

from __future__ import annotations

import attrs
import pytest
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widget import Widget

from sim.format import library, loader
from sim.sessions.session import Session
from sim.tui.app import Options, build_app
from sim.tui.screens.play import PlayScreen
from sim.tui.widgets.choices import ChoiceList
from sim.tui.widgets.feedback import FeedbackPanel

SHIPPED = sorted(library.scenario_files(library.shipped_dir()))


def inside(widget: Widget, screen: Region) -> bool:
    region = widget.region
    return region.height > 0 and screen.contains_region(region)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
async def test_every_choice_and_feedback_is_on_screen(path: object, size: tuple[int, int]) -> None:
    scenario = loader.load(path)  # type: ignore[arg-type]
    session = Session(scenario, 1)
    app = build_app(Options(shipped=False, blink=False, settle=0.0), session=session)
    start = session.state
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        whole = Region(0, 0, *size)
        decide = screen.query_one("#decide", VerticalScroll)
        for scene_id, scene in scenario.scenes.items():
            session.states[:] = [attrs.evolve(start, scene=scene_id)]
            screen.show_scene()
            await pilot.pause()
            choices = screen.query_one(ChoiceList)
            where = f"{path}: scene {scene_id} at {size}"
            assert inside(choices, whole) and decide.max_scroll_y == 0, where
            assert choices.option_count == len(scene.choices), where
            for offer in session.offers():
                if not offer.available:
                    continue
                decision = session.choose(offer.choice.id)
                screen.show_feedback(decision)
                await pilot.pause()
                panel = screen.query_one(FeedbackPanel)
                assert inside(panel, whole) and decide.max_scroll_y == 0, (where, offer.choice.id)
                session.states.pop()
