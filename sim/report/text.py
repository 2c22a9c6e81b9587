"""The cohort report as terminal tables, CSV and JSON.

Every string that came from a log or a scenario file goes through :func:`sim.safetext.plain`
before it reaches a terminal; CSV cells that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-`` or ``@``) get a leading apostrophe; JSON is escaped with
:func:`sim.safetext.json_safe`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any

from sim.report.cohort import Cohort, ScenarioSummary, lean, strongest
from sim.report.rows import BALANCE, SessionRow
from sim.safetext import json_safe, plain

REFLECTIONS_SHOWN = 3
LEAN_SHOWN = 2


def clip(text: str, width: int) -> str:
    """One line of ``text``, cut to ``width`` with an ellipsis."""
    line = " ".join(plain(text).split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def table(rows: Sequence[Sequence[str]], right: Sequence[int] = (), indent: int = 2) -> list[str]:
    """Rows as aligned columns (the first row is the heading); ``right`` columns are numbers."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append((" " * indent + "  ".join(cells)).rstrip())
    return out


def balance_word(manager: int, leader: int) -> str:
    styled = manager + leader
    return BALANCE[min(4, int(5 * leader / styled))] if styled else "-"


def scenario_lines(sc: ScenarioSummary) -> Iterator[str]:
    n = len(sc.sessions)
    yield f"{plain(sc.title)} ({plain(sc.id)})"
    yield (
        f"  {n} sessions by {sc.people} trainees: {sc.finished} finished ({pct(sc.finished, n)}), "
        f"{n - sc.finished} unfinished"
        + (f", {sc.damaged} with a damaged log" if sc.damaged else "")
    )
    yield f"  median time per decision: {seconds(sc.median_elapsed)}"
    if sc.endings:
        yield ""
        rows = [["ending", "outcome", "sessions", "share"]]
        rows += [
            [clip(f"{t} ({e})", 50), o or "-", str(c), pct(c, sc.finished)]
            for e, t, o, c in sc.endings
        ]
        yield from table(rows, right=(2, 3))
    if sc.scenes:
        yield ""
        yield "  Choices at each scene: share of the sessions that decided there; best = the"
        yield "  sessions that reached a best ending, rest = the others; diff = best minus rest"
        for scene in sc.scenes:
            if not scene.choices:  # a narration scene (format 1.1): read, not decided
                yield f"  {plain(scene.scene)}: {scene.sessions} sessions read on (narration)"
                continue
            yield (
                f"  {plain(scene.scene)}: {scene.sessions} sessions, {scene.best_sessions} best, "
                f"median {seconds(scene.median_elapsed)}"
            )
            rows = [["choice", "style", "all", "best", "rest", "diff"]]
            for c in scene.choices:
                diff = scene.difference(c)
                rows.append(
                    [
                        clip(f"{c.choice}: {c.text}", 44),
                        c.style,
                        pct(c.count, scene.sessions),
                        pct(c.best, scene.best_sessions),
                        pct(c.rest, scene.rest_sessions),
                        "-" if diff is None else f"{diff:+.0f}",
                    ]
                )
            yield from table(rows, right=(2, 3, 4, 5), indent=4)
    unfinished = n - sc.finished
    if sc.stopped:
        yield ""
        rows = [["unfinished sessions stopped at", "sessions", "share"]]
        rows += [[plain(s), str(c), pct(c, unfinished)] for s, c in sc.stopped]
        yield from table(rows, right=(1, 2))
    yield ""
    rows = [["style balance (leading share of decisions)", "sessions"]]
    rows += [[band, str(c)] for band, c in zip(BALANCE, sc.balance, strict=True)]
    yield from table(rows, right=(1,))
    answered = [s for s in sc.scenes if s.reflections]
    if answered:
        yield ""
        yield "  Reflections"
        for scene in answered:
            question = f": {clip(scene.question, 60)}" if scene.question else ""
            yield f"    {plain(scene.scene)}{question} ({len(scene.reflections)} answers)"
            for who, answer in scene.reflections[-REFLECTIONS_SHOWN:]:
                yield f"      {clip(who, 20)}: {clip(answer, 70)}"
    yield ""
    rows = [
        [
            "trainee",
            "sessions",
            "finished",
            "best",
            "manager",
            "leader",
            "neutral",
            "balance",
            "trait lean",
        ]
    ]
    for t in sc.trainees:
        lean = "; ".join(plain(x) for x in strongest(t.lean, LEAN_SHOWN))
        lean += "; ..." if len(t.lean) > LEAN_SHOWN else ""
        rows.append(
            [clip(t.name, 24), str(t.sessions), str(t.finished), str(t.best), str(t.manager),
             str(t.leader), str(t.neutral), balance_word(t.manager, t.leader), lean or "-"]
        )  # fmt: skip
    yield from table(rows, right=(1, 2, 3, 4, 5, 6))


def report_text(cohort: Cohort) -> str:
    if not cohort.scenarios and not cohort.problems:
        return "No sessions match."
    lines: list[str] = []
    for sc in cohort.scenarios:
        lines.extend(scenario_lines(sc))
        lines.append("")
    if cohort.problems:
        lines.append("Damaged logs (the intact part of each is counted):")
        lines += [f"  {plain(where)}:{line}: {plain(msg)}" for where, line, msg in cohort.problems]
    return "\n".join(lines).rstrip()


# --- rows for spreadsheets and tools ------------------------------------------------


def session_rows(cohort: Cohort) -> list[dict[str, Any]]:
    return [session_row(s, lean(cohort.decisions.get(s.source, ()))) for s in cohort.sessions]


def session_row(s: SessionRow, leans: Sequence[str]) -> dict[str, Any]:
    return {
        "log": s.log,
        "session": s.session,
        "scenario": s.scenario,
        "trainee": s.trainee,
        "mode": s.mode,
        "started": s.started,
        "finished": s.finished,
        "ending": s.ending,
        "outcome": s.outcome,
        "decisions": s.steps,
        "stopped_at": s.stopped,
        "manager": s.manager,
        "leader": s.leader,
        "neutral": s.neutral,
        "rewinds": s.rewinds,
        "resumes": s.resumes,
        "trait_lean": list(leans),
        "problem": s.problem,
        "problem_line": s.problem_line,
    }


def decision_rows(cohort: Cohort) -> list[dict[str, Any]]:
    rows = []
    for s in cohort.sessions:
        for d in cohort.decisions.get(s.source, ()):
            rows.append(
                {
                    "log": s.log,
                    "session": s.session,
                    "scenario": s.scenario,
                    "trainee": s.trainee,
                    "step": d.step,
                    "scene": d.scene,
                    "choice": d.choice,
                    "style": d.style,
                    "traits": list(d.traits),
                    "elapsed": d.elapsed,
                    "goto": d.goto,
                    "meters_after": d.after,
                    "reflection": d.reflection,
                }
            )
    return rows


def as_json(rows: list[dict[str, Any]]) -> str:
    body = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    return json_safe(f"[\n{body}\n]" if rows else "[]")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    text = plain(str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def as_csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for r in rows:
        writer.writerow([_cell(v) for v in r.values()])
    return out.getvalue()
