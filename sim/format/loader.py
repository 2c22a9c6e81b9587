"""Load a scenario file: safe YAML in, a frozen :class:`Scenario` or every problem out.

The file is untrusted. :mod:`sim.format.yamlsource` reads it within limits and composes PyYAML's
*safe* node graph (never Python objects); :mod:`sim.format.nodes` reads nodes against the shapes
expected; this module knows the format's keys and builds the model, so every diagnostic
points at the offending key or value, and it keeps going after a problem so a trainer sees
all of them at once. Conditions are parsed here, once.

The limits (:data:`MAX_FILE_BYTES`, :data:`MAX_DEPTH`, :data:`MAX_VALUES`,
:data:`MAX_ALIAS_EXPANSIONS`, :data:`MAX_NUMBER_CHARS`) are re-exported here and documented
in docs/authoring.md. tests/test_hostile_input.py holds each limit to a clear diagnostic in
bounded memory; tests/test_fuzz_loader.py checks that no input raises.
"""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

import yaml
from yaml.nodes import Node, ScalarNode

from sim.format.diagnostics import Diagnostic, ScenarioError, bounded, errors
from sim.format.document import HEAD_KEYS, Document, build
from sim.format.events import EventComposer, Unsupported
from sim.format.nodes import (
    MAX_ALIAS_EXPANSIONS,
    MAX_NUMBER_CHARS,
    MERGE_TAG,
    NodeReader,
    reused_scalars,
)
from sim.format.yamlsource import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_VALUES,
    SafeLoader,
    compose,
    estimated_values,
    read_text,
    yaml_problem,
)
from sim.model import Scenario

STREAM_FROM = 1 << 20
"""Text this long (1 Mi characters, about 1,600 scenes) or longer is composed a scene at a
time (:mod:`sim.format.events`), so the loader never holds the whole file's node graph."""

__all__ = [
    "MAX_ALIAS_EXPANSIONS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NUMBER_CHARS",
    "MAX_VALUES",
    "SafeLoader",
    "check",
    "load",
    "loads",
    "parse_text",
]


def parse_text(
    text: str, path: str = "<string>", sha256: str | None = None
) -> tuple[Scenario | None, list[Diagnostic]]:
    """Turn scenario text into a scenario and its diagnostics (the scenario is None when any
    diagnostic is an error). ``sha256`` is the hash of the file's bytes, when read from disk."""
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _parse(text, path, digest)


def _parse(source: str | bytes, path: str, digest: str) -> tuple[Scenario | None, list[Diagnostic]]:
    """:func:`parse_text` of the text, or of a file's UTF-8 bytes (checked to decode)."""
    # Composing allocates a node, two marks and a string per scalar and frees none of them,
    # so the cycle collector keeps rescanning a growing heap for nothing: with it paused, a
    # 10,000-scene file loads in 2.6 s instead of 6.8 s. Whatever cycles the load leaves
    # (a recursive alias) are collected once it is back on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        large = len(source) >= STREAM_FROM and estimated_values(source) <= MAX_VALUES
        if large and (streamed := stream_text(source, path, digest)) is not None:
            return streamed
        text = source if isinstance(source, str) else source.decode("utf-8-sig")
        del source
        root, diags = compose(text, path)
        if root is None:
            return None, diags
        reader = NodeReader(path, reused=reused_scalars(root, text))
        scenario = build(reader, root, digest)
    finally:
        if collecting:
            gc.enable()
    found = bounded(reader.diags, path, reader.dropped)
    return (None if errors(found) else scenario), found


def stream_text(
    source: str | bytes, path: str, digest: str
) -> tuple[Scenario | None, list[Diagnostic]] | None:
    """What :func:`parse_text` returns, read a scene at a time; None when the file needs its
    whole node graph (anything the streamed reading does not handle exactly as the full one
    does: an alias past the limit, nesting near it, merge keys or repeated keys where scenes
    are listed, settings after the scenes), which is then composed in full. Holding one
    scene's nodes at a time keeps a large file's peak memory under ten times its size
    (docs/authoring.md, "Size limits").

    A mistake YAML itself reports (syntax, a character it refuses) is reported from here:
    the streamed reading has then passed every event before it, and composing the whole file
    would stop at the same event with the same error, after building the graph up to it."""
    events = EventComposer(source)
    try:
        return _streamed(events, NodeReader(path), digest)
    except (yaml.reader.ReaderError, yaml.scanner.ScannerError, yaml.parser.ParserError) as e:
        return None, [yaml_problem(e, source, path)]
    except (Unsupported, yaml.YAMLError, RecursionError):
        return None
    finally:
        events.close()


