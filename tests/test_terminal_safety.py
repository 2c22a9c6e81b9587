"""Text from a scenario file never reaches the terminal as anything but letters.

``tests/data/hostile.yaml`` loads cleanly and carries, in every field a trainee sees, ANSI
(CSI) and OSC sequences (window title, hyperlink, clipboard write), DCS, 8-bit C1 controls,
carriage return, backspace, bell, NUL, DEL, a right-to-left override, Rich/Textual markup and
``[@click=...]`` actions. ``tests/data/hostile-broken.yaml`` is broken in ways whose
diagnostics quote such text. Every command that prints file text is run on them as a
subprocess (as a trainee would run it), and its output must be valid UTF-8 without a single
control character other than newline and tab, without bidi controls, with markup shown
literally (a plain-text command never interprets it) and with the escape sequences' payloads
gone. File names carry escapes too, since a path is file text as well.

The TUI's own markup-injection test lives with the TUI tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.safetext import json_safe, plain
from tests.strategies import AWKWARD_TEXT

DATA = Path(__file__).parent / "data"
HOSTILE = DATA / "hostile.yaml"
BROKEN = DATA / "hostile-broken.yaml"
EVIL_NAME = "evil\x1b]0;PWNED-BY-NAME\x07\x9b2J\u202e.yaml"

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never be printed: C0 except tab and newline, DEL, C1, bidi controls."""

PAYLOADS = ("PWNED", "DCS-PAYLOAD", "C1-OSC", "Y2xpcGJvYXJk", "http://evil.example/")
"""Text inside escape sequences, which goes with them (the link target of an OSC 8 too)."""

LITERAL_MARKUP = (
    "[bold red]MARKUP[/]",
    "[@click=app.quit]CLICK[/]",
    "[link=http://evil.example]L[/link]",
)


def unsafe(text: str) -> list[str]:
    """Each unsafe character with a little context, for a readable failure."""
    return [repr(text[max(0, m.start() - 15) : m.end() + 15]) for m in UNSAFE.finditer(text)]


def leadsim(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the command as a trainee would; the output must decode as UTF-8."""
    done = subprocess.run(
        [sys.executable, "-m", "sim", *args],
        input=stdin.encode(),
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "LEADSIM_HOME": str(home), "NO_COLOR": "1"},
    )
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    return subprocess.CompletedProcess(done.args, done.returncode, out, err)


def assert_safe(done: subprocess.CompletedProcess[str], *, json_out: bool = False) -> str:
    """No unsafe character; in text output, no escape sequence's payload either (JSON keeps
    the whole value, with the controls written as ``\\u`` escapes)."""
    both = done.stdout + done.stderr
    assert not unsafe(both), unsafe(both)
    if not json_out:
        for payload in PAYLOADS:
            assert payload not in both, payload
    return both


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The two hostile files, and the broken one again under a hostile file name."""
    out = tmp_path / "scenarios"
    out.mkdir()
    shutil.copy(HOSTILE, out / HOSTILE.name)
    shutil.copy(BROKEN, out / BROKEN.name)
    shutil.copy(BROKEN, out / EVIL_NAME)
    return out


# --- plain() itself ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(AWKWARD_TEXT)).map("".join)))
def test_plain_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    cleaned = plain(text)
    assert not UNSAFE.search(cleaned)
    assert plain(cleaned) == cleaned


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.characters(
            blacklist_categories=["Cc", "Cs", "Cf", "Zl", "Zp"],
            blacklist_characters="\u3164\uffa0",
        ).filter(lambda c: not 0xE0000 <= ord(c) <= 0xE007F)  # the tag block: spoofing only
    )
)
def test_plain_keeps_text_without_controls_unchanged(text: str) -> None:
    """Letters, markup, right-to-left scripts: all kept as they are (the invisible format
    characters, which plain() keeps only where a script needs them, are tested in
    test_safetext.py)."""
    text = UNSAFE.sub("", text)
    assert plain(text) == text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_json_safe_keeps_the_value_and_escapes_what_a_terminal_acts_on(text: str) -> None:
    dumped = json_safe(json.dumps({"k": text}, ensure_ascii=False))
    assert not UNSAFE.search(dumped)
    assert json.loads(dumped) == {"k": text}


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[31mred\x1b[0m", "ared"),
        ("\x1b]0;title\x07x", "x"),
        ("\x1b]8;;http://e/\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1bPqpayload\x1b\\x", "x"),
        ("\x9b2Jx", "x"),
        ("\x9d0;t\x9cx", "x"),
        ("over\rwrite", "overwrite"),
        ("crlf\r\nline", "crlf\nline"),
        ("tab\tnew\nline", "tab\tnew\nline"),
        ("\u202eevil\u202c", "evil"),
        ("\u05e9\u05dc\u05d5\u05dd \u200f!", "\u05e9\u05dc\u05d5\u05dd \u200f!"),
        ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
    ],
)
def test_plain_examples(raw: str, shown: str) -> None:
    assert plain(raw) == shown


