"""What a trainee sees, at 80x24 and at 160x48: the scene text scrolls with a cue while the
choices stay, Enter never picks by itself, keys typed during a screen change are dropped, the
map shows only the path taken, titles instead of ids, sources that are not speech, capped
changes, the whole debrief within reach, assessments that cannot be replaced silently, a
library that forgets its filter and shows progress, and our own key list in Ctrl+P."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events

from sim import log
from sim.format import library, loader
from sim.sessions.session import Session
from sim.tui.app import LeadsimApp, Options, build_app
from sim.tui.screens.debrief import DebriefScreen
from sim.tui.screens.dialogs import AskScreen
from sim.tui.screens.help import HelpScreen
from sim.tui.screens.library import LibraryScreen
from sim.tui.screens.map import MapScreen
from sim.tui.screens.play import PlayScreen

from .conftest import LATE, all_text, screen_text

SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
FRIDAY = library.shipped_dir() / "friday-shipment.yaml"


def variant(tmp_path: Path, old: str, new: str) -> Path:
    """The Late Report with one piece of text replaced."""
    text = LATE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "late-report.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@SIZES
async def test_a_long_scene_scrolls_above_the_choices_with_a_cue(size: tuple[int, int]) -> None:
    # The third option as this session shows it (format 1.1 shuffles per seed), first words.
    third = Session(loader.load(FRIDAY), 1).offers()[2].choice.text
    choice3 = "3. " + " ".join(third.split()[:5])
    app = build_app(Options(shipped=False, seed=1, blink=False, settle=0.0), FRIDAY)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "What do you do?" in text and choice3 in text
        last_line = "You tell Priya you will call her back by two."
        if size == (160, 48):  # room for it all: no cue
            assert last_line in text and "more below" not in text and "more above" not in text
            return
        assert "more below" in text and "more above" not in text and last_line not in text
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        text = screen_text(app)
        assert "more above" in text and "more below" not in text and last_line in text
        assert choice3 in text  # the choices did not move


@SIZES
async def test_enter_continues_but_never_picks(
    make_app: Callable[..., LeadsimApp], size: tuple[int, int]
) -> None:
    app = make_app(LATE)
    async with app.run_test(size=size) as pilot:
        await pilot.press("2", *"tired", "enter")  # choose, reflect, continue
        await pilot.press("enter", "enter", "space")  # stray keys on the next scene
        assert app.session is not None and app.session.step == 1
        assert isinstance(app.screen, PlayScreen) and app.screen.phase == "choosing"
        await pilot.press("down", "enter")  # moving to choice 1 and Enter is deliberate
        assert app.session.choice_ids() == ["ask", "review-yourself"]
        await pilot.press("1")  # the feedback ignores numbers
        assert app.session.step == 2


@SIZES
async def test_keys_typed_while_a_scene_appears_are_dropped(
    make_app: Callable[..., LeadsimApp], size: tuple[int, int]
) -> None:
    app = make_app(LATE, settle=60.0)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        await pilot.press("2", "down", "enter")
        assert app.session is not None and app.session.step == 0
        screen._shown_at -= 120  # the trainee has had time to read
        await pilot.press("2")
        assert app.session.step == 1 and screen.phase == "feedback"
        await pilot.press("escape")  # the reflection box has the focus; Enter continues
        await pilot.press("enter")
        assert screen.phase == "feedback"  # too soon after the feedback appeared


@SIZES
async def test_the_map_shows_only_the_path_taken(
    make_app: Callable[..., LeadsimApp], size: tuple[int, int]
) -> None:
    app = make_app(LATE)
    async with app.run_test(size=size) as pilot:
        await pilot.press("2", "enter", "m")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        text = screen_text(app)
        assert "1. Priya, analyst" in text and "Ask the team what is blocking" in text
        assert "2. Decision 2" in text and "YOU ARE HERE" in text
        for hidden in ("standup", "crunch", "leads to", "A team that ships", "Late again"):
            assert hidden not in all_text(app) and hidden not in text, hidden
        await pilot.press("escape", "2", "enter")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        text = screen_text(app)
        assert "Ending: A team that ships" in text and "REACHED" in text
        assert "Late again" not in text


@SIZES
async def test_titles_and_sources_not_ids_or_speech(
    make_app: Callable[..., LeadsimApp], tmp_path: Path, size: tuple[int, int]
) -> None:
    path = variant(
        tmp_path,
        "    speaker: Priya, analyst\n",
        "    speaker: Email from the analysts\n    source: true\n    title: The late report\n",
    )
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Source: Email from the analysts" in text and "says:" not in text
        await pilot.press("2", "enter", "2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        everything = all_text(app)
        assert "The late report" in everything and "Decision 2" in everything
        assert "standup" not in everything and "crunch" not in everything


@SIZES
async def test_a_capped_change_is_shown_as_such(
    make_app: Callable[..., LeadsimApp], tmp_path: Path, size: tuple[int, int]
) -> None:
    path = variant(
        tmp_path, "results: {label: Results, start: 50}", "results: {label: Results, start: 100}"
    )
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        text = " ".join(screen_text(app).split())
        assert "Results +0 (already at the maximum)" in text


@SIZES
async def test_the_whole_debrief_scrolls_into_view(size: tuple[int, int]) -> None:
    scenario = loader.load(FRIDAY)
    session = Session(scenario, 1)
    while not session.over:
        offer = next(o for o in session.offers() if o.available)
        session.choose(offer.choice.id)
        session.reflect(f"thought {session.step}")
    last = f"You reflected: thought {session.step}"
    app = build_app(Options(shipped=False, blink=False, settle=0.0), session=session)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("end")
        await pilot.pause()
        assert last in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert "Ending:" in screen_text(app)
        for _ in range(40):
            await pilot.press("pagedown")
        await pilot.pause()
        assert last in screen_text(app)
        await pilot.press("home", *["down"] * 200)
        await pilot.pause()
        assert last in screen_text(app)
        await pilot.press("home")
        for _ in range(60):  # the mouse wheel (Pilot has no public scroll helper)
            await pilot._post_mouse_events([events.MouseScrollDown], "#debrief", (4, 4))
        await pilot.pause()
        assert last in screen_text(app)


@SIZES
async def test_leaving_an_assessment_abandons_it_and_says_so(
    make_app: Callable[..., LeadsimApp], tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(LATE, assessment=True, log=tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "enter", "escape")  # choose, skip the reflection, leave
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        text = " ".join(screen_text(app).split())
        assert "This attempt will count as abandoned" in text
        await pilot.press("enter")  # a stray Enter stays
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    (path,) = log.log_files(tmp_path)
    assert log.summarize(path).abandoned


@SIZES
async def test_library_forgets_its_filter_and_shows_progress(
    make_app: Callable[..., LeadsimApp], tmp_path: Path, size: tuple[int, int]
) -> None:
    done = Session(loader.load(LATE), 1, recorder=log.SessionLog(tmp_path)).begin()
    done.choose("ask")
    done.choose("pair")
    app = make_app(log=tmp_path)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "You: finished once, best outcome BEST" in screen_text(app)
        await pilot.press(*"zzz")
        await pilot.pause()
        assert "No scenario matches \N{LEFT DOUBLE QUOTATION MARK}zzz" in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace", *"late", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        library = app.screen
        assert library.query_one("#filter").value == ""  # type: ignore[attr-defined]
        count = len(library.entries or [])
        assert count > 1 and f"{count} of {count} scenarios" in screen_text(app)


async def test_the_palettes_keys_are_ours(make_app: Callable[..., LeadsimApp]) -> None:
    app = make_app(LATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = [c for c in app.get_system_commands(app.screen) if c.title == "Keys"]
        assert len(keys) == 1
        keys[0].callback()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Enter alone never picks" in all_text(app)
