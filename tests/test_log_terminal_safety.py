"""Strings from a log or a file name reach the terminal only cleaned (issue 14, item 2).

A log's header is as untrusted as a scenario file: a forged ``started`` once set the
terminal's title through the resume offer. Here every free-text header field carries escape
sequences, C1 controls, bidi overrides and invisible characters, and the log's *file name*
carries a newline followed by what looks like a diagnostic. `sessions`, the text-mode resume
offer, `replay --text`, `replay --verify` and `resume` must print none of it raw, and no
output line may begin with the forged ``path:line:col:`` text.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from sim import log
from sim.format import loader
from sim.log import LogError
from sim.model import Scenario
from sim.safetext import one_line, shell_word
from sim.sessions.request import Request
from sim.sessions.session import Session
from sim.text.offer import offer_text
from tests.helpers import leadsim
from tests.test_terminal_safety import PAYLOADS, unsafe

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"
FORGED = "forged.yaml:1:1: error: FORGED"
EVIL_NAME = f"evil\n{FORGED}\x1b]0;PWNED-NAME\x07\u202e.jsonl"
HOSTILE_HEADER = {
    "started": "2026-01-01T09:00\x1b]0;PWNED-STARTED\x07\u200b",
    "trainee": "Ana\x1b[2J\x9b31m\u202e\u2066",
    "title": "Title\x1bP DCS-PAYLOAD \x1b\\\ufeff",
    "version": "1\x9d C1-OSC \x9c",
    "app": "0.1\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07",
}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


@pytest.fixture
def sessions(tmp_path: Path, scenario: Scenario) -> Path:
    """A folder with one unfinished session whose header and file name are hostile."""
    folder = tmp_path / "sessions"
    session = Session(scenario, 3, recorder=log.SessionLog(folder)).begin()
    session.choose("plan")
    assert isinstance(session.recorder, log.SessionLog) and session.recorder.path is not None
    session.recorder.close()
    lines = session.recorder.path.read_text().splitlines(keepends=True)
    header = {**json.loads(lines[0]), **HOSTILE_HEADER}
    (folder / EVIL_NAME).write_text(json.dumps(header) + "\n" + "".join(lines[1:]))
    session.recorder.path.unlink()
    return folder


def clean(text: str) -> str:
    assert not unsafe(text), unsafe(text)
    for payload in PAYLOADS:
        assert payload not in text, payload
    assert not re.search(r"^forged\.yaml:1:1", text, re.MULTILINE), text
    return text


@pytest.mark.parametrize(
    "args",
    [
        ("sessions", "{folder}"),
        ("replay", "--text", "{log}"),
        ("replay", "--verify", "{log}"),
        ("replay", "--verify", "{folder}"),
        ("resume", "--text", "{log}"),
        ("resume", "--text", "{folder}/missing\n" + FORGED + ".jsonl"),
    ],
)
def test_commands_print_log_values_and_file_names_cleaned(
    sessions: Path, args: tuple[str, ...]
) -> None:
    path = sessions / EVIL_NAME
    done = leadsim(
        *(a.format(folder=sessions, log=path) for a in args),
        stdin="1\n",
        env={"LEADSIM_HOME": str(sessions.parent)},
    )
    assert "Traceback" not in done.stderr
    clean(done.stdout + done.stderr)
    if args[0] == "resume" and "missing" not in args[-1]:
        # One answer, then the input ends: the session waits to be resumed (exit 3).
        assert done.returncode == 3 and "stopped before an ending" in done.stderr, done.stderr
    elif args[0] != "sessions" and "missing" not in args[-1]:
        assert done.returncode == 0, done.stderr
    if args[0] == "replay" and args[1] == "--text":
        assert "Title" in done.stdout and "Ana" in done.stdout  # the letters are kept


def test_the_text_resume_offer_prints_the_header_cleaned(
    sessions: Path, scenario: Scenario
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = io.StringIO()
    request = Request(log=sessions, trainee=HOSTILE_HEADER["trainee"])
    session = offer_text(scenario, request, [], Terminal("y\n"), out)
    assert session is not None and session.choice_ids() == ["plan"]
    shown = clean(out.getvalue())
    assert "started 2026-01-01 09:00 UTC" in shown and "trainee Ana" in shown
    assert "evil\\nforged.yaml:1:1" in shown  # the name, on one line, escaped


def test_a_diagnostic_about_a_file_stays_on_one_line() -> None:
    """What the TUI notifies and every command prints for an unreadable log."""
    text = LogError(f"x\n{FORGED}\x1b[31m.jsonl", 3, "bad\nline", "fix\tit").format()
    assert "\n" not in text and "\x1b" not in text
    assert text == "x\\nforged.yaml:1:1: error: FORGED.jsonl:3: error: bad\\nline; fix\\tit"
    assert one_line(Path("a\nb")) == "a\\nb"
    assert shell_word(f"my scenario\n{FORGED}.yaml") == f"'my scenario\\n{FORGED}.yaml'"
