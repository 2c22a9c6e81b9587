"""The paths a cohort took, drawn as a flow (a Sankey diagram) in SVG.

Nodes are scenes and endings, placed in columns by how many moves from the start a scene first
is (breadth-first over the moves sessions made); endings take the last column. A band from one
node to the next is as wide as the number of sessions that made that move, so the main road
and the side roads show at a glance. A move back to an earlier column (a loop in the scenario)
is drawn as a band curving back.
"""

from __future__ import annotations

import html
from collections import defaultdict, deque

from sim.report.cohort import ScenarioSummary
from sim.safetext import plain

NODE = 10
COLUMN = 150
GAP = 14
LABEL = 140
"""Room right of the last column for the endings' names."""


def columns(sc: ScenarioSummary) -> dict[str, int]:
    """Each node's column: its distance from the start in moves, endings last."""
    ends = {e for e, *_ in sc.endings}
    nxt: dict[str, list[str]] = defaultdict(list)
    for a, b, _n in sc.flows:
        nxt[a].append(b)
    start = sc.start if sc.start in nxt else (sc.flows[0][0] if sc.flows else "")
    depth = {start: 0}
    queue = deque([start])
    while queue:
        a = queue.popleft()
        for b in nxt[a]:
            if b not in depth and b not in ends:
                depth[b] = depth[a] + 1
                queue.append(b)
    for a, b, _n in sc.flows:
        for node in (a, b):
            if node not in depth and node not in ends:
                depth[node] = 0
    last = max(depth.values(), default=0) + 1
    for e, *_ in sc.endings:  # in the summary's order, not a set's: the same file each run
        depth[e] = last
    for _a, b, _n in sc.flows:
        depth.setdefault(b, last)  # an ending no session finished at (cut after it)
    return depth


def svg(sc: ScenarioSummary) -> str:
    if not sc.flows:
        return "<p class='muted'>no decisions recorded</p>"
    col = columns(sc)
    into: dict[str, int] = defaultdict(int)
    out: dict[str, int] = defaultdict(int)
    for a, b, n in sc.flows:
        out[a] += n
        into[b] += n
    value = {k: max(into[k], out[k]) for k in col}
    per_column: dict[int, list[str]] = defaultdict(list)
    for node in sorted(col, key=lambda k: (-value[k], k)):
        per_column[col[node]].append(node)
    busiest = max(len(v) for v in per_column.values())
    width = COLUMN * (max(col.values()) + 1) + LABEL
    height = max(260, 70 * busiest, round(0.28 * width))
    fullest = max(sum(value[k] for k in v) for v in per_column.values()) or 1
    scale = (height - GAP * (busiest + 1)) / fullest
    top: dict[str, float] = {}
    for nodes in per_column.values():
        y: float = GAP
        for node in nodes:
            top[node] = y
            y += value[node] * scale + GAP
    outcome = {e: o for e, _t, o, _c in sc.endings}
    used_out: dict[str, float] = defaultdict(float)
    used_in: dict[str, float] = defaultdict(float)
    bands = []
    for a, b, n in sorted(sc.flows, key=lambda f: (col[f[0]], top[f[1]])):
        w = max(1.0, n * scale)
        x1 = col[a] * COLUMN + NODE
        y1 = top[a] + used_out[a] + w / 2
        x2 = col[b] * COLUMN
        y2 = top[b] + used_in[b] + w / 2
        used_out[a] += n * scale
        used_in[b] += n * scale
        bend = max(40.0, abs(x2 - x1) / 2)
        colour = {"best": "#23835a", "poor": "#b03a2e"}.get(outcome.get(b) or "", "#6a7fa8")
        bands.append(
            f"<path class='band' d='M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} "
            f"{x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}' fill='none' stroke='{colour}' "
            f"stroke-opacity='.35' stroke-width='{w:.1f}'><title>{_esc(a)} \N{RIGHTWARDS ARROW} "
            f"{_esc(b)}: {n} sessions</title></path>"
        )
    nodes = []
    for node, c in col.items():
        h = max(2.0, value[node] * scale)
        x = c * COLUMN
        fill = "#333" if node not in outcome else "#23835a" if outcome[node] == "best" else "#555"
        name = node if len(node) <= 16 else node[:15] + "\N{HORIZONTAL ELLIPSIS}"
        y = top[node]
        nodes.append(
            f"<rect class='node' x='{x}' y='{y:.1f}' width='{NODE}' height='{h:.1f}' "
            f"fill='{fill}'><title>{_esc(node)}: {value[node]} sessions</title></rect>"
            f"<text x='{x + NODE + 3}' y='{y + 13:.1f}'>{_esc(name)}</text>"
            f"<text x='{x + NODE + 3}' y='{y + 29:.1f}'>{value[node]}</text>"
        )
    return (
        f"<figure><svg class='chart flow' viewBox='0 0 {width} {height}' width='100%' "
        f"style='max-width:{width}px' role='img'>{''.join(bands)}{''.join(nodes)}</svg></figure>"
    )


def _esc(text: str) -> str:
    return html.escape(plain(text), quote=True)
