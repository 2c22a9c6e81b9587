"""Untrusted YAML in, a node graph out: the file's bytes within limits, and every way the
text can fail to be a YAML mapping turned into a diagnostic with its line.

Only PyYAML's *safe* loaders are used (the C one when present), and only as far as the node
graph: nodes keep line and column marks, which is where diagnostics get their positions, and
nothing in the file is ever constructed as a Python object. The limits below are documented
in docs/authoring.md; tests/test_hostile_input.py holds each one to a clear diagnostic in
bounded memory.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.format.diagnostics import Diagnostic
from sim.model import Where

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest scenario file accepted (64 MiB: a generated 100,000-scene file, ``twin.py 25000 4``,
is 63 MB). A file as large loads in about 6 times its size (under 450 MB), one of one-line
scenes in under 9 times; docs/authoring.md, "Size limits", says which files cost more and
which large files are refused rather than read whole."""
MAX_DEPTH = 64
"""Deepest nesting of YAML collections accepted; a scenario needs about eight."""

TOO_DEEP = (f"the YAML nests deeper than {MAX_DEPTH} levels", "a scenario needs about eight")
TOO_NESTED = "the YAML is nested too deeply to read"

MAX_VALUES = 6_000_000
"""Most values (estimated from the separators in the text) a file may hold: the largest
generated file under the size limit (``twin.py 26450 4``, 105,800 scenes) holds about
5,300,000. It bounds what any file loads into: the model costs at most about 115 bytes a
value (one-line narration scenes), so under 1 GB; composing a whole file would cost about
300 bytes a node, so one of one-character list items is refused before it is read."""


def line_breaks(text: str | bytes) -> int:
    """Line breaks as YAML reads them: LF, CR alone and CR LF (one break), and NEL, LS and
    PS, which both PyYAML's reader and libyaml also take as breaks. A file of CR-only lines
    is as many lines to the parser as the same file with LF. Counted alike in the text or in
    its UTF-8 bytes (where NEL, LS and PS are the sequences below, which no other character's
    encoding contains)."""
    if isinstance(text, bytes):
        nel, ls, ps = b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9"
        return (
            text.count(b"\n")
            + text.count(b"\r")
            - text.count(b"\r\n")
            + text.count(nel)
            + text.count(ls)
            + text.count(ps)
        )
    return (
        text.count("\n")
        + text.count("\r")
        - text.count("\r\n")
        + text.count("\x85")
        + text.count("\u2028")
        + text.count("\u2029")
    )


def estimated_values(text: str | bytes) -> int:
    """An upper estimate of the scalars and collections in a document, from the characters
    that separate them; counting is fast (~100 ms for 64 MiB) and needs no parse. The same
    for the text and for its UTF-8 bytes."""
    if isinstance(text, bytes):
        return line_breaks(text) + text.count(b",") + text.count(b": ")
    return line_breaks(text) + text.count(",") + text.count(": ")


def where(node: Node) -> Where:
    """The node's position (1-based)."""
    mark = node.start_mark
    return Where(mark.line + 1, mark.column + 1)


def _line_col(node: Node) -> tuple[int, int]:
    w = where(node)
    return w.line, w.column


