"""Replaying logs: the transcript, verification, changed scenarios, old sessions as regression
tests, and sessions listing. The replay screen's Pilot test is in test_replay_app.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import engine, log
from sim.format import loader
from sim.log import replay
from sim.model import Scenario
from sim.sessions.session import Session
from tests.helpers import leadsim

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"


def text_session(scenario: Path, logs: Path, seed: int, answers: str, *extra: str) -> Path:
    """Play ``scenario`` in text mode in a subprocess; the new log's path."""
    before = set(log.log_files(logs))
    out = leadsim(
        "play",
        str(scenario),
        "--text",
        "--seed",
        str(seed),
        "--log",
        str(logs),
        "--reflect",  # the answers include reflections
        *extra,
        stdin=answers,
    )
    assert out.returncode in (0, 3), out.stderr  # 3: input ended before an ending
    (new,) = set(log.log_files(logs)) - before
    return new


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A private copy of the fixture scenario a test may edit."""
    path = tmp_path / "scenario.yaml"
    shutil.copy(FIXTURE, path)
    return path


def test_a_text_session_replays_and_verifies(tmp_path: Path) -> None:
    # plan, reflect, review (unlocked by the plan), push? no: review; then celebrate.
    path = text_session(FIXTURE, tmp_path, 3, "1\nquiet team\n3\n2\nwe did it\n", "--name", "Ana")
    out = leadsim("replay", str(path), "--text")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "trainee Ana" in text and "seed 3" in text
    assert "[bold]Not markup[/bold]" in text  # file text printed literally
    assert "> Hand out a detailed plan.  [MANAGER, chosen]" in text
    assert "- Ask the team what they need." in text  # the choices not taken are shown too
    assert "Team trust 50 -> 45 (-5), Results 50 -> 60 (+10)" in text
    assert "Reflection: quiet team" in text and "Flags: +planned" in text
    assert "=== Ending: Mixed (mixed) ===" in text
    assert "Decisions: 1 manager, 2 leader, 0 neutral" in text
    verified = leadsim("replay", str(path), "--verify")
    assert verified.returncode == 0, verified.stdout
    assert "ok" in verified.stdout and "1 agree" in verified.stdout


def test_verify_fails_clearly_when_the_meters_differ(tmp_path: Path, copy: Path) -> None:
    path = text_session(copy, tmp_path / "logs", 3, "2\n\n2\n2\n")  # ask, listen, celebrate
    copy.write_text(copy.read_text().replace("effects: {trust: +10}", "effects: {trust: +12}"))
    out = leadsim("replay", str(path), "--verify")
    assert out.returncode == 1
    assert "DIVERGES" in out.stdout
    assert f"{path}:3: step 2 (tuesday/listen): meters after: trust is 72 now, 70 in the log" in (
        out.stdout
    )
    assert "has changed since this session was recorded" in out.stdout


def test_a_changed_scenario_is_said_plainly_and_the_recording_still_shown(
    tmp_path: Path, copy: Path
) -> None:
    path = text_session(copy, tmp_path / "logs", 3, "2\n\n2\n2\n")
    copy.write_text(copy.read_text().replace("- id: listen", "- id: hear"))
    out = leadsim("replay", str(path), "--text")
    assert out.returncode == 0
    assert "Note: The scenario file" in out.stdout and "has changed" in out.stdout
    assert "Decision 3 - wednesday" in out.stdout  # the recording is shown to the end
    assert "choice 'listen' no longer exists in scene 'tuesday'" in out.stdout


def test_old_sessions_as_regression_tests(tmp_path: Path, copy: Path) -> None:
    logs = tmp_path / "cohort"
    kept = text_session(copy, logs, 3, "1\n\n1\n1\n")  # plan, push, ship -> quit
    gone = text_session(copy, logs, 3, "2\n\n2\n2\n")  # ask, listen, celebrate -> best
    unfinished = text_session(copy, logs, 3, "3\n")  # wait (loops to monday), then stops
    assert leadsim("replay", "--verify", str(logs)).returncode == 0
    text = copy.read_text().replace("- id: listen", "- id: hear")
    text = text.replace('{if: "trust < 40", goto: quit}', '{if: "trust < 30", goto: quit}')
    edited = tmp_path / "edited.yaml"
    edited.write_text(text)
    out = leadsim("replay", "--verify", str(logs), "--against", str(edited))
    assert out.returncode == 1
    report = out.stdout
    assert f"DIVERGES  {kept}" in report
    assert "after step 3: the session now ends at 'mixed'; the log ended at 'quit'" in report
    assert f"DIVERGES  {gone}" in report
    assert "choice 'listen' no longer exists in scene 'tuesday'" in report
    assert f"ok        {unfinished} (1 decisions, unfinished)" in report
    assert "3 session(s) checked: 1 agree with the scenario as it is now, 2 diverge" in report


def test_a_damaged_log_shows_its_intact_part(tmp_path: Path) -> None:
    path = text_session(FIXTURE, tmp_path, 3, "1\nquiet\n1\n1\n")
    rows = path.read_text().splitlines()
    rows[3] = "{broken"
    path.write_text("\n".join(rows) + "\n")
    out = leadsim("replay", str(path), "--text")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"{path}:4: error: damaged line" in out.stderr
    assert "Decision 1 - monday" in out.stdout and "Decision 2" not in out.stdout
    verify = leadsim("replay", str(path), "--verify")
    assert verify.returncode == 1 and f"{path}:4: error" in verify.stderr


def test_a_log_finds_its_scenario_by_id_when_the_file_is_gone(tmp_path: Path, copy: Path) -> None:
    path = text_session(copy, tmp_path / "logs", 3, "2\n")
    copy.unlink()
    out = leadsim("replay", str(path), "--text")
    assert out.returncode == 1
    assert "cannot find scenario 'log-fixture'" in out.stderr and "--scenario FILE" in out.stderr
    elsewhere = tmp_path / "lib"
    elsewhere.mkdir()
    shutil.copy(FIXTURE, elsewhere / "log-fixture.yaml")
    found = leadsim("replay", str(path), "--text", "--dir", str(elsewhere))
    assert found.returncode == 0 and "Decision 1 - monday" in found.stdout


def test_sessions_lists_when_scenario_trainee_and_state(tmp_path: Path) -> None:
    text_session(FIXTURE, tmp_path, 3, "1\n\n1\n1\n", "--name", "Ana")
    text_session(FIXTURE, tmp_path, 4, "2\n", "--name", "Bo")
    out = leadsim("sessions", str(tmp_path))
    assert out.returncode == 0
    rows = out.stdout.splitlines()
    assert rows[0].split() == ["when", "(UTC)", "scenario", "trainee", "mode", "state", "log"]
    assert "log-fixture" in rows[1] and "Ana" in rows[1] and "ended: quit" in rows[1]
    assert "practice" in rows[1]
    assert "Bo" in rows[2] and "unfinished, before decision 2" in rows[2]
    empty = leadsim("sessions", str(tmp_path / "none"))
    assert empty.returncode == 1 and "no such folder" in empty.stderr


# --- the walker, directly -----------------------------------------------------------------


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**31 - 1))
def test_any_session_with_rewinds_verifies_and_walks_to_the_same_state(
    data: st.DataObject, seed: int, scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("walk")
    session = Session(scenario, seed, recorder=log.SessionLog(folder, sync=False)).begin()
    for _ in range(data.draw(st.integers(1, 30), label="events")):
        if session.step and (session.over or data.draw(st.integers(0, 5)) == 0):
            session.rewind(data.draw(st.integers(0, session.step - 1), label="rewind to"))
            continue
        ids = [c.id for c in engine.available(scenario, session.state)]
        session.choose(data.draw(st.sampled_from(ids), label="choice"))
        if data.draw(st.booleans(), label="reflect"):
            session.reflect("a thought")
    path = session.recorder.path  # type: ignore[union-attr]
    verdict = replay.verify(path)
    assert verdict.ok, verdict.divergences
    walks = []
    for keep_every_state in (True, False):
        reader, header, records = replay.open_log(path)
        located = replay.find_scenario(header, path)
        walker = replay.Walker(
            located, header, path, None if keep_every_state else reader.rewind_targets()
        )
        steps = [walker.feed(r) for r in records]
        assert walker.state == session.state
        walks.append(steps)
    assert walks[0] == walks[1]  # keeping only the rewind targets walks the same way


def test_a_forged_header_cannot_make_replay_read_a_file_that_is_not_a_scenario(
    tmp_path: Path, copy: Path
) -> None:
    path = text_session(copy, tmp_path / "logs", 3, "2\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("id: not-for-you\ntitle: private notes\n")
    stranger = tmp_path / "stranger.yaml"  # a scenario file the id names as a path
    shutil.copy(FIXTURE, stranger)
    text = path.read_text()
    for recorded, scenario_id in [
        (str(secret), "log-fixture"),  # a recorded file that is not .yaml is not opened
        ("/nowhere/gone.yaml", str(stranger)),  # an id that is a path is not a path
        ("/nowhere/gone.yaml", "../stranger"),
    ]:
        forged = text.replace(str(copy.resolve()), recorded).replace(
            '"scenario":"log-fixture"', f'"scenario":{json.dumps(scenario_id)}'
        )
        path.write_text(forged)
        out = leadsim("replay", str(path), "--text")
        assert out.returncode == 1 and "Traceback" not in out.stderr
        assert "cannot find scenario" in out.stderr, (recorded, scenario_id)
        assert "private notes" not in out.stdout + out.stderr
        assert "Decision 1" not in out.stdout  # nothing was replayed against a stray file
