"""Sessions rebuilt from an LRS: the same header and records :mod:`sim.log` reads from a file.

Every statement leadsim makes from a log line carries that line (:data:`sim.xapi.vocab.RECORD`)
and its number (:data:`sim.xapi.vocab.LINE`). Reading back collects a registration's
statements, orders them by line and parses each line with the log's own checks
(:func:`sim.log.parse_record`), so a statement from an LRS is exactly as trusted as a line of
a file: a wrong type, a missing field or an unknown record type is damage. As with a damaged
file, a session is rebuilt up to the first line that is missing or damaged, and
:attr:`ReadSession.problem` says where. Statements without a record (``passed``,
``terminated``, anyone else's) are skipped: they are derived from the lines that have one.

Queries go by ``registration`` (every LRS supports it). ``activity`` (the scenario's IRI)
works where the LRS supports the filter; Ralph's file-system backend does not (docs/lrs.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import attrs

from sim.log import Header, LogError, Record, parse_record
from sim.xapi import vocab
from sim.xapi.client import Client
from sim.xapi.config import Connection


@attrs.frozen
class ReadSession:
    """One session as read back: its header and the records after it, in line order."""

    header: Header
    records: tuple[Record, ...]
    source: str
    """Where it came from, for messages: 'URL registration UUID'."""
    problem: LogError | None = None
    """The first missing or damaged line (``format()``: 'SOURCE:LINE: error: ...'), as a
    :class:`sim.log.LogFile` reports damage."""


def _line(statement: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    context = statement.get("context")
    extensions = context.get("extensions") if isinstance(context, dict) else None
    if not isinstance(extensions, dict):
        return None
    line, record = extensions.get(vocab.LINE), extensions.get(vocab.RECORD)
    if not isinstance(line, int) or isinstance(line, bool) or not isinstance(record, dict):
        return None
    return line, record


def _registration(statement: dict[str, Any]) -> str | None:
    context = statement.get("context")
    value = context.get("registration") if isinstance(context, dict) else None
    return value.lower() if isinstance(value, str) else None


def sessions_from(statements: Iterable[dict[str, Any]], where: str = "") -> list[ReadSession]:
    """Group statements by registration and rebuild each session (pure: no network)."""
    lines: dict[str, dict[int, dict[str, Any]]] = {}
    for statement in statements:
        if not isinstance(statement, dict):
            continue
        registration, found = _registration(statement), _line(statement)
        if registration is None or found is None:
            continue
        lines.setdefault(registration, {}).setdefault(found[0], found[1])
    out = [
        _rebuild(reg, by_line, f"{where} registration {reg}".strip())
        for reg, by_line in lines.items()
    ]
    return sorted(
        (s for s in out if s is not None), key=lambda s: (s.header.started, s.header.session)
    )


def _rebuild(
    registration: str, by_line: dict[int, dict[str, Any]], source: str
) -> ReadSession | None:
    first = by_line.get(1)
    try:
        header = parse_record(json.dumps(first).encode(), 1) if first is not None else None
    except ValueError:
        header = None
    if not isinstance(header, Header) or header.session.lower() != registration:
        return None  # no usable header: nothing to show a trainer
    records: list[Record] = []
    problem = None
    # A line cut off by a crash has no statement; the resume line after it names it.
    cut = {d.get("cut_line") for d in by_line.values() if d.get("type") == "resume"}
    for number in range(2, max(by_line) + 1):
        data = by_line.get(number)
        if data is None and number in cut:
            continue
        if data is None:
            problem = LogError(source, number, "this line is not in the LRS (not synced yet?)")
            break
        try:
            record = parse_record(json.dumps(data).encode(), number)
        except ValueError as e:
            problem = LogError(source, number, f"damaged statement: {e}")
            break
        if isinstance(record, Header):
            problem = LogError(source, number, "a second header")
            break
        records.append(record)
    return ReadSession(header, tuple(records), source, problem)


def read_sessions(
    connection: Connection,
    *,
    registration: str | None = None,
    activity: str | None = None,
    client: Client | None = None,
) -> list[ReadSession]:
    """The sessions an LRS holds (one registration, one scenario's activity IRI, or every
    session leadsim sent); raises :class:`sim.xapi.client.LrsError`."""
    params: dict[str, str] = {}
    if registration is not None:
        params["registration"] = registration
    if activity is not None:
        params["activity"] = activity
        params["related_activities"] = "true"
    own = client is None
    http = client or Client(connection)
    try:
        return sessions_from(http.query(**params), connection.where())
    finally:
        if own:
            http.close()
