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

import hashlib
from pathlib import Path

import yaml
from yaml.events import AliasEvent, MappingStartEvent
from yaml.nodes import Node, ScalarNode

from sim.collector import paused
from sim.format.diagnostics import MAX_DIAGNOSTICS, Diagnostic, ScenarioError, bounded, errors
from sim.format.document import HEAD_KEYS, Document, build
from sim.format.events import (
    MAX_ENTRY_VALUES,
    EventComposer,
    Pieces,
    Source,
    Unsupported,
    unstreamable,
    whole,
)
from sim.format.nodes import (
    ALIAS_LIMIT,
    MAX_ALIAS_EXPANSIONS,
    MAX_MESSAGE_CHARS,
    MAX_NUMBER_CHARS,
    MERGE_TAG,
    NodeReader,
    reused_scalars,
    short,
)
from sim.format.yamlsource import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_VALUES,
    TOO_NESTED,
    SafeLoader,
    compose,
    cut,
    estimated_values,
    read_text,
    yaml_problem,
)
from sim.model import Scenario

STREAM_FROM = 1 << 20
"""Text this long (1 Mi characters, about 1,600 scenes) or longer is composed a scene at a
time (:mod:`sim.format.events`), so the loader never holds the whole file's node graph; such
a file laid out so that it cannot be read that way is refused (LS004), not read whole."""

