"""Diagnostics: every problem found in a scenario file, with a stable code and a fix.

The loader (``LS0xx``) and the analyser (``LS1xx`` and up) both speak this one type, the CLI
prints it as ``path:line:column: severity: message; how to fix it [CODE]`` and as JSON, and
the TUI shows it on screen. Codes never change meaning once shipped; docs/authoring.md lists
them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import attrs

from sim.reprs import shared_repr
from sim.safetext import one_line

MAX_DIAGNOSTICS = 100
"""Most diagnostics reported for one file; the rest are counted and reported as one note,
"and N more" [LS005] (a file of two million unknown keys would otherwise print hundreds of
MB, and freeze the screen that shows them)."""

Severity = Literal["error", "warning", "note"]
"""Errors fail validation; warnings fail it under --strict; notes never do."""

LOAD_CODES: dict[str, str] = {
    "LS001": "the file cannot be read as a scenario (missing, a directory, too large, not text)",
    "LS002": "YAML syntax error",
    "LS003": "the document is not a mapping of keys",
    "LS004": "the document is too large or too deeply nested to load safely",
    "LS005": "more problems than are reported for one file (a note after the first ones)",
    "LS010": "unknown key (often a typo)",
    "LS011": "required key missing",
    "LS012": "value of the wrong type",
    "LS013": "value out of range or not one of the allowed words",
    "LS014": "the same key twice in one mapping",
    "LS015": "badly formed id",
    "LS016": "a format 1.1 element in a file that does not say `format: 1.1`",
    "LS020": "condition cannot be parsed",
    "LS021": "condition names an unknown meter, flag or scene",
    "LS022": "a value in text (`${...}`) names no meter or is not closed",
    "LS030": "`next` or `goto` names no scene or ending",
    "LS031": "`start` names no scene",
    "LS032": "duplicate id",
    "LS033": "effect names an unknown meter",
    "LS034": "effect value is not a number or a percentage",
    "LS035": "unknown or misplaced trait tag",
    "LS037": "a `next` list does not end in a fallback route",
    "LS038": "`chance` outside 0..1",
    "LS039": "`locked` on a choice without `if`",
}

DEEP_CODES: dict[str, str] = {
    "LS101": "a scene can never be reached",
    "LS102": "an ending can never be reached",
    "LS103": "a choice's `if` is never true where the choice is shown",
    "LS110": "softlock: a reachable state where the scene offers no available choice",
    "LS111": "a loop with no way out to an ending",
    "LS120": "a route after a route that is always taken, so it never is",
    "LS121": "a route never taken in any reachable state",
    "LS122": "a chance route that goes where the route after it goes anyway",
    "LS130": "a meter no choice ever changes",
    "LS131": "a flag set but never read",
    "LS132": "a flag read but never set",
    "LS133": "a flag never set or read (only declared, or only cleared)",
    "LS140": "a path reaches a best ending with fewer manager or leader decisions than "
    "`best_needs` asks",
    "LS141": "cue: the top-scoring choice is also the longest text in most scenes",
    "LS142": "cue: one style is the top-scoring choice in every scene",
    "LS143": "an ending is rated better than the meters it can be reached with",
    "LS144": "a meter reaches its minimum or maximum before the last third of a path",
    "LS190": "the state space is too large to explore whole; some checks were skipped",
}
"""Codes of the deep analysis in :mod:`sim.analysis.lint` (graph and state-space checks)."""

CODES: dict[str, str] = {**LOAD_CODES, **DEEP_CODES}


@attrs.frozen
@shared_repr
class Diagnostic:
    """One problem at one place. ``line`` and ``column`` are 1-based."""

    code: str
    severity: Severity
    message: str
    hint: str
    path: str
    line: int = 1
    column: int = 1

    def format(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        return (
            f"{one_line(self.path)}:{self.line}:{self.column}: {self.severity}: "
            f"{self.message}{hint} [{self.code}]"
        )

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


class ScenarioError(Exception):
    """A scenario file could not be turned into a scenario; carries every diagnostic."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        first = self.diagnostics[0].format() if self.diagnostics else "unknown problem"
        more = len(self.diagnostics) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity == "error"]


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.path, d.line, d.column, d.code)


def omitted(diagnostics: Sequence[Diagnostic]) -> int:
    """How many problems the LS005 note of :func:`bounded` says were left out (0 if none)."""
    for d in diagnostics:
        if d.code == "LS005":
            return int(d.message.split()[1].replace(",", ""))
    return 0


def bounded(diagnostics: Iterable[Diagnostic], path: str, dropped: int = 0) -> list[Diagnostic]:
    """The first :data:`MAX_DIAGNOSTICS` diagnostics in file order, then, if any were left
    out (``dropped`` more were never kept), one note that says how many [LS005]."""
    found = sorted(diagnostics, key=sort_key)
    more = max(0, len(found) - MAX_DIAGNOSTICS) + dropped
    if not more:
        return found
    note = Diagnostic(
        "LS005",
        "note",
        f"and {more:,} more problem{'s' * (more != 1)} in this file, not shown "
        f"(at most {MAX_DIAGNOSTICS} are reported)",
        "fix the ones shown and check again",
        path,
    )
    return [*found[:MAX_DIAGNOSTICS], note]
