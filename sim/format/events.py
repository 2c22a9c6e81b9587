"""Composing a document one entry at a time, so a large file never holds its whole node graph.

:func:`sim.format.yamlsource.compose` builds every node of the file before a single one is
read: about 46 times the file's size in memory. :class:`EventComposer` reads libyaml's events
itself and builds one node (a scene, say) at a time, with the same tags, marks and shared
anchors PyYAML's composer gives, so the loader can read a scene's node graph into the model
and drop it before the next. Anything the streamed path does not handle exactly as the full
one does raises :class:`Unsupported`, and the loader composes the whole file instead.
"""

from __future__ import annotations

from sys import intern

from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.format.yamlsource import MAX_DEPTH, SafeLoader

SHARED_CHARS = 24
"""Values this short (ids, styles, meter names, which a file repeats thousands of times) are
kept once, however often they occur."""


class Unsupported(Exception):
    """The file needs the whole node graph (or fails to parse): compose it in full."""


class EventComposer:
    """Builds nodes from the parser's events, one sub-tree at a time. Anchored nodes are kept
    (an alias may name them later); everything else is the caller's to drop."""

    def __init__(self, source: str | bytes) -> None:
        """``source``: the text, or the file's UTF-8 bytes (libyaml reads them in place)."""
        self._loader = SafeLoader(source)
        self._get = self._loader.get_event
        self._peek = self._loader.peek_event
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
        if not isinstance(self._get(), StreamStartEvent):
            raise Unsupported
        if not isinstance(self._get(), DocumentStartEvent):
            raise Unsupported
        return self.open_mapping()

    def finish(self) -> None:
        """End the root mapping and the stream: a second document is the full path's to report."""
        self._get()
        if not isinstance(self._get(), DocumentEndEvent):
            raise Unsupported
        if not isinstance(self._get(), StreamEndEvent):
            raise Unsupported

    def at_end(self) -> bool:
        """Whether the open mapping has no more entries."""
        return isinstance(self._peek(), MappingEndEvent)

    def plain_mapping_next(self) -> bool:
        """Whether the next value is a mapping no alias can name."""
        ev = self._peek()
        return isinstance(ev, MappingStartEvent) and ev.anchor is None and ev.tag in (None, "!")

    def open_mapping(self) -> MappingNode:
        ev = self._get()
        if not isinstance(ev, MappingStartEvent) or ev.anchor is not None:
            raise Unsupported
        if ev.tag not in (None, "!"):
            raise Unsupported
        tag = self._resolve(MappingNode, None, ev.implicit)
        return MappingNode(tag, [], ev.start_mark, None, flow_style=ev.flow_style)  # type: ignore[arg-type]

    def close_mapping(self, node: MappingNode) -> None:
        node.end_mark = self._get().end_mark

    def node(self, depth: int) -> Node:
        """Compose the next node, which sits at ``depth`` (the root at 1)."""
        anchors, heights = self.anchors, self._heights
        get, resolve = self._get, self._resolve
        # each open collection: [node, key waiting for its value, height, anchored]
        stack: list[list] = []  # type: ignore[type-arg]
        pin = 0  # open collections that are anchored
        while True:
            ev = get()
            cls = ev.__class__
            height = 0
            if cls is ScalarEvent:
                tag = ev.tag
                if tag is None or tag == "!":
                    tag = resolve(ScalarNode, ev.value, ev.implicit)
                value = ev.value
                if len(value) <= SHARED_CHARS:
                    value = intern(value)  # ids, styles, meter names: one copy each
                node: Node = ScalarNode(tag, value, ev.start_mark, ev.end_mark, style=ev.style)
                if ev.anchor is not None or pin:
                    self._anchor(ev.anchor, node)
            elif cls is AliasEvent:
                if ev.anchor not in anchors:
                    raise Unsupported  # the full path names the undefined alias
                node = anchors[ev.anchor]
                if isinstance(node, ScalarNode):
                    self.scalar_aliases += 1
                elif id(node) in self._open:
                    raise Unsupported  # a node that holds itself
                else:
                    height = heights[id(node)]
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if depth + len(stack) >= MAX_DEPTH:
                    raise Unsupported  # the full path reports the depth
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
                        raise Unsupported  # an alias took it past the limit
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
            if name in self.anchors:
                raise Unsupported  # the full path reports the duplicate anchor
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
