"""Deep validation: mistakes a scenario can load with but a trainee would trip over.

Two sources of truth, used for what each can prove:

* the scene graph (:mod:`sim.analysis.graph`) says what holds whatever the meters do: a scene
  no route leads to is unreachable, a route after an always-taken route is dead, a scene with
  no road to an ending is a trap. These checks always run.
* the explored state space (:mod:`sim.analysis.explore`) says what actually happens: a scene whose
  routes exist but whose conditions never let anyone in, a guard that is never true where its
  choice is shown, a state with nothing to click, a loop with no way out, and whether the
  scenario teaches what it claims (:mod:`sim.analysis.teaching`: the style mix on every path
  to a best ending, cues that give the best option away, ratings that fit the meters,
  pacing). A problem the exploration *finds* is real even if it stopped early; an absence
  (never reached, never true) is only claimed when it explored everything, and otherwise a
  note (LS190) says which checks were skipped.

Every diagnostic points at the element's line (``where``) and says how to fix it. The codes
are listed in :data:`sim.format.diagnostics.DEEP_CODES` and documented in docs/authoring.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from sim.analysis import graph, teaching
from sim.analysis.explore import DEFAULT_LIMIT, Exploration, Problem, Step, explore
from sim.format.allow import covers
from sim.format.diagnostics import Diagnostic, Severity, sort_key
from sim.model import Choice, Scenario, Where, text_guards

MAX_LISTED = 6
"""How many scene ids or steps a message lists before saying 'and N more'."""


def lint(
    scenario: Scenario,
    *,
    limit: int = DEFAULT_LIMIT,
    exploration: Exploration | None = None,
    allowed: list[Diagnostic] | None = None,
) -> list[Diagnostic]:
    """Every deep problem of a loaded scenario, sorted by position, except the warnings and
    notes the file silences with ``allow:`` (those go to ``allowed``, when given)."""
    found = exploration if exploration is not None else explore(scenario, limit)
    kept = []
    for d in sorted(_Lint(scenario, found, limit).run(), key=sort_key):
        silenced = d.severity != "error" and any(
            covers(a, d.code, d.line, d.column) for a in scenario.allowed
        )
        if not silenced:
            kept.append(d)
        elif allowed is not None:
            allowed.append(d)
    return kept


def listing(items: Sequence[str], limit: int = MAX_LISTED) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def trail_text(trail: Iterable[Step]) -> str:
    steps = [f"{s.scene}/{s.choice}" for s in trail]
    if not steps:
        return "at the start"
    if len(steps) > MAX_LISTED:
        steps = [*steps[:2], "...", *steps[-(MAX_LISTED - 3) :]]
    return "after " + ", ".join(steps)


def state_text(problem: Problem) -> str:
    parts = [f"{k} {v}" for k, v in problem.meters.items()]
    if problem.flags:
        parts.append("flags " + ", ".join(sorted(problem.flags)))
    return "; ".join(parts)


class _Lint:
    def __init__(self, scenario: Scenario, found: Exploration, limit: int) -> None:
        self.s = scenario
        self.x = found
        self.limit = limit
        self.out: list[Diagnostic] = []
        self.following, self.before = graph.links(scenario)  # built once, asked often
        self.reachable = graph.reachable(scenario, self.following)
        self.order = {sid: i for i, sid in enumerate(scenario.scenes)}
        self.dead_routes: set[tuple[str, str, int]] = set()

    def add(
        self, code: str, at: Where | None, message: str, hint: str, severity: Severity = "warning"
    ) -> None:
        w = at or self.s.where or Where(1, 1)
        self.out.append(Diagnostic(code, severity, message, hint, self.s.path, w.line, w.column))

    def run(self) -> list[Diagnostic]:
        self.routes()
        self.unreached()
        self.choices()
        self.stuck()
        self.meters()
        self.flags()
        self.out.extend(teaching.diagnostics(self.s, self.x))
        if not self.x.complete:
            self.add(
                "LS190",
                self.s.where,
                f"the scenario has more than {self.x.states:,} reachable states; explored "
                f"{self.x.states:,}, so the checks that need all of them (scenes and choices "
                "never reached through their conditions, loops, unused routes) were skipped",
                "run `leadsim validate --max-states N` with a larger N, or split the scenario",
                "note",
            )
        return self.out

    # -- what the file alone proves, and what exploring shows -----------------------------

    def routes(self) -> None:
        for scene in self.s.scenes.values():
            for choice in scene.choices:
                self._dead_routes(scene.id, choice)
                self._pointless_chance(choice)
                if self.x.complete and (scene.id, choice.id) in self.x.choices:
                    self._unused_routes(scene.id, choice)

    def _dead_routes(self, scene: str, choice: Choice) -> None:
        """Routes the file alone shows are never taken."""
        live = {i for i, _ in graph.live_routes(choice)}
        for i, route in enumerate(choice.routes):
            if i in live:
                continue
            self.dead_routes.add((scene, choice.id, i))
            where = f"route {i + 1} of choice {choice.id!r} (to {route.goto!r}) is never taken"
            if route.guard is not None and graph.never(route.guard):
                self.add(
                    "LS121",
                    route.where,
                    f"{where}: its condition {route.guard.source!r} is always false",
                    "fix the condition, or remove the route",
                )
                continue
            first = next(k for k, r in enumerate(choice.routes) if graph.certain(r))
            before = choice.routes[first]
            if before.guard is not None:
                why = f"its 'if' {before.guard.source!r} is always true"
            elif before.chance is not None:
                why = f"chance {before.chance:g}"
            else:
                why = "no 'if' and no 'chance'"
            self.add(
                "LS120",
                route.where,
                f"{where}: route {first + 1} before it ({why}) is always taken first",
                "move the always-taken route to the end of the list, or give it an 'if' or "
                "a chance below 1",
            )

    def _pointless_chance(self, choice: Choice) -> None:
        """A roll whose two sides go to the same place."""
        for (i, route), (_, after) in pairwise(graph.live_routes(choice)):
            if (
                route.chance is not None
                and route.guard is None
                and graph.certain(after)
                and after.goto == route.goto
            ):
                self.add(
                    "LS122",
                    route.where,
                    f"route {i + 1} of choice {choice.id!r} goes to {route.goto!r} on a "
                    f"{route.chance:.0%} chance, and the route after it goes there anyway, so "
                    "the roll decides nothing",
                    "send the chance route somewhere else, or remove it",
                )

    def _unused_routes(self, scene: str, choice: Choice) -> None:
        """Routes of a choice that is taken, which no reachable state follows."""
        for i, route in enumerate(choice.routes):
            key = (scene, choice.id, i)
            if key in self.dead_routes or key in self.x.routes:
                continue
            why = (
                f"its condition {route.guard.source!r} never holds when the choice is taken"
                if route.guard is not None
                else "the routes before it always apply first"
            )
            self.add(
                "LS121",
                route.where,
                f"route {i + 1} of choice {choice.id!r} (to {route.goto!r}) is never taken: {why}",
                "change the condition or the meters that lead here, reorder the routes, or "
                "remove this one",
            )

    def unreached(self) -> None:
        missed = [
            sid
            for sid in self.s.scenes
            if sid not in self.reachable or (self.x.complete and sid not in self.x.scenes)
        ]
        for sid, behind in self._groups(missed):
            also = f" (nor can {listing(behind)}, which only it leads to)" if behind else ""
            if sid not in self.reachable:
                why = "no route leads to it from the start"
                hint = "add a 'next' or 'goto' that leads here, or remove the scene"
            else:
                why = "routes lead to it, but their conditions never hold on the way"
                hint = "loosen the 'if' conditions on the routes and choices that lead here"
            self.add(
                "LS101",
                self.s.scenes[sid].where,
                f"scene {sid!r} can never be reached: {why}{also}",
                hint,
            )
        for eid, ending in self.s.endings.items():
            if eid in self.reachable and (not self.x.complete or eid in self.x.endings):
                continue
            if eid not in self.reachable:
                why = "no route leads to it from the start"
                hint = "add a route that goes to it, or remove the ending"
            else:
                why = "the conditions of the routes to it never hold"
                hint = (
                    "check the meter ranges those conditions need against what the choices "
                    "can reach (`leadsim check` shows them)"
                )
            self.add("LS102", ending.where, f"ending {eid!r} can never be reached: {why}", hint)

    def _groups(self, scenes: list[str]) -> list[tuple[str, list[str]]]:
        """Scenes grouped by where the trouble starts: each group's first scene is one no
        other scene of the list leads to (or, in a loop, the first in the file), followed by
        the listed scenes only it leads to, so one mistake gives one diagnostic. Linear in
        the scenes listed: each is walked into once, by the first group that reaches it."""
        within = set(scenes)
        fed = {t for s in scenes for t in self.following.get(s, ()) if t in within and t != s}
        covered: set[str] = set()
        groups = []
        for sid in [s for s in scenes if s not in fed] + [s for s in scenes if s in fed]:
            if sid in covered:
                continue
            behind = _behind(sid, self.following, within, covered)
            covered |= behind
            rest = sorted(behind - {sid}, key=self.order.__getitem__)
            groups.append((sid, rest))
        return groups

    def choices(self) -> None:
        for scene in self.s.scenes.values():
            reached = scene.id in self.reachable and (
                not self.x.complete or scene.id in self.x.scenes
            )
            for choice in scene.choices:
                guard = choice.guard
                if guard is None:
                    continue
                never = graph.never(guard)
                unseen = reached and self.x.complete and (scene.id, choice.id) not in self.x.choices
                if not (never or unseen):
                    continue
                shown = (
                    "it is always shown locked"
                    if choice.locked is not None
                    else "the trainee never sees it"
                )
                why = "is always false" if never else "never holds when the scene is reached"
                self.add(
                    "LS103",
                    guard.where,
                    f"choice {choice.id!r} in scene {scene.id!r} is never available: its 'if' "
                    f"{guard.source!r} {why}, so {shown}",
                    "loosen the condition (compare it with the meter ranges `leadsim check` "
                    "reports for this scene), or remove the choice",
                )

    def stuck(self) -> None:
        for p in self.x.softlocks:
            self.add(
                "LS110",
                self.s.scenes[p.scene].where,
                f"scene {p.scene!r} can offer no available choice: every choice is hidden, "
                f"locked or used up ({trail_text(p.trail)}, with {state_text(p)})",
                "add a choice without 'if' or 'once' as a way out, or loosen the conditions",
                "error",
            )
        for p in self.x.loops:
            self.add(
                "LS111",
                self.s.scenes[p.scene].where,
                f"from scene {p.scene!r} no ending can be reached: the trainee can only go "
                f"round {listing(list(p.scenes))} ({trail_text(p.trail)}, with {state_text(p)})",
                "give a choice in the loop a route to a scene that leads to an ending, or "
                "make the routes' conditions let the trainee out",
                "error",
            )
        if self.x.complete:
            return  # the exploration saw every trap that can be entered, with its state
        # The file alone proves traps the exploration may not have got to.
        escape = graph.leading_to_an_ending(self.s, self.before)
        trapped = [s for s in self.s.scenes if s in self.reachable and s not in escape]
        for sid, behind in self._groups(trapped):
            self.add(
                "LS111",
                self.s.scenes[sid].where,
                f"from scene {sid!r} no route leads to any ending: the trainee can only go "
                f"round {listing([sid, *behind])}",
                "give a choice in the loop a route to a scene that leads to an ending",
                "error",
            )

    def meters(self) -> None:
        changed = {
            change.meter
            for scene in self.s.scenes.values()
            for choice in scene.choices
            for change in choice.effects.changes
            if change.amount != 0
        }
        for meter in self.s.meters:
            if meter.id not in changed:
                self.add(
                    "LS130",
                    meter.where,
                    f"meter {meter.id!r} is never changed: no choice's effects move it, so it "
                    f"stays at {meter.start}",
                    f"add it to the effects of the choices that should move it, e.g. "
                    f"'effects: {{{meter.id}: +5}}', or remove the meter",
                )

    def flags(self) -> None:
        read: dict[str, Where | None] = {}
        set_at: dict[str, Where | None] = {}
        cleared_at: dict[str, Where | None] = {}
        for scene in self.s.scenes.values():
            for choice in scene.choices:
                guards = [choice.guard, *(r.guard for r in choice.routes)]
                for guard in guards:
                    if guard is not None:
                        for name in sorted(guard.condition.names() & self.s.flags):
                            read.setdefault(name, guard.where)
                for name in sorted(choice.effects.set):
                    set_at.setdefault(name, choice.where)
                for name in sorted(choice.effects.clear):
                    cleared_at.setdefault(name, choice.where)
        for text in self.s.texts():  # text reads a flag too, though it moves no one
            for guard in text_guards(text):
                for name in sorted(guard.condition.names() & self.s.flags):
                    read.setdefault(name, guard.where)
        for flag in sorted(self.s.flags):
            if flag in set_at and flag not in read:
                self.add(
                    "LS131",
                    set_at[flag],
                    f"flag {flag!r} is set but no condition reads it, so setting it changes "
                    "nothing",
                    f"use it in an 'if' (e.g. 'if: \"{flag}\"'), or stop setting it",
                )
            elif flag in read and flag not in set_at:
                self.add(
                    "LS132",
                    read[flag],
                    f"flag {flag!r} is read but no choice sets it, so it is always false",
                    f"add 'set: [{flag}]' to the effects of the choice that should set it",
                )
            elif flag not in set_at and flag not in read:
                cleared = " (only cleared)" if flag in cleared_at else ""
                self.add(
                    "LS133",
                    cleared_at.get(flag) or self.s.declared_at.get(flag) or self.s.where,
                    f"flag {flag!r} is never set or read{cleared}, so it does nothing",
                    "remove it (from 'flags:' and any 'clear:'), or set it in a choice's "
                    "effects and read it in an 'if'",
                )


def _behind(
    root: str, following: dict[str, set[str]], within: set[str], covered: set[str]
) -> set[str]:
    """``root`` and what in ``within`` it leads to that no earlier group ``covered``."""
    seen = {root}
    todo = [root]
    while todo:
        for t in following.get(todo.pop(), ()):
            if t in within and t not in seen and t not in covered:
                seen.add(t)
                todo.append(t)
    return seen
