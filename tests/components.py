"""Real components the tests start (Ralph, Debian's Chromium): found, or skipped with a reason.

A test that needs one calls :func:`unavailable` to skip. Under CI (``CI=true``, as `.ci/run`
runs) such a skip fails the run instead (see ``conftest.py``): there the components are
installed by ``scripts/test``, so a missing one is a broken install, not a reason to skip.
"""

from __future__ import annotations

import pytest

PREFIX = "component unavailable:"


def unavailable(component: str, why: str) -> None:
    """Skip the calling test because ``component`` cannot be had here; never returns."""
    pytest.skip(f"{PREFIX} {component}: {why}")