def _depth_ok(root: Node) -> bool:
    """Whether no node sits deeper than :data:`MAX_DEPTH` (the root at depth 1), each shared
    node counted where the walk first meets it. Only collections are stacked: a scalar's
    depth is known from its parent's, and most nodes are scalars."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or isinstance(node, ScalarNode) or not node.value:
            continue
        seen.add(id(node))
        if depth >= MAX_DEPTH:
            return False  # its entries sit deeper than the limit
        children = (
            node.value if isinstance(node, SequenceNode) else [c for kv in node.value for c in kv]
        )
        deeper = depth + 1
        stack.extend([(c, deeper) for c in children if not isinstance(c, ScalarNode)])
    return True


def read_bounded(f: BinaryIO, size_on_disk: int) -> bytes:
    """The file's bytes, at most one more than :data:`MAX_FILE_BYTES` (so a larger file is
    noticed). Asks for the size on disk first, then more in growing steps for a file that
    grew or a device that reports no size: one ``read(MAX_FILE_BYTES + 1)`` allocates the
    whole 64 MiB buffer even for a 4 KB file."""
    limit = MAX_FILE_BYTES + 1
    first = f.read(min(size_on_disk + 1, limit))
    if len(first) <= size_on_disk:
        return first  # the usual case: the whole file in one read
    data = bytearray(first)  # grows in place, so the peak stays near the limit
    while len(data) < limit:
        more = f.read(min(max(len(data), 1 << 16), limit - len(data)))
        if not more:
            break
        data += more
    return bytes(data) if len(data) < limit else data  # type: ignore[return-value]


def read_text(path: Path, shown: str) -> tuple[str | None, bytes, list[Diagnostic]]:
    def fail(message: str, hint: str) -> tuple[None, bytes, list[Diagnostic]]:
        return None, b"", [Diagnostic("LS001", "error", message, hint, shown)]

    try:
        if path.is_dir():
            return fail(
                "this is a directory, not a scenario file",
                "name a .yaml file inside it",
            )
        # Opened without blocking, then asked what it is before a byte is read: opening a
        # FIFO for reading would otherwise wait forever for a writer, and a device such as
        # /dev/zero never ends. Only a regular file is read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                return fail(
                    f"this is {_kind(st.st_mode)}, not a scenario file",
                    "name a regular .yaml file",
                )
            # Refuse a huge (or sparse) file by its size, without reading it; the bounded read
            # still guards a file that grows while it is read.
            too_big = st.st_size > MAX_FILE_BYTES
            data = b"" if too_big else read_bounded(f, st.st_size)
    except FileNotFoundError:
        return fail(
            "no such file",
            "check the path, or run `leadsim list` for shipped scenarios",
        )
    except OSError as e:
        return fail(
            f"cannot read the file ({e.strerror or e})",
            "check the path and its permissions",
        )
    if too_big or len(data) > MAX_FILE_BYTES:
        return fail(
            f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB",
            "a scenario is text; split it or check you named the right file",
        )
    if wide := _wide_encoding(data):
        return fail(f"the file is {wide}, not UTF-8", "save it as UTF-8")
    if b"\x00" in data:
        return fail("the file is binary, not text", "a scenario is a UTF-8 YAML text file")
    try:
        return data.decode("utf-8-sig"), data, []
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        d = Diagnostic(
            "LS001",
            "error",
            "the file is not valid UTF-8",
            "save it as UTF-8",
            shown,
            line,
            1,
        )
        return None, data, [d]


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _wide_encoding(data: bytes) -> str:
    """'UTF-16' or 'UTF-32' when the bytes are text in one of them (by its byte-order mark,
    or, without one, by the zero bytes ASCII text has at every other position), else ''.
    Windows editors save 'Unicode' as UTF-16, which would otherwise be called binary."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    if len(data) >= 4 and len(data) % 2 == 0 and b"\x00" in data:
        half = len(data) // 2
        if data[1::2].count(0) > half * 3 // 4 or data[0::2].count(0) > half * 3 // 4:
            return "UTF-16"
    return ""


def compose(text: str, path: str) -> tuple[MappingNode | None, list[Diagnostic]]:
    """The document's node graph, or the diagnostics that say why there is none: a syntax
    error, a character YAML refuses, nesting past :data:`MAX_DEPTH`, too many values, an
    empty file, or a document that is not a mapping."""
    if (values := estimated_values(text)) > MAX_VALUES:
        return None, [
            Diagnostic(
                "LS004",
                "error",
                f"the file holds about {values:,} values, more than the {MAX_VALUES:,} allowed",
                "a scenario of 100,000 scenes holds about 5,000,000; check the file",
                path,
            )
        ]
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError as e:
        return None, [yaml_problem(e, text, path)]
    except RecursionError:
        return None, [Diagnostic("LS004", "error", TOO_NESTED, "flatten it", path)]
    if root is None:
        return None, [
            Diagnostic(
                "LS003",
                "error",
                "the file is empty",
                "start from `leadsim new ID`",
                path,
            )
        ]
    if not _depth_ok(root):
        return None, [Diagnostic("LS004", "error", *TOO_DEEP, path)]
    if not isinstance(root, MappingNode):
        what = "a list" if isinstance(root, SequenceNode) else "a single value"
        d = Diagnostic(
            "LS003",
            "error",
            f"the file holds {what}, not a scenario",
            "a scenario is a mapping that starts with 'scenario: your-id'",
            path,
            *_line_col(root),
        )
        return None, [d]
    return root, []


