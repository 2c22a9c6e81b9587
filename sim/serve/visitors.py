"""Trainee names on a `leadsim serve` server, each held by exactly one visitor.

A visitor is a random key kept in a browser cookie (and in a personal link for another
device). The simulator offers to resume an unfinished session by trainee name, so a name must
never be shared between visitors: the first visitor to use a name holds it, and a name that
already appears in a log of the sessions folder (an earlier workshop, the command line) can
only be taken by the visitor who holds it here. Names are compared case-insensitively.

The table is a small JSON file (mode 0600) in the server's data folder; only hashes of the
keys are stored, so the file does not let anyone take a visitor's place.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import unicodedata
from pathlib import Path

from sim import log
from sim.safetext import plain

NAME_MAX = 40
# Letters (any script), digits, and the few marks names use: space . ' - .
_NAME = re.compile(r"[^\W_](?:[\w .'’-]*[^\W_.])?")


def clean_name(raw: str) -> str | None:
    """The trainee name ``raw`` asks for, tidied (outer spaces off, runs of spaces as one,
    NFC); None when it is not a usable name."""
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not name or len(name) > NAME_MAX or plain(name) != name:
        return None
    return name if _NAME.fullmatch(name) else None


def new_key() -> str:
    return secrets.token_urlsafe(18)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class NameTaken(Exception):
    """The name is held by another visitor."""


class Visitors:
    """Who holds which name; persisted in ``path``; ``sessions`` is the log folder whose
    trainee names count as taken. A visitor keeps every name they have used (their logs stay
    theirs) and plays under the latest."""

    def __init__(self, path: Path, sessions: Path) -> None:
        self.path = path
        self.sessions = sessions
        self._holders: dict[str, str] = {}
        """Case-folded name -> digest of the key of the visitor holding it."""
        self._current: dict[str, str] = {}
        """Digest of a visitor's key -> the name they play under now."""
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as e:
            raise OSError(f"{self.path}: cannot read the visitors table: {e}") from None
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), dict) for k in ("holders", "current")
        ):
            raise OSError(f"{self.path}: not a visitors table; move it away to start afresh")
        self._holders = {str(k): str(v) for k, v in data["holders"].items()}
        self._current = {str(k): str(v) for k, v in data["current"].items()}

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"holders": self._holders, "current": self._current}, f, ensure_ascii=False)
        os.replace(tmp, self.path)

    def name_of(self, key: str | None) -> str | None:
        """The name the visitor with ``key`` plays under, if any."""
        return self._current.get(_digest(key)) if key else None

    def _in_logs(self, name: str) -> bool:
        folded = name.casefold()
        for info in log.list_sessions(self.sessions):
            trainee = info.header.trainee if info.header else None
            if trainee and trainee.casefold() == folded:
                return True
        return False

    def claim(self, name: str, key: str | None) -> str:
        """Let the visitor with ``key`` (a new visitor when None) play as ``name``; returns the
        visitor's key. Raises :class:`NameTaken` when another visitor holds the name, or when
        the sessions folder already has logs under it that no visitor here holds."""
        holder = self._holders.get(name.casefold())
        if key is None or holder != _digest(key):
            if holder is not None or self._in_logs(name):
                raise NameTaken(name)
            key = key or new_key()
            self._holders[name.casefold()] = _digest(key)
        self._current[_digest(key)] = name
        self._save()
        return key
