"""The scene graph: which scene can lead to which, read from the file without playing it.

Deep validation uses it for what holds whatever the meters say (a scene no route leads to can
never be reached; a scene from which no route leads to an ending is a trap), and
``leadsim graph`` draws it as Mermaid or Graphviz DOT. Scenario text is untrusted, so every
label is escaped for the language it lands in: a title cannot close a quote, start a comment,
add an edge or inject markup in either output.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable

import attrs

from sim.analysis.statespace import constant_truth
from sim.model import CONTINUE, Choice, Guard, Route, Scenario, Style
from sim.safetext import plain

STYLE_COLOURS: dict[str, str] = {"manager": "#1f5fa8", "leader": "#2e8540", "neutral": "#6b6b6b"}
OUTCOME_COLOURS: dict[str, str] = {
    "best": "#d8f0d2",
    "good": "#e6f2da",
    "mixed": "#fbf1cf",
    "poor": "#f6d6d2",
    "": "#eeeeee",
}
MAX_LABEL = 60
"""Longest condition shown on an edge; the file has the rest."""


@attrs.frozen
class Edge:
    """One route of one choice: ``source`` scene to ``target`` scene or ending."""

    source: str
    choice: Choice
    index: int  # the route's position in the choice's `next` list
    route: Route

    @property
    def target(self) -> str:
        return self.route.goto

    @property
    def style(self) -> Style:
        return self.choice.style

    @property
    def guarded(self) -> bool:
        return self.choice.guard is not None or self.route.guard is not None


def never(guard: Guard | None) -> bool:
    """A condition that reads nothing that can change and is false."""
    return guard is not None and constant_truth(guard.condition) is False


def certain(route: Route) -> bool:
    """A route that is always taken when it is reached: later routes never are."""
    always = route.guard is None or constant_truth(route.guard.condition) is True
    return always and (route.chance is None or route.chance >= 1)


def live_routes(choice: Choice) -> list[tuple[int, Route]]:
    """The routes that can ever be taken, judged from the file alone."""
    out = []
    for i, route in enumerate(choice.routes):
        if not never(route.guard):
            out.append((i, route))
        if certain(route):
            break
    return out


def edges(scenario: Scenario, *, live: bool = False) -> list[Edge]:
    """Every route in file order; with ``live``, only routes that can be taken at all."""
    out: list[Edge] = []
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if live and never(choice.guard):
                continue
            pairs = live_routes(choice) if live else list(enumerate(choice.routes))
            out.extend(Edge(scene.id, choice, i, r) for i, r in pairs)
    return out


Links = dict[str, set[str]]
"""Scene id -> the ids its live routes lead to (or, reversed, come from)."""


def links(scenario: Scenario) -> tuple[Links, Links]:
    """The live routes as (following, before), built once for every question below."""
    following: Links = {}
    before: Links = {}
    for e in edges(scenario, live=True):
        following.setdefault(e.source, set()).add(e.target)
        before.setdefault(e.target, set()).add(e.source)
    return following, before


def reachable(scenario: Scenario, following: Links | None = None) -> set[str]:
    """Scenes and endings some sequence of routes leads to from the start, whatever the
    conditions say: anything outside this set can never be reached."""
    if following is None:
        following = links(scenario)[0]
    return _closure([scenario.start], following)


def leading_to_an_ending(scenario: Scenario, before: Links | None = None) -> set[str]:
    """Scenes from which some sequence of routes reaches an ending, whatever the conditions
    say: a scene outside this set traps the trainee for ever."""
    if before is None:
        before = links(scenario)[1]
    return _closure(scenario.endings, before)


def _closure(roots: Iterable[str], links: dict[str, set[str]]) -> set[str]:
    seen = set(roots)
    queue = deque(seen)
    while queue:
        for nxt in links.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


# --- labels -----------------------------------------------------------------------------


def _short(text: str) -> str:
    text = " ".join(plain(text).split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def edge_label(edge: Edge) -> str:
    """What an edge says: the choice, its style, and what else decides it."""
    parts = ["continue"] if edge.choice.id == CONTINUE else [edge.choice.id, edge.style]
    if edge.choice.guard is not None:
        parts.append(f"if {_short(edge.choice.guard.source)}")
    if edge.route.guard is not None:
        parts.append(f"route if {_short(edge.route.guard.source)}")
    overall, conditional = effective_chance(edge.choice.routes, edge.index)
    share = ""
    if overall is not None:
        when = " when no 'if' above applies" if conditional else " overall"
        share = f" ({overall:.0%}{when})"
    if edge.route.chance is not None:
        parts.append(f"{edge.route.chance:.0%} chance" + share)
    elif len(edge.choice.routes) > 1 and edge.route.guard is None:
        parts.append("otherwise" + share)
    return " · ".join(parts)


def effective_chance(routes: tuple[Route, ...], index: int) -> tuple[float | None, bool]:
    """How often the route at ``index`` is taken when its own condition (if any) holds: its
    roll times the rolls that failed before it. A 0.5 route after a 0.4 route fires
    0.6 x 0.5 = 30% of the time. None when no earlier chance route changes the route's own
    figure; the flag says whether earlier conditions can take the choice first (then the
    share holds when none of them applies)."""
    left, rolled, conditional = 1.0, False, False
    for route in routes[:index]:
        if route.guard is not None and route.chance is None:
            conditional = True
        elif route.chance is not None:
            if route.guard is None:
                left *= 1 - route.chance
                rolled = True
            else:
                conditional = True
    if not rolled:
        return None, conditional
    mine = routes[index].chance
    return left * (1.0 if mine is None else mine), conditional


def _nodes(scenario: Scenario) -> dict[str, str]:
    """Generated node names, so no scene id can collide with a keyword of either language."""
    names = {sid: f"s{i}" for i, sid in enumerate(scenario.scenes)}
    names.update({eid: f"e{i}" for i, eid in enumerate(scenario.endings)})
    return names


# --- Mermaid ----------------------------------------------------------------------------

_MERMAID_SAFE = re.compile(r"[\w .,:/()'!?+=·…-]")


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: anything that could end the label, open markup or
    start a comment becomes a numeric entity such as ``#34;``."""
    flat = " ".join(plain(text).split())
    return "".join(c if _MERMAID_SAFE.fullmatch(c) else f"#{ord(c)};" for c in flat)


