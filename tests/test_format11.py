"""Format 1.1: outcomes, conditional text, values in text and narration scenes, from the file
through the engine, the analyser, the log (replay, verify, resume) and the text mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim import engine, prose
from sim.analysis import explore, lint
from sim.format import loader
from sim.log import LogFile, NarrationRecord
from sim.model import CONTINUE, Text
from sim.sessions import lifecycle
from sim.sessions.session import Session
from tests.helpers import leadsim

DATA = Path(__file__).parent / "data"
FILE = DATA / "format11.yaml"
SOURCE = FILE.read_text(encoding="utf-8")


def codes(text: str) -> list[tuple[str, int, int]]:
    _, diags = loader.parse_text(text, "s.yaml")
    return [(d.code, d.line, d.column) for d in diags if d.severity == "error"]


def play(*choices: str, trainee: str | None = "Alex") -> Session:
    s = Session(loader.load(FILE), seed=1, trainee=trainee)
    for choice in choices:
        s.choose(choice)
    return s


# --- loading ------------------------------------------------------------------------------


def test_the_fixture_loads_as_format_1_1() -> None:
    sc = loader.load(FILE)
    assert sc.format == "1.1"
    assert sc.scenes["morning"].narration and not sc.scenes["monday"].narration
    assert isinstance(sc.scenes["monday"].choice("ask").outcome, Text)  # type: ignore[union-attr]
    assert sc.scenes["monday"].choice("order").outcome == "Dana says nothing and leaves."  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("old", "new", "code", "line", "column"),
    [
        # a bad condition inside a text part is reported inside the condition
        ('{if: "trust >= 60", text:', '{if: "trust >= ", text:', "LS020", 24, 28),
        ('{if: "trust >= 60", text:', '{if: "trsut >= 60", text:', "LS021", 24, 19),
        ("      - if: asked\n", "      - if: askd\n", "LS021", 37, 13),
        # values: unknown name, unknown field, unclosed
        ("stands at ${trust};", "stands at ${trsut};", "LS022", 16, 40),
        ("stands at ${trust};", "stands at ${trust.max};", "LS022", 16, 40),
        ("stands at ${trust};", "stands at ${trust;", "LS022", 16, 40),
        # a part that is neither text nor {if, text}
        ("      - Ask before you order.\n", "      - {a: b}\n", "LS011", 53, 9),
        ("      - Ask before you order.\n", "      - [[a]]\n", "LS012", 53, 10),
        (", else: She stays wary.}", ", els: She stays wary.}", "LS010", 24, 75),
        # narration: both choices and next
        (
            '    next:\n      - {if: "trust < 45"',
            '    choices: []\n    next:\n      - {if: "trust < 45"',
            "LS013",
            0,
            0,
        ),
    ],
)
def test_broken_format_11_elements_are_load_errors_at_their_place(
    old: str, new: str, code: str, line: int, column: int
) -> None:
    text = SOURCE.replace(old, new, 1)
    assert text != SOURCE
    found = codes(text)
    assert code in [c for c, _, _ in found], found
    if line:
        assert (code, line, column) in found, found


def test_format_1_files_keep_dollar_braces_as_text_and_refuse_the_new_elements() -> None:
    one = SOURCE.replace("format: 1.1\n", "")
    found = {c for c, _, _ in codes(one)}
    assert found == {"LS016"}  # lists of parts, outcome, narration 'next'
    plain = (
        "scenario: demo\ntitle: Demo\nmeters:\n  trust: {label: Trust, start: 50}\nstart: one\n"
        "scenes:\n  one:\n    text: 'Costs ${x} and ${trust}.'\n    choices:\n"
        "      - {id: go, text: Go., style: leader, next: done}\n"
        "endings:\n  done: {title: Done, text: End.}\n"
    )
    sc = loader.loads(plain)
    assert sc.scenes["one"].text == "Costs ${x} and ${trust}."
    assert sc.format == "1"


def test_an_unknown_format_names_the_ones_read() -> None:
    _, diags = loader.parse_text(SOURCE.replace("format: 1.1", "format: 1.2"), "s.yaml")
    assert [d.code for d in diags] == ["LS013"] and "1 and 1.1" in diags[0].hint


# --- the engine ---------------------------------------------------------------------------


def test_text_follows_the_path() -> None:
    asked = play("ask")
    sc = asked.scenario
    assert asked.say(sc.scenes["morning"].text) == (
        "The next morning the line is quiet.\n\nDana is already fixing the jig."
    )
    ordered = play("order")
    assert ordered.say(sc.scenes["morning"].text) == (
        "The next morning the line is quiet.\n\nDana avoids your eyes."
    )
    # the outcome is read after the choice's effects: trust 60 after asking
    assert asked.say(sc.scenes["monday"].choice("ask").outcome, 1).endswith(  # type: ignore[union-attr]
        "She looks relieved that you asked."
    )


def test_values_are_inserted_as_plain_text() -> None:
    s = play()
    text = s.say(s.scenario.scenes["monday"].text)
    assert text == (
        "Alex, the night shift missed its target again.\n\n"
        "Your Team trust stands at 50; prices say ${price}."
    )
    assert play(trainee=None).say(s.scenario.scenes["monday"].text).startswith("you, the night")
    hostile = play(trainee="[@click=app.quit]x[/] \x1b[2J")
    assert "[@click=app.quit]x[/] \x1b[2J" in hostile.say(s.scenario.scenes["monday"].text)


def test_a_failed_condition_without_else_leaves_the_part_out() -> None:
    sc = loader.load(FILE)
    end = engine.run(sc, 1, ["order", CONTINUE])
    assert end.ending == "cold"
    asked_end = engine.run(sc, 1, ["ask", CONTINUE])
    warm = sc.endings["warm"]
    assert [prose.say(sc, asked_end, lesson) for lesson in warm.lessons] == [
        "Ask before you order.",
        "",
    ]


def test_narration_moves_on_without_a_style_or_a_change() -> None:
    s = play("ask")
    assert [o.choice.id for o in s.offers()] == [CONTINUE]
    before = s.state
    d = s.choose(CONTINUE)
    assert d.before == d.after == before.meters
    assert s.state.ending == "warm"
    assert engine.tally_by_style(s.state) == {"manager": 0, "leader": 1, "neutral": 0}


# --- the analyser ------------------------------------------------------------------------


def test_conditions_in_text_do_not_grow_the_state_space() -> None:
    base = loader.load(FILE)
    reads = loader.loads(
        SOURCE.replace(
            "      - The next morning the line is quiet.\n",
            "      - The next morning the line is quiet.\n"
            "      - {if: \"visits('monday') >= 3 and output > 55\", text: Again?}\n",
        )
    )
    assert explore.explore(reads).states == explore.explore(base).states


def test_a_flag_read_only_by_text_counts_as_read() -> None:
    no_text_read = SOURCE.replace("if: asked\n", "if: 'trust > 0'\n").replace(
        "{if: asked, text: The new jig", "{if: 'trust > 0', text: The new jig"
    )
    no_text_read = no_text_read.replace('{if: "not asked"', '{if: "trust < 0"').replace(
        '{if: asked, text: "What did', "{if: 'trust > 0', text: \"What did"
    )
    assert "LS131" in [d.code for d in lint.lint(loader.loads(no_text_read))]
    assert "LS131" not in [d.code for d in lint.lint(loader.load(FILE))]


def test_personas_pass_through_narration_and_routes_from_it_are_explored() -> None:
    found = explore.explore(loader.load(FILE))
    assert found.complete and set(found.endings) == {"warm", "cold"}
    leader = explore.explore(loader.load(FILE), persona=explore.PERSONAS[1])
    assert set(leader.endings) == {"warm"}
    assert leader.endings["warm"].styles["neutral"] == (0, 0)


# --- the log ---------------------------------------------------------------------------


def test_narration_is_logged_and_replays_verifies_and_resumes(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    out = leadsim(
        "play", str(FILE), "--text", "--seed", "1", "--name", "Alex", "--log", str(path),
        stdin="1\n\n",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0]["format"] == 2
    assert [line["type"] for line in lines] == ["session", "decision", "narration", "end"]
    records = list(LogFile(path).records())
    assert isinstance(records[2], NarrationRecord) and records[2].goto == "warm"

    verify = leadsim("replay", str(path), "--verify")
    assert verify.returncode == 0 and "ok" in verify.stdout
    text = leadsim("replay", str(path), "--text").stdout
    assert "Alex, the night shift" in text and "Dana is already fixing the jig." in text
    assert "> (read on)" in text and "She looks relieved that you asked." in text
    assert "The new jig insert halves assembly time." in text

    # cut before the end: resume rebuilds the narration step too
    path.write_text("\n".join(path.read_text().splitlines()[:2]) + "\n")
    half = tmp_path / "half.jsonl"
    half.write_text(path.read_text())
    resumed = lifecycle.resume_session(half)
    assert resumed.session.step == 1 and resumed.session.state.scene == "morning"
    whole = tmp_path / "whole.jsonl"
    lines_text = [json.dumps(line) for line in lines[:3]]
    whole.write_text("\n".join(lines_text) + "\n")
    resumed = lifecycle.resume_session(whole)
    assert resumed.session.over and resumed.session.state.ending == "warm"


def test_a_narration_line_that_disagrees_is_a_divergence(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    leadsim("play", str(FILE), "--text", "--seed", "1", "--log", str(path), stdin="2\n\n")
    text = path.read_text().replace(
        '"narration","step":2,"scene":"morning","meters":{"trust":40',
        '"narration","step":2,"scene":"morning","meters":{"trust":45',
    )
    path.write_text(text)
    verify = leadsim("replay", str(path), "--verify")
    assert verify.returncode == 1 and "DIVERGES" in verify.stdout


def test_format_1_scenarios_still_write_format_1_logs(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    leadsim(
        "play", str(DATA / "small.yaml"), "--text", "--seed", "1", "--log", str(path), stdin="q\n"
    )
    assert json.loads(path.read_text().splitlines()[0])["format"] == 1


def test_a_format_2_log_is_refused_by_nothing_older_than_it_reads(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    leadsim("play", str(FILE), "--text", "--seed", "1", "--log", str(path), stdin="1\n\n")
    three = path.read_text().replace('"format":2', '"format":3', 1)
    path.write_text(three)
    assert "newer than this leadsim reads (2)" in leadsim("replay", str(path), "--text").stderr


# --- text mode ---------------------------------------------------------------------------


def test_text_mode_shows_the_outcome_in_every_feedback_mode() -> None:
    for mode in ("coach", "consequences", "debrief"):
        out = leadsim(
            "play", str(FILE), "--text", "--seed", "1", "--feedback", mode, stdin="2\n\n",
        )  # fmt: skip
        assert "Dana says nothing and leaves." in out.stdout, mode
        coach_note = "Orders move numbers, not people."
        assert (coach_note in out.stdout) == (mode in ("coach", "debrief")), mode
        assert "Dana avoids your eyes." in out.stdout
        assert "Enter to continue >" in out.stdout
        assert "The shift ends with 40 trust." in out.stdout
        assert "An order without a reason costs trust." in out.stdout
        assert "Continue" not in out.stdout.split("--- Decision 2 ---")[1].split("Enter")[0]


def test_replay_without_a_name_reads_you() -> None:
    sc = loader.load(FILE)
    assert prose.say(sc, None, sc.scenes["monday"].text).startswith("you, the night")
