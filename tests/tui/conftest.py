"""Fixtures for the simulator's tests: an app factory over our own small scenarios (so the
tests do not move when the shipped scenarios change) and a way to read the screen as text."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Static

from sim.tui.app import LeadsimApp, Options, build_app

DATA = Path(__file__).parent / "data"
LIBRARY = DATA / "library"
LATE = LIBRARY / "late-report.yaml"


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (Pilot tests are coroutines), without
    adding an asyncio plugin to the project's test dependencies."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


def screen_text(app: App[Any]) -> str:
    """What the active screen shows, as plain text, one line per terminal row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def all_text(app: App[Any]) -> str:
    """The text of every Static on the active screen, scrolled into view or not."""
    return "\n".join(str(w.content) for w in app.screen.query(Static))


@pytest.fixture
def make_app() -> Callable[..., LeadsimApp]:
    """``make_app(scenario_path=None, **options)``: seed 1, no shipped scenarios, the
    fixture library folder, and no cursor blink, unless told otherwise."""

    def make(scenario_path: Path | None = None, **options: Any) -> LeadsimApp:
        defaults: dict[str, Any] = {
            "dirs": (LIBRARY,),
            "shipped": False,
            "seed": 1,
            "blink": False,
            "settle": 0.0,
        }
        return build_app(Options(**{**defaults, **options}), scenario_path)

    return make