def mermaid(scenario: Scenario) -> str:
    """A Mermaid flowchart: scenes as boxes, endings as rounded stadiums coloured by outcome,
    one arrow per route coloured by style; guarded routes dotted, chance routes thick."""
    names = _nodes(scenario)
    lines = ["flowchart TD", f"  %% {mermaid_text(scenario.title)} ({scenario.id})"]
    lines.append('  start(("start"))')
    for sid in scenario.scenes:
        lines.append(f'  {names[sid]}["{mermaid_text(sid)}"]')
    for eid, ending in scenario.endings.items():
        outcome = ending.outcome or ""
        label = mermaid_text(f"{eid} ({outcome})" if outcome else eid)
        lines.append(f'  {names[eid]}(["{label}"]):::{outcome or "unrated"}')
    lines.append(f"  start --> {names[scenario.start]}")
    by_style: dict[str, list[int]] = {}
    for n, edge in enumerate(edges(scenario), start=1):  # link 0 is the start arrow
        arrow = "==>" if edge.route.chance is not None else "-.->" if edge.guarded else "-->"
        label = mermaid_text(edge_label(edge))
        lines.append(f'  {names[edge.source]} {arrow}|"{label}"| {names[edge.target]}')
        by_style.setdefault(edge.style, []).append(n)
    for style, links in by_style.items():
        colour = STYLE_COLOURS[style]
        lines.append(f"  linkStyle {','.join(map(str, links))} stroke:{colour},color:{colour}")
    for rating, fill in OUTCOME_COLOURS.items():
        lines.append(f"  classDef {rating or 'unrated'} fill:{fill},stroke:#333")
    return "\n".join(lines) + "\n"


# --- Graphviz DOT -----------------------------------------------------------------------


def dot_text(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, so no escape sequence
    (``\\N``, ``\\G``...) or closing quote can come from the file; newlines flattened."""
    flat = " ".join(plain(text).split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot(scenario: Scenario) -> str:
    """A Graphviz digraph with the same marks as :func:`mermaid`: dashed for guarded routes,
    bold for chance, colour and label for style, double outlines for endings."""
    names = _nodes(scenario)
    lines = [
        f"digraph {dot_text(scenario.id)} {{",
        f"  graph [label={dot_text(scenario.title)}, labelloc=t, rankdir=TB];",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
        '  start [shape=circle, label="start", fillcolor="#333333", fontcolor="#ffffff"];',
    ]
    for sid in scenario.scenes:
        lines.append(f"  {names[sid]} [label={dot_text(sid)}];")
    for eid, ending in scenario.endings.items():
        outcome = ending.outcome or ""
        label = dot_text(f"{eid} ({outcome})" if outcome else eid)
        fill = OUTCOME_COLOURS[outcome]
        lines.append(f'  {names[eid]} [label={label}, peripheries=2, fillcolor="{fill}"];')
    lines.append(f"  start -> {names[scenario.start]};")
    for edge in edges(scenario):
        colour = STYLE_COLOURS[edge.style]
        style = "bold" if edge.route.chance is not None else "dashed" if edge.guarded else "solid"
        lines.append(
            f"  {names[edge.source]} -> {names[edge.target]} [label={dot_text(edge_label(edge))}, "
            f'color="{colour}", fontcolor="{colour}", style={style}];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
