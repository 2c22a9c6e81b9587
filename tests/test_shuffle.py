"""Format 1.1 ``shuffle``: choices shown in an order drawn from the session's seed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sim import engine
from sim.analysis import explore
from sim.format import loader
from sim.rng import order
from tests.helpers import leadsim

FOUR = """format: 1.1
scenario: four
title: Four
meters:
  trust: {label: Trust, start: 50}
start: pick
scenes:
  pick:
    text: Pick one.
    choices:
      - {id: a, text: Alpha., style: leader, next: [{chance: 0.5, goto: pick}, {goto: done}]}
      - {id: b, text: Bravo., style: manager, next: [{chance: 0.5, goto: pick}, {goto: done}]}
      - {id: c, text: Charlie., style: neutral, next: done}
      - {id: d, text: Delta., style: leader, effects: {trust: +1}, next: done}
endings:
  done: {title: Done, text: Done.}
"""


def shown(sc: object, seed: int) -> list[str]:
    state = engine.start(sc, seed)  # type: ignore[arg-type]
    return [o.choice.id for o in engine.choices(sc, state)]  # type: ignore[arg-type]


def test_shuffle_is_on_by_default_in_format_1_1_and_off_in_format_1() -> None:
    sc = loader.loads(FOUR)
    assert sc.shuffle
    orders = {tuple(shown(sc, seed)) for seed in range(40)}
    assert len(orders) > 10 and all(sorted(o) == ["a", "b", "c", "d"] for o in orders)
    assert shown(sc, 7) == shown(sc, 7)  # the same seed shows the same order
    off = loader.loads(FOUR.replace("title: Four\n", "title: Four\nshuffle: false\n"))
    assert {tuple(shown(off, seed)) for seed in range(40)} == {("a", "b", "c", "d")}
    one = loader.loads(FOUR.replace("format: 1.1\n", ""))  # a format 1 file plays as it did
    assert not one.shuffle
    assert {tuple(shown(one, seed)) for seed in range(40)} == {("a", "b", "c", "d")}


def test_shuffle_in_a_format_1_file_or_not_a_boolean_is_an_error() -> None:
    _, diags = loader.parse_text(FOUR.replace("format: 1.1\n", "shuffle: true\n"), "s.yaml")
    assert [d.code for d in diags] == ["LS016"]
    _, diags = loader.parse_text(FOUR.replace("title: Four\n", "title: Four\nshuffle: 3\n"))
    assert [(d.code, d.line) for d in diags] == [("LS012", 4)]


def test_the_order_changes_no_chance_and_no_analysis() -> None:
    on = loader.loads(FOUR)
    off = loader.loads(FOUR.replace("title: Four\n", "title: Four\nshuffle: false\n"))
    for seed in range(20):
        states = []
        for sc in (on, off):
            state, path = engine.start(sc, seed), []
            while not state.over:
                state = engine.choose(sc, state, "a")
                path.append((state.scene, state.rng, state.step))
            states.append(path)
        assert states[0] == states[1]  # the same chances fired
    a, b = explore.explore(on), explore.explore(off)
    assert (a.states, a.transitions, set(a.endings)) == (b.states, b.transitions, set(b.endings))


def test_each_visit_gets_its_own_order() -> None:
    assert len({order(12345, step, "pick", 4) for step in range(30)}) > 5
    assert len({order(12345, 0, place, 4) for place in ("a", "b", "c", "d", "e", "f")}) > 2


def test_number_keys_follow_the_shown_order_and_the_log_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "four.yaml"
    path.write_text(FOUR)
    sc = loader.load(path)
    seed = next(s for s in range(100) if shown(sc, s)[0] not in ("a", "b"))  # one step, no chance
    first = shown(sc, seed)
    log = tmp_path / "s.jsonl"
    out = leadsim("play", str(path), "--text", "--seed", str(seed), "--log", str(log), stdin="1\n")
    listed = re.findall(r"^  \d\. (\w+)\.", out.stdout, re.M)
    assert [w[0].lower() for w in listed] == first
    decision = json.loads(log.read_text().splitlines()[1])
    assert decision["choice"] == first[0] and decision["shown"] == first
    text = leadsim("replay", str(log), "--text").stdout
    marks = re.findall(r"^  [>-] (\w+)\.", text, re.M)
    assert [w[0].lower() for w in marks] == first
    assert leadsim("replay", str(log), "--verify").returncode == 0


def test_a_changed_order_is_a_divergence(tmp_path: Path) -> None:
    path = tmp_path / "four.yaml"
    path.write_text(FOUR)
    sc = loader.load(path)
    seed = next(s for s in range(100) if shown(sc, s)[0] in ("c", "d"))
    log = tmp_path / "s.jsonl"
    leadsim("play", str(path), "--text", "--seed", str(seed), "--log", str(log), stdin="1\n")
    lines = log.read_text().splitlines()
    decision = json.loads(lines[1])
    decision["shown"] = sorted(decision["shown"])
    assert decision["shown"] != shown(sc, seed)
    log.write_text("\n".join([lines[0], json.dumps(decision), *lines[2:]]) + "\n")
    out = leadsim("replay", str(log), "--verify")
    assert out.returncode == 1 and "the choices are now shown as" in out.stdout
