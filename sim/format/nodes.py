"""Reading a YAML node graph against what a scenario expects, one node at a time.

:class:`NodeReader` checks each node's shape (mapping, list, text, whole number, id), turns
scalars into values with PyYAML's safe constructor, and records a diagnostic at the node's
line and column instead of raising, so the loader can keep going and report every problem in
a file. It also bounds the work a hostile file can cause through aliases and long numbers.
"""

from __future__ import annotations

import difflib
import heapq
import re
from collections.abc import Iterable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.format.diagnostics import MAX_DIAGNOSTICS, Diagnostic
from sim.format.yamlsource import cut, where
from sim.model import Where

MAX_ALIAS_EXPANSIONS = 10_000
"""How many nodes aliases may re-use before the file is refused (re-using a list of ten
items costs eleven)."""

ALIAS_LIMIT = (
    f"anchors and aliases re-use nodes more than {MAX_ALIAS_EXPANSIONS} times",
    "write the repeated parts out, or use fewer aliases",
)

MAX_NUMBER_CHARS = 100
"""Longest number read; beyond this a value is refused before PyYAML tries to build it."""

MAX_QUOTE_CHARS = 40
"""Longest value quoted in a message (longer values are cut and end in '...')."""

MAX_MESSAGE_CHARS = 400
"""Longest message or hint, whatever it quotes: a last guard behind the cuts at each quote."""

MAX_ID_CHARS = 100
"""Longest id or name (scene, choice, ending, meter, flag); real ones are a few words."""

MERGE_TAG = "tag:yaml.org,2002:merge"

UNREADABLE: Any = object()
"""What :meth:`NodeReader.scalar` returns for a value PyYAML cannot build (already reported)."""


