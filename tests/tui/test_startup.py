"""Start-up: the garbage collector is paused until the first screen is painted, and runs
again afterwards however the simulator ends (sim/tui/startup.py); a new session's log is
created after the first paint, and nothing it should record is lost (sim/sessions/later.py)."""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sim.commands import play
from sim.format.diagnostics import ScenarioError
from sim.model import Scenario
from sim.sessions.lifecycle import make_session
from sim.sessions.request import Request
from sim.tui import startup
from sim.tui.app import LeadsimApp
from sim.tui.screens.play import PlayScreen

from .conftest import LATE


@pytest.fixture
def collector() -> Iterator[None]:
    """Whatever a test does to the collector is undone (frozen objects thawed)."""
    yield
    startup.release()
    gc.unfreeze()
    gc.enable()


async def test_the_collector_runs_again_once_the_first_scene_is_painted(
    make_app: Callable[..., LeadsimApp], collector: None
) -> None:
    startup.hold()
    assert not gc.isenabled()
    app = make_app(LATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what start-up built is never walked again


async def test_an_app_started_with_the_collector_running_leaves_it_alone(
    make_app: Callable[..., LeadsimApp], collector: None
) -> None:
    frozen = gc.get_freeze_count()
    async with make_app(LATE).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_a_scenario_that_is_not_found_leaves_the_collector_running(collector: None) -> None:
    args = argparse.Namespace(scenario="no-such-scenario", text=False, dir=[])
    with pytest.raises(ScenarioError):
        play.run(args)
    assert gc.isenabled()


# -- the session log, created after the first paint ----------------------------------------


def log_lines(folder: Path) -> list[dict[str, object]]:
    (path,) = folder.glob("*.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


async def test_the_log_is_created_once_the_first_scene_is_shown(
    make_app: Callable[..., LeadsimApp], tmp_path: Path
) -> None:
    app = make_app(LATE, log=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert [line["type"] for line in log_lines(tmp_path)] == ["session"]
        await pilot.press("2", "enter")
        await pilot.pause()
        lines = log_lines(tmp_path)
        assert [line["type"] for line in lines] == ["session", "decision"]
        assert lines[1]["choice"] == "ask"


async def test_a_choice_made_before_the_log_exists_is_logged_in_order(
    make_app: Callable[..., LeadsimApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However late the opening after the first paint comes, the first decision creates the
    log (header first) and is written; later ones follow in order."""
    monkeypatch.setattr(LeadsimApp, "_open_log", lambda self, session: None)
    app = make_app(LATE, log=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert list(tmp_path.iterdir()) == []  # not opened yet
        await pilot.press("2", "enter", "1", "enter")
        await pilot.pause()
        lines = log_lines(tmp_path)
        assert [line["type"] for line in lines] == ["session", "decision", "decision", "end"]
        assert [line["choice"] for line in lines[1:3]] == ["ask", "review-yourself"]


async def test_a_log_file_that_exists_is_still_refused_on_screen(
    make_app: Callable[..., LeadsimApp], tmp_path: Path
) -> None:
    taken = tmp_path / "taken.jsonl"
    taken.write_text("", encoding="utf-8")
    app = make_app(LATE, log=taken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        toasts = [str(n.message) for n in app._notifications]
        assert any("already exists" in toast for toast in toasts), toasts
        assert isinstance(app.screen, PlayScreen)  # played on, unlogged
    assert taken.read_text(encoding="utf-8") == ""


# -- a first session needs no log package before its first scene -------------------------

FIRST_SCENE = """
import asyncio, sys
from sim.tui.app import LeadsimApp, Options, build_app
from sim.tui.screens.play import PlayScreen

LeadsimApp._open_log = lambda self, session: None  # stop at the first scene

async def main() -> None:
    app = build_app(Options(seed=1, shipped=False, blink=False), sys.argv[1])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen), app.screen
        print(sorted(m for m in sys.modules if m.startswith("sim.log")))

asyncio.run(main())
"""


def first_scene_imports(home: Path) -> str:
    env = {**os.environ, "LEADSIM_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SCENE, str(LATE)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_first_session_shows_its_scene_without_the_log_package(tmp_path: Path) -> None:
    assert first_scene_imports(tmp_path) == "[]"


def test_with_logs_in_the_folder_the_resume_check_reads_them(
    small: Scenario, tmp_path: Path
) -> None:
    log_folder = tmp_path / "sessions"
    session = make_session(small, Request(seed=1, log=log_folder)).begin()
    session.choose("assign")
    assert session.recorder is not None and hasattr(session.recorder, "close")
    session.recorder.close()
    assert "sim.log" in first_scene_imports(tmp_path)


# -- the first frame written is whole -------------------------------------------------------


async def test_no_frame_is_drawn_to_be_dropped_and_the_next_one_is_whole(
    make_app: Callable[..., LeadsimApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual drops frames drawn while the app batches updates (as it does while starting)
    and forgets what they covered; the play screen draws none then, and its next frame is
    the whole screen, not the widgets that changed since."""
    from textual._compositor import Compositor, LayoutUpdate

    drawn: list[str] = []
    render_update = Compositor.render_update

    def spy(self: Compositor, *args: object, **kwargs: object) -> object:
        update = render_update(self, *args, **kwargs)  # type: ignore[arg-type]
        drawn.append(type(update).__name__)
        return update

    monkeypatch.setattr(Compositor, "render_update", spy)
    app = make_app(LATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        drawn.clear()
        with app.batch_update():
            screen.query_one("#prompt").refresh()
            screen._compositor_refresh()
        assert drawn == []
        screen._compositor_refresh()
        assert drawn == [LayoutUpdate.__name__]
