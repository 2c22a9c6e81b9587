"""The replay screen, driven by Pilot: forward, back, and the jump to the debrief."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from sim import log
from sim.format import loader
from sim.log import screen
from sim.sessions.session import Session
from sim.tui.replay_app import ReplayApp

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"


def shown(app: ReplayApp, widget: str) -> str:
    content = app.query_one(widget, Static).content
    return content.plain if isinstance(content, Content) else str(content)


def test_stepping_forward_and_back_to_the_debrief(tmp_path: Path) -> None:
    # The project has no asyncio test plugin: run the Pilot session in its own event loop.
    asyncio.run(stepping(tmp_path))


async def stepping(tmp_path: Path) -> None:
    scenario = loader.load(FIXTURE)
    session = Session(scenario, 3, trainee="Ana", recorder=log.SessionLog(tmp_path)).begin()
    session.choose("plan")
    session.reflect("they were quiet")
    session.choose("review")
    session.rewind(1)
    session.choose("push")
    session.choose("ship")
    recorded = screen.collect(session.recorder.path)  # type: ignore[union-attr]
    messages: list[Message] = []
    app = ReplayApp(recorded)
    async with app.run_test(size=(100, 32), message_hook=messages.append) as pilot:
        # Step 1: the scene text literally (it contains markup-like brackets), every choice.
        assert "[bold]Not markup[/bold] [@click=app.quit]x[/]" in shown(app, "#scene")
        choices = shown(app, "#choices").splitlines()
        assert (
            choices[0]
            == "\N{BLACK RIGHT-POINTING TRIANGLE} Hand out a detailed plan.  [MANAGER, chosen]"
        )
        assert choices[1:] == ["  Ask the team what they need.", "  Wait and see."]
        outcome = shown(app, "#outcome")
        assert "Team trust 50 -> 45 (-5)" in outcome and "Reflection: they were quiet" in outcome

        await pilot.press("right", "right")
        assert app.position == 2
        assert "rewound here from decision 2" in shown(app, "#position")
        assert "Tell them to stay late.  [MANAGER, chosen]" in shown(app, "#choices")

        await pilot.press("left")
        assert app.position == 1 and "Review the plan together.  [LEADER, chosen]" in shown(
            app, "#choices"
        )

        await pilot.press("d")
        assert app.position == len(recorded.steps) == 4
        assert shown(app, "#position") == "Ending: Notice"
        assert shown(app, "#outcome") == "Decisions: 3 manager, 0 leader, 0 neutral"

        await pilot.press("right")  # nothing beyond the debrief
        assert app.position == 4
    moves = [(m.position, m.debrief) for m in messages if isinstance(m, ReplayApp.Moved)]
    assert moves == [(0, False), (1, False), (2, False), (1, False), (4, True)]


def test_a_format_11_session_replays_as_the_trainee_saw_it(tmp_path: Path) -> None:
    asyncio.run(format_11(tmp_path))


async def format_11(tmp_path: Path) -> None:
    from tests.test_shuffle import FOUR

    path = tmp_path / "four.yaml"
    path.write_text(FOUR.replace("text: Pick one.", "text: 'Pick one, ${trainee}.'"))
    four = loader.load(path)
    seed = next(s for s in range(100) if _order(four, s)[0] in ("c", "d"))
    session = Session(four, seed, trainee="Ana", recorder=log.SessionLog(tmp_path / "a")).begin()
    first = _order(four, seed)
    session.choose(first[0])
    night = loader.load(Path(__file__).parent / "data" / "format11.yaml")
    story = Session(night, 1, trainee="Bo", recorder=log.SessionLog(tmp_path / "b")).begin()
    story.choose("order")
    story.choose("(continue)")

    app = ReplayApp(screen.collect(session.recorder.path))  # type: ignore[union-attr]
    async with app.run_test(size=(100, 32)):
        assert "Pick one, Ana." in shown(app, "#scene")
        listed = [line[2:].split(".")[0] for line in shown(app, "#choices").splitlines()]
        assert [word[0].lower() for word in listed] == first  # the order the trainee saw

    app = ReplayApp(screen.collect(story.recorder.path))  # type: ignore[union-attr]
    async with app.run_test(size=(100, 32)) as pilot:
        assert "Bo, the night shift" in shown(app, "#scene")
        assert "Dana says nothing and leaves." in shown(app, "#outcome")
        await pilot.press("right")
        assert "Dana avoids your eyes." in shown(app, "#scene")
        assert shown(app, "#choices").endswith("(read on)")
        assert "none (narration)" in shown(app, "#outcome")
        await pilot.press("right")
        assert "The shift ends with 40 trust." in shown(app, "#scene")


def _order(scenario: object, seed: int) -> list[str]:
    from sim import engine

    state = engine.start(scenario, seed)  # type: ignore[arg-type]
    return [o.choice.id for o in engine.choices(scenario, state)]  # type: ignore[arg-type]


def test_the_replay_screen_reflows_scene_text_like_the_play_screen(tmp_path: Path) -> None:
    asyncio.run(reflowing(tmp_path))


async def reflowing(tmp_path: Path) -> None:
    late = Path(__file__).parent / "tui" / "data" / "library" / "late-report.yaml"
    session = Session(loader.load(late), 1, recorder=log.SessionLog(tmp_path)).begin()
    session.choose("ask")
    app = ReplayApp(screen.collect(session.recorder.path))  # type: ignore[union-attr]
    async with app.run_test(size=(80, 24)):
        text = shown(app, "#scene")
        # The file breaks the line after "tired."; the screen joins it into one paragraph.
        assert 'Priya looks tired. "We are stuck on the data export," she says.' in text
        assert text.startswith("Priya, analyst says:")
