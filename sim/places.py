"""Where leadsim keeps a user's data, worked out without importing the log package.

``$LEADSIM_HOME`` if set, else the platform's per-user data folder; session logs go to its
``sessions`` folder. The simulator asks "might there be a log to offer for resuming?" before
its first scene, and answering that must not cost the import of :mod:`sim.log` (writer,
signing, reader) when the folder is empty, so the rule lives here, below every layer, and
:mod:`sim.log` uses it too.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "LEADSIM_HOME"
LOG_SUFFIX = ".jsonl"


def home_dir() -> Path:
    """leadsim's per-user data folder: ``$LEADSIM_HOME``, else the platform's data folder."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("leadsim")


def sessions_dir(home: Path | None = None) -> Path:
    """The folder new session logs go to (``HOME/sessions``)."""
    return (home if home is not None else home_dir()) / "sessions"


def may_hold_logs(folder: Path | None = None) -> bool:
    """False when ``folder`` (default: :func:`sessions_dir`) certainly holds no session log:
    missing, unreadable, or no ``.jsonl`` entry. True means: look properly."""
    try:
        with os.scandir(folder if folder is not None else sessions_dir()) as entries:
            return any(entry.name.endswith(LOG_SUFFIX) for entry in entries)
    except OSError:
        return False
