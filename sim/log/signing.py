"""Signed session logs: HMAC-SHA256 over every line, chained, with a key only the server holds.

A log on a trainee's own machine can always be forged there (the program that writes it, and
anything it knows, is on that machine); see the README's "Threat model". What a trainer can
trust is a session played through `leadsim serve`: the server's session processes get the
environment variable :data:`KEY_ENV` naming a key file that only the server can read, and the
log writer then signs every line it writes. `leadsim replay --verify --key FILE` checks them.

Each line carries its signature as its last field, ``"sig":"N.MAC"``: N is the line's place in
the chain (1 for the header) and MAC is, in hex::

    HMAC-SHA256(key, "leadsim-log-1\\n" + previous MAC + "\\n" + N + "\\n" + the line without
                     its sig field)

where "the line without its sig field" is the line's bytes with ``,"sig":"N.MAC"`` removed
(the JSON object as it was encoded) and the previous MAC is empty for the header. The header
holds the session's unique id, so a chain belongs to one log: a line edited, dropped, moved,
or copied from another log breaks it at that line, and the check says which. A line cut off
by a crash carries no signature; a later `resume` continues the chain from the last intact
line. Lines removed from the *end* of a log cannot be told from a session that stopped there:
a signed log proves that the lines it has are genuine and in order, and an unfinished one is
treated as unfinished. Readers ignore the ``sig`` field, so signed logs read like any other.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import attrs

from sim.log.format import LogError
from sim.log.parse import looks_cut
from sim.log.reader import LogFile

KEY_ENV = "LEADSIM_SIGNING_KEY_FILE"
MIN_KEY = 32
"""Shortest key accepted, in bytes (a created key is 64 hex digits)."""
_DOMAIN = b"leadsim-log-1\n"
_SIG = re.compile(rb',"sig":"([0-9]{1,12})\.([0-9a-f]{64})"\}$')


class KeyProblem(Exception):
    """A key file that cannot be used; the message says why."""


def create_key_file(path: Path) -> Path:
    """Write a new random key to ``path`` (which must not exist), readable by its owner only
    (mode 0600). Raises ``OSError`` (``FileExistsError`` when it exists)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def read_key(path: Path | str) -> bytes:
    """The key a key file holds (its bytes, surrounding whitespace removed)."""
    try:
        with open(path, "rb") as f:
            key = f.read(4096).strip()
    except OSError as e:
        raise KeyProblem(f"cannot read the key file {path} ({e.strerror or e})") from None
    if len(key) < MIN_KEY:
        raise KeyProblem(f"the key file {path} holds fewer than {MIN_KEY} bytes")
    return key


def key_from_environment() -> bytes | None:
    """The key :data:`KEY_ENV` names, None when it is not set; raises :class:`KeyProblem`."""
    name = os.environ.get(KEY_ENV)
    return read_key(name) if name else None


def _mac(key: bytes, previous: str, number: int, body: bytes) -> str:
    message = _DOMAIN + previous.encode() + b"\n" + str(number).encode() + b"\n" + body
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@attrs.define
class Signer:
    """Signs the lines of one log in order; ``previous``/``number`` are the chain so far."""

    key: bytes
    previous: str = ""
    number: int = 0

    def sign(self, line: bytes) -> bytes:
        """``line`` (an encoded record: a JSON object and a newline) with its signature."""
        body = line.rstrip(b"\n")
        self.number += 1
        self.previous = _mac(self.key, self.previous, self.number, body)
        return body[:-1] + f',"sig":"{self.number}.{self.previous}"}}\n'.encode()


@attrs.frozen
class Problem:
    line: int
    message: str


@attrs.define
class Chain:
    """A log's signatures checked: the problems, and where the chain stands at its end."""

    problems: list[Problem] = attrs.field(factory=list)
    previous: str | None = ""
    number: int = 0
    lines: int = 0


def check(path: Path | str, key: bytes, *, resuming: bool = False) -> Chain:
    """Check every line's signature, streaming (flat in memory however long the log).
    ``resuming``: a cut-off last line is what a resume expects (it is skipped, not a
    problem). Each break in the chain is reported once, at the line where it shows; a line
    right after a break is checked for its place in the chain only, since the signature it
    chains from is not known."""
    chain = Chain()
    unsigned = 0  # unsigned lines since the last signed one: they may stand in for signed ones
    for number, raw, last in _lines(path, chain):
        chain.lines = number
        found = _SIG.search(raw)
        if found is None:
            if looks_cut(raw):
                if last and not resuming:
                    chain.problems.append(
                        Problem(number, "the last line is cut off (truncated): it has no signature")
                    )
                continue  # a crash's cut line; the reader checks the resume line excuses it
            chain.problems.append(Problem(number, "the line is not signed"))
            unsigned += 1
            continue
        claimed, mac = int(found.group(1)), found.group(2).decode()
        expected = chain.number + 1
        if claimed < expected:
            chain.problems.append(
                Problem(
                    number,
                    f"the line was signed as line {claimed} of its log, which has already "
                    f"reached line {chain.number}: it is repeated or out of order",
                )
            )
            continue  # the chain goes on from the furthest line
        if claimed > expected + unsigned:
            chain.problems.append(
                Problem(
                    number,
                    f"the line was signed as line {claimed} of its log, where line {expected} "
                    f"comes next: {claimed - expected} signed line(s) are missing before it",
                )
            )
        link_known = claimed == expected and chain.previous is not None
        body = raw[: found.start()] + b"}"
        if link_known and not hmac.compare_digest(
            mac, _mac(key, chain.previous or "", claimed, body)
        ):
            chain.problems.append(
                Problem(
                    number,
                    "the line does not match its signature: it was edited, comes from another "
                    "log, or was signed with another key",
                )
            )
            chain.previous = None  # its signature is not one to chain from
        else:  # checked, or (after a break already reported) a new starting point
            chain.previous = mac
        chain.number, unsigned = claimed, 0
    return chain


def _lines(path: Path | str, chain: Chain) -> Iterator[tuple[int, bytes, bool]]:
    """(number, bytes, is the last line), for every line."""
    held: tuple[int, bytes] | None = None
    try:
        for number, raw, _complete in LogFile(path).raw_lines():
            if held is not None:
                yield held[0], held[1], False
            held = (number, raw)
    except (LogError, OSError) as e:  # an absurdly long line, or the disk
        chain.problems.append(Problem(held[0] + 1 if held else 1, f"cannot be read ({e})"))
    if held is not None:
        yield held[0], held[1], True
