"""A seeded synthetic cohort: realistic session logs for tests, benchmarks and demos.

Each session is played through the real engine and written by the real
:class:`sim.log.SessionLog`, so the files are what a workshop leaves behind: trainees with a
lean of their own (some manage, some lead), decision times that vary, reflections on the
scenes that ask for them, practice sessions that rewind to try another path, sessions left
unfinished (some resumed later, a few cut off by a crash mid-line), the odd damaged line,
assessments, and a few ``--watch`` runs by the author. The same seed writes the same cohort.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs

from sim import engine
from sim.engine import State
from sim.log import SessionLog
from sim.model import Scenario

FIRST = [
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Ebba",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kemi",
    "Lars",
    "Mina",
    "Noor",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tove",
    "Uma",
    "Vik",
    "Wen",
    "Yara",
    "Zeno",
]
LAST = [
    "Berg",
    "Cole",
    "Diaz",
    "Eke",
    "Falk",
    "Gray",
    "Holm",
    "Ito",
    "Juul",
    "Kaur",
    "Lind",
    "Moss",
    "Nash",
    "Ortiz",
]
REFLECTIONS = (
    "I should have asked the team before deciding.",
    "Taking control felt safe, but nobody spoke up afterwards.",
    "Listening first cost an hour and saved the week.",
    "I acted on the loudest idea, not the best one.",
    "Next time I will explain why, not only what.",
    "The deadline drove everything; the people came second.",
)
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@attrs.define
class _Playing:
    """What the log reads of a session (:class:`sim.log.format.Played`)."""

    scenario: Scenario
    seed: int
    mode: str
    feedback: str | None
    trainee: str | None
    state: State

    @property
    def step(self) -> int:
        return self.state.step


@attrs.frozen
class Trainee:
    name: str
    leads: float
    """How likely this trainee is to take a leading choice over a managing one."""
    pace: float
    """Median seconds per decision."""


def trainees(count: int, rng: random.Random) -> list[Trainee]:
    names = sorted({f"{f} {s}" for f in FIRST for s in LAST})
    rng.shuffle(names)
    return [
        Trainee(
            names[i % len(names)] + ("" if i < len(names) else f" {i}"),
            rng.betavariate(2, 2),
            rng.uniform(6, 40),
        )
        for i in range(count)
    ]


def write_cohort(
    folder: Path, scenarios: Sequence[Scenario], sessions: int, seed: int = 1
) -> list[Path]:
    """Write ``sessions`` logs into ``folder``; returns their paths."""
    rng = random.Random(seed)
    people = trainees(max(1, sessions // 4), rng)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(sessions):
        when = START + timedelta(minutes=7 * i + rng.randrange(7))
        path = write_session(folder, rng.choice(scenarios), rng.choice(people), when, rng)
        if path is not None:
            paths.append(path)
    return paths


def _pick(scenario: Scenario, state: State, who: Trainee, rng: random.Random) -> str:
    offered = engine.available(scenario, state)
    weights = [
        who.leads if c.style == "leader" else 1 - who.leads if c.style == "manager" else 0.5
        for c in offered
    ]
    return rng.choices(offered, weights=[w + 0.05 for w in weights])[0].id


def write_session(
    folder: Path, scenario: Scenario, who: Trainee, when: datetime, rng: random.Random
) -> Path | None:
    roll = rng.random()
    mode = "assessment" if roll < 0.15 else "practice"
    watch = 0.15 <= roll < 0.17
    seed = rng.randrange(1 << 31)
    playing = _Playing(
        scenario,
        seed,
        mode,
        scenario.feedback_mode,
        None if watch else who.name,
        engine.start(scenario, seed),
    )
    log = SessionLog(folder, sync=False, now=lambda: when, watch=watch)
    log.started(playing)
    if log.path is None:
        return None
    stop_after = rng.randrange(1, 6) if rng.random() < 0.14 else None
    rewind_at = rng.randrange(2, 5) if mode == "practice" and rng.random() < 0.12 else None
    resumed = False
    history = [playing.state]
    while not playing.state.over:
        state = playing.state
        if stop_after is not None and state.step >= stop_after:
            if rng.random() < 0.35 and not resumed:  # picked up again later
                resumed = True
                log.close()
                log = SessionLog.reopen(log.path, playing, sync=False)
                stop_after = None
                continue
            break
        choice = _pick(scenario, state, who, rng)
        after = engine.choose(scenario, state, choice)
        elapsed = rng.lognormvariate(0, 0.5) * who.pace
        assert after.last is not None
        log.decided(playing, after.last, after, elapsed)
        playing.state = after
        history.append(after)
        if scenario.scenes[state.scene].reflect and rng.random() < 0.5:
            log.reflected(playing, after.step, rng.choice(REFLECTIONS))
        if after.over:
            log.finished(playing)
        if rewind_at is not None and after.step >= rewind_at:
            back = rng.randrange(0, rewind_at)
            log.rewound(playing, back)
            del history[back + 1 :]
            playing.state = history[-1]
            rewind_at = None
    log.close()
    if log.path is not None:
        _damage(log.path, rng)
    return log.path


def _damage(path: Path, rng: random.Random) -> None:
    """Now and then, what real files suffer: a crash mid-line, a damaged line."""
    roll = rng.random()
    if roll < 0.015:
        with path.open("ab") as f:
            f.write(b'{"type":"decision","step":')  # the process died mid-write
    elif roll < 0.025:
        lines = path.read_bytes().splitlines(keepends=True)
        if len(lines) > 3:
            lines[len(lines) // 2] = b"\x00\x00garbled by a disk error\n"
            path.write_bytes(b"".join(lines))
