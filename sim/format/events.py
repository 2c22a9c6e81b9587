"""Composing a document one entry at a time, so a large file never holds its whole node graph.

:func:`sim.format.yamlsource.compose` builds every node of the file before a single one is
read: about 46 times the file's size in memory. :class:`EventComposer` reads libyaml's events
itself and builds one node (a scene, say) at a time, with the same tags, marks and shared
anchors PyYAML's composer gives, so the loader can read a scene's node graph into the model
and drop it before the next. A file it cannot read that way (settings after the scenes, an alias
for a scene, an entry of more than :data:`MAX_ENTRY_VALUES` values, ...) raises
:class:`Unsupported`, which the loader reports as the file's one diagnostic: composing it
whole instead would take about 46 times its size.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from yaml.composer import ComposerError
from yaml.error import Mark
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.format.yamlsource import MAX_DEPTH, TOO_DEEP, SafeLoader, line_breaks, read_bounded

MAX_ENTRY_VALUES = 2_000
"""Most values (keys, values and lists, an alias counting one) in one setting, one scene or
one ending: twelve times the largest entry of a shipped scenario (166). An entry is composed
whole before it is read, at about 600 bytes a value (a `flags:` list of 99,990 names cost
61 MB), so this caps what one entry adds to the peak at about 1.2 MB, whatever the file's
size. At 10,000 a file just over 1 MiB holding one entry at the limit peaked at 12.2 times its
size; at 2,000, 9.6 times (docs/authoring.md, "Size limits")."""


class Unsupported(Exception):
    """A file that cannot be read a scene at a time: refused with the diagnostic it carries
    (``code`` at ``line``:``column``, 1-based; the first line for none), never composed whole."""

    def __init__(self, at: Any, message: str, hint: str, code: str = "LS004") -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint
        self.line: int = at.line + 1 if at is not None else 1
        self.column: int = at.column + 1 if at is not None else 1


def unstreamable(at: Any, why: str, fix: str) -> Unsupported:
    """The refusal of a large file that only the whole-file reading could read."""
    message = f"{why}, so this large file (1 MiB or more) cannot be read a scene at a time"
    return Unsupported(at, message, fix)


def holds_more_than(node: Node, limit: int) -> bool:
    """Whether ``node`` holds more than ``limit`` values, counted as :meth:`EventComposer.node`
    counts them (itself, every key and value under it; a collection re-used through an alias
    counts one where it is re-used), for a file read whole."""
    left = limit
    seen: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        left -= 1
        if left < 0:
            return True
        if isinstance(n, ScalarNode) or id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, SequenceNode):
            stack.extend(n.value)
        else:
            stack.extend([c for kv in n.value for c in kv])
    return False


def too_many_values(at: Any, what: str) -> Unsupported:
    return Unsupported(
        at,
        f"{what} holds more than {MAX_ENTRY_VALUES:,} values",
        "a scene needs a few dozen: split it, or check the file was generated as meant",
    )


PIECE_BYTES = 1 << 16


class Pieces:
    """A large file's bytes, handed to libyaml a piece (64 KiB) at a time, each piece dropped
    once it is read: the loader's peak comes as the last scenes are read, when at most one
    piece is left (with 1 MiB pieces, a file just under 2 MiB still held half of itself).
    :meth:`whole` reads the file again for what needs all of it at once (the line of a YAML
    error, a repeated key's first listing)."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.lines = line_breaks(data)
        self._path = path
        self._pieces = [data[i : i + PIECE_BYTES] for i in range(0, len(data), PIECE_BYTES)]
        self._pieces.reverse()  # the next piece last, so each is popped off in turn
        self._at = 0

    def read(self, size: int) -> bytes:
        """Up to ``size`` more bytes (libyaml asks for a few KB at a time); b"" at the end."""
        while self._pieces and self._at >= len(self._pieces[-1]):
            self._pieces.pop()
            self._at = 0
        if not self._pieces:
            return b""
        out = self._pieces[-1][self._at : self._at + size]
        self._at += len(out)
        return out

    def whole(self) -> bytes:
        with self._path.open("rb") as f:
            return read_bounded(f, os.fstat(f.fileno()).st_size)


Source = str | bytes | Pieces
"""What the parser reads: a text, a file's UTF-8 bytes, or a large file's bytes in pieces."""


def whole(source: Source) -> str | bytes:
    """All of ``source`` at once (a large file's bytes read again)."""
    return source.whole() if isinstance(source, Pieces) else source


class EventComposer:
    """Builds nodes from the parser's events, one sub-tree at a time. Anchored nodes are kept
    (an alias may name them later); everything else is the caller's to drop."""

    def __init__(self, source: Source) -> None:
        """``source``: the text, or the file's UTF-8 bytes (libyaml reads them in place, or a
        piece at a time)."""
        self._loader = SafeLoader(source)
        self._source = source
        self._get = self._loader.get_event
        self._peek = self.peek = self._loader.peek_event
        self._resolve = self._loader.resolve
        self.anchors: dict[str, Node] = {}
        self.pinned: set[int] = set()
        """Ids of the nodes an alias can reach (anchored, or inside an anchored node): they
        live as long as the composer, so their ids stay theirs."""
        self._heights: dict[int, int] = {}  # anchored collections: nesting below them
        self._open: set[int] = set()  # anchored collections not yet closed
        self.scalar_aliases = 0
        """Aliases that stand for a single value (charged to the alias limit by the reader)."""

    def close(self) -> None:
        self._loader.dispose()

    def root(self) -> MappingNode:
        """Start the document: its root mapping, empty, for the caller to fill."""
        self._get()  # the stream's start
        start = self._get()
        if not isinstance(start, DocumentStartEvent):
            raise Unsupported(None, "the file is empty", "start from `leadsim new ID`", "LS003")
        self._document: Any = start.start_mark
        ev = self._peek()
        if not isinstance(ev, MappingStartEvent):
            what = "a list" if isinstance(ev, SequenceStartEvent) else "a single value"
            raise Unsupported(
                ev.start_mark,
                f"the file holds {what}, not a scenario",
                "a scenario is a mapping that starts with 'scenario: your-id'",
                "LS003",
            )
        if ev.anchor is not None or ev.tag not in (None, "!"):
            raise unstreamable(ev.start_mark, "the whole scenario is anchored or tagged", _BARE)
        return self.open_mapping()

    def finish(self) -> None:
        """End the root mapping and the stream; a second document is an error, as PyYAML says."""
        self._get()
        self._get()  # the document's end
        ev = self._get()
        if not isinstance(ev, StreamEndEvent):
            raise ComposerError(
                "expected a single document in the stream",
                self._document,
                "but found another document",
                ev.start_mark,
            )

    def end_of_file(self) -> Mark:
        """A mark at the start of the line after the file's last line break: where the root
        mapping of a file that ends in one ends, as the whole-file reading marks it."""
        source = self._source
        lines = source.lines if isinstance(source, Pieces) else line_breaks(source)
        return Mark("<end>", 0, lines, 0, None, None)  # type: ignore[arg-type]

    def at_end(self) -> bool:
        """Whether the open mapping has no more entries."""
        return isinstance(self._peek(), MappingEndEvent)

    def plain_mapping_next(self) -> bool:
        """Whether the next value is a mapping no alias can name."""
        ev = self._peek()
        return isinstance(ev, MappingStartEvent) and ev.anchor is None and ev.tag in (None, "!")

    def open_mapping(self) -> MappingNode:
        """The next value, a mapping :meth:`plain_mapping_next` said no alias can name."""
        ev = self._get()
        tag = self._resolve(MappingNode, None, ev.implicit)
        return MappingNode(tag, [], ev.start_mark, None, flow_style=ev.flow_style)  # type: ignore[arg-type]

    def close_mapping(self, node: MappingNode) -> None:
        node.end_mark = self._get().end_mark

    def node(self, depth: int, what: str, at: Any = None) -> Node:
        """Compose the next node, which sits at ``depth`` (the root at 1): ``what`` it is (for
        a refusal at ``at``, its key, when it holds more than :data:`MAX_ENTRY_VALUES`)."""
        anchors, heights = self.anchors, self._heights
        get, resolve = self._get, self._resolve
        # each open collection: [node, key waiting for its value, height, anchored]
        stack: list[list] = []  # type: ignore[type-arg]
        pin = 0  # open collections that are anchored
        left = MAX_ENTRY_VALUES  # values this entry may still hold
        while True:
            ev = get()
            cls = ev.__class__
            height = 0
            if cls is not MappingEndEvent and cls is not SequenceEndEvent:
                left -= 1
                if left < 0:
                    raise too_many_values(at or ev.start_mark, what)
            if cls is ScalarEvent:
                tag = ev.tag
                if tag is None or tag == "!":
                    tag = resolve(ScalarNode, ev.value, ev.implicit)
                node: Node = ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, style=ev.style)
                if ev.anchor is not None or pin:
                    self._anchor(ev.anchor, node)
            elif cls is AliasEvent:
                if ev.anchor not in anchors:  # as PyYAML says it (the loader names it)
                    raise ComposerError(None, None, "found undefined alias", ev.start_mark)
                node = anchors[ev.anchor]
                if isinstance(node, ScalarNode):
                    self.scalar_aliases += 1
                elif id(node) in self._open:
                    raise unstreamable(
                        ev.start_mark,
                        f"'*{ev.anchor}' stands for a value that holds it",
                        "write the value out instead of an alias inside its own anchor",
                    )
                else:
                    height = heights[id(node)]
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if depth + len(stack) >= MAX_DEPTH:
                    raise too_deep(ev.start_mark)
                tag = ev.tag
                kind = MappingNode if cls is MappingStartEvent else SequenceNode
                if tag is None or tag == "!":
                    tag = resolve(kind, None, ev.implicit)
                node = kind(tag, [], ev.start_mark, None, flow_style=ev.flow_style)
                anchored = ev.anchor is not None
                if anchored or pin:
                    self._anchor(ev.anchor, node)
                if anchored:
                    self._open.add(id(node))
                    pin += 1
                stack.append([node, None, 0, anchored])
                continue
            else:  # the end of a collection
                node, _, height, anchored = stack.pop()
                node.end_mark = ev.end_mark
                if node.value:
                    height += 1
                    if depth + len(stack) + height - 1 >= MAX_DEPTH:
                        raise too_deep(node.start_mark)  # an alias took it past the limit
                if anchored:
                    pin -= 1
                    self._open.discard(id(node))
                    heights[id(node)] = height
            if not stack:
                return node
            parent = stack[-1]
            if height > parent[2]:
                parent[2] = height
            owner = parent[0]
            if owner.__class__ is SequenceNode:
                owner.value.append(node)
            elif parent[1] is None:
                parent[1] = node
            else:
                owner.value.append((parent[1], node))
                parent[1] = None

    def _anchor(self, name: str | None, node: Node) -> None:
        if name is not None:
            if name in self.anchors:  # as PyYAML says it
                first = self.anchors[name].start_mark
                context = "found duplicate anchor; first occurrence"
                raise ComposerError(context, first, "second occurrence", node.start_mark)
            self.anchors[name] = node
        self.pinned.add(id(node))

    def unpinned(self, node: Node) -> list[int]:
        """Ids of the collections in ``node`` that no alias can reach: once they are read and
        dropped, a new node may get the same id, so whoever noted them must forget them."""
        found: list[int] = []
        stack = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, ScalarNode) or id(n) in self.pinned:
                continue
            found.append(id(n))
            if isinstance(n, SequenceNode):
                stack.extend(n.value)
            else:
                for k, v in n.value:
                    stack.append(k)
                    stack.append(v)
        return found


_BARE = "remove the '&name' or '!tag' before it"


def too_deep(at: Any) -> Unsupported:
    return Unsupported(at, *TOO_DEEP)
