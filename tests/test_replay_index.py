"""The replay screen's index (issue 14, item 11): a step made on demand from a checkpoint is
the step a full re-run in memory makes, wherever blocks begin (rewinds, reflections, a line
cut off by a crash and a resume, damage). Memory is measured in benchmarks/replay_screen.py."""

from __future__ import annotations

import random
from pathlib import Path

import attrs
import pytest

from sim import log
from sim.format import loader
from sim.log import replay, screen
from sim.log.format import ReflectionRecord
from sim.model import Scenario
from sim.sessions.lifecycle import continue_session
from sim.sessions.session import Session

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


def long_session(scenario: Scenario, folder: Path, seed: int) -> Path:
    """About 60 decisions with reflections and rewinds, never reaching an ending until the
    last, then cut off by a 'crash', resumed and finished."""
    rng = random.Random(seed)
    session = Session(scenario, seed, recorder=log.SessionLog(folder)).begin()
    while session.step < 60:
        ids = [o.choice.id for o in session.offers() if o.available]
        ids = [i for i in ids if i not in ("ship", "celebrate")] or ids
        session.choose(rng.choice(ids))
        if rng.random() < 0.3:
            session.reflect(f"thought {session.step}")
        if rng.random() < 0.1 and session.step > 3:
            session.rewind(session.step - rng.randint(1, 3))
    assert isinstance(session.recorder, log.SessionLog) and session.recorder.path is not None
    path = session.recorder.path
    session.recorder.close()
    with path.open("ab") as f:
        f.write(b'{"type":"decision","step":61,"scene":"mon')
    resumed, _notes = continue_session(path)
    while not resumed.over:
        offers = [o.choice.id for o in resumed.offers() if o.available]
        resumed.choose("ship" if "ship" in offers else offers[0])
    assert isinstance(resumed.recorder, log.SessionLog)
    resumed.recorder.close()
    return path


def in_memory(path: Path) -> list[replay.Step]:
    """What the replay screen held before: every step of a full re-run."""
    _reader, header, records = replay.open_log(path)
    walker = replay.Walker(replay.find_scenario(header, path), header, path, None)
    steps: list[replay.Step] = []
    for record in records:
        step = walker.feed(record)
        if step is not None:
            steps.append(step)
        elif isinstance(record, ReflectionRecord) and steps:
            steps[-1] = attrs.evolve(steps[-1], reflection=record.answer)
    return steps


@pytest.mark.parametrize("block", [1, 3, 7, 256])
def test_indexed_steps_are_the_steps_of_a_full_rerun(
    scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(screen, "BLOCK", block)
    path = long_session(scenario, tmp_path, seed=block)
    expected = in_memory(path)
    recorded = screen.collect(path)
    assert recorded.end is not None and recorded.problem is None
    assert len(recorded.steps) == len(expected) > 60
    order = list(range(len(expected)))
    random.Random(1).shuffle(order)  # the screen jumps about: any order gives the same steps
    for i in order:
        assert recorded.steps[i] == expected[i], i
    assert recorded.steps[-1] == expected[-1]
    assert any(step.reflection for step in expected) and any(s.rewound_from for s in expected)


def test_a_damaged_log_indexes_the_part_before_the_damage(
    scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screen, "BLOCK", 4)
    path = long_session(scenario, tmp_path, seed=5)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines[:30], b"garbage\n", *lines[30:]]))
    expected = in_memory(path)
    recorded = screen.collect(path)
    assert recorded.problem is not None and recorded.problem.line == 31
    assert list(recorded.steps) == expected
