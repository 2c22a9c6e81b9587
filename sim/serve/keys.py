"""The server's signing key: a file only the server's user can read, named to the session
processes by ``LEADSIM_SIGNING_KEY_FILE`` so their log writer signs every line
(:mod:`sim.log.signing` says how; `leadsim replay --verify --key FILE` checks)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sim.log.signing import KEY_ENV, create_key_file

__all__ = ["KEY_ENV", "ensure_key_file"]


def ensure_key_file(path: Path) -> Path:
    """``path``, created with a fresh random key (mode 0600) when missing; an existing key
    is kept, so logs of earlier runs keep verifying with it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        create_key_file(path)
    return path
