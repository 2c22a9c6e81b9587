"""`leadsim check`: the automated play-tester, on scenarios whose answers are known."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sim import engine
from sim.analysis import playtest
from sim.commands.check import Progress
from sim.format import loader
from tests.test_cli import leadsim

DATA = Path(__file__).parent / "data"
CLEAN = DATA / "lint" / "clean.yaml"
SOFTLOCK = DATA / "lint" / "LS110.yaml"


def check_json(*args: str) -> tuple[int, dict]:
    out = leadsim("check", *args, "--format", "json")
    return out.returncode, json.loads(out.stdout)


def test_exhaustive_report_of_a_known_scenario() -> None:
    code, report = check_json(str(CLEAN))
    assert code == 0
    x = report["exploration"]
    assert x["complete"] and x["states"] == 12
    best, mixed = report["endings"]
    assert best["id"] == "best" and best["reached"] and best["outcome"] == "best"
    assert best["meters"] == {"trust": [55, 55], "results": [55, 55]}
    assert best["styles"] == {"manager": [1, 1], "leader": [1, 1], "neutral": [1, 1]}
    assert mixed["meters"]["trust"] == [40, 70] and mixed["styles"]["leader"] == [0, 2]
    assert report["coverage"] == {"scenes": [4, 4], "choices": [6, 6], "endings": [2, 2]}
    assert report["never_exercised"] == {"scenes": [], "choices": [], "endings": []}
    bots = {b["name"]: b for b in report["personas"]}
    assert bots["always-manager"]["endings"] == ["mixed"]
    assert bots["always-leader"]["endings"] == ["mixed"]
    assert bots["alternating"]["endings"] == ["mixed"]
    assert set(bots["random"]["endings"]) == {"best", "mixed"}
    assert sum(bots["random"]["share"].values()) == pytest.approx(1)
    assert report["random"] is None


def test_never_exercised_parts_are_listed() -> None:
    code, report = check_json(str(DATA / "lint" / "LS101-conditions.yaml"))
    assert code == 0
    assert report["never_exercised"]["scenes"] == ["bonus"]
    code, report = check_json(str(DATA / "lint" / "LS103.yaml"))
    assert report["never_exercised"]["choices"] == ["one/celebrate"]
    out = leadsim("check", str(DATA / "lint" / "LS102.yaml")).stdout
    assert "Never exercised:\n  endings: forgotten" in out
    assert "forgotten  -        never reached" in out


def test_random_runs_cover_and_count_and_repeat_with_the_seed() -> None:
    code, report = check_json(str(CLEAN), "--random", "300", "--seed", "5")
    assert code == 0
    r = report["random"]
    assert (r["runs"], r["seed"], r["failures"]) == (300, 5, [])
    assert r["coverage"] == {"scenes": [4, 4], "choices": [6, 6], "endings": [2, 2]}
    assert sum(r["endings"].values()) == 300 and set(r["endings"]) == {"best", "mixed"}
    assert check_json(str(CLEAN), "--random", "300", "--seed", "5")[1]["random"] == r
    assert check_json(str(CLEAN), "--random", "300", "--seed", "6")[1]["random"] != r


def test_least_used_options_are_favoured() -> None:
    scenario = loader.load(CLEAN)
    report = playtest.random_runs(scenario, 4, seed=1)
    # Four runs are enough to take both options of 'one' and of 'two' at least once.
    assert {c for s, c in report.choices if s in ("one", "two")} == {
        "plan",
        "ask",
        "push",
        "listen",
    }


def test_a_softlock_prints_the_seed_and_the_trail_that_reproduce_it(tmp_path: Path) -> None:
    where = ("--replay-dir", str(tmp_path))
    out = leadsim("check", str(SOFTLOCK), "--random", "10", "--seed", "3", *where)
    assert out.returncode == 1
    assert (
        "Softlocks:\n  in meeting with trust 60, results 50, after: one/ask -> meeting"
        in out.stdout
    )
    _, report = check_json(str(SOFTLOCK), "--random", "10", "--seed", "3", *where)
    failure = report["random"]["failures"][0]
    assert failure["kind"] == "softlock" and failure["scene"] == "meeting"
    assert failure["trail"] == ["one/ask"] and failure["answers"] == [2]
    assert f"seed {failure['seed']}; choices: one/ask" in out.stdout
    # The seed and the choices reproduce it, in the engine and in `leadsim play --text`.
    scenario = loader.load(SOFTLOCK)
    stuck = engine.run(scenario, failure["seed"], ["ask"])
    assert stuck.scene == "meeting" and engine.available(scenario, stuck) == ()
    play = leadsim("play", str(SOFTLOCK), "--text", "--seed", str(failure["seed"]), stdin="2\n")
    assert "--- Decision 2 ---" in play.stdout


def test_engine_errors_and_endless_loops_are_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = loader.load(DATA / "lint" / "LS111.yaml")
    report = playtest.random_runs(loop, 6, seed=2, max_steps=50)
    kinds = {f.kind for f in report.failures}
    assert kinds == {"loop"} and report.endings.get("done", 0) + len(report.failures) == 6
    real = engine.choose

    def broken(scenario, state, choice_id):  # type: ignore[no-untyped-def]
        if choice_id == "listen":
            raise ZeroDivisionError("boom")
        return real(scenario, state, choice_id)

    monkeypatch.setattr(engine, "choose", broken)
    report = playtest.random_runs_on_engine(loader.load(CLEAN), 10, seed=1)
    errors = [f for f in report.failures if f.kind == "engine error"]
    assert errors and errors[0].message == "ZeroDivisionError: boom"
    assert errors[0].trail[-1] == "two/listen"


def test_text_report_reads_as_a_table() -> None:
    out = leadsim("check", str(CLEAN), "--random", "50")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert lines[0] == "Clean (clean)"
    assert "Explored 12 states and" in lines[1] and "(every reachable state)" in lines[1]
    assert any(line.split() == ["best", "best", "55", "55", "1", "1", "1"] for line in lines)
    assert any(line.startswith("  always-manager  mixed") for line in lines)
    assert "No failures." in lines
    assert out.stderr == ""  # no progress bar when stderr is not a terminal


def test_progress_bar_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    piped = io.StringIO()
    bar = Progress(piped, "playing", 10)
    bar(5)
    bar.close()
    assert piped.getvalue() == ""
    tty = Tty()
    bar = Progress(tty, "playing", 10)
    bar(5)
    bar(5)  # unchanged: not redrawn
    bar.close()
    assert tty.getvalue().count("50%") == 1 and "[##########..........]" in tty.getvalue()


def test_a_broken_scenario_is_reported_not_checked() -> None:
    out = leadsim("check", str(DATA / "broken" / "LS030.yaml"))
    assert out.returncode == 1 and "[LS030]" in out.stderr and out.stdout == ""


@pytest.mark.parametrize("runs", ["0", "-5", "many"])
def test_random_needs_one_run_or_more(runs: str) -> None:
    out = leadsim("check", str(CLEAN), "--random", runs)
    assert out.returncode == 2 and out.stdout == ""
    assert "argument --random:" in out.stderr and "Traceback" not in out.stderr


def test_a_failing_run_prints_its_shortest_case_and_writes_a_replay_file(tmp_path: Path) -> None:
    """Five looping runs printed 852 KB of answers inline; now the shortest case, and a file."""
    loop = DATA / "lint" / "LS111.yaml"
    out = leadsim("check", str(loop), "--random", "5", "--replay-dir", str(tmp_path))
    assert out.returncode == 1
    assert len(out.stdout) < 5_000
    assert "choices: one/explore, then round corridor, stairs for ever" in out.stdout
    (answers,) = tmp_path.iterdir()
    assert "--text --seed " in out.stdout and f"< {answers}" in out.stdout
    assert len(answers.read_text().splitlines()) == playtest.MAX_STEPS
    code, report = check_json(str(loop), "--random", "5", "--replay-dir", str(tmp_path))
    assert code == 1
    r = report["random"]
    assert all(f["decisions"] == playtest.MAX_STEPS for f in r["failures"])
    assert all(len(f["answers"]) <= 100 for f in r["failures"])
    assert r["replay_file"] and Path(r["replay_file"]).parent == tmp_path


def test_the_replay_file_replays_the_failure_in_play(tmp_path: Path) -> None:
    out = leadsim("check", str(SOFTLOCK), "--random", "10", "--replay-dir", str(tmp_path))
    _, report = check_json(str(SOFTLOCK), "--random", "10", "--replay-dir", str(tmp_path))
    r = report["random"]
    best = next(f for f in r["failures"] if f["run"] == r["shortest"])
    assert f"shortest: run {best['run']}, softlock in meeting after 1 decision:" in out.stdout
    answers = Path(r["replay_file"]).read_text()
    assert answers == "2\n"
    play = leadsim("play", str(SOFTLOCK), "--text", "--seed", str(best["seed"]), stdin=answers)
    assert "the scenario is stuck" in play.stdout


def test_the_replay_file_follows_the_shown_order_of_a_shuffled_scenario(tmp_path: Path) -> None:
    # With `shuffle`, text play numbers the choices in the order it shows them; the answers in
    # the replay file must be those numbers, or the replay takes other choices.
    text = SOFTLOCK.read_text(encoding="utf-8")
    shuffled = tmp_path / "shuffled.yaml"
    shuffled.write_text(
        "format: 1.1\nshuffle: true\n"
        + text.split("\n", 1)[1].replace(
            "      - {id: ask,",
            "      - {id: wait, text: Wait., style: neutral, next: meeting}\n      - {id: ask,",
        ),
        encoding="utf-8",
    )
    _, report = check_json(str(shuffled), "--random", "40", "--replay-dir", str(tmp_path))
    r = report["random"]
    for failure in r["failures"][:5]:
        answers = "".join(f"{a}\n" for a in failure["answers"])
        play = leadsim(
            "play", str(shuffled), "--text", "--seed", str(failure["seed"]), stdin=answers
        )
        assert "the scenario is stuck" in play.stdout, failure


def test_a_narration_scene_is_not_counted_as_a_choice() -> None:
    out = leadsim("check", str(DATA / "format11.yaml"))
    assert "Reached 2/2 scenes, 2/2 choices" in out.stdout, out.stdout


def chain(length: int) -> str:
    """A scenario of ``length`` scenes in one line: one path of ``length`` decisions."""
    lines = [
        "scenario: long-chain",
        "title: Long chain",
        "summary: One very long way to the end.",
        "meters:",
        "  trust: {label: Trust, start: 50, min: 0, max: 100}",
        "start: s0",
        "scenes:",
    ]
    for i in range(length):
        after = f"s{i + 1}" if i + 1 < length else "done"
        lines.append(
            f"  s{i}: {{text: Walk on., choices: [{{id: go, text: Go, style: neutral, "
            f"feedback: ok, next: {after}}}]}}"
        )
    lines += ["endings:", "  done: {title: Done, text: The end.}"]
    return "\n".join(lines) + "\n"


def test_a_path_longer_than_the_loop_limit_is_not_called_a_loop() -> None:
    """A chain of 10,500 scenes has one path of 10,500 decisions: long, but it ends."""
    length = playtest.MAX_STEPS + 500
    scenario = loader.loads(chain(length))
    assert playtest.step_limit(scenario) >= length
    for report in (
        playtest.random_runs(scenario, 2, seed=1),
        playtest.random_runs_on_engine(scenario, 1, seed=1),
    ):
        assert report.failures == () and sum(report.endings.values()) == report.runs


def test_a_capped_exploration_does_not_claim_what_it_did_not_reach(tmp_path: Path) -> None:
    capped = leadsim("check", "check-in", "--max-states", "20").stdout
    assert "stopped at the limit of 20" in capped
    assert "Never exercised:" not in capped and "never reached" not in capped
    assert "Not reached within the limit of 20 states" in capped
    assert "not reached within the limit" in capped  # an ending row
    long = tmp_path / "chain.yaml"
    long.write_text(chain(60))
    out = leadsim("check", str(long), "--max-states", "5").stdout
    scenes = next(line for line in out.splitlines() if line.startswith("  scenes: "))
    assert scenes.endswith("(and 35 more; --json lists all)")  # 60 - 5 reached - 20 shown