def _streamed(
    c: EventComposer, r: NodeReader, digest: str
) -> tuple[Scenario | None, list[Diagnostic]]:
    root = c.root()
    top: dict[str, tuple[Node, Node]] = {}
    doc: Document | None = None
    while not c.at_end():
        key = c.node(2)
        if not isinstance(key, ScalarNode) or key.tag == MERGE_TAG or str(key.value) in top:
            raise Unsupported
        name = str(key.value)
        if doc is not None and name in HEAD_KEYS:
            raise Unsupported  # a setting the scenes already needed
        if name not in ("scenes", "endings"):
            top[name] = (key, c.node(2))
            continue
        if not c.plain_mapping_next():
            raise Unsupported  # a list of scenes an alias names, or no list at all
        if name == "scenes" and "endings" in top:
            raise Unsupported  # endings are checked against the scenes' names
        listed = c.open_mapping()
        top[name] = (key, listed)
        if doc is None:
            if "allow" in top:
                raise Unsupported  # a file-wide range ends where the file does: not known yet
            doc = Document(r, top, root)
            doc.read_head()
        _entries(c, r, doc, doc.scene if name == "scenes" else doc.ending)
        c.close_mapping(listed)
    c.finish()
    if doc is None or not r.charge(c.scalar_aliases):
        raise Unsupported
    c.scalar_aliases = 0
    scenario = doc.finish(digest)
    if r.refused:
        raise Unsupported
    found = bounded(r.diags, r.path, r.dropped)
    return (None if errors(found) else scenario), found


def _entries(c: EventComposer, r: NodeReader, doc: Document, read: object) -> None:
    """Read each entry of 'scenes:' or 'endings:' as it is composed, then forget its nodes."""
    names: set[str] = set()
    while not c.at_end():
        key = c.node(3)
        if not isinstance(key, ScalarNode) or key.tag == MERGE_TAG or str(key.value) in names:
            raise Unsupported
        names.add(str(key.value))
        node = c.node(3)
        if not r.charge(c.scalar_aliases):
            raise Unsupported  # the full path refuses the file before reading it
        c.scalar_aliases = 0
        read(str(key.value), key, node)  # type: ignore[operator]
        if r.refused:
            raise Unsupported
        r.forget(c.unpinned(node))
        if id(node) not in c.pinned:
            doc.read.discard(id(node))
    if not names:
        raise Unsupported  # an empty list: the full path says so


def check(path: str | Path) -> tuple[Scenario | None, list[Diagnostic]]:
    """Read and check a scenario file; never raises for a bad file. The scenario's hash is
    of the bytes on disk, so it matches `sha256sum FILE`."""
    text, data, diags = read_text(Path(path), str(path))
    if text is None:
        return None, diags
    digest = hashlib.sha256(data).hexdigest()
    if len(data) < STREAM_FROM or SafeLoader is yaml.SafeLoader:
        del data  # a copy of the file the size of the text: not kept while the text is read
        return parse_text(text, str(path), digest)
    # libyaml reads bytes in place, but copies a text into UTF-8 of its own before reading
    # it: a large file is parsed from its bytes (known to decode), so only one copy of the
    # file is held while the scenario is built.
    del text
    return _parse(data, str(path), digest)


def load(path: str | Path) -> Scenario:
    """Load a scenario or raise :class:`ScenarioError` with every diagnostic."""
    scenario, diags = check(path)
    if scenario is None:
        raise ScenarioError(diags)
    return scenario


def loads(text: str, path: str = "<string>") -> Scenario:
    """Load scenario text (tests, the editor's live reload) or raise :class:`ScenarioError`."""
    scenario, diags = parse_text(text, path)
    if scenario is None:
        raise ScenarioError(diags)
    return scenario
