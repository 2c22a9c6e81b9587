"""Text mode as a script sees it: every input line answers a choice (reflections are asked
only at a terminal or with --reflect), lines wrap at word boundaries to 80 columns when
stdout is not a terminal, and input that ends early says how to resume."""

from __future__ import annotations

from pathlib import Path

from sim import log
from sim.format import library, loader
from sim.sessions.session import Session
from tests.helpers import leadsim

FRIDAY = library.shipped_dir() / "friday-shipment.yaml"


def test_piped_answers_are_choices_never_reflections(tmp_path: Path) -> None:
    answers = [2, 1, 2, 2]
    args = ["play", "friday-shipment", "--text", "--seed", "5", "--log", str(tmp_path)]
    out = leadsim(*args, stdin="".join(f"{a}\n" for a in answers))
    assert out.returncode == 3, out.stderr  # input ended before an ending
    (path,) = log.log_files(tmp_path)
    assert f"stopped before an ending; resume with `leadsim resume {path}`" in out.stderr
    records = list(log.LogFile(path).records())
    assert not any(isinstance(r, log.ReflectionRecord) for r in records)
    taken = [r.choice for r in records if isinstance(r, log.DecisionRecord)]
    # The same answers, applied as choices one after another, give the same decisions.
    session = Session(loader.load(FRIDAY), 5)
    for answer in answers:
        offered = [o.choice.id for o in session.offers() if o.available]
        session.choose(offered[answer - 1])
    assert taken == session.choice_ids()
    flowing = " ".join(out.stdout.split())
    assert "Reflect: " in flowing and "(not asked: input is not a terminal" in flowing


def test_reflect_flag_reads_the_answer_after_a_reflecting_scene(tmp_path: Path) -> None:
    args = ["play", "friday-shipment", "--text", "--reflect", "--seed", "5", "--log", str(tmp_path)]
    out = leadsim(*args, stdin="2\n1\nAnna's rig\n")
    assert out.returncode == 3
    (path,) = log.log_files(tmp_path)
    reflections = [r for r in log.LogFile(path).records() if isinstance(r, log.ReflectionRecord)]
    assert [(r.step, r.answer) for r in reflections] == [(2, "Anna's rig")]


def test_text_wraps_at_word_boundaries_to_80_columns(tmp_path: Path) -> None:
    out = leadsim("play", "friday-shipment", "--text", "--seed", "5", "--log", str(tmp_path))
    lines = out.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = set(out.stdout.split())
    scene = loader.load(FRIDAY).scenes["monday-call"]
    assert set(scene.text.split()) <= words  # no word broken across lines ("Michae / l")
    assert scene.title  # the scene's title is shown, never its id
    assert f"--- {scene.title} ---" in out.stdout and "monday-call" not in out.stdout
