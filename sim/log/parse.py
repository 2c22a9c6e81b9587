"""Reading one log line: :func:`parse_record` checks it and makes its record, and
:func:`looks_cut` tells a line cut off by a crash from a damaged one.

Every field of every line is checked against its record's type (a log is untrusted input).
The check is written once, from the record classes' annotations (:func:`full_parse`). As a
cold ``leadsim report`` reads some hundred thousand lines, the common lines (header,
decision, narration, reflection, end) first go through a fast path (``_FAST``) that checks
the same things with plain ``type(v) is int`` tests on the JSON decoder's own output. The
fast path only ever *accepts*: anything it is not sure of (a missing field, a wrong type, a
byte-order mark, trailing whitespace, a type it does not know) goes to the full check, which
gives the record or the error message. ``tests/test_parse_fast.py`` holds the two to the
same answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeGuard

import attrs

from sim.log.format import (
    FORMAT,
    MAX_LINE,
    TYPES,
    DecisionRecord,
    EndRecord,
    Header,
    NarrationRecord,
    Record,
    ReflectionRecord,
)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# Field checks by the field's annotation (a string, under `from __future__ import annotations`).
_CHECKS: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "int": _is_int,
    "float": lambda v: _is_int(v) or isinstance(v, float),
    "str | None": lambda v: v is None or isinstance(v, str),
    "int | None": lambda v: v is None or _is_int(v),
    "dict[str, int]": lambda v: isinstance(v, dict) and all(_is_int(x) for x in v.values()),
    "tuple[str, ...]": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}


# Each type's fields as (name, check, required), worked out once rather than per line.
_SPECS: dict[str, tuple[type[Record], tuple[tuple[str, Callable[[Any], bool], bool], ...]]] = {
    kind: (
        cls,
        tuple(
            (f.name, _CHECKS[str(f.type)], f.default is attrs.NOTHING)
            for f in attrs.fields(cls)[1:]
        ),
    )
    for kind, cls in TYPES.items()
}


def parse_record(raw: bytes, line: int) -> Record:
    """One line as a record; raises ValueError saying what is wrong with it, whatever the
    bytes (nesting 100,000 deep, absurd numbers, invalid UTF-8: a damaged line, never
    another exception)."""
    data = _fast_load(raw)
    if data is None:
        return full_parse(raw, line)
    kind = data.get("type")
    if type(kind) is str:
        fast = _FAST.get(kind)
        if fast is not None:
            record = fast(data, line)
            if record is not None:
                return record
    return _check(data, line)


def full_parse(raw: bytes, line: int) -> Record:
    """:func:`parse_record` without the fast path: the reference it must agree with."""
    if len(raw) > MAX_LINE:
        raise ValueError(f"line is longer than {MAX_LINE} bytes")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"not a JSON line ({e})") from None
    except RecursionError:
        raise ValueError("not a log line (nested too deeply to read)") from None
    except MemoryError:
        raise ValueError("not a log line (too big to read)") from None
    except ValueError as e:  # e.g. an integer of more digits than Python converts
        raise ValueError(f"not a log line ({e})") from None
    if not isinstance(data, dict):
        raise ValueError("a log line is a JSON object")
    return _check(data, line)


def _check(data: dict[str, Any], line: int) -> Record:
    kind = data.get("type")
    spec = _SPECS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        raise ValueError(f"unknown line type {kind!r}")
    cls, fields = spec
    values: dict[str, Any] = {"line": line}
    for name, check, required in fields:
        if name not in data:
            if required:
                raise ValueError(f"the {kind} line lacks {name!r}")
            continue
        value = data[name]
        if not check(value):
            raise ValueError(f"the {kind} line's {name!r} has the wrong type")
        values[name] = tuple(value) if type(value) is list else value
    return cls(**values)


# --- the fast path ----------------------------------------------------------------------

_scan: Callable[[str, int], tuple[Any, int]]
_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
"""The scanner ``json.loads`` runs (same settings), without its detour through encoding
detection and the whitespace regex around the object."""


def _fast_load(raw: bytes) -> dict[str, Any] | None:
    """The object a well-formed line holds, or None to let :func:`full_parse` decide. Only a
    line that starts with ``{`` (so no byte-order mark and no UTF-16/32, which ``json.loads``
    detects) and decodes as strict UTF-8 (``json.loads`` also lets surrogates through) is
    taken, and only when the object ends the line."""
    if raw[:1] != b"{" or raw[1:2] == b"\0" or len(raw) > MAX_LINE:
        return None
    try:
        text = raw.decode()
        data, end = _scan(text, 0)
    except Exception:  # whatever it is, the full parse says it the way it always has
        return None
    return data if end == len(text) and type(data) is dict else None


_ABSENT: Any = object()


# A plain loop, not all() over a generator: a third the cost for a dict of three meters.
def _ints(v: Any) -> TypeGuard[dict[str, int]]:
    if type(v) is not dict:
        return False
    for x in v.values():  # noqa: SIM110
        if type(x) is not int:
            return False
    return True


def _strs(v: Any) -> TypeGuard[list[str]]:
    if type(v) is not list:
        return False
    for x in v:  # noqa: SIM110
        if type(x) is not str:
            return False
    return True


def _decision(d: dict[str, Any], line: int) -> Record | None:
    get = d.get
    step, scene, choice, style = get("step"), get("scene"), get("choice"), get("style")
    before, after, goto, elapsed = get("before"), get("after"), get("goto"), get("elapsed")
    flags_set, flags_cleared, shown = get("flags_set"), get("flags_cleared"), get("shown", _ABSENT)
    if (
        type(step) is int
        and type(scene) is str
        and type(choice) is str
        and type(style) is str
        and type(goto) is str
        and (type(elapsed) is float or type(elapsed) is int)
        and _ints(before)
        and _ints(after)
        and _strs(flags_set)
        and _strs(flags_cleared)
    ):
        if shown is _ABSENT:
            shown = ()
        elif _strs(shown):
            shown = tuple(shown)
        else:
            return None
        return DecisionRecord(
            line, step, scene, choice, style, before, after,
            tuple(flags_set), tuple(flags_cleared), goto, elapsed, shown,
        )  # fmt: skip
    return None


def _narration(d: dict[str, Any], line: int) -> Record | None:
    step, scene, meters = d.get("step"), d.get("scene"), d.get("meters")
    goto, elapsed = d.get("goto"), d.get("elapsed")
    if (
        type(step) is int
        and type(scene) is str
        and type(goto) is str
        and (type(elapsed) is float or type(elapsed) is int)
        and _ints(meters)
    ):
        return NarrationRecord(line, step, scene, meters, goto, elapsed)
    return None


def _reflection(d: dict[str, Any], line: int) -> Record | None:
    step, answer = d.get("step"), d.get("answer")
    if type(step) is int and type(answer) is str:
        return ReflectionRecord(line, step, answer)
    return None


def _end(d: dict[str, Any], line: int) -> Record | None:
    step, ending, meters, tally = d.get("step"), d.get("ending"), d.get("meters"), d.get("tally")
    if type(step) is int and type(ending) is str and _ints(meters) and _ints(tally):
        return EndRecord(line, step, ending, meters, tally)
    return None


def _header(d: dict[str, Any], line: int) -> Record | None:
    get = d.get
    texts: tuple[Any, ...] = (
        get("session"), get("mode"), get("feedback"), get("scenario"), get("title"),
        get("sha256"), get("path"), get("version"),
    )  # fmt: skip
    seed, trainee, app, started = get("seed"), get("trainee", _ABSENT), get("app"), get("started")
    form, watch = get("format", FORMAT), get("watch", False)
    if (
        all(type(t) is str for t in texts)
        and type(seed) is int
        and (trainee is None or type(trainee) is str)
        and type(app) is str
        and type(started) is str
        and type(form) is int
        and type(watch) is bool
    ):
        session, mode, feedback, scenario, title, sha256, path, version = texts
        return Header(
            line, session, mode, feedback, scenario, title, sha256, path, version,
            seed, trainee, app, started, form, watch,
        )  # fmt: skip
    return None


_FAST: dict[str, Callable[[dict[str, Any], int], Record | None]] = {
    "session": _header,
    "decision": _decision,
    "narration": _narration,
    "reflection": _reflection,
    "end": _end,
}
"""The lines a log is made of; the rest (the odd rewind, resume or abandoned line) take the
full check, which is fast enough for them."""


# --- a line cut off by a crash ----------------------------------------------------------

_PARTIAL_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{0,3})?$")
_PARTIAL_TOKEN = re.compile(r"[-+.eE0-9a-z]+$")


def looks_cut(raw: bytes) -> bool:
    """Could ``raw`` be what a crash leaves of a log line: the start of one JSON object, cut
    off anywhere (even inside a UTF-8 character), maybe followed by the zero bytes some file
    systems leave after a crash? A complete object, or anything that no completion makes an
    object, is not: a ``resume`` line naming such a line does not excuse it."""
    body = raw.rstrip(b"\0")
    if not body:
        return True
    if not body.startswith(b"{") or len(body) > MAX_LINE:
        return False
    try:
        text = body.decode()
    except UnicodeDecodeError as e:
        if e.end != len(body) or e.reason != "unexpected end of data":
            return False
        text = body[: e.start].decode(errors="replace")
    closers: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            elif char < " ":
                return False
        elif char == '"':
            in_string = True
        elif char in "{[":
            closers.append("}" if char == "{" else "]")
        elif char in "}]" and (not closers or closers.pop() != char or not closers):
            return False  # a closed object: the line was complete, or is not JSON
    starts = [text]
    if in_string:  # close the string, dropping a cut-off escape (\\, \\u12)
        starts = [(text[:-1] if escaped else text) + '"', _PARTIAL_ESCAPE.sub("", text) + '"']
    close = "".join(reversed(closers))
    for start in starts:
        bare = _PARTIAL_TOKEN.sub("", start)
        for candidate in (
            start,
            start + "null",
            start + ":null",
            start.rstrip(", "),
            bare + "null",
        ):
            try:
                if isinstance(json.loads(candidate + close), dict):
                    return True
            except (ValueError, RecursionError):
                continue
    return False
