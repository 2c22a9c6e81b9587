"""What the LRS has acknowledged: a crash-safe state file, so a sync killed at any moment
neither loses a statement nor resends one the LRS stored.

The file (``$LEADSIM_HOME/lrs-state.jsonl``, beside the ``sessions`` folder) is append-only
JSON Lines, each line written whole and fsync'd before the step it records goes on:

- ``{"sending": [ids]}``: written *before* a batch is sent (write-ahead);
- ``{"acked": [ids]}``: written after the LRS answered 200/204 for that batch;
- ``{"done": PATH, "size": N}``: every statement of the log at PATH, N bytes long, is acked
  (a log that grows, e.g. a resumed session, is looked at again).

Reading it back: acked ids are never sent again. Ids that were ``sending`` but never ``acked``
are *in doubt* (the process died between sending and writing the answer): the next sync asks
the LRS for each of them by id (``GET statements?statementId=``) and resends only those it
does not have. If the LRS cannot say, they are resent, which is harmless: statement ids are
deterministic (UUIDv5), and an LRS stores a statement id once. A cut-off last line (a crash
mid-write) is ignored, so at worst that batch is in doubt again. Logs are only ever read.

One sync at a time: an OS lock on ``lrs-state.lock`` (the second waits). The file is rewritten
(to a temporary file, fsync'd, then renamed over it) only to compact it once it grows past
:data:`COMPACT_BYTES`.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

STATE = "lrs-state.jsonl"
LOCK = "lrs-state.lock"
COMPACT_BYTES = 8 << 20


class Queue:
    """The state file of one data folder; use :func:`opened`."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE
        self.acked: set[str] = set()
        self.sending: set[str] = set()
        self.done: dict[str, int] = {}
        self._fd: int | None = None

    def load(self) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            data = b""
        lines = data.split(b"\n")
        for raw in lines[:-1]:  # the part after the last newline is a cut-off write
            self._apply(raw)
        self.sending -= self.acked

    def _apply(self, raw: bytes) -> None:
        try:
            entry = json.loads(raw)
        except ValueError:
            return  # damage: at worst its statements are in doubt and asked about again
        if not isinstance(entry, dict):
            return
        listed = entry.get("acked", entry.get("sending"))
        ids = [i for i in listed if isinstance(i, str)] if isinstance(listed, list) else []
        if "acked" in entry:
            self.acked.update(ids)
        elif "sending" in entry:
            self.sending.update(ids)
        elif isinstance(entry.get("done"), str) and isinstance(entry.get("size"), int):
            self.done[entry["done"]] = entry["size"]

    # -- writing --

    def _append(self, entry: dict[str, Any]) -> None:
        if self._fd is None:
            self._fd = os.open(
                self.path,
                os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0),
                0o600,
            )
        data = (json.dumps(entry, separators=(",", ":")) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        os.fsync(self._fd)

    def will_send(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        self._append({"sending": ids})
        self.sending.update(ids)

    def ack(self, ids: Iterable[str]) -> None:
        ids = [i for i in ids if i not in self.acked]
        if ids:
            self._append({"acked": ids})
            self.acked.update(ids)
            self.sending.difference_update(ids)

    def mark_done(self, log: Path, size: int) -> None:
        key = str(log.resolve())
        if self.done.get(key) != size:
            self._append({"done": key, "size": size})
            self.done[key] = size

    def is_done(self, log: Path, size: int) -> bool:
        return self.done.get(str(log.resolve())) == size

    def in_doubt(self) -> list[str]:
        return sorted(self.sending - self.acked)

    def compact(self) -> None:
        """Rewrite the file as what it means, if it has grown large (crash-safe: rename)."""
        try:
            if self.path.stat().st_size < COMPACT_BYTES:
                return
        except OSError:
            return
        tmp = self.path.with_suffix(".tmp")
        lines: list[dict[str, Any]] = [{"acked": sorted(self.acked)}]
        if self.sending:
            lines.append({"sending": sorted(self.sending)})
        lines += [{"done": k, "size": v} for k, v in sorted(self.done.items())]
        with tmp.open("wb") as f:
            for entry in lines:
                f.write((json.dumps(entry, separators=(",", ":")) + "\n").encode())
            f.flush()
            os.fsync(f.fileno())
        self.close()
        os.replace(tmp, self.path)

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.close(fd)


@contextlib.contextmanager
def opened(folder: Path) -> Iterator[Queue]:
    """The queue of ``folder``, locked against other syncs for as long as it is open."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        _lock(lock)
        queue = Queue(folder)
        queue.load()
        try:
            yield queue
        finally:
            queue.close()
    finally:
        os.close(lock)  # closing releases the lock


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
