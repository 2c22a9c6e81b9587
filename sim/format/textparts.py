"""Reading text a trainee reads (format 1.1): conditional parts and values in text.

A text is one YAML string, or (format 1.1) a list of parts joined as paragraphs: each part is
a string or ``{if: COND, text: ..., else: ...}`` whose ``text`` and ``else`` are texts again.
In format 1.1 a string may insert values: ``${trust}`` (a meter's value), ``${trust.label}``
(its label) and ``${trainee}`` (the trainee's name); ``$${`` writes a literal ``${``. Format 1
files keep every string exactly as written. Conditions are parsed through
:meth:`sim.format.values.ValueReader.condition`, so their names are checked like any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.format.nodes import NodeReader, kind_of, offset_in, suggest
from sim.model import Branch, Guard, Insert, Line, Meter, Prose, Text, Where


class Elements(Protocol):
    """What reading text needs of :class:`sim.format.elements.Elements`."""

    r: NodeReader

    @property
    def meters(self) -> Mapping[str, Meter]: ...

    v11: bool

    def condition(self, node: Node, what: str) -> Guard | None: ...


BRANCH_KEYS = {"if": True, "text": True, "else": False}
_PIECE = re.compile(r"\$\$\{|\$\{([^}\n]*)\}?")
NEEDS_11 = "add 'format: 1.1' at the top of the file to use it"


def needs_format(b: Elements, node: Node, what: str) -> None:
    b.r.error("LS016", node, f"{what} is a format 1.1 element", NEEDS_11)


def _at(node: Node, offset: int) -> Where | Node:
    """The position of ``offset`` in a one-line scalar; the scalar itself otherwise."""
    if isinstance(node, ScalarNode) and "\n" not in str(node.value):
        return offset_in(node, offset) if node.style in (None, "", "'", '"') else node
    return node


def line(b: Elements, node: Node, source: str, what: str) -> Line | None:
    """A string's literal pieces and inserts; None (after an error) for a bad insert."""
    bits: list[str | Insert] = []
    text = ""
    end = 0
    ok = True
    for m in _PIECE.finditer(source):
        text += source[end : m.start()]
        end = m.end()
        if m.group(0) == "$${":
            text += "${"
            continue
        if not m.group(0).endswith("}"):
            b.r.error(
                "LS022",
                _at(node, m.start()),
                f"{what}: '${{' is not closed",
                "close it with '}', or write '$${' for a literal '${'",
            )
            ok = False
            continue
        insert = _insert(b, node, m.group(1).strip(), m.start(), what)
        if insert is None:
            ok = False
            continue
        if text:
            bits.append(text)
        bits.append(insert)
        text = ""
    text += source[end:]
    if text:
        bits.append(text)
    return tuple(bits) if ok else None


def _insert(b: Elements, node: Node, name: str, offset: int, what: str) -> Insert | None:
    meter, _, field = name.partition(".")
    if name == "trainee":
        return Insert("trainee", "trainee")
    if meter in b.meters and field in ("", "value", "label"):
        return Insert(meter, "label" if field == "label" else "value")
    if meter in b.meters:
        hint = f"write '${{{meter}}}' for its value or '${{{meter}.label}}' for its label"
        b.r.error("LS022", _at(node, offset), f"{what}: unknown field {field!r}", hint)
        return None
    names = [*b.meters, "trainee"]
    hint = suggest(meter, names) or (
        "insert a meter ('${trust}', '${trust.label}') or '${trainee}'; "
        "write '$${' for a literal '${'"
    )
    b.r.error("LS022", _at(node, offset), f"{what} inserts unknown name {name!r}", hint)
    return None


def prose(b: Elements, node: Node, what: str) -> Prose | None:
    """A text: a string (format 1: as written), or in format 1.1 also a list of parts."""
    if not b.v11 and isinstance(node, SequenceNode):
        needs_format(b, node, f"{what} as a list of parts")
        return None
    if not b.v11 and isinstance(node, MappingNode) and _has_if(node):
        needs_format(b, node, f"{what} as '{{if: ..., text: ...}}'")
        return None
    if isinstance(node, SequenceNode):
        items = b.r.sequence(node, what)
        if items is None:
            return None
        if not items:
            b.r.error("LS013", node, f"{what} is an empty list", "write at least one part")
            return None
        parts: list[Line | Branch] = []
        ok = True
        for i, item in enumerate(items, 1):
            part = _part(b, item, f"part {i} of {what}")
            if part is None:
                ok = False
            else:
                parts.append(part)
        return Text(tuple(parts)) if ok else None
    if isinstance(node, MappingNode) and b.v11:
        branch = _branch(b, node, what)
        return None if branch is None else Text((branch,))
    source = b.r.text(node, what)
    if source is None or not b.v11:
        return source
    bits = line(b, node, source, what)
    if bits is None:
        return None
    if all(isinstance(bit, str) for bit in bits):
        return "".join(bits)  # type: ignore[arg-type]
    return Text((bits,))


def _has_if(node: MappingNode) -> bool:
    return any(isinstance(k, ScalarNode) and k.value == "if" for k, _ in node.value)


def _part(b: Elements, node: Node, what: str) -> Line | Branch | None:
    if isinstance(node, MappingNode):
        return _branch(b, node, what)
    if not isinstance(node, ScalarNode):
        b.r.error(
            "LS012",
            node,
            f"{what} is {kind_of(node)}",
            "a part is a string or '{if: CONDITION, text: ...}'",
        )
        return None
    source = b.r.text(node, what)
    return None if source is None else line(b, node, source, what)


def _branch(b: Elements, node: Node, what: str) -> Branch | None:
    fields = b.r.mapping(node, what)
    if fields is None:
        return None
    b.r.check_keys(fields, BRANCH_KEYS, what, node)
    guard = b.condition(fields["if"][1], f"{what} 'if'") if "if" in fields else None
    then = _as_text(prose(b, fields["text"][1], f"{what} text")) if "text" in fields else None
    otherwise = None
    if "else" in fields:
        otherwise = _as_text(prose(b, fields["else"][1], f"{what} else"))
        if otherwise is None:
            return None
    if guard is None or then is None:
        return None
    return Branch(guard, then, otherwise)


def _as_text(value: Prose | None) -> Text | None:
    if value is None or isinstance(value, Text):
        return value
    return Text(((value,),))