def suggest(word: str, options: Iterable[str]) -> str:
    """'did you mean ...' for a near miss, else an empty string."""
    if len(word) > MAX_ID_CHARS:
        return ""  # no id is that long, and comparing a huge value costs its length squared
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def kind_of(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "text" if node.tag.endswith(":str") else f"the value {short(str(node.value))}"


def short(value: str, limit: int = MAX_QUOTE_CHARS, *, quote: bool = True) -> str:
    """A file's value quoted for a message, cut short: a hostile file can hold megabytes."""
    return cut(repr(value[: limit + 1]) if quote else value, limit)


def reused_scalars(root: Node, text: str) -> tuple[int, Node | None]:
    """How many times aliases re-use a scalar (``*name`` standing for a single value), and
    the scalar whose re-use crossed :data:`MAX_ALIAS_EXPANSIONS`, if one did. Re-used
    collections are charged as they are read (:meth:`NodeReader.note_visit`); a scalar costs
    the reader nothing to read again, but the limit is documented as counting every re-use.
    Every alias is written with a '*', so a file without one is not walked."""
    if "*" not in text:
        return 0, None
    scalars: set[int] = set()
    seen: set[int] = set()
    stack = [root]
    reused = 0
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        children = (
            node.value if isinstance(node, SequenceNode) else [c for kv in node.value for c in kv]
        )
        for child in children:
            if isinstance(child, ScalarNode):
                if id(child) in scalars:
                    reused += 1
                    if reused > MAX_ALIAS_EXPANSIONS:
                        return reused, child
                else:
                    scalars.add(id(child))
            else:
                stack.append(child)
    return reused, None


def offset_in(node: Node, offset: int) -> Where:
    """The file position of character ``offset`` inside a scalar's text (quotes skipped)."""
    w = where(node)
    quoted = isinstance(node, ScalarNode) and node.style in ("'", '"')
    return Where(w.line, w.column + offset + (1 if quoted else 0))


class NodeReader:
    """Reads the node graph of one file, collecting diagnostics instead of stopping."""

    def __init__(self, path: str, reused: tuple[int, Node | None] = (0, None)) -> None:
        """``reused``: how many times aliases re-use scalars, counted once when the file is
        composed (see :func:`sim.format.yamlsource.reused_scalars`), and the scalar whose
        re-use crossed :data:`MAX_ALIAS_EXPANSIONS`, if one did."""
        self.path = path
        # A bounded max-heap on (line, column): the kept diagnostic latest in the file on top.
        self._kept: list[tuple[int, int, int, Diagnostic]] = []
        self._always: list[Diagnostic] = []
        self._seq = 0
        self._constructor = yaml.constructor.SafeConstructor()
        self._seen: set[int] = set()
        self._revisits, over = reused
        self._refused = False
        self._reported: set[tuple[str, int, int, str]] = set()
        self.dropped = 0
        """Diagnostics found after :data:`MAX_DIAGNOSTICS` were kept (counted, not kept)."""
        self._merging: set[int] = set()
        self.quiet = False
        """Set while a node already read is read again through an alias (a scene or ending
        listed twice): its mistakes were reported the first time, in the first one's words,
        so only a refusal (LS004) is reported now. The re-read still counts towards the
        alias limit, since what it builds is as large."""
        if over is not None:
            self._refuse(over)

    # -- reporting --

    @property
    def diags(self) -> list[Diagnostic]:
        """The diagnostics kept: the :data:`MAX_DIAGNOSTICS` first in the file (whatever
        order they were found in), and a refusal (LS004) always."""
        return self._always + [d for *_, d in self._kept]

    def beyond(self, at: Node | Where) -> bool:
        """Whether a diagnostic at ``at`` would not be kept (the ones kept all come earlier
        in the file): a caller may then skip computing its hint."""
        w = at if isinstance(at, Where) else where(at)
        return len(self._kept) >= MAX_DIAGNOSTICS and (-w.line, -w.column) <= self._kept[0][:2]

    def error(self, code: str, at: Node | Where, message: str, hint: str) -> None:
        """Record an error, once: a node re-used through aliases is read once per use, and
        its mistake is reported once, at its place."""
        w = at if isinstance(at, Where) else where(at)
        key = (code, w.line, w.column, message)
        if key in self._reported or (self.quiet and code != "LS004"):
            return
        if code != "LS004" and self.beyond(w):
            self.dropped += 1
            return
        self._reported.add(key)
        message, hint = cut(message, MAX_MESSAGE_CHARS), cut(hint, MAX_MESSAGE_CHARS)
        d = Diagnostic(code, "error", message, hint, self.path, w.line, w.column)
        if code == "LS004":  # a refused file always says why
            self._always.append(d)
            return
        self._seq += 1
        entry = (-w.line, -w.column, self._seq, d)
        if len(self._kept) < MAX_DIAGNOSTICS:
            heapq.heappush(self._kept, entry)
        else:  # keep the first ones in the file: this one replaces the last kept
            heapq.heapreplace(self._kept, entry)
            self.dropped += 1

    # -- generic shapes --

    def note_visit(self, node: Node) -> bool:
        """Count alias re-use; False once the file has re-used nodes too often.

        A re-used collection costs one plus its number of entries, since reading it again
        reads every entry again: counting aliases alone would let a small file make the
        reader walk one 1,000-item list 1,000 times, with a diagnostic for every item."""
        key = id(node)
        if key in self._seen:
            self._revisits += 1 + len(node.value)
            if self._revisits > MAX_ALIAS_EXPANSIONS:
                self._refuse(node)
                return False
        else:
            self._seen.add(key)
        return not self._refused

    def charge(self, count: int) -> bool:
        """Count ``count`` more re-used scalars (the streamed reading counts them as they are
        composed); False once the file has re-used nodes too often."""
        self._revisits += count
        return self._revisits <= MAX_ALIAS_EXPANSIONS

    @property
    def refused(self) -> bool:
        """Whether the file was refused for re-using nodes too often."""
        return self._refused

    def forget(self, ids: list[int]) -> None:
        """Forget having visited these nodes: they are dropped, and their ids may be re-used
        by other nodes, which would then look like alias re-use. Also drops the values built
        so far: PyYAML's constructor keeps every node it built a value from."""
        self._seen.difference_update(ids)
        self._constructor.constructed_objects.clear()

    def _refuse(self, node: Node) -> None:
        if not self._refused:
            self._refused = True
            self.error("LS004", node, *ALIAS_LIMIT)

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]] | None:
        if not isinstance(node, MappingNode):
            self.error(
                "LS012",
                node,
                f"{what} must be a mapping of keys, not {kind_of(node)}",
                "write it as 'key: value' lines indented under it",
            )
            return None
        if not self.note_visit(node):
            return None
        items: dict[str, tuple[Node, Node]] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.not_plain(key_node, what)
                continue
            if key_node.tag == MERGE_TAG:
                merges.append(value_node)
                continue
            key = str(key_node.value)
            if key in items:
                self.twice(key_node, items[key][0], what)
                continue
            items[key] = (key_node, value_node)
        for merged in merges:
            self._merge(items, merged, what)
        return items

    def not_plain(self, key: Node, what: str) -> None:
        self.error("LS012", key, f"a key in {what} must be plain text", "use a plain word")

    def twice(self, key: Node, first: Node, what: str) -> None:
        """Report ``key``, listed in ``what`` already (at ``first``)."""
        line = where(first).line
        self.error(
            "LS014",
            key,
            f"{short(str(key.value))} appears twice in {what}",
            f"keep one of them (the first is on line {line})",
        )

    def _merge(self, items: dict[str, tuple[Node, Node]], node: Node, what: str) -> None:
        """YAML's merge key (``<<: *defaults`` or ``<<: [*a, *b]``): the keys of the merged
        mappings that the mapping does not set itself, earlier mappings first, as YAML 1.1
        specifies. Merged entries count towards the alias limit like any re-use."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        for source in sources:
            if not isinstance(source, MappingNode):
                self.error(
                    "LS012",
                    source,
                    f"'<<' in {what} must merge a mapping, not {kind_of(source)}",
                    "write '<<: *name' where '&name' marks a mapping of keys",
                )
                continue
            if id(source) in self._merging:
                continue  # a mapping that merges itself: its keys are there already
            self._merging.add(id(source))
            try:
                merged = self.mapping(source, what)
            finally:
                self._merging.discard(id(source))
            for key, entry in (merged or {}).items():
                items.setdefault(key, entry)

    def check_keys(
        self,
        items: dict[str, tuple[Node, Node]],
        allowed: dict[str, bool],
        what: str,
        node: Node,
    ) -> None:
        for key, (key_node, _) in items.items():
            if key not in allowed:
                if self.beyond(key_node):
                    self.dropped += 1  # counted only: a hint costs a comparison per key
                    continue
                hint = suggest(key, allowed) or "allowed keys: " + ", ".join(allowed)
                self.error("LS010", key_node, f"unknown key {short(key)} in {what}", hint)
        for key, required in allowed.items():
            if required and key not in items:
                self.error("LS011", node, f"{what} has no {key!r}", f"add '{key}:'")

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.error(
                "LS012",
                node,
                f"{what} must be a list, not {kind_of(node)}",
                "write one '- item' per line, or [a, b]",
            )
            return None
        if not self.note_visit(node):
            return None
        return list(node.value)

    def scalar(self, node: Node) -> Any:
        """The scalar's value as YAML types it, or :data:`UNREADABLE` (reported here) when
        PyYAML cannot build it: an unknown or unsafe tag, a date such as 2001-13-45, an
        integer of thousands of digits. Callers skip an unreadable value without a second
        diagnostic."""
        kind = node.tag.rsplit(":", 1)[-1]
        hint = "write a plain number, true/false or text in quotes"
        # PyYAML reads '1:2:3' as a base-60 integer in quadratic time: a long one would hang.
        if kind in ("int", "float") and len(node.value) > MAX_NUMBER_CHARS:
            self.error("LS012", node, f"the number {short(node.value)} is too long", hint)
            return UNREADABLE
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self.error(
                "LS012",
                node,
                f"the tag {short(node.tag)} is not allowed in a scenario",
                "remove the tag: scenario files use plain YAML values",
            )
        except (ValueError, TypeError, KeyError, OverflowError, yaml.YAMLError):
            self.error("LS012", node, f"the value {short(node.value)} is not a valid {kind}", hint)
        return UNREADABLE

    def text(self, node: Node, what: str, *, empty_ok: bool = False) -> str | None:
        if not isinstance(node, ScalarNode) or not node.tag.endswith(":str"):
            hint = (
                "put the text in quotes"
                if isinstance(node, ScalarNode)
                else "write one line of text, or a block of text after '|'"
            )
            self.error("LS012", node, f"{what} must be text, not {kind_of(node)}", hint)
            return None
        value = str(node.value)
        if not empty_ok and not value.strip():
            self.error("LS013", node, f"{what} is empty", "write the text, or remove the key")
            return None
        return value

    def identifier(self, node: Node, what: str, pattern: re.Pattern[str], rule: str) -> str | None:
        if isinstance(node, ScalarNode) and not node.tag.endswith(":str"):
            value = str(node.value)  # e.g. a numeric id such as 2 reads as the id "2"
        else:
            value = self.text(node, what)  # type: ignore[assignment]
            if value is None:
                return None
        if len(value) > MAX_ID_CHARS:
            self.error(
                "LS015",
                node,
                f"{what} {short(value)} is {len(value):,} characters long",
                f"an id has at most {MAX_ID_CHARS} characters",
            )
            return None
        if not pattern.match(value):
            self.error("LS015", node, f"{what} {short(value)} is not a valid id", rule)
            return None
        return value

    def integer(self, node: Node, what: str) -> int | None:
        value = self.scalar(node) if isinstance(node, ScalarNode) else None
        if value is UNREADABLE:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(
                "LS012",
                node,
                f"{what} must be a whole number, not {kind_of(node)}",
                "write a number such as 50",
            )
            return None
        if abs(value) > 1_000_000_000:
            self.error(
                "LS013",
                node,
                f"{what} is {short(str(value), quote=False)}, far outside any sensible meter range",
                "meters usually run from 0 to 100",
            )
            return None
        return value
