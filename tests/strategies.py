"""hypothesis strategies for hostile and broken scenario input.

Scenario files are written by trainers and arrive untrusted, so the fuzz tests feed the loader
three kinds of input: YAML documents of any shape (:func:`yaml_documents`), real scenarios with
a few structural mutations (:func:`mutated_documents`: a deleted key, a value of the wrong
type, a renamed target, a huge number, unicode, an empty string, a duplicated entry), and
real scenario text with a few line-level edits (:func:`mutated_texts`), which breaks the YAML
itself. :func:`condition_texts` builds token soup for the condition language.

Every strategy shrinks towards the unmutated input, so a failure reports the smallest edit
that breaks the loader.
"""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from hypothesis import strategies as st

Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# Text a trainer might type, and text an attacker might: markup, escape sequences, controls,
# right-to-left overrides, astral characters, YAML indicators, and ids that almost match.
AWKWARD_TEXT = (
    "",
    " ",
    "\t",
    "~",
    "null",
    "yes",
    "no",
    "on",
    "0x1F",
    "1e309",
    "-.inf",
    ".nan",
    "2001-13-45",
    "12:30:45",
    "%+20",
    "%+1000",
    "+10",
    "[bold]x[/]",
    "[@click=app.quit]x[/]",
    "\x1b[2J\x1b]0;title\x07",
    "\x9b31m",
    "\u202egnp.exe",
    "\u0000",
    "\ud7ff\ue000\U0001f600",
    "e\u0301",
    "a" * 300,
    "monday",
    "Monday",
    "tuesday ",
    "visited('monday')",
    "trust >= ",
    "trust >= 30 and",
    "((((",
    "- a",
    "a: b",
    "*alias",
    "&anchor x",
    "!!python/object:os.system",
)

HUGE_NUMBERS = (
    2**31,
    2**63,
    -(2**63) - 1,
    10**30,
    10**4000,
    1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    -0.0,
)


def texts() -> st.SearchStrategy[str]:
    """Short strings: the awkward ones above, random unicode, and random ASCII."""
    return st.one_of(
        st.sampled_from(AWKWARD_TEXT),
        st.text(max_size=30),
        st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=30),
    )


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**6), max_value=10**6),
        st.sampled_from(HUGE_NUMBERS),
        st.floats(allow_nan=True, allow_infinity=True),
        texts(),
    )


def yaml_values(max_leaves: int = 25) -> st.SearchStrategy[Any]:
    """Any value YAML can hold: scalars, lists and string-keyed mappings, nested."""
    return st.recursive(
        scalars(),
        lambda inner: st.one_of(
            st.lists(inner, max_size=5),
            st.dictionaries(texts(), inner, max_size=5),
        ),
        max_leaves=max_leaves,
    )


def dump(value: Any) -> str:
    """YAML text for ``value`` (block style, unicode kept, order kept)."""
    return yaml.dump(value, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


def quoted(text: str) -> str:
    """``text`` as one double-quoted YAML scalar on one line, to splice into a file."""
    out = yaml.dump(text, Dumper=Dumper, default_style='"', width=10**9, allow_unicode=True)
    return out.removesuffix("\n...\n").strip()


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """A YAML document of any shape, or plain junk text that may not be YAML at all."""
    return draw(
        st.one_of(
            yaml_values().map(dump),
            st.dictionaries(st.sampled_from(TOP_KEYS), yaml_values(8), max_size=8).map(dump),
            st.text(max_size=200),
        )
    )


TOP_KEYS = (
    "format",
    "scenario",
    "title",
    "summary",
    "version",
    "author",
    "feedback_mode",
    "meters",
    "flags",
    "start",
    "scenes",
    "endings",
)

# --- structural mutations of a parsed scenario ------------------------------------------

Path = tuple[Any, ...]


def paths(doc: Any, prefix: Path = ()) -> list[Path]:
    """Every place in a parsed document (the root excluded), parents before children."""
    out: list[Path] = []
    items: Any = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    for key, value in items:
        out.append((*prefix, key))
        out.extend(paths(value, (*prefix, key)))
    return out


def _parent(doc: Any, path: Path) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


def _targets(doc: Any) -> list[Path]:
    """Places that name a scene or ending: ``start``, ``next`` and ``goto``."""
    return [p for p in paths(doc) if p and p[-1] in ("start", "next", "goto")]


def _delete(doc: Any, path: Path, _draw: st.DrawFn) -> None:
    parent = _parent(doc, path)
    del parent[path[-1]]


def _replace(doc: Any, path: Path, draw: st.DrawFn) -> None:
    _parent(doc, path)[path[-1]] = draw(yaml_values(6))


def _huge(doc: Any, path: Path, draw: st.DrawFn) -> None:
    _parent(doc, path)[path[-1]] = draw(st.sampled_from(HUGE_NUMBERS))


def _text(doc: Any, path: Path, draw: st.DrawFn) -> None:
    _parent(doc, path)[path[-1]] = draw(texts())


def _empty(doc: Any, path: Path, draw: st.DrawFn) -> None:
    _parent(doc, path)[path[-1]] = draw(st.sampled_from(["", [], {}, None]))


def _rename_key(doc: Any, path: Path, draw: st.DrawFn) -> None:
    parent = _parent(doc, path)
    if not isinstance(parent, dict):
        return _replace(doc, path, draw)
    new = draw(texts())
    # Rebuild to keep the key's place (scene order matters for diagnostics' order).
    items = [(new if k == path[-1] else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)
    return None


def _duplicate(doc: Any, path: Path, _draw: st.DrawFn) -> None:
    parent = _parent(doc, path)
    if isinstance(parent, list):
        parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))


