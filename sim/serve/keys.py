"""The server's signing key: a file only the server's user can read, named to the session
processes by ``LEADSIM_SIGNING_KEY_FILE`` so their log writer signs every line."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def ensure_key_file(path: Path) -> Path:
    """``path``, created with a fresh random key (mode 0600) when missing; an existing key
    is kept, so logs of earlier runs keep verifying with it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    return path
