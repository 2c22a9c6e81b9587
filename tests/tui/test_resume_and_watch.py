"""Offering to resume an unfinished session, and --watch reloading an edited scenario."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from sim.tui.app import LeadsimApp
from sim.tui.screens.debrief import DebriefScreen
from sim.tui.screens.dialogs import AskScreen
from sim.tui.screens.load_error import LoadErrorScreen
from sim.tui.screens.play import PlayScreen

from .conftest import LATE, screen_text


async def wait_until(pilot: Pilot[Any], done: Callable[[], bool], timeout: float = 5) -> None:
    for _ in range(int(timeout / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting for the screen to change")


async def test_offers_to_resume_an_unfinished_session(
    make_app: Callable[..., LeadsimApp],
) -> None:
    first = make_app(LATE)
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", *"noted", "enter")  # one decision, then the trainee leaves
    again = make_app(LATE)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, AskScreen)
        assert "stopped before decision 2" in screen_text(again)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(again.screen, PlayScreen)
        assert "Thursday evening." in screen_text(again)
        session = again.session
        assert session is not None and session.choice_ids() == ["ask"]
        assert session.reflections == {1: "noted"}


def save(path: Path, text: str) -> None:
    """Write like an editor and make sure the modification time moves on."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


async def test_watch_reloads_shows_errors_and_keeps_the_place(
    make_app: Callable[..., LeadsimApp], tmp_path: Path
) -> None:
    scenario = tmp_path / "late-report.yaml"
    original = LATE.read_text(encoding="utf-8")
    scenario.write_text(original, encoding="utf-8")
    app = make_app(scenario, watch=True, watch_interval=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "enter")
        assert "Thursday evening." in screen_text(app)

        edited = original.replace("Thursday evening.", "Wednesday night.")
        save(scenario, edited)
        await wait_until(pilot, lambda: "Wednesday night." in screen_text(app))
        assert isinstance(app.screen, PlayScreen)
        assert app.session is not None and app.session.choice_ids() == ["ask"]
        assert "60/100" in screen_text(app)

        save(scenario, edited.replace("scenes:", "scenes: [", 1))
        # The screen is pushed before its text is drawn: wait for both.
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, LoadErrorScreen) and "YAML syntax error" in screen_text(app)
            ),
        )

        broken_at = app.session
        save(scenario, edited)
        await wait_until(
            pilot,
            lambda: app.session is not broken_at and "Wednesday night." in screen_text(app),
        )
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "A team that ships" in screen_text(app)


async def test_watch_announces_new_deep_findings_without_stopping_play(
    make_app: Callable[..., LeadsimApp], tmp_path: Path
) -> None:
    """An edit that leaves a scene unreachable is told as a notification after the reload;
    what the file had before is not news, and play goes on."""
    scenario = tmp_path / "late-report.yaml"
    original = LATE.read_text(encoding="utf-8")
    scenario.write_text(original, encoding="utf-8")
    app = make_app(scenario, watch=True, watch_interval=0.05)
    told: list[tuple[str, dict[str, Any]]] = []
    real_notify = app.notify

    def notify(message: str, **kw: Any) -> None:
        told.append((message, kw))
        real_notify(message, **kw)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app._known_findings is not None)
        orphan = (
            "scenes:\n  orphan:\n    text: Never shown.\n    choices:\n"
            "      - {id: x, text: X., style: leader, next: mixed}\n"
        )
        save(scenario, original.replace("scenes:\n", orphan, 1))
        await wait_until(pilot, lambda: any("orphan" in m for m, _ in told))
        (message, kw), *_ = [(m, k) for m, k in told if "orphan" in m]
        assert "[LS101]" in message and kw["severity"] == "warning"
        assert kw["title"] == "New warnings in the edited scenario"
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("2", "enter")  # play goes on
        assert "Thursday evening." in screen_text(app)
        news = len(told)
        again = original.replace("scenes:\n", orphan, 1).replace("Priya looks", "P. looks")
        save(scenario, again)
        await wait_until(pilot, lambda: len(told) > news)  # "Scenario reloaded"
        await wait_until(
            pilot,
            lambda: all(w.is_finished for w in app.workers if w.group == "watch-analysis"),
        )
        assert not [m for m, _ in told[news:] if "orphan" in m]  # already told
