"""Does the scenario teach what it claims? The deep checks about the lesson, LS140-LS144.

* LS140 (error): a path reaches a best ending with fewer manager or leader decisions than
  ``best_needs`` asks (:mod:`sim.analysis.stylemix`, over every path);
* LS141 / LS142 (warnings): the option's length or its style gives the best choice away
  (:mod:`sim.analysis.cues`);
* LS143 (warning): an ending is rated better than the meters it can be reached with
  (:mod:`sim.analysis.rubric`);
* LS144 (warning): a meter reaches its floor or ceiling before the last third of a path
  (:mod:`sim.analysis.pacing`).

Each message carries a path as evidence, written as :func:`sim.analysis.paths.path_text` does.
"""

from __future__ import annotations

from sim.analysis import cues, pacing, rubric, stylemix
from sim.analysis.explore import Exploration
from sim.collector import paused
from sim.format.diagnostics import Diagnostic, Severity
from sim.model import Scenario, Where


def diagnostics(scenario: Scenario, found: Exploration) -> list[Diagnostic]:
    with paused():
        return _diagnostics(scenario, found)


def _diagnostics(scenario: Scenario, found: Exploration) -> list[Diagnostic]:
    out: list[Diagnostic] = []

    def add(
        code: str, at: Where | None, message: str, hint: str, severity: Severity = "warning"
    ) -> None:
        w = at or scenario.where or Where(1, 1)
        out.append(Diagnostic(code, severity, message, hint, scenario.path, w.line, w.column))

    if found.graph is not None and found.persona is None:
        mix = stylemix.style_mix(found)
        for short in stylemix.shortfalls(scenario, mix):
            ending = scenario.endings[short.ending]
            count = short.fewest.count
            add(
                "LS140",
                ending.where,
                f"a path reaches the best ending {ending.id!r} with {count} {short.style} "
                f"decision{'s' * (count != 1)} (best_needs asks for {short.needs}): "
                f"{short.fewest.path.text(scenario)}",
                f"make a {short.style} decision necessary on every road to {ending.id!r} "
                "(an 'if' on a flag or meter that only such a choice builds), or lower "
                f"'best_needs: {{{short.style}: N}}'",
                "error",
            )
        for finding in rubric.findings(scenario, found):
            add("LS143", scenario.endings[finding.ending].where, *finding.explain(scenario))
        for early in pacing.early(scenario, found):
            add("LS144", scenario.meter(early.meter).where, *early.explain(scenario))
    seen = cues.cues(scenario)
    if seen.longest_gives_away:
        tops = seen.with_top
        listed = ", ".join(f"{s.scene}/{s.top.id}" for s in tops if s.longest and s.top)
        add(
            "LS141",
            scenario.where,
            f"the top-scoring choice is also the longest text in {seen.longest_count} of the "
            f"{len(tops)} scenes that have one ({seen.longest_share:.0%}; at most half "
            f"gives nothing away): {listed}",
            "shorten those options or lengthen the others, so that length says nothing "
            "(see 'Cues' in docs/authoring.md for how choices are scored)",
        )
    only = seen.only_style()
    if only is not None:
        other = {"leader": "manager", "manager": "leader"}.get(only, "manager or leader")
        add(
            "LS142",
            scenario.where,
            f"the {only} choice is the top scorer in every one of the {len(seen.with_top)} "
            f"scenes that have one: always picking {only} scores best",
            f"make the {other} choice the better move where the moment calls for it (a "
            "deadline, a boundary, safety, accountability), by its effects",
        )
    return out
