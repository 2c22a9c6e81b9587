"""The cohort report as one self-contained HTML file (``leadsim report --html FILE``).

Everything is inline: the charts are SVG drawn here, the styles a short stylesheet, the only
script sorts the trainee tables. Nothing is fetched when the file is opened (no CDN, no web
font, not even a favicon), so it opens offline, can be mailed, and prints: each chart keeps to
one page and colours carry words beside them. Every string from a log or scenario file is
cleaned (:func:`sim.safetext.plain`) and HTML-escaped.
"""

from __future__ import annotations

import html
import statistics
from collections.abc import Sequence

from sim.report import flow
from sim.report.cohort import Cohort, ScenarioSummary, SceneSplit, strongest
from sim.report.rows import BALANCE
from sim.report.text import balance_word, clip, pct, seconds
from sim.safetext import plain

STYLE_COLOUR = {"manager": "#2f62a8", "leader": "#c0561b", "neutral": "#8a8a8a"}
OUTCOME_COLOUR = {"best": "#23835a", "good": "#6aa84f", "mixed": "#c99a12", "poor": "#b03a2e"}
PATHS_DRAWN = 150
"""Meter paths drawn one by one (the median is drawn over all of them)."""
BAR = 260
LEAN_SHOWN = 4
"""Trait leans shown per trainee, the clearest first (CSV and JSON carry them all)."""

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;
max-width:960px;padding:0 1em;color:#1d1d1d;background:#fff}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2.2em;border-bottom:2px solid #ddd}
h3{margin:1.4em 0 .4em}.muted{color:#666}.chart{display:block;margin:.4em 0 1em}
table{border-collapse:collapse;margin:.4em 0 1em}th,td{padding:2px 8px;text-align:left;
vertical-align:top}th{border-bottom:1px solid #bbb;cursor:pointer}td.n,th.n{text-align:right}
tbody tr:nth-child(even){background:#f5f5f5}td:first-child,td.b{white-space:nowrap}
.scene{break-inside:avoid}
.legend span{display:inline-block;margin-right:1.2em}.sw{display:inline-block;width:.9em;
height:.9em;margin-right:.3em;vertical-align:-.1em}blockquote{margin:.2em 0 .2em 1em;
padding-left:.6em;border-left:3px solid #ccc}figure{margin:0;break-inside:avoid}
svg text{font:11px system-ui,sans-serif;fill:#222}
svg.flow text{font-size:15px;paint-order:stroke;stroke:#fff;stroke-width:4px}
@media print{body{margin:0;max-width:none}h2{break-before:page}h2:first-of-type{break-before:auto}
th{cursor:auto}section,figure,table{break-inside:avoid}}
"""

JS = """
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var num = th.classList.contains('n');
    var dir = th.dataset.dir === 'asc' ? -1 : 1;
    th.dataset.dir = dir === 1 ? 'asc' : 'desc';
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.v || a.cells[col].textContent;
      var y = b.cells[col].dataset.v || b.cells[col].textContent;
      return dir * (num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y));
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""


def esc(text: object) -> str:
    return html.escape(plain(str(text)), quote=True)


def render(cohort: Cohort, title: str = "leadsim cohort report") -> str:
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        "<link rel='icon' href='data:,'>",
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    n = len(cohort.sessions)
    parts.append(
        f"<p class='muted'>{n} sessions in {len(cohort.scenarios)} scenarios; "
        f"damaged logs: {len(cohort.problems)} (their intact part is counted).</p>"
    )
    parts.append(legend(STYLE_COLOUR))
    for sc in cohort.scenarios:
        parts.append(scenario_html(sc))
    if cohort.problems:
        parts.append("<h2>Damaged logs</h2><ul>")
        parts += [f"<li>{esc(w)}:{line}: {esc(m)}</li>" for w, line, m in cohort.problems]
        parts.append("</ul>")
    parts.append(f"<script>{JS}</script></body></html>")
    return "\n".join(parts)


def legend(colours: dict[str, str]) -> str:
    items = "".join(
        f"<span><i class='sw' style='background:{c}'></i>{esc(k)}</span>"
        for k, c in colours.items()
    )
    return f"<p class='legend'>{items}</p>"


def scenario_html(sc: ScenarioSummary) -> str:
    n = len(sc.sessions)
    out = [
        f"<section id='{esc(sc.id)}'><h2>{esc(sc.title)} "
        f"<span class='muted'>({esc(sc.id)})</span></h2>",
        f"<p>{n} sessions by {sc.people} trainees: {sc.finished} finished "
        f"({pct(sc.finished, n)}), {n - sc.finished} unfinished. "
        f"Median time per decision: {seconds(sc.median_elapsed)}.</p>",
        "<h3>Endings</h3>",
        bars(
            [
                (f"{t} ({o or 'no outcome'})", c, OUTCOME_COLOUR.get(o or "", "#777"))
                for _e, t, o, c in sc.endings
            ],
            sc.finished,
            "endings",
        ),
        "<h3>Paths through the scenario</h3>",
        "<p class='muted'>Each band is a move from a scene to the next scene or an ending; "
        "its width is the number of sessions that made it.</p>",
        flow.svg(sc),
        "<h3>Choices at each scene</h3>",
        "<p class='muted'>Bars: share of the sessions that decided there. <b>best</b> and "
        "<b>rest</b>: the share among sessions that reached a best ending, and among the "
        "others.</p>",
    ]
    out += [scene_html(s) for s in sc.scenes]
    out += ["<h3>Meter paths</h3>", meter_charts(sc)]
    out += [
        "<h3>Style balance</h3>",
        bars(
            [(band, c, "#6b5fa8") for band, c in zip(BALANCE, sc.balance, strict=True)],
            sum(sc.balance),
            "balance",
        ),
        trainee_table(sc),
    ]
    if sc.stopped:
        out.append("<h3>Where unfinished sessions stopped</h3>")
        out.append(bars([(s, c, "#777") for s, c in sc.stopped], n - sc.finished, "stopped"))
    answered = [s for s in sc.scenes if s.reflections]
    if answered:
        out.append("<h3>Reflections</h3>")
        for s in answered:
            q = f": <i>{esc(s.question)}</i>" if s.question else ""
            out.append(f"<h4>{esc(s.scene)}{q} ({len(s.reflections)})</h4>")
            out += [
                f"<blockquote>{esc(a)} <span class='muted'>({esc(w)})</span></blockquote>"
                for w, a in s.reflections
            ]
    out.append("</section>")
    return "\n".join(out)


def bars(rows: Sequence[tuple[str, int, str]], whole: int, name: str) -> str:
    """A horizontal bar chart: label, bar, count and share."""
    if not rows:
        return "<p class='muted'>none</p>"
    top = max(c for _l, c, _k in rows) or 1
    h = 20
    lines = [f"<svg class='chart bars-{name}' width='760' height='{h * len(rows) + 4}' role='img'>"]
    for i, (label, count, colour) in enumerate(rows):
        y = i * h + 2
        w = max(1, round(BAR * count / top))
        lines.append(f"<text x='0' y='{y + 14}'>{esc(clip(label, 48))}</text>")
        lines.append(f"<rect x='330' y='{y + 3}' width='{w}' height='{h - 6}' fill='{colour}'/>")
        lines.append(f"<text x='{336 + w}' y='{y + 14}'>{count} ({pct(count, whole)})</text>")
    lines.append("</svg>")
    return "".join(lines)


def scene_html(s: SceneSplit) -> str:
    h = 20
    rows = []
    for i, c in enumerate(s.choices):
        y = i * h + 18
        w = max(1, round(BAR * c.count / (s.sessions or 1)))
        diff = s.difference(c)
        rows.append(
            f"<text x='0' y='{y + 14}'>{esc(clip(f'{c.choice}: {c.text}', 46))}</text>"
            f"<rect x='330' y='{y + 3}' width='{w}' height='{h - 6}' "
            f"fill='{STYLE_COLOUR.get(c.style, '#777')}'/>"
            f"<text x='{336 + w}' y='{y + 14}'>{pct(c.count, s.sessions)} {esc(c.style)}</text>"
            f"<text x='660' y='{y + 14}'>{pct(c.best, s.best_sessions)}</text>"
            f"<text x='700' y='{y + 14}'>{pct(c.rest, s.rest_sessions)}</text>"
            + (f"<title>best minus rest: {diff:+.0f} points</title>" if diff is not None else "")
        )
    height = h * len(s.choices) + 22
    head = (
        f"<text x='0' y='12' font-weight='bold'>{esc(s.scene)}: {s.sessions} sessions, "
        f"median {seconds(s.median_elapsed)}</text><text x='660' y='12'>best</text>"
        f"<text x='700' y='12'>rest</text>"
    )
    return (
        f"<figure class='scene'><svg class='chart split' width='760' height='{height}' "
        f"role='img'>{head}{''.join(rows)}</svg></figure>"
    )


def meter_charts(sc: ScenarioSummary) -> str:
    """One line chart per meter: a thin line per session (up to :data:`PATHS_DRAWN`), and
    the median value at each step over every session in bold."""
    if not sc.meters:
        return "<p class='muted'>no meters recorded</p>"
    paths = sc.meter_paths()
    longest = max((len(p) for p in paths), default=1)
    out = []
    w, h, left = 700, 170, 40
    for meter, label in sc.meters:
        values = [v.get(meter, 0) for p in paths for v in p] or [0]
        low, high = min(values), max(values)
        span = (high - low) or 1

        def point(step: int, value: int, low: int = low, span: int = span) -> str:
            x = left + (w - left - 10) * step / max(1, longest - 1)
            y = 10 + (h - 30) * (1 - (value - low) / span)
            return f"{x:.1f},{y:.1f}"

        lines = []
        for p in paths[:PATHS_DRAWN]:
            pts = " ".join(point(i, v.get(meter, 0)) for i, v in enumerate(p))
            lines.append(
                f"<polyline points='{pts}' fill='none' stroke='#2f62a8' stroke-opacity='.12'/>"
            )
        medians = []
        for i in range(longest):
            at = [p[i].get(meter, 0) for p in paths if len(p) > i]
            if at:
                medians.append(point(i, round(statistics.median(at))))
        lines.append(
            f"<polyline class='median' points='{' '.join(medians)}' fill='none' stroke='#111' "
            "stroke-width='2.5'/>"
        )
        axis = (
            f"<text x='0' y='16'>{high}</text><text x='0' y='{h - 20}'>{low}</text>"
            f"<text x='{left}' y='{h - 4}'>{'start' if sc.start else 'after decision 1'}</text>"
            f"<text x='{w - 130}' y='{h - 4}'>after decision {longest - bool(sc.start)}</text>"
            f"<line x1='{left}' y1='{h - 20}' x2='{w}' y2='{h - 20}' stroke='#999'/>"
        )
        out.append(
            f"<figure><figcaption><b>{esc(label)}</b> <span class='muted'>(median in black; "
            f"{min(len(paths), PATHS_DRAWN)} of {len(paths)} sessions drawn)</span></figcaption>"
            f"<svg class='chart meter' width='{w}' height='{h}' role='img'>{axis}"
            f"{''.join(lines)}</svg></figure>"
        )
    return "\n".join(out)


def trainee_table(sc: ScenarioSummary) -> str:
    rows = []
    for t in sc.trainees:
        styled = t.manager + t.leader
        m = round(120 * t.manager / styled) if styled else 0
        lead = (120 - m) if styled else 0
        bar = (
            f"<svg class='balance' width='122' height='12'><rect x='0' y='1' width='{m}' "
            f"height='10' fill='{STYLE_COLOUR['manager']}'/><rect x='{m}' y='1' width='{lead}' "
            f"height='10' fill='{STYLE_COLOUR['leader']}'/></svg>"
        )
        share = t.leader / styled if styled else 0.5
        numbers = (t.sessions, t.finished, t.best, t.manager, t.leader, t.neutral)
        rows.append(
            f"<tr><td>{esc(t.name)}</td>"
            + "".join(f"<td class='n'>{v}</td>" for v in numbers)
            + f"<td class='b' data-v='{share:.3f}'>{bar} "
            f"{esc(balance_word(t.manager, t.leader))}</td>"
            f"<td>{esc('; '.join(strongest(t.lean, LEAN_SHOWN)))}</td></tr>"
        )
    names = ("sessions", "finished", "best", "manager", "leader", "neutral", "balance")
    head = (
        "<th>trainee</th>"
        + "".join(f"<th class='n'>{h}</th>" for h in names)
        + "<th>trait lean</th>"
    )
    return (
        "<table class='sortable trainees'><thead><tr>" + head + "</tr></thead><tbody>"
        + "".join(rows) + "</tbody></table>"
    )  # fmt: skip
