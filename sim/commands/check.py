"""`leadsim check`: play-test a scenario automatically and report what it reaches.

Exhaustive exploration first (every option, both sides of every chance), then the persona
bots, then, with ``--random N``, seeded random playthroughs on the real engine. Exit 1 when
the scenario does not load or any play-test finds a softlock, a loop with no way out or an
engine error. A failing random run is shown by its shortest case, with the seed and choices
that reproduce it; the answers to type are written to a file (a loop's run is 10,000 of
them), named in the report, that ``leadsim play --text`` reads as its input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from sim.analysis import playtest
from sim.analysis.explore import DEFAULT_LIMIT, Exploration, Problem, explore
from sim.analysis.kernel import POLICIES
from sim.commands import lesson
from sim.format import library, loader
from sim.model import CONTINUE, STYLES, Scenario
from sim.safetext import json_safe, plain, shell_word

NAME = "check"
HELP = "play-test a scenario: reachable states, endings, personas, random playthroughs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="a .yaml file or a shipped id")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--random",
        type=runs_count,
        default=0,
        metavar="N",
        help="also run N random playthroughs (N is 1 or more)",
    )
    parser.add_argument(
        "--replay-dir",
        metavar="DIR",
        default=None,
        help="where a failing random run's answers are written (default: the temp folder)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed for the random runs (1)")
    parser.add_argument(
        "--policy",
        choices=POLICIES,
        default="least-used",
        help="how a random run picks: the options used least so far (default), or any alike",
    )
    parser.add_argument(
        "--engine",
        action="store_true",
        help="play the random runs on the engine step by step (slower; the default compiled "
        "runs are tested to agree with it seed for seed)",
    )
    parser.add_argument(
        "--style-mix",
        action="store_true",
        help="show every style count, cue and pacing finding with the path that proves it",
    )
    parser.add_argument(
        "--max-states",
        type=int,
        default=DEFAULT_LIMIT * 5,
        metavar="N",
        help=f"explore at most N states (default {DEFAULT_LIMIT * 5:,})",
    )


PICKS = {"least-used": "favouring the options used least", "uniform": "picking uniformly"}
MAX_REPORTED_STEPS = 100
"""Most choices of one failing run given inline (text and JSON); the replay file has all."""
SHOWN_STEPS = 12
"""Most choices of the shortest failing run printed in the text report."""


def runs_count(text: str) -> int:
    """``--random``'s value: a whole number of runs, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"{value} runs: give 1 or more (leave --random out for none)"
        )
    return value


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, stream: TextIO, what: str, total: int) -> None:
        self.stream = stream
        self.what = what
        self.total = max(1, total)
        self.shown = -1
        self.live = stream.isatty()

    def __call__(self, done: int) -> None:
        if not self.live:
            return
        percent = min(100, done * 100 // self.total)
        if percent == self.shown:
            return
        self.shown = percent
        bar = "#" * (percent // 5) + "." * (20 - percent // 5)
        self.stream.write(f"\r{self.what} [{bar}] {percent:3d}% {done:,}/{self.total:,}")
        self.stream.flush()

    def close(self) -> None:
        if self.live and self.shown >= 0:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _with_progress(what: str, total: int, work: Callable[[Progress], Any]) -> Any:
    bar = Progress(sys.stderr, what, total)
    try:
        return work(bar)
    finally:
        bar.close()


def run(args: argparse.Namespace) -> int:
    scenario = loader.load(library.resolve(args.scenario))  # cli.main reports a ScenarioError
    limit = max(1, args.max_states)
    found = _with_progress("exploring", limit, lambda bar: explore(scenario, limit, progress=bar))
    bots = playtest.personas(scenario, limit, seed=args.seed)
    randoms = None
    policy = args.policy
    if args.random > 0:
        randoms = _with_progress(
            "playing",
            args.random,
            lambda bar: (
                playtest.random_runs_on_engine(scenario, args.random, args.seed, policy=policy)
                if args.engine
                else playtest.random_runs(
                    scenario, args.random, args.seed, progress=bar, policy=policy
                )
            ),
        )
    report = build_report(scenario, found, bots, randoms)
    if report["random"] is not None:
        report["random"]["policy"] = policy
    if randoms is not None and randoms.failures:
        report["random"]["replay_file"] = write_replay(
            scenario, shortest(randoms.failures), args.replay_dir
        )
    report["lesson"] = lesson.build(scenario, found)
    if args.format == "json":
        print(json_safe(json.dumps(report, indent=2, ensure_ascii=False)))
    else:
        print_report(scenario, report, sys.stdout)
        lesson.show(scenario, report["lesson"], sys.stdout, detail=args.style_mix)
    failed = report["softlocks"] or report["loops"] or (randoms and randoms.failures)
    return 1 if failed else 0


# --- the report -------------------------------------------------------------------------


def shortest(failures: tuple[playtest.Failure, ...]) -> playtest.Failure:
    """The failing run with the fewest decisions (the first such run on a tie)."""
    return min(failures, key=lambda f: len(f.answers))


def write_replay(scenario: Scenario, failure: playtest.Failure, folder: str | None) -> str:
    """Write ``failure``'s answers, one a line, to a new file in ``folder`` (the temp folder
    by default) and return its path: ``leadsim play FILE --text --seed S < PATH`` replays
    the run. The name is made unique by the OS, so nothing is overwritten."""
    fd, path = tempfile.mkstemp(
        prefix=f"leadsim-check-{scenario.id}-run{failure.run}-", suffix=".txt", dir=folder
    )
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("".join(f"{a}\n" for a in failure.answers))
    return path


def _decided(pairs: Iterable[tuple[str, str]]) -> int:
    """How many (scene, choice) pairs are real choices, not a narration scene's continue."""
    return sum(choice != CONTINUE for _, choice in pairs)


def _problem(p: Problem) -> dict[str, Any]:
    return {
        "scene": p.scene,
        "meters": dict(p.meters),
        "flags": sorted(p.flags),
        "trail": [str(s) for s in p.trail],
        "scenes": list(p.scenes),
    }


def build_report(
    scenario: Scenario,
    found: Exploration,
    bots: list[playtest.PersonaResult],
    randoms: playtest.RandomReport | None,
) -> dict[str, Any]:
    """Everything `check` found, as plain data (the JSON output, and what the text shows)."""
    endings = []
    for eid, ending in scenario.endings.items():
        reach = found.endings.get(eid)
        endings.append(
            {
                "id": eid,
                "outcome": ending.outcome,
                "reached": reach is not None,
                "states": reach.states if reach else 0,
                "meters": {k: list(v) for k, v in reach.meters.items()} if reach else {},
                "styles": {k: list(v) for k, v in reach.styles.items()} if reach else {},
                "trail": [str(s) for s in reach.trail] if reach else [],
            }
        )
    # A narration scene's continue is no choice a trainee makes: coverage counts real ones.
    total_choices = sum(len(s.choices) for s in scenario.scenes.values() if not s.narration)
    report: dict[str, Any] = {
        "scenario": scenario.id,
        "path": scenario.path,
        "exploration": {
            "states": found.states,
            "transitions": found.transitions,
            "complete": found.complete,
            "limit": found.limit,
        },
        "endings": endings,
        "coverage": {
            "scenes": [len(found.scenes), len(scenario.scenes)],
            "choices": [_decided(found.choices), total_choices],
            "endings": [len(found.endings), len(scenario.endings)],
        },
        "never_exercised": {
            "scenes": found.unexercised_scenes(scenario),
            "choices": [f"{s}/{c}" for s, c in found.unexercised_choices(scenario)],
            "endings": found.unexercised_endings(scenario),
        },
        "softlocks": [_problem(p) for p in found.softlocks],
        "loops": [_problem(p) for p in found.loops],
        "personas": [
            {"name": b.name, "endings": list(b.endings), "complete": b.complete, "share": b.share}
            for b in bots
        ],
        "random": None,
    }
    if randoms is not None:
        report["random"] = {
            "runs": randoms.runs,
            "seed": randoms.seed,
            "endings": {e: randoms.endings[e] for e in scenario.endings if e in randoms.endings},
            "coverage": {
                "scenes": [len(randoms.scenes), len(scenario.scenes)],
                "choices": [_decided(randoms.choices), total_choices],
                "endings": [len(randoms.endings), len(scenario.endings)],
            },
            "failures": [
                {
                    "run": f.run,
                    "seed": f.seed,
                    "kind": f.kind,
                    "scene": f.scene,
                    "message": f.message,
                    "decisions": len(f.answers),
                    "trail": list(f.trail[:MAX_REPORTED_STEPS]),
                    "answers": list(f.answers[:MAX_REPORTED_STEPS]),
                }
                for f in randoms.failures
            ],
            "shortest": shortest(randoms.failures).run if randoms.failures else None,
            "replay_file": None,
        }
    return report


def _span(pair: list[Any]) -> str:
    low, high = pair
    high_text = "any" if high is None else str(high)
    return str(low) if low == high else f"{low}..{high_text}"


def _share(part: float) -> str:
    return f"{part:.0%}" if part >= 0.01 else f"{part:.1%}"  # a rare ending is not 0%


LISTED = 20
"""Ids printed in one list of the text report before '(and N more)'; --json has them all."""


def _listed(ids: list[str]) -> str:
    shown = ", ".join(ids[:LISTED])
    return shown + (
        f" (and {len(ids) - LISTED:,} more; --json lists all)" if len(ids) > LISTED else ""
    )


def _ratio(pair: list[int]) -> str:
    return f"{pair[0]}/{pair[1]}"


def print_report(scenario: Scenario, report: dict[str, Any], out: TextIO) -> None:
    def say(text: str = "") -> None:
        out.write(text + "\n")

    x = report["exploration"]
    say(f"{plain(scenario.title)} ({scenario.id})")
    done = "every reachable state" if x["complete"] else f"stopped at the limit of {x['limit']:,}"
    say(f"Explored {x['states']:,} states and {x['transitions']:,} transitions ({done}).")
    cov = report["coverage"]
    say(
        f"Reached {_ratio(cov['scenes'])} scenes, {_ratio(cov['choices'])} choices, "
        f"{_ratio(cov['endings'])} endings."
    )
    say()
    meters = [m.id for m in scenario.meters]
    header = ["ending", "outcome", *meters, *STYLES]
    rows = [header]
    for e in report["endings"]:
        if not e["reached"]:
            missed = "never reached" if x["complete"] else "not reached within the limit"
            rows.append([e["id"], e["outcome"] or "-", missed])
            continue
        rows.append(
            [e["id"], e["outcome"] or "-"]
            + [_span(e["meters"][m]) for m in meters]
            + [_span(e["styles"][s]) for s in STYLES]
        )
    widths = [max(len(r[i]) for r in rows if i < len(r)) for i in range(len(header))]
    for r in rows:
        say("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip())
    say("  (meters: the range each ending is reached with; styles: decisions of each style")
    say("  on the way, fewest..most; 'any' where a loop allows any number)")
    never = report["never_exercised"]
    if any(never.values()):
        say()
        # A capped exploration proves nothing about what it did not reach: say so.
        say(
            "Never exercised:"
            if x["complete"]
            else f"Not reached within the limit of {x['limit']:,} states (they may be reachable; "
            "raise --max-states to know):"
        )
        for kind in ("scenes", "choices", "endings"):
            if never[kind]:
                say(f"  {kind}: {_listed(never[kind])}")
    for kind, title in (("softlocks", "Softlocks"), ("loops", "Loops with no way out")):
        if report[kind]:
            say()
            say(f"{title}:")
            for p in report[kind]:
                state = ", ".join(f"{k} {v}" for k, v in p["meters"].items())
                say(f"  in {p['scene']} with {state}, after: {' / '.join(p['trail']) or '-'}")
    say()
    say("Personas:")
    for b in report["personas"]:
        if b["name"] == "random":
            shares = ", ".join(f"{e} {_share(s)}" for e, s in b["share"].items()) or "no ending"
            say(f"  {'random':<15} {shares} ({playtest.RANDOM_PERSONA_RUNS} uniform runs)")
        else:
            ends = ", ".join(b["endings"]) or "no ending"
            say(f"  {b['name']:<15} {ends}" + ("" if b["complete"] else " (incomplete)"))
    r = report["random"]
    if r is not None:
        say()
        rc = r["coverage"]
        say(
            f"Random playthroughs: {r['runs']:,} (seed {r['seed']}), {PICKS[r['policy']]}: "
            f"{_ratio(rc['scenes'])} scenes, {_ratio(rc['choices'])} choices, "
            f"{_ratio(rc['endings'])} endings."
        )
        for eid, n in r["endings"].items():
            say(f"  {eid:<30} {n:>7,}  {n / r['runs']:6.1%}")
        if r["failures"]:
            _print_failures(scenario, r, say)
        else:
            say("No failures.")


def _steps(trail: list[str], total: int, kind: str = "") -> str:
    """A failing run's choices, the middle left out when there are more than
    :data:`SHOWN_STEPS`; a loop as the way into it and the scenes it then circles."""
    if kind == "loop" and total > SHOWN_STEPS:
        circling = {step.split("/")[0] for step in trail[-SHOWN_STEPS:]}
        way_in = len(trail)
        while way_in and trail[way_in - 1].split("/")[0] in circling:
            way_in -= 1
        if way_in < SHOWN_STEPS:
            into = " ".join(trail[:way_in]) or "(from the start)"
            return f"{into}, then round {', '.join(sorted(circling))} for ever"
    if total <= SHOWN_STEPS:
        return " ".join(trail) or "-"
    head, tail = trail[: SHOWN_STEPS - 3], trail[-3:] if total == len(trail) else []
    gap = f"... ({total - len(head) - len(tail):,} more) ..."
    return " ".join([*head, gap, *tail])


def _print_failures(scenario: Scenario, r: dict[str, Any], say: Callable[[str], None]) -> None:
    """The shortest failing run in full enough to reproduce, the others one line each."""
    failures = r["failures"]
    kinds = Counter(f["kind"] for f in failures)
    say(
        f"Failures: {len(failures)} of {r['runs']:,} runs ("
        + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        + ")"
    )
    best = next(f for f in failures if f["run"] == r["shortest"])
    n = best["decisions"]
    say(
        f"  shortest: run {best['run']}, {best['kind']} in {best['scene']} after {n:,} "
        f"decision{'s' * (n != 1)}: {best['message']}"
    )
    say(f"    seed {best['seed']}; choices: {_steps(best['trail'], n, best['kind'])}")
    path = shell_word(scenario.path or scenario.id)
    replay = shell_word(r["replay_file"] or "ANSWERS")
    say(f"    replay: leadsim play {path} --text --seed {best['seed']} < {replay}")
    say(f"    (the {n:,} answer{'s' * (n != 1)} to type, one a line, are in that file)")
    others = [f for f in failures if f is not best]
    for f in others[:10]:
        say(
            f"  run {f['run']}: {f['kind']} in {f['scene']} after {f['decisions']:,} "
            f"decision{'s' * (f['decisions'] != 1)} (seed {f['seed']})"
        )
    if len(others) > 10:
        say(f"  ... and {len(others) - 10} more (see --format json)")
