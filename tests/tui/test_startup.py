"""Start-up: the garbage collector is paused until the first screen is painted, and runs
again afterwards however the simulator ends (sim/tui/startup.py)."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Callable, Iterator

import pytest

from sim.commands import play
from sim.format.diagnostics import ScenarioError
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