# --- the commands -----------------------------------------------------------------------


def test_the_hostile_fixture_loads_cleanly() -> None:
    """Otherwise the play tests below would only see a diagnostic."""
    from sim.format import loader

    scenario, diags = loader.check(HOSTILE)
    assert scenario is not None, [d.format() for d in diags]


@pytest.mark.parametrize("feedback", ["coach", "consequences", "debrief"])
def test_play_text_shows_every_field_without_escapes(tmp_path: Path, feedback: str) -> None:
    """One playthrough reaches every field: title, summary, meters, speaker, scene text,
    choices (one locked, with its reason), feedback, the reflection question, the ending,
    its lessons and (in debrief) the review of each decision."""
    done = leadsim(
        "play",
        str(HOSTILE),
        "--text",
        "--seed",
        "1",
        "--feedback",
        feedback,
        home=tmp_path,
        stdin="1\nmy \x1b[31manswer\n1\n",
    )
    assert done.returncode == 0, done.stderr
    out = assert_safe(done)
    for markup in LITERAL_MARKUP:
        assert markup in out
    for word in ("Hostile", "Summary", "Speaker", "Scene text", "RLO-REVERSED", "OVERWRITTEN"):
        assert word in out, word
    for word in ("underlined", "Locked reason", "Reflect", "HIDDEN", "Ending text", "Lesson"):
        assert word in out, word
    if feedback != "consequences":
        assert "clipboard-write" in out


def test_play_text_reports_a_broken_hostile_file_safely(tmp_path: Path, folder: Path) -> None:
    done = leadsim("play", str(folder / EVIL_NAME), "--text", home=tmp_path)
    assert done.returncode == 1
    assert "[LS015]" in assert_safe(done)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validate_echoes_keys_values_and_file_names_safely(
    tmp_path: Path, folder: Path, fmt: str
) -> None:
    done = leadsim("validate", "--format", fmt, str(folder), home=tmp_path)
    assert done.returncode == 1
    out = assert_safe(done, json_out=fmt == "json")
    if fmt == "json":
        report = json.loads(done.stdout)
        assert str(folder / EVIL_NAME) in report["files"]  # the value itself is intact
    else:
        for code in ("LS010", "LS012", "LS013", "LS015", "LS020", "LS033", "LS035"):
            assert f"[{code}]" in out, code


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_list_shows_titles_and_broken_entries_safely(
    tmp_path: Path, folder: Path, fmt: str
) -> None:
    (folder / EVIL_NAME).unlink()  # file names: see the test below
    done = leadsim("list", "--dir", str(folder), "--format", fmt, home=tmp_path)
    assert done.returncode == 0
    out = assert_safe(done, json_out=fmt == "json")
    assert "BROKEN" in out or '"error"' in out
    if fmt == "text":
        assert LITERAL_MARKUP[1] in out


def test_list_shows_a_hostile_file_name_safely(tmp_path: Path, folder: Path) -> None:
    done = leadsim("list", "--dir", str(folder), home=tmp_path)
    assert_safe(done)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_reports_safely(tmp_path: Path, fmt: str) -> None:
    done = leadsim("check", str(HOSTILE), "--format", fmt, "--random", "20", home=tmp_path)
    assert_safe(done, json_out=fmt == "json")


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_graph_labels_are_safe(tmp_path: Path, fmt: str) -> None:
    done = leadsim("graph", str(HOSTILE), "--format", fmt, home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert_safe(done)


def test_sessions_and_replay_show_a_hostile_session_safely(tmp_path: Path) -> None:
    """The trainee's name and reflection are typed, not read from the file, but they are
    shown again from the log, alongside the scenario's text."""
    played = leadsim(
        "play",
        str(HOSTILE),
        "--text",
        "--seed",
        "1",
        "--name",
        "Name \x1b]0;PWNED-NAME\x07",
        home=tmp_path,
        stdin="1\nreflection \x1b[2J\x9b31m\n1\n",
    )
    assert played.returncode == 0, played.stderr
    assert_safe(leadsim("sessions", home=tmp_path))
    logs = sorted(tmp_path.rglob("*.jsonl"))
    assert logs
    transcript = leadsim("replay", "--text", str(logs[0]), home=tmp_path)
    assert transcript.returncode == 0, transcript.stderr
    out = assert_safe(transcript)
    assert LITERAL_MARKUP[1] in out
