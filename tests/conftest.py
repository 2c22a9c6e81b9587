"""Shared fixtures: the small scenario the core tests play, and an isolated log home."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.format import loader
from sim.model import Scenario

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def small() -> Scenario:
    return loader.load(DATA / "small.yaml")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test writes session logs into the real user's data directory."""
    monkeypatch.setenv("LEADSIM_HOME", str(tmp_path_factory.mktemp("leadsim-home")))
