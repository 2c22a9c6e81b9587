"""Reading a log: every intact record in order, stopping at damage and saying where.

A bad *last* line is what a crash leaves (the process died mid-write): the reader stops before
it and reports it as :attr:`LogFile.cut_line`. Resuming appends a ``resume`` line naming that
line, so later reads skip it. A bad line anywhere else is damage: :attr:`LogFile.problem` holds
``LOG:LINE: error: ...`` and everything before it is still yielded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sim.log.format import (
    FORMAT,
    MAX_LINE,
    AbandonedRecord,
    DecisionRecord,
    EndRecord,
    Header,
    LogError,
    NarrationRecord,
    Record,
    ResumeRecord,
    RewindRecord,
    describe,
)
from sim.log.parse import looks_cut, parse_record


class LogFile:
    """Reads one log: :meth:`records` streams its records and stops at the first damage.

    After iterating, :attr:`problem` holds the damage (a :class:`LogError` at its line) or
    None, :attr:`cut_line` the line number of a cut-off last line, and
    :attr:`newline_missing` whether the file ends without a newline.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.problem: LogError | None = None
        self.cut_line: int | None = None
        self.newline_missing = False
        self.last_line = 0
        self.position = 0

    def error(self, line: int, message: str, hint: str = "") -> LogError:
        return LogError(self.path, line, message, hint)

    def raw_lines(self, offset: int = 0, number: int = 0) -> Iterator[tuple[int, bytes, bool]]:
        """(line number, bytes without newline, complete) for every line of the file (from
        byte ``offset``, the start of line ``number + 1``); :attr:`position` is the offset
        just after the line last read."""
        with self.path.open("rb") as f:
            f.seek(offset)
            self.position = offset
            while True:
                raw = f.readline(MAX_LINE + 1)
                if not raw:
                    return
                number += 1
                self.position += len(raw)
                if raw.endswith(b"\n"):
                    yield number, raw[:-1], True
                elif len(raw) > MAX_LINE:
                    raise self.error(number, f"line is longer than {MAX_LINE} bytes")
                else:
                    yield number, raw, False

    def header(self) -> Header:
        """Only the first line (for listings); raises :class:`LogError`."""
        for record in self.records():
            assert isinstance(record, Header)
            return record
        raise self.no_header()

    def no_header(self) -> LogError:
        """Why reading found no header: the damage, a header cut off mid-write, or nothing."""
        if self.problem is not None:
            return self.problem
        if self.cut_line == 1:
            return self.error(
                1,
                "the session header was cut off mid-write (the disk may have been full, or "
                "the program stopped as the session started), so the log records no session",
                "delete the file; no decision was recorded in it",
            )
        return self.error(1, "the log is empty (the session was cut off as it started)")

    def records(self) -> Iterator[Record]:
        """Every intact record, header first; stops at damage (see :attr:`problem`)."""
        self.problem, self.cut_line, self.newline_missing = None, None, False
        try:
            yield from self._records()
        except LogError as e:
            self.problem = e
        except OSError as e:
            self.problem = self.error(0, f"cannot read the log ({describe(e)})")

    def _records(self) -> Iterator[Record]:
        lines = self.raw_lines()
        pending: tuple[int, bytes, bool] | None = None
        ended = abandoned = False
        while True:
            item = pending if pending is not None else next(lines, None)
            pending = None
            if item is None:
                return
            number, raw, complete = item
            self.last_line = number
            if not complete:
                self.newline_missing = True
            try:
                record = parse_record(raw, number)
            except ValueError as e:
                following = None if not complete else next(lines, None)
                if following is None and looks_cut(raw):
                    self.cut_line = number  # the crash this format is built to survive
                    return
                if following is not None and self._skips(following, number):
                    if not looks_cut(raw):
                        raise self.error(
                            number,
                            f"damaged line: {e} (the resume line after it calls it cut off "
                            "by a crash, but it is not the start of a log line)",
                        ) from None
                    pending = following
                    continue
                if number == 1:
                    raise self.error(1, f"this is not a leadsim session log ({e})") from None
                raise self.error(number, f"damaged line: {e}") from None
            if number == 1:
                if not isinstance(record, Header):
                    raise self.error(1, "this is not a leadsim session log (no session header)")
                if record.format > FORMAT:
                    raise self.error(
                        1,
                        f"log format {record.format} is newer than this leadsim reads ({FORMAT})",
                        "upgrade leadsim",
                    )
            elif isinstance(record, Header):
                raise self.error(number, "a second session header in one log")
            elif ended and isinstance(
                record, DecisionRecord | NarrationRecord | EndRecord | ResumeRecord
            ):
                raise self.error(number, "a decision after the session's end without a rewind")
            elif abandoned:
                raise self.error(number, "a line after the attempt was abandoned")
            if isinstance(record, EndRecord | RewindRecord):
                ended = isinstance(record, EndRecord)
            abandoned = abandoned or isinstance(record, AbandonedRecord)
            yield record

    @staticmethod
    def _skips(item: tuple[int, bytes, bool], number: int) -> bool:
        """Is ``item`` a resume line declaring line ``number`` cut off by a crash?"""
        try:
            record = parse_record(item[1], item[0])
        except ValueError:
            return False
        return isinstance(record, ResumeRecord) and record.cut_line == number

    def rewind_targets(self) -> dict[int, int]:
        """Each step some rewind goes back to, with the line of the last such rewind: a quick
        pass that lets a replay keep only the states it will need again, and only until
        then (so replaying stays flat in memory)."""
        targets: dict[int, int] = {}
        try:
            for number, raw, _complete in LogFile(self.path).raw_lines():
                if b'"rewind"' in raw:
                    try:
                        record = parse_record(raw, number)
                    except ValueError:
                        continue
                    if isinstance(record, RewindRecord):
                        targets[record.to_step] = number
        except (LogError, OSError):
            pass
        return targets