__all__ = [
    "MAX_ALIAS_EXPANSIONS",
    "MAX_DEPTH",
    "MAX_ENTRY_VALUES",
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


def _parse(source: Source, path: str, digest: str) -> tuple[Scenario | None, list[Diagnostic]]:
    """:func:`parse_text` of the text, or of a file's UTF-8 bytes (checked to decode)."""
    # Composing allocates a node, two marks and a string per scalar and frees none of them,
    # so the cycle collector keeps rescanning a growing heap for nothing: with it paused, a
    # 10,000-scene file loads in 2.6 s instead of 6.8 s. Whatever cycles the load leaves
    # (a recursive alias) are collected once it is back on.
    with paused():
        if isinstance(source, Pieces) or (
            len(source) >= STREAM_FROM and estimated_values(source) <= MAX_VALUES
        ):
            return stream_text(source, path, digest)
        text = source if isinstance(source, str) else source.decode("utf-8-sig")
        del source
        root, diags = compose(text, path)
        if root is None:
            return None, diags
        reader = NodeReader(path, reused=reused_scalars(root, text))
        scenario = build(reader, root, digest)
    found = bounded(reader.diags, path, reader.dropped)
    return (None if errors(found) else scenario), found


def stream_text(source: Source, path: str, digest: str) -> tuple[Scenario | None, list[Diagnostic]]:
    """What :func:`parse_text` returns, read a scene at a time, so a large file's peak memory
    stays under ten times its size (docs/authoring.md, "Size limits"). A file that cannot be
    read this way (settings after the scenes, an alias or merge key where scenes are listed,
    an entry of more than :data:`MAX_ENTRY_VALUES` values, ...) is refused with one
    diagnostic at the place that forces it and what to change: composing it whole instead
    would take about 46 times its size.

    A mistake YAML itself reports (syntax, a character it refuses, an undefined alias, a
    second document) is reported as the whole-file reading reports it: the streamed reading
    has then passed every event before it, and composing the whole file would stop at the
    same event with the same error."""
    events = EventComposer(source)
    try:
        return _streamed(events, NodeReader(path), digest, source)
    except yaml.YAMLError as e:
        return None, [yaml_problem(e, whole(source), path)]
    except Unsupported as e:
        message, hint = cut(e.message, MAX_MESSAGE_CHARS), cut(e.hint, MAX_MESSAGE_CHARS)
        return None, [Diagnostic(e.code, "error", message, hint, path, e.line, e.column)]
    except RecursionError:
        return None, [Diagnostic("LS004", "error", TOO_NESTED, "flatten it", path)]
    finally:
        events.close()


def _streamed(
    c: EventComposer, r: NodeReader, digest: str, source: Source
) -> tuple[Scenario | None, list[Diagnostic]]:
    root = c.root()
    top: dict[str, tuple[Node, Node]] = {}
    doc: Document | None = None
    first = ""  # 'scenes' or 'endings', whichever came first
    while not c.at_end():
        key = c.node(2, "a key")
        if not isinstance(key, ScalarNode):
            r.not_plain(key, "the scenario")
            c.node(2, "a value", key.start_mark)
            continue
        name = str(key.value)
        if key.tag == MERGE_TAG:
            fix = "write the settings out instead of merging them in"
            raise unstreamable(key.start_mark, "'<<' merges settings into the scenario", fix)
        if name in top and name not in ("scenes", "endings"):
            r.twice(key, top[name][0], "the scenario")
            c.node(2, short(name), key.start_mark)
            continue
        if name in top:  # 'scenes:' or 'endings:' again
            fix = f"list every {name[:-1]} under one '{name}:'"
            raise unstreamable(key.start_mark, f"'{name}:' appears twice", fix)
        if doc is not None and name in HEAD_KEYS:
            fix = f"move '{name}:' above '{first}:'"
            raise unstreamable(key.start_mark, f"'{name}:' comes after '{first}:'", fix)
        if name not in ("scenes", "endings"):
            top[name] = (key, c.node(2, short(name), key.start_mark))
            continue
        if not c.plain_mapping_next():
            why, fix = _not_listed(c.peek(), name)
            raise unstreamable(key.start_mark, why, fix)
        if name == "scenes" and "endings" in top:
            fix = "move 'endings:' and its endings below the scenes"
            raise unstreamable(key.start_mark, "'endings:' comes before 'scenes:'", fix)
        listed = c.open_mapping()
        top[name] = (key, listed)
        if doc is None:
            first = name
            root.end_mark = c.end_of_file()  # where a file-wide 'allow:' ends
            doc = Document(r, top, root)
            doc.read_head()
        if _entries(c, r, doc, name, listed, source):
            return None, [d for d in r.diags if d.code == "LS004"]
        c.close_mapping(listed)
    c.finish()
    if doc is None:  # no scenes, nor endings: what the file has is checked as a whole file's
        doc = Document(r, top, root)
        doc.read_head()
    if not r.charge(c.scalar_aliases):
        raise Unsupported(root.start_mark, *ALIAS_LIMIT)
    c.scalar_aliases = 0
    scenario = doc.finish(digest)
    if r.refused:
        return None, [d for d in r.diags if d.code == "LS004"]
    found = bounded(r.diags, r.path, r.dropped)
    return (None if errors(found) else scenario), found


def _not_listed(ev: object, name: str) -> tuple[str, str]:
    """Why the value of 'scenes:' or 'endings:' (its first event ``ev``) is not read a scene at
    a time, and what to change."""
    one = name[:-1]
    if isinstance(ev, AliasEvent):
        return f"'{name}:' is an alias", f"write the {name} out instead of an alias"
    if isinstance(ev, MappingStartEvent):  # anchored or tagged
        return f"'{name}:' is anchored or tagged", f"remove the '&name' or '!tag' after '{name}:'"
    return f"'{name}:' is not a mapping", f"write each {one} as '{one}-id:' indented under it"


def _entries(
    c: EventComposer, r: NodeReader, doc: Document, name: str, listed: Node, source: Source
) -> bool:
    """Read each entry of 'scenes:' or 'endings:' as it is composed, then forget its nodes;
    True when the file was refused for re-using nodes too often."""
    scenes = name == "scenes"
    read, ids = (doc.scene, doc.scene_ids) if scenes else (doc.ending, doc.ending_ids)
    where = f"'{name}'"
    empty = True
    again: list[Node] = []  # keys listed a second time (as many as can be reported)
    while not c.at_end():
        key = c.node(3, f"a key in {where}")
        if not isinstance(key, ScalarNode):
            r.not_plain(key, where)
            c.node(3, "a value", key.start_mark)
            continue
        if key.tag == MERGE_TAG:
            why = f"'<<' merges {name} into '{name}:'"
            raise unstreamable(key.start_mark, why, f"write those {name} out instead")
        label = str(key.value)
        node = c.node(3, f"{name[:-1]} {short(label)}", key.start_mark)
        if label in ids:  # reported below, as the whole-file reading reports it
            if len(again) < MAX_DIAGNOSTICS:
                again.append(key)
            else:  # later in the file than as many diagnostics as are kept: counted
                r.dropped += 1
            continue
        empty = False
        if not r.charge(c.scalar_aliases):
            raise Unsupported(key.start_mark, *ALIAS_LIMIT)
        c.scalar_aliases = 0
        read(label, key, node)
        if r.refused:
            return True
        r.forget(c.unpinned(node))
        if id(node) not in c.pinned:
            doc.read.discard(id(node))
    if empty:
        doc.empty(name, listed)
    if again:
        first = _first_keys(whole(source), name, {str(k.value) for k in again})
        for key in again:
            r.twice(key, first[str(key.value)], where)
    return False


def _first_keys(source: str | bytes, section: str, labels: set[str]) -> dict[str, Node]:
    """The key each of ``labels`` is first listed with under ``section`` (for the messages
    about their second listing): found by reading the file once more, a key at a time,
    rather than keeping every key's line for a mistake few files make."""
    found: dict[str, Node] = {}
    c = EventComposer(source)
    try:
        c.root()
        while not c.at_end():
            key = c.node(2, "a key")
            if not (isinstance(key, ScalarNode) and key.value == section):
                c.node(2, "a value")
                continue
            c.open_mapping()
            while len(found) < len(labels):
                listed = c.node(3, "a key")
                if isinstance(listed, ScalarNode) and listed.value in labels:
                    found.setdefault(listed.value, listed)
                c.node(3, "a value")
            return found
    finally:
        c.close()
    return found


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
    # libyaml copies a text into UTF-8 of its own before reading it: a large file is parsed
    # from its bytes (known to decode), a piece at a time, each dropped once read, so the
    # file is not held while the last scenes are read (where the peak is).
    del text
    if estimated_values(data) > MAX_VALUES:
        return _parse(data, str(path), digest)  # refused by that count before it is read
    pieces = Pieces(data, Path(path))
    del data
    return _parse(pieces, str(path), digest)


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
