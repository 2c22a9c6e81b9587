"""Playing a fixture scenario by keys, from the library to the debrief and back again."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message

from sim.tui import messages as msg
from sim.tui.app import LeadsimApp
from sim.tui.screens.debrief import DebriefScreen
from sim.tui.screens.dialogs import AskScreen
from sim.tui.screens.play import PlayScreen

from .conftest import LATE, all_text, screen_text


async def test_whole_playthrough_by_keys(make_app: Callable[..., LeadsimApp]) -> None:
    seen: list[Message] = []
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("l", "a", "t", "e", "enter")  # filter the library, start the match
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        text = screen_text(app)
        assert "Priya, analyst says:" in text
        assert "The weekly report is two days late." in text
        assert "Team trust" in text and "50/100" in text
        assert "Escalate to your director.  (locked: needs team trust of 70" in text
        assert "LEADER" not in text and "MANAGER" not in text  # style hidden before deciding
        commands = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Restart scenario", "Quit to library", "Toggle theme", "Help"} <= commands

        await pilot.press("2")
        text = screen_text(app)
        assert "LEADER" in text
        assert "You learned the export tool is broken" in text
        assert "60/100  +10" in text  # the meters panel shows the value and the change
        assert "Reflect: What did you notice about Priya?" in text

        await pilot.press(*"she is tired", "enter")
        text = screen_text(app)
        assert "Thursday evening." in text
        assert "60/100  +10" in text

        await pilot.press("enter")  # nothing is highlighted yet: Enter alone picks nothing
        assert app.session is not None and app.session.step == 1
        await pilot.press("down", "down", "enter")  # arrows and Enter pick choice 2 as well
        text = screen_text(app)
        assert "Slower tonight, faster next week." in text
        assert "70/100  +10" in text and "55/100   +5" in text

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "Ending: A team that ships" in text and "BEST" in text
        assert "Leader   " in text and "2 of 2 (100%)" in text
        assert "Manager  " in text and "0 of 2 (0%)" in text
        assert "seeks influence (0:1)" in all_text(app)

        session = app.session
        assert session is not None and session.choice_ids() == ["ask", "pair"]
        assert session.reflections == {1: "she is tired"}
        unique = {id(m): m for m in seen}.values()  # the hook sees each hop as it bubbles
        picked = [m.choice_id for m in unique if isinstance(m, msg.ChoicePicked)]
        assert picked == ["ask", "pair"]
        assert any(isinstance(m, msg.PlayFinished) for m in seen)
        everything = all_text(app)
        assert "You reflected: she is tired" in everything
        assert "Growing a second reviewer pays off next week." in everything

        await pilot.press("p")  # play again: the first run is kept as an earlier run
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and session.step == 0
        assert [d.choice for d in session.branches[0].decisions] == ["ask", "pair"]


async def test_rewind_keeps_the_first_run(make_app: Callable[..., LeadsimApp]) -> None:
    app = make_app(LATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter", "1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "Ending: Late again" in screen_text(app)

        await pilot.press("r")  # go back: pick decision 2
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert "Thursday evening." in screen_text(app)
        assert "40/100  " in screen_text(app)  # trust as it was after decision 1

        await pilot.press("3", "enter")
        await pilot.pause()
        session = app.session
        assert session is not None
        assert session.choice_ids() == ["deadline", "wait"]
        assert len(session.branches) == 1
        assert [d.choice for d in session.branches[0].decisions] == ["review-yourself"]
        text = all_text(app)
        assert "Earlier runs" in text and "Run 1:" in text
        assert "went back to before decision 2" in text
        assert "Review it yourself tonight" in text


async def test_assessment_switches_going_back_off(make_app: Callable[..., LeadsimApp]) -> None:
    app = make_app(LATE, assessment=True, feedback="debrief", name="[b]Ana[/b]")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "ASSESSMENT" in screen_text(app)
        assert "[b]Ana[/b]" in screen_text(app)  # the trainee's name, literally
        await pilot.click("#choices", offset=(5, 0))  # the mouse picks choice 1
        # debrief feedback: no style word, only the reflection question
        text = screen_text(app)
        assert "MANAGER" not in text and "The deadline is clear" not in text
        await pilot.press("enter", "escape")  # skip the reflection; then try to leave
        assert isinstance(app.screen, AskScreen)
        await pilot.press("s")  # stay
        await pilot.press("3")  # no question in this scene: straight to the debrief
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "This was an assessment" in text
        assert "go back to a decision" not in text
        await pilot.press("r", "p")
        session = app.session
        assert session is not None and session.branches == [] and session.step == 2