def yaml_problem(e: yaml.YAMLError, source: str | bytes, path: str) -> Diagnostic:
    """The diagnostic for an error PyYAML raised while reading ``source`` (the text, or the
    file's UTF-8 bytes, BOM included, when the parser read those): a syntax error, nesting
    past libyaml's own limit, a character YAML refuses."""
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "maximum nesting depth" in str(e.problem):
            # libyaml (0.2.5 and later) stops at 1,000 levels, before the C composer, which
            # recurses, could exhaust the stack; report it as the limit it is.
            message = f"the YAML nests deeper than {MAX_DEPTH} levels"
            return Diagnostic("LS004", "error", message, "flatten it", path, line, col)
        problem = str(e.problem or e.context or "cannot parse")
        if e.context and "duplicate anchor" in e.context:
            problem = "the same anchor '&name' twice"
        if problem == "found undefined alias" and mark:  # libyaml does not name it
            at = _line_of(source, mark.line)[mark.column :]
            name = re.match(r"\*([^\s,\[\]{}]{1,40})", at)
            problem += f" '{name.group(1)}'" if name else ""
        message = f"YAML syntax error: {cut(problem, MAX_PROBLEM_CHARS)}"
        hint = _syntax_hint(problem)
        return Diagnostic("LS002", "error", message, hint, path, line, col)
    if isinstance(e, yaml.reader.ReaderError):
        return _reader_error(e, source, path)
    message = "YAML error: " + " ".join(str(e).split())
    return Diagnostic("LS002", "error", message, "check the file's syntax", path)


def _line_of(source: str | bytes, number: int) -> str:
    """Line ``number`` (0-based, as marks count) of the source, as text."""
    if isinstance(source, bytes):
        line = source.split(b"\n", number + 1)[number].decode("utf-8", "replace")
        return line.removeprefix("\ufeff") if number == 0 else line
    return source.split("\n", number + 1)[number]


MAX_PROBLEM_CHARS = 200
"""Longest YAML parser message repeated in a diagnostic (some quote the file's text)."""


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in '...' when it was longer."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _syntax_hint(problem: str) -> str:
    """A fix for PyYAML's and libyaml's commonest complaints; indentation and quoting else."""
    if "undefined alias" in problem:
        return (
            "'*name' re-uses a value marked '&name' earlier in the file: mark it first, "
            "or quote text that starts with '*'"
        )
    if "same anchor" in problem:
        return "give each '&name' a different name"
    return "check indentation and quoting near here (text containing ': ' needs quotes)"


def _reader_error(e: yaml.reader.ReaderError, source: str | bytes, path: str) -> Diagnostic:
    """A character YAML refuses (a control character such as ESC, typed raw), at its place.

    libyaml gives the position as a byte offset into the UTF-8 text it read (the file's
    bytes, BOM included, when it was given those), PyYAML's own reader as a character
    offset."""
    if isinstance(source, bytes):
        before = source[: e.position].decode("utf-8", "replace").removeprefix("\ufeff")
    elif SafeLoader is not yaml.SafeLoader:
        before = source.encode("utf-8", "surrogatepass")[: e.position].decode("utf-8", "replace")
    else:
        before = source[: e.position]
    line = before.count("\n") + 1
    column = len(before) - before.rfind("\n")
    what = f"U+{e.character:04X}" if isinstance(e.character, int) else "a byte"
    return Diagnostic(
        "LS002",
        "error",
        f"the file contains the control character {what}, which YAML does not allow",
        "remove it: YAML allows tabs and newlines but no other control characters",
        path,
        line,
        column,
    )
