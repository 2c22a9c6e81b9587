"""Format 1.1 in the simulator: text that follows the path, values, outcomes, narration."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import OptionList

from sim.tui.app import LeadsimApp
from sim.tui.screens.debrief import DebriefScreen
from sim.tui.screens.play import PlayScreen

from .conftest import all_text, screen_text

FILE = Path(__file__).parent.parent / "data" / "format11.yaml"


async def test_outcome_text_values_and_narration_on_screen(
    make_app: Callable[..., LeadsimApp], tmp_path: Path
) -> None:
    app = make_app(FILE, feedback="consequences", name="Alex", log=tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        text = screen_text(app)
        assert "Alex, the night shift missed its target again." in text
        assert "Your Team trust stands at 50; prices say ${price}." in text
        assert "What do you do?" in text

        await pilot.press("2")  # order a double shift
        text = all_text(app)
        assert "Dana says nothing and leaves." in text  # the story, even in consequences mode
        assert "Orders move numbers, not people." not in text  # the coach waits for the end

        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Dana avoids your eyes." in text and "fixing the jig" not in text
        assert "Read on: Enter continues." in text
        assert "What did the order cost you?" not in text

        await pilot.press("enter")  # continue: the reflection question comes up
        await pilot.pause()
        assert "What did the order cost you?" in all_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = all_text(app)
        assert "The shift ends with 40 trust." in text
        assert "An order without a reason costs trust." in text
        assert "Dana says nothing and leaves." in text  # the debrief retells the outcome
        assert "Continue" not in text  # reading a narration scene was no decision
        await pilot.press("r")  # go back: only real decisions can be made again
        await pilot.pause()
        steps = app.screen.query_one("#rewind-steps", OptionList)
        listed = [str(steps.get_option_at_index(i).prompt) for i in range(steps.option_count)]
        assert len(listed) == 1 and "Order a double shift." in listed[0]
    logs = list(tmp_path.glob("*.jsonl"))
    assert len(logs) == 1 and '"type":"narration"' in logs[0].read_text()


async def test_coach_mode_shows_outcome_then_the_coach(
    make_app: Callable[..., LeadsimApp], tmp_path: Path
) -> None:
    app = make_app(FILE, feedback="coach", log=tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("1")
        text = all_text(app)
        story = text.index("She looks relieved that you asked.")
        assert story < text.index("Asking first shows you want the cause")
        await pilot.press("enter")
        await pilot.pause()
        assert "Dana is already fixing the jig." in screen_text(app)
        await pilot.press("1")  # the number key continues too
        await pilot.pause()
        assert "What did asking cost you?" in all_text(app)


async def test_number_keys_follow_the_shuffled_order(
    make_app: Callable[..., LeadsimApp], tmp_path: Path
) -> None:
    from sim.tui.widgets.choices import ChoiceList
    from tests.test_shuffle import FOUR

    path = tmp_path / "four.yaml"
    path.write_text(FOUR)
    orders = set()
    for seed in (1, 2, 3, 4, 5, 6):
        app = make_app(path, seed=seed, log=tmp_path / f"{seed}.jsonl")
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            listed = list(app.screen.query_one(ChoiceList).numbered)
            orders.add(tuple(listed))
            await pilot.press("1")
            await pilot.pause()
        decision = (tmp_path / f"{seed}.jsonl").read_text().splitlines()[1]
        assert f'"choice":"{listed[0]}"' in decision and '"shown":' in decision
    assert len(orders) > 1
