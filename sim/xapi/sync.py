"""Sending logs' statements to the LRS: what is not yet acknowledged, in batches.

Order of work for each batch (the crash-safety argument is in :mod:`sim.xapi.queue`):
write-ahead the batch's ids, send, record the acknowledgement. A batch the LRS refuses as a
whole (400, 409, 413...) is split in halves until the statements it refuses are found, so one
bad statement never holds back the others; those are reported with their log line and stay
unsent (the next sync tries them again). Refused credentials and an unreachable LRS stop the
sync: everything not acknowledged waits in the queue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import attrs

from sim.log import SUFFIX, LogError, home_dir, sessions_dir
from sim.xapi import vocab
from sim.xapi.client import Client, Refused, Rejected, Unreachable
from sim.xapi.config import Config, ConfigError
from sim.xapi.queue import Queue, opened
from sim.xapi.statements import Statement, convert

Progress = Callable[[int, int], None]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders as every log in them, in name (= time) order."""
    out: list[Path] = []
    for path in paths:
        out.extend(sorted(path.rglob(f"*{SUFFIX}")) if path.is_dir() else [path])
    return out


def everything(paths: list[Path] | None, queued: bool) -> list[Path]:
    """``paths`` expanded, and with ``queued`` every log in the sessions folder, each once."""
    logs = expand(paths or [])
    if queued:
        logs += sorted(sessions_dir().glob(f"*{SUFFIX}"))
    seen: set[Path] = set()
    out = []
    for log in logs:
        key = log.resolve()
        if key not in seen:
            seen.add(key)
            out.append(log)
    return out


@attrs.define
class Outcome:
    sent: int = 0
    """Statements the LRS acknowledged in this run."""
    confirmed: int = 0
    """In-doubt statements (from a sync that was killed) the LRS turned out to have."""
    waiting: int = 0
    """Statements still unsent (the LRS could not be reached, or refused them)."""
    logs: int = 0
    rejected: list[str] = attrs.field(factory=list)
    problems: list[str] = attrs.field(factory=list)
    notes: list[str] = attrs.field(factory=list)
    stopped: str | None = None
    """Why the sync stopped early (refused credentials, an unreachable LRS)."""
    refused: bool = False


@attrs.frozen
class Pending:
    statement: Statement
    log: Path

    @property
    def where(self) -> str:
        """'LOG:LINE', for messages."""
        return f"{self.log}:{line_of(self.statement)}"


def line_of(statement: Statement) -> int:
    value = statement.get("context", {}).get("extensions", {}).get(vocab.LINE, 0)
    return value if isinstance(value, int) else 0


def gather(
    paths: list[Path], queue: Queue, config: Config, outcome: Outcome, dirs: Iterable[Path]
) -> tuple[list[Pending], dict[Path, int]]:
    """The unacknowledged statements of ``paths``, and each log's size when it was read."""
    pending: list[Pending] = []
    sizes: dict[Path, int] = {}
    for path in paths:
        try:
            size = path.stat().st_size
        except OSError as e:
            outcome.problems.append(f"{path}: error: cannot read the log ({e.strerror})")
            continue
        if queue.is_done(path, size):
            continue
        try:
            converted = convert(path, config.options, dirs)
        except LogError as e:
            outcome.problems.append(e.format())
            continue
        if converted.header.watch:
            queue.mark_done(path, size)  # a trainer's draft being tested: never sent
            continue
        outcome.logs += 1
        outcome.notes.extend(f"{path}: note: {n}" for n in converted.notes)
        if converted.problem is not None:
            outcome.problems.append(converted.problem.format())
        else:
            sizes[path] = size
        for statement in converted.statements:
            if statement["id"] not in queue.acked:
                pending.append(Pending(statement, path))
    return pending, sizes


def settle_doubts(queue: Queue, client: Client, outcome: Outcome) -> None:
    """Ask the LRS about the statements a killed sync had sent without hearing back."""
    stored = []
    for statement_id in queue.in_doubt():
        answer = client.stored(statement_id)
        if answer is None:
            break  # the LRS cannot say: resend the rest (harmless, the ids are the same)
        if answer:
            stored.append(statement_id)
    queue.ack(stored)
    outcome.confirmed = len(stored)


def send(
    batch: list[Pending], queue: Queue, client: Client, outcome: Outcome, progress: Progress
) -> None:
    """Send one batch (write-ahead, send, acknowledge); split it if the LRS refuses it."""
    ids = [p.statement["id"] for p in batch]
    queue.will_send(ids)
    try:
        client.send([p.statement for p in batch])
    except Rejected as e:
        if len(batch) == 1:
            outcome.rejected.append(
                f"{batch[0].where}: error: the LRS rejected the statement {ids[0]} ({e})"
            )
            progress(1, 0)
            return
        half = len(batch) // 2
        send(batch[:half], queue, client, outcome, progress)
        send(batch[half:], queue, client, outcome, progress)
        return
    queue.ack(ids)
    outcome.sent += len(ids)
    progress(len(ids), 0)


def sync(
    paths: list[Path] | None,
    config: Config,
    *,
    progress: Progress | None = None,
    dirs: Iterable[Path] = (),
    client: Client | None = None,
    also_queued: bool = False,
) -> Outcome:
    """Send the unacknowledged statements of ``paths`` (None: every log in the sessions
    folder). Raises :class:`ConfigError` without an LRS; refused credentials or an unreachable
    LRS stop it early (:attr:`Outcome.stopped`), and what is unsent waits for the next sync."""
    connection = config.connection
    if connection is None:
        raise ConfigError(
            f"no LRS is configured: give --lrs URL, set LEADSIM_LRS_URL, or write {config.file}"
        )
    report: Progress = progress or (lambda done, total: None)
    outcome = Outcome()
    logs = everything(paths, queued=paths is None or also_queued)
    own = client is None
    http = client or Client(connection)
    try:
        with opened(home_dir()) as queue:
            pending, sizes = gather(logs, queue, config, outcome, dirs)
            if queue.in_doubt():
                settle_doubts(queue, http, outcome)
                pending = [p for p in pending if p.statement["id"] not in queue.acked]
            total = len(pending)
            done = 0

            def step(count: int, _: int) -> None:
                nonlocal done
                done += count
                report(done, total)

            report(0, total)
            try:
                for start in range(0, total, connection.batch):
                    send(pending[start : start + connection.batch], queue, http, outcome, step)
            except (Refused, Unreachable) as e:
                outcome.stopped, outcome.refused = str(e), isinstance(e, Refused)
            unsent = {p.log for p in pending if p.statement["id"] not in queue.acked}
            outcome.waiting = sum(1 for p in pending if p.statement["id"] not in queue.acked)
            for path, size in sizes.items():
                if path not in unsent:
                    queue.mark_done(path, size)
            queue.compact()
    finally:
        if own:
            http.close()
    return outcome
