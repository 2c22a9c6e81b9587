"""Scenario files of the densest shapes the loader accepts, for its memory benchmark.

Each shape spends as few bytes as YAML allows on each element it makes the loader build:
the shortest ids (``a``, ``b``, ... ``ab``, skipping words YAML reads as other types), no
space after a comma, one-letter texts. The loaded model costs about the same per element
whatever the file spends on it, so these are the files with the most model per byte.

    one-line scenes     ``s1: {text: x, choices: [{id: a, ..., next: s2}]}``, as leadsim
                        users would space it (the shape measured since issue 18)
    tightest scenes     the same with the shortest ids and no optional spaces
    narration scenes    ``a: {text: x,next: b}``: a scene, its one way on and a route in
                        about 25 bytes, the most elements per byte of any shape
    guarded routes      fifty ``{goto: b,if: f}`` routes a choice, each a route and a
                        condition in 16 bytes
    long conditions     one condition of about 170 characters a choice, each different
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from pathlib import Path

HEAD = "scenario: dense\ntitle: Dense\nmeters:\n  trust: {label: Trust, start: 50}\n"
END = "endings:\n  done: {title: Done, text: The end.}\n"
_DIGITS = string.digits + string.ascii_lowercase
_NOT_IDS = {"y", "n", "on", "no", "yes", "off", "null", "true", "false", "inf", "nan", "done"}


def short_ids() -> Iterator[str]:
    """Ids from the shortest up, in base 36 from a letter, none YAML reads as a non-string
    (``y``, ``on``, ``null``, ...) and none the ending's (``done``)."""
    number = 10
    while True:
        digits, n = "", number
        while n:
            n, d = divmod(n, 36)
            digits = _DIGITS[d] + digits
        number += 1
        if digits[0].isalpha() and digits not in _NOT_IDS:
            yield digits


def _write(path: Path, head: str, lines: Iterator[str]) -> Path:
    if not path.exists():
        with path.open("w", encoding="utf-8") as f:
            f.write(head)
            f.writelines(lines)
            f.write(END)
    return path


def _chained(n: int, line: Callable[[str, str], str]) -> Iterator[str]:
    ids = short_ids()
    here = next(ids)
    for i in range(n):
        there = next(ids) if i + 1 < n else "done"
        yield line(here, there)
        here = there


def one_line(n: int, folder: Path) -> Path:
    def lines() -> Iterator[str]:
        for i in range(1, n + 1):
            goto = f"s{i + 1}" if i < n else "done"
            choice = f"{{id: a, text: y, style: leader, next: {goto}}}"
            yield f"  s{i}: {{text: x, choices: [{choice}]}}\n"

    return _write(folder / f"dense-{n}.yaml", HEAD + "start: s1\nscenes:\n", lines())


def tightest(n: int, folder: Path) -> Path:
    line = " {}: {{text: x,choices: [{{id: a,text: y,style: leader,next: {}}}]}}\n"
    head = HEAD + "start: a\nscenes:\n"
    return _write(folder / f"tight-{n}.yaml", head, _chained(n, line.format))


def narration(n: int, folder: Path) -> Path:
    head = "format: '1.1'\n" + HEAD + "start: a\nscenes:\n"
    return _write(
        folder / f"narration-{n}.yaml", head, _chained(n, " {}: {{text: x,next: {}}}\n".format)
    )


def guarded(n: int, folder: Path, per: int = 50) -> Path:
    def line(here: str, there: str) -> str:
        routes = ",".join([f"{{goto: {there},if: f}}"] * per + [f"{{goto: {there}}}"])
        return f" {here}: {{text: x,choices: [{{id: a,text: y,style: leader,next: [{routes}]}}]}}\n"

    head = HEAD + "flags: [f]\nstart: a\nscenes:\n"
    return _write(folder / f"guarded-{n}.yaml", head, _chained(n, line))


def long_conditions(n: int, folder: Path) -> Path:
    def line(here: str, there: str) -> str:
        cond = " and ".join([f"visits('{here}')<9"] * 10)  # its own text: none is shared
        routes = f'{{goto: {there},if: "{cond}"}},{{goto: {there}}}'
        return f" {here}: {{text: x,choices: [{{id: a,text: y,style: leader,next: [{routes}]}}]}}\n"

    return _write(folder / f"conditions-{n}.yaml", HEAD + "start: a\nscenes:\n", _chained(n, line))
