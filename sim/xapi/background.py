"""Automatic sync: after a session, a detached ``leadsim sync --quiet --all LOG`` process
(that log, and every earlier one still waiting in the sessions folder).

The session only pays for reading the small config file and starting a process (no network,
no waiting): the new process outlives the simulator, and if the LRS cannot be reached the
statements simply wait in the queue (:mod:`sim.xapi.queue`) for the next sync, automatic or
by hand. Its output goes to ``$LEADSIM_HOME/sync.txt`` (problems only; never a password) so a
trainee's screen is never written over. Off when no LRS is configured or ``auto = false``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sim.log import home_dir
from sim.xapi import config

OUTPUT = "sync.txt"


def wanted() -> bool:
    """An LRS is configured and automatic sync is not switched off."""
    try:
        cfg = config.load()
    except config.ConfigError:
        return False
    return cfg.connection is not None and cfg.connection.auto


def start(log: Path) -> subprocess.Popen[bytes] | None:
    """Start syncing ``log`` in the background when configured; never raises."""
    if not wanted():
        return None
    try:
        folder = home_dir()
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / OUTPUT, "ab") as out:
            kwargs: dict[str, object] = {}
            if os.name == "nt":
                kwargs["creationflags"] = getattr(subprocess, "DETACHED_PROCESS", 0) | getattr(
                    subprocess, "CREATE_NEW_PROCESS_GROUP", 0
                )
            else:
                kwargs["start_new_session"] = True
            return subprocess.Popen(
                [sys.executable, "-m", "sim", "sync", "--quiet", "--all", str(log)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                close_fds=True,
                **kwargs,  # type: ignore[call-overload]
            )
    except OSError:
        return None  # the next sync (automatic or by hand) sends it