def _swap_type(doc: Any, path: Path, _draw: st.DrawFn) -> None:
    """A mapping becomes a list of its values, a list a mapping, a scalar a list of it."""
    parent = _parent(doc, path)
    value = parent[path[-1]]
    if isinstance(value, dict):
        parent[path[-1]] = list(value.values())
    elif isinstance(value, list):
        parent[path[-1]] = {str(i): v for i, v in enumerate(value)}
    else:
        parent[path[-1]] = [value]


MUTATIONS: tuple[Callable[[Any, Path, st.DrawFn], None], ...] = (
    _delete,
    _replace,
    _huge,
    _text,
    _empty,
    _rename_key,
    _duplicate,
    _swap_type,
)


@st.composite
def mutated_documents(draw: st.DrawFn, doc: dict[str, Any], max_mutations: int = 3) -> str:
    """``doc`` (a parsed scenario) with one to ``max_mutations`` structural mutations, as YAML
    text. A third of the time the first mutation renames a ``start``/``next``/``goto``
    target, the mistake trainers make most."""
    doc = copy.deepcopy(doc)
    for i in range(draw(st.integers(1, max_mutations))):
        targets = _targets(doc)
        if i == 0 and targets and draw(st.integers(0, 2)) == 0:
            path = draw(st.sampled_from(targets))
            value = _parent(doc, path)[path[-1]]
            if isinstance(value, str):
                _parent(doc, path)[path[-1]] = draw(
                    st.one_of(st.just(value + "x"), st.just(value[:-1]), texts())
                )
                continue
        places = paths(doc)
        if not places:
            break
        path = draw(st.sampled_from(places))
        mutate = draw(st.sampled_from(MUTATIONS))
        mutate(doc, path, draw)
    return dump(doc)


# --- line-level mutations of scenario text ----------------------------------------------


