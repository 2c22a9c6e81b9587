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
    # Nor syncs to an LRS the developer configured (the config file lives in LEADSIM_HOME).
    for name in ("LEADSIM_CONFIG", "LEADSIM_LRS_URL", "LEADSIM_LRS_USER", "LEADSIM_LRS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


_component_skips: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    from tests.components import PREFIX

    if report.skipped and PREFIX in str(report.longrepr):
        _component_skips.append(f"{report.nodeid}: {report.longrepr}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI a test that skipped for a missing component fails the run (scripts/test
    installs Ralph and Chromium there, so a skip means the install is broken)."""
    import os

    if os.environ.get("CI") == "true" and _component_skips:
        print("\nCI: these tests skipped for a missing component, which CI must have:")
        for line in _component_skips:
            print(f"  {line}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
