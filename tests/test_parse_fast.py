"""The log parser's fast path gives exactly what the full check gives: the same record for a
good line, the same error message for a bad one (sim.log.parse). A cold `leadsim report`
reads a hundred thousand lines through the fast path, so it must not read any line
differently from replay, resume or verify as they always read it."""

from __future__ import annotations

import json
from typing import Any

import attrs
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sim.log.format import TYPES
from sim.log.parse import _FAST, _fast_load, full_parse, parse_record

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
METERS = st.dictionaries(st.sampled_from(["trust", "results", "morale"]), st.integers(-5, 120))
NAMES = st.lists(st.text(min_size=1, max_size=10), max_size=3)

FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "str": st.text(max_size=12),
    "bool": st.booleans(),
    "int": st.integers(0, 60),
    "float": st.integers(0, 99) | st.floats(0, 600, allow_nan=False),
    "str | None": st.none() | st.text(max_size=12),
    "int | None": st.none() | st.integers(0, 60),
    "dict[str, int]": METERS,
    "tuple[str, ...]": NAMES,
}


@st.composite
def valid_lines(draw: st.DrawFn, kinds: tuple[str, ...] = tuple(TYPES)) -> dict[str, Any]:
    """A line as the writer makes it, optional fields present or not."""
    kind = draw(st.sampled_from(kinds))
    data: dict[str, Any] = {"type": kind}
    for f in attrs.fields(TYPES[kind])[1:]:
        if f.default is attrs.NOTHING or draw(st.booleans()):
            data[f.name] = draw(FIELD_VALUES[str(f.type)])
    return data


@st.composite
def damaged(draw: st.DrawFn) -> dict[str, Any]:
    """A line with a few edits: a field dropped, a value of any JSON type, a stray key, a
    bool or a float where a number or a meter belongs, a list item of another type."""
    data = draw(valid_lines())
    for _ in range(draw(st.integers(1, 3))):
        keys = sorted(data)
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        edit = draw(st.sampled_from(["drop", "any", "extra", "bool", "float", "item"]))
        if edit == "drop":
            data.pop(key)
        elif edit == "any":
            data[key] = draw(JSON_VALUES)
        elif edit == "extra":
            data[draw(st.text(max_size=6))] = draw(JSON_VALUES)
        elif edit in ("bool", "float"):
            bad: Any = True if edit == "bool" else 1.5
            value = data[key]
            if isinstance(value, dict) and value:
                value[sorted(value)[0]] = bad
            elif isinstance(value, list) and value:
                value[0] = bad
            else:
                data[key] = bad
        elif isinstance(data[key], list | dict):
            data[key] = [draw(JSON_VALUES)] if isinstance(data[key], list) else {"x": None}
    return data


def encode(data: Any, ascii_only: bool) -> bytes:
    return json.dumps(data, ensure_ascii=ascii_only, separators=(",", ":")).encode()


def outcome(parse: Any, raw: bytes) -> tuple[str, str]:
    try:
        record = parse(raw, 7)
    except ValueError as e:
        return "error", str(e)
    # repr shows the field values with their types (a tuple is not a list, 1 is not 1.0).
    return type(record).__name__, repr(record)


def agree(raw: bytes) -> None:
    assert outcome(parse_record, raw) == outcome(full_parse, raw)


@given(valid_lines(), st.booleans())
@settings(max_examples=400)
def test_good_lines_read_the_same(data: dict[str, Any], ascii_only: bool) -> None:
    agree(encode(data, ascii_only))


@given(damaged(), st.booleans())
@settings(max_examples=600)
def test_damaged_lines_read_the_same(data: dict[str, Any], ascii_only: bool) -> None:
    agree(encode(data, ascii_only))


@given(valid_lines(), st.data())
@settings(max_examples=300)
@example({"type": "reflection", "step": 1, "answer": "ok"}, None)
def test_bytes_around_a_line_read_the_same(data: dict[str, Any], more: Any) -> None:
    """Cut off anywhere, padded with whitespace or zero bytes, behind a byte-order mark, as
    UTF-16, with a lone surrogate (which json.loads lets through), or any bytes at all."""
    raw = encode(data, ascii_only=False)
    variants = [
        raw + b" ",
        raw + b"\r",
        b" " + raw,
        b"\xef\xbb\xbf" + raw,
        json.dumps(data).encode("utf-16-le"),
        raw.replace(b'"type"', b'"\xed\xa0\x80","type"', 1),
        raw + b"{}",
        raw + b"\0",
        b"{\0" + raw,
    ]
    if more is not None:
        cut = more.draw(st.integers(0, len(raw)))
        variants.append(raw[:cut])
        variants.append(more.draw(st.binary(max_size=40)))
        variants.append(b"{" + more.draw(st.binary(max_size=40)))
    for variant in variants:
        agree(variant)


def test_odd_json_reads_the_same() -> None:
    for raw in (
        b'{"type":"decision","step":' + b"9" * 5000 + b"}",  # more digits than int() takes
        b'{"type":' + b"[" * 100_000,
        b'{"type":"end","step":1,"ending":"x","meters":{"a":NaN},"tally":{}}',
        b'{"type":"end","step":1,"ending":"x","meters":{"a":1e400},"tally":{}}',
        b'{"type":["decision"]}',
        b'{"type":{"a":1}}',
        b'{"type":"reflection","step":1,"step":true,"answer":"dup"}',
        b"{}",
        b"[]",
        b"",
    ):
        agree(raw)


@given(valid_lines(kinds=tuple(_FAST)))
@settings(max_examples=100)
def test_the_common_lines_take_the_fast_path(data: dict[str, Any]) -> None:
    """The fast path does take the lines it is there for (else it only costs time)."""
    loaded = _fast_load(encode(data, ascii_only=False))
    assert loaded is not None
    assert _FAST[data["type"]](loaded, 1) is not None