@st.composite
def mutated_texts(draw: st.DrawFn, text: str, max_edits: int = 3) -> str:
    """``text`` with one to ``max_edits`` line edits: a line deleted, duplicated, indented,
    dedented, cut short, or with junk inserted. These break the YAML as a slip of the
    keyboard would."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, max_edits))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.integers(0, 5))
        if edit == 0:
            del lines[i]
        elif edit == 1:
            lines.insert(i, lines[i])
        elif edit == 2:
            lines[i] = "  " + lines[i]
        elif edit == 3:
            lines[i] = lines[i][2:]
        elif edit == 4:
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]))))]
        else:
            at = draw(st.integers(0, len(lines[i])))
            junk = draw(st.one_of(st.sampled_from(AWKWARD_TEXT), st.text(max_size=5)))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
    return "\n".join(lines)


# --- conditions -------------------------------------------------------------------------

CONDITION_TOKENS = (
    "trust",
    "results",
    "team_briefed",
    "x",
    "0",
    "30",
    "2.5",
    "99999999999999999999",
    "true",
    "false",
    "and",
    "or",
    "not",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "!=",
    "+",
    "-",
    "(",
    ")",
    "visited('monday')",
    "visits('coffee')",
    "visited(",
    "'monday'",
    '"',
    "'",
    "eval",
    "__import__",
    "*",
    "/",
    ".",
    "\x1b",
    "é",
)


def condition_texts() -> st.SearchStrategy[str]:
    """Condition-language token soup, mostly near-grammatical, sometimes random text."""
    return st.one_of(
        st.lists(st.sampled_from(CONDITION_TOKENS), max_size=25).map(" ".join),
        st.lists(st.sampled_from(CONDITION_TOKENS), max_size=25).map("".join),
        st.text(max_size=40),
    )


# --- running examples -------------------------------------------------------------------


def examples(default: int) -> int:
    """How many examples a fuzz test runs: ``default`` (sized so the suite's fuzzing takes a
    few seconds), or ``LEADSIM_FUZZ_EXAMPLES`` when set, for long runs."""
    return int(os.environ.get("LEADSIM_FUZZ_EXAMPLES") or default)


@contextlib.contextmanager
def hang_guard(seconds: float) -> Iterator[None]:
    """Fail with :class:`Hung` if the body runs longer than ``seconds``.

    A guard against hangs (an exponential or quadratic input), never a performance
    assertion: give it ten or a hundred times what the body needs. Uses SIGALRM, so it only
    guards on POSIX and in the main thread; elsewhere the body just runs.
    """
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def hung(_signum: int, _frame: object) -> None:
        raise Hung(f"still running after {seconds} s: probably a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Hung(Exception):
    """Raised by :func:`hang_guard`; derives from Exception so hypothesis reports it."""


# --- playable scenarios -----------------------------------------------------------------

_GUARDS = (
    "trust >= 40",
    "results < 60",
    "trust + results > 90",
    "ready",
    "not ready",
    "ready and trust > 30",
    "burnt or results >= 50",
    "visited('s1')",
    "visits('s0') >= 2",
    "visits('s2') + trust > 55",
)


@st.composite
def playable_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario of one to six scenes using every element the engine runs: guards on
    meters, flags and visits (hidden or ``locked``), ``once`` choices, delta and percent
    changes, flags set and cleared, ``next`` lists with conditions and chances, narration
    scenes and shuffled choices (format 1.1). Loops,
    softlocks and dead ends are allowed: a random play-tester has to meet them too."""
    n = draw(st.integers(1, 6))
    endings = [f"e{i}" for i in range(draw(st.integers(1, 3)))]
    places = [f"s{i}" for i in range(n)] + endings
    amount = st.one_of(st.integers(-40, 40), st.sampled_from(["%+20", "%-35", "%+100"]))
    scenes: dict[str, Any] = {}
    for i in range(n):
        if draw(st.integers(0, 5)) == 0:  # a narration scene: no choices, one way on
            scenes[f"s{i}"] = {"text": f"Scene {i}.", "next": draw(st.sampled_from(places))}
            continue
        choices = []
        for c in range(draw(st.integers(1, 4))):
            choice: dict[str, Any] = {
                "id": f"c{c}",
                "text": f"Option {c}",
                "style": draw(st.sampled_from(["manager", "leader", "neutral"])),
                "feedback": "ok",
            }
            effects: dict[str, Any] = {
                m: draw(amount) for m in draw(st.sets(st.sampled_from(["trust", "results"])))
            }
            for key in ("set", "clear"):
                if draw(st.integers(0, 3)) == 0:
                    effects[key] = [draw(st.sampled_from(["ready", "burnt"]))]
            if effects:
                choice["effects"] = effects
            if draw(st.integers(0, 2)) == 0:
                choice["if"] = draw(st.sampled_from(_GUARDS))
                if draw(st.booleans()):
                    choice["locked"] = "Not now."
            if draw(st.integers(0, 3)) == 0:
                choice["once"] = True
            target = st.sampled_from(places)
            if draw(st.booleans()):
                choice["next"] = draw(target)
            else:
                routes: list[dict[str, Any]] = []
                for _ in range(draw(st.integers(0, 2))):
                    if draw(st.booleans()):
                        routes.append({"if": draw(st.sampled_from(_GUARDS)), "goto": draw(target)})
                    else:
                        chance = draw(st.sampled_from([0.25, 0.5, 0.9]))
                        routes.append({"chance": chance, "goto": draw(target)})
                routes.append({"goto": draw(target)})
                choice["next"] = routes
            choices.append(choice)
        scenes[f"s{i}"] = {"text": f"Scene {i}.", "choices": choices}
    return {
        "format": 1.1,
        "shuffle": draw(st.booleans()),
        "scenario": "generated",
        "title": "Generated",
        "summary": "A generated scenario.",
        "meters": {
            "trust": {"label": "Trust", "start": draw(st.integers(0, 100)), "min": 0, "max": 100},
            "results": {"label": "Results", "start": 50, "min": 0, "max": 100},
        },
        "flags": ["ready", "burnt"],
        "start": "s0",
        "scenes": scenes,
        "endings": {e: {"title": e, "text": "The end."} for e in endings},
    }
