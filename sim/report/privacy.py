"""``--anonymize``: stable pseudonyms for trainee names (and log file names) in every output.

A pseudonym is a keyed hash (HMAC-SHA256) of the name under a random key kept in leadsim's
data folder (``HOME/report.key``, readable by its owner only). The same name gets the same
pseudonym in every report made with that key, so a trainer can follow "trainee-K7Q2M" across
reports and workshops, while nobody without the key can test a guess ("is it Ben Eke?") by
hashing it. Delete the key file to start new pseudonyms. What trainees typed into their
reflections is shown as written: a trainer sharing a report should read those first.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from sim.log import home_dir

KEY_FILE = "report.key"


def load_key(home: Path | None = None) -> tuple[bytes, str | None]:
    """The pseudonym key, made on first use; and a note when it could not be kept (then the
    pseudonyms hold for this run only)."""
    path = (home if home is not None else home_dir()) / KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) >= 16:
            return key, None
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
    except FileExistsError:
        return load_key(home)  # another report made it a moment ago
    except OSError as e:
        note = f"cannot keep the pseudonym key in {path} ({e.strerror}); "
        return key, note + "the pseudonyms hold for this report only"
    return key, None


class Pseudonyms:
    def __init__(self, key: bytes) -> None:
        self.key = key

    def _code(self, kind: str, name: str) -> str:
        digest = hmac.new(self.key, f"{kind}\0{name}".encode(), hashlib.sha256).digest()
        return base64.b32encode(digest[:5]).decode().rstrip("=")

    def trainee(self, name: str) -> str:
        return f"trainee-{self._code('trainee', name)}"

    def log(self, source: str) -> str:
        return f"log-{self._code('log', source)}"
