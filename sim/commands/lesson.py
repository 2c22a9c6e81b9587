"""The lesson part of `leadsim check`: does the scenario teach what it claims?

Built from the analyses of :mod:`sim.analysis.teaching` over the complete exploration: the
style mix on every path to each ending (LS140 and ``best_needs``), what a pure manager and a
pure leader can reach, the cue shares (LS141/LS142), the outcome rubric (LS143) and meter
pacing (LS144). :func:`build` returns plain data (the JSON report's ``lesson`` key, every
violation with its path); :func:`show` prints the summary, or with ``detail``
(``leadsim check --style-mix``) every count with the path that proves it, for the writer
who is reworking the scenario.
"""

from __future__ import annotations

from typing import Any, TextIO

from sim.analysis import cues, pacing, rubric, stylemix
from sim.analysis.cues import LONGEST_SHARE_LIMIT, STYLE_SHARE_TARGET
from sim.analysis.explore import Exploration
from sim.collector import paused
from sim.model import STYLES, Scenario
from sim.safetext import plain


def build(scenario: Scenario, found: Exploration) -> dict[str, Any]:
    """Everything the lesson checks found, as plain data with each path as text."""
    with paused():
        return _build(scenario, found)


def _build(scenario: Scenario, found: Exploration) -> dict[str, Any]:
    report: dict[str, Any] = {
        "best_needs": {
            "manager": scenario.best_needs.manager,
            "leader": scenario.best_needs.leader,
        },
        "complete": found.complete,
    }
    if found.graph is not None and found.persona is None:
        mix = stylemix.style_mix(found)
        report["style_mix"] = [
            {
                "ending": e.id,
                "outcome": e.outcome,
                "styles": {
                    style: {
                        end: {"count": c.count, "path": c.path.text(scenario)}
                        for end, c in (("fewest", r.fewest), ("most", r.most))
                    }
                    for style, r in e.styles.items()
                },
            }
            for e in mix.values()
        ]
        report["shortfalls"] = [
            {
                "ending": s.ending,
                "style": s.style,
                "count": s.fewest.count,
                "needs": s.needs,
                "path": s.fewest.path.text(scenario),
            }
            for s in stylemix.shortfalls(scenario, mix)
        ]
        report["pure"] = {}
        for style in ("manager", "leader"):
            reach = stylemix.pure_reach(found, style)
            report["pure"][style] = {
                "best": reach.best,
                "endings": {
                    e: {"outcome": reach.outcomes[e], "path": p.text(scenario)}
                    for e, p in reach.endings.items()
                },
            }
        report["rubric"] = [
            {
                "ending": f.ending,
                "outcome": f.outcome,
                "meter": f.meter,
                "value": f.value,
                "floor": f.floor,
                "path": f.path.text(scenario),
            }
            for f in rubric.findings(scenario, found)
        ]
        report["pacing"] = [
            {
                "meter": r.meter,
                "bound": r.bound,
                "value": r.value,
                "step": r.step,
                "total": r.total,
                "early": r.early,
                "path": r.path.text(scenario),
            }
            for r in pacing.reaches(scenario, found)
        ]
    seen = cues.cues(scenario)
    report["cues"] = {
        "scenes": len(seen.scenes),
        "with_top": len(seen.with_top),
        "top_style": seen.style_counts(),
        "top_longest": seen.longest_count,
        "longest_share": seen.longest_share,
        "longest_limit": LONGEST_SHARE_LIMIT,
        "style_target": STYLE_SHARE_TARGET,
        "per_scene": [
            {
                "scene": s.scene,
                "top": s.top.id if s.top else None,
                "style": s.top.style if s.top else None,
                "longest": s.longest,
                "scores": {k: round(v, 4) for k, v in s.scores.items()},
            }
            for s in seen.scenes
        ],
    }
    return report


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def show(scenario: Scenario, report: dict[str, Any], out: TextIO, detail: bool = False) -> None:
    """The lesson checks as text: a summary, or with ``detail`` every path."""

    def say(text: str = "") -> None:
        out.write(plain(text) + "\n")

    needs = report["best_needs"]
    say()
    say(
        f"Style mix on every path (best_needs: manager {needs['manager']}, leader "
        f"{needs['leader']}):"
    )
    if "style_mix" not in report:
        say("  (needs an exploration of every choice)")
        return
    partial = not report["complete"]
    if partial:
        say("  (the exploration stopped at its limit: what follows covers the paths explored;")
        say("  an absence proves nothing, so raise --max-states)")
    if detail:
        for e in report["style_mix"]:
            say(f"  {e['ending']} ({e['outcome'] or 'unrated'}):")
            for style in STYLES:
                for end in ("fewest", "most"):
                    c = e["styles"][style][end]
                    count = "any number" if c["count"] is None else str(c["count"])
                    say(f"    {end} {style}: {count}: {c['path']}")
    shorts = report["shortfalls"]
    for s in shorts:
        say(f"  LS140 {s['ending']}: {s['count']} {s['style']} (needs {s['needs']}): {s['path']}")
    if not shorts and not partial:
        say("  every path to a best ending has enough of both styles")
    for style, reach in report["pure"].items():
        ends = ", ".join(f"{e} ({v['outcome'] or '-'})" for e, v in reach["endings"].items())
        say(f"  pure {style:<8} at best {reach['best'] or '-'}: {ends or 'no ending'}")
        if detail:
            for e, v in reach["endings"].items():
                say(f"    {e}: {v['path']}")
    c = report["cues"]
    top, n = c["top_style"], c["with_top"]
    say()
    say(f"Cues ({n} of {c['scenes']} scenes have a single top scorer):")
    say(
        "  sole top scorer: "
        + ", ".join(f"{s} {top[s]} ({_pct(top[s], n)})" for s in STYLES)
        + f"  [library target: manager and leader each >= {STYLE_SHARE_TARGET:.0%}]"
    )
    say(
        f"  top scorer is the longest text: {c['top_longest']} of {n} "
        f"({_pct(c['top_longest'], n)})  [target: <= {LONGEST_SHARE_LIMIT:.0%}]"
    )
    if detail:
        for s in c["per_scene"]:
            if s["top"] is None:
                say(f"    {s['scene']}: no single top scorer")
                continue
            mark = "  LONGEST" if s["longest"] else ""
            score = s["scores"][s["top"]]
            say(f"    {s['scene']}: {s['top']} ({s['style']}, score {score:+.2f}){mark}")
    say()
    say("Outcome rubric (docs/authoring.md):")
    for f in report["rubric"]:
        say(
            f"  LS143 {f['ending']} ({f['outcome']}): {f['meter']} {f['value']} "
            f"(needs >= {f['floor']}): {f['path']}"
        )
    if not report["rubric"] and not partial:
        say("  every rated ending fits the meters it is reached with")
    say()
    say("Pacing (earliest point each meter reaches a bound on a reasonable path):")
    for r in report["pacing"]:
        mark = "LS144 " if r["early"] else "      "
        line = f"  {mark}{r['meter']} {r['bound']} {r['value']} after {r['step']} of {r['total']}"
        say(line + (f": {r['path']}" if r["early"] or detail else ""))
    if not report["pacing"] and not partial:
        say("  no meter reaches a bound")
