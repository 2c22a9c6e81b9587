"""Helpers several test modules share."""

from __future__ import annotations

import os
import subprocess
import sys


def leadsim(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `leadsim` command in a subprocess, as a trainer or a script would."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
