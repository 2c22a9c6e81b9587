"""Signed logs (issue 14, item 8): with ``LEADSIM_SIGNING_KEY_FILE`` set, every line is signed
(HMAC-SHA256, chained); `replay --verify --key FILE` reports unsigned, edited, truncated,
dropped, reordered and foreign lines, each at its line."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from sim import log
from sim.format import loader
from sim.log import replay, signing
from sim.model import Scenario
from sim.sessions.lifecycle import continue_session
from sim.sessions.session import Session
from tests.helpers import leadsim

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


@pytest.fixture
def key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = signing.create_key_file(tmp_path / "server.key")
    monkeypatch.setenv(signing.KEY_ENV, str(path))
    return path


def played(scenario: Scenario, folder: Path, seed: int = 3, *, finish: bool = True) -> Path:
    session = Session(scenario, seed, recorder=log.SessionLog(folder)).begin()
    session.choose("plan")
    session.reflect("quiet")
    session.choose("review")
    if finish:
        session.choose("ship")
    assert isinstance(session.recorder, log.SessionLog) and session.recorder.path is not None
    session.recorder.close()
    return session.recorder.path


def problems(path: Path, key: Path) -> list[tuple[int, str]]:
    verdict = replay.verify(path, key=signing.read_key(key))
    return [(p.line, p.message) for p in verdict.signatures]


def test_the_key_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    path = signing.create_key_file(tmp_path / "k")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(signing.read_key(path)) == 64
    with pytest.raises(FileExistsError):
        signing.create_key_file(path)


def test_a_signed_log_verifies_and_reads_as_any_log(
    scenario: Scenario, tmp_path: Path, key: Path
) -> None:
    path = played(scenario, tmp_path)
    assert all('"sig":"' in line for line in path.read_text().splitlines())
    assert problems(path, key) == []
    done = leadsim("replay", "--verify", "--key", str(key), str(path))
    assert done.returncode == 0 and "(signed, 3 decisions" in done.stdout
    assert leadsim("replay", "--text", str(path)).returncode == 0


def broken(path: Path, key: Path, lines: list[str]) -> list[tuple[int, str]]:
    """The signature problems of ``path`` rewritten as ``lines``, each as (line, gist)."""
    path.write_text("".join(lines))
    gists = {
        "does not match": "edited",
        "not signed": "unsigned",
        "cut off": "truncated",
        "missing before it": "order",
        "repeated or out of order": "order",
    }
    return [
        (line, next((g for k, g in gists.items() if k in message), message))
        for line, message in problems(path, key)
    ]


def test_each_kind_of_tampering_is_reported_at_its_line(
    scenario: Scenario, tmp_path: Path, key: Path
) -> None:
    path = played(scenario, tmp_path)
    h, d1, refl, d2, d3, end = path.read_text().splitlines(keepends=True)
    edited = d1.replace('"elapsed":', '"elapsed":1')
    assert broken(path, key, [h, edited, refl, d2, d3, end]) == [(2, "edited")]
    unsigned = d1[: d1.index(',"sig":')] + "}\n"
    assert broken(path, key, [h, unsigned, refl, d2, d3, end]) == [(2, "unsigned")]
    assert broken(path, key, [h, d1, refl, d2, d3, end[:30]]) == [(6, "truncated")]
    assert broken(path, key, [h, d1, d2, d3, end]) == [(3, "order")]  # reflection dropped
    assert broken(path, key, [h, d1, d2, refl, d3, end]) == [(3, "order"), (4, "order")]
    assert broken(path, key, [h, d1, refl, d2, d3, end]) == []


def test_a_line_from_another_log_does_not_verify(
    scenario: Scenario, tmp_path: Path, key: Path
) -> None:
    """Same scenario, same seed, same choices: the lines differ only in the chain."""
    ours = played(scenario, tmp_path / "a")
    theirs = played(scenario, tmp_path / "b")
    mine = ours.read_text().splitlines(keepends=True)
    other = theirs.read_text().splitlines(keepends=True)
    assert broken(ours, key, [*mine[:4], other[4], mine[5]]) == [(5, "edited")]


def test_an_unsigned_or_wrongly_keyed_log_fails_verify_with_the_key(
    scenario: Scenario, tmp_path: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(signing.KEY_ENV)
    path = played(scenario, tmp_path)  # a trainee's own, unsigned log
    done = leadsim("replay", "--verify", "--key", str(key), str(path))
    assert done.returncode == 1 and f"SIGNATURE {path}" in done.stdout
    assert f"{path}:1: the line is not signed" in done.stdout
    assert "1 with signature problems" in done.stdout
    monkeypatch.setenv(signing.KEY_ENV, str(key))
    signed = played(scenario, tmp_path / "s")
    other = signing.create_key_file(tmp_path / "other.key")
    assert problems(signed, other)[0][0] == 1  # another key: the header already fails
    missing = leadsim("replay", "--verify", "--key", str(tmp_path / "nope"), str(signed))
    assert missing.returncode == 1 and "cannot read the key file" in missing.stderr


def test_resume_continues_the_chain(scenario: Scenario, tmp_path: Path, key: Path) -> None:
    path = played(scenario, tmp_path, finish=False)
    with path.open("ab") as f:  # a crash cut the next line
        f.write(b'{"type":"decision","step":3,"sce')
    session, _notes = continue_session(path)
    session.choose("ship")
    assert isinstance(session.recorder, log.SessionLog)
    session.recorder.close()
    assert problems(path, key) == []
    assert replay.verify(path, key=signing.read_key(key)).ok


def test_a_tampered_signed_log_is_not_resumed(
    scenario: Scenario, tmp_path: Path, key: Path
) -> None:
    path = played(scenario, tmp_path, finish=False)
    text = path.read_text()
    path.write_text(text.replace('"elapsed":', '"elapsed":1', 1))
    before = path.read_bytes()
    with pytest.raises(log.LogError, match="its signature does not check out"):
        continue_session(path)
    assert path.read_bytes() == before


def test_an_unreadable_key_warns_and_the_log_is_kept_unsigned(
    scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(signing.KEY_ENV, str(tmp_path / "no-such.key"))
    warnings: list[str] = []
    session = Session(scenario, 3, recorder=log.SessionLog(tmp_path, warn=warnings.append))
    session.begin().choose("plan")
    assert "cannot read the key file" in warnings[0] and "written unsigned" in warnings[0]
    assert isinstance(session.recorder, log.SessionLog) and session.recorder.path is not None
    lines = session.recorder.path.read_text().splitlines()
    assert len(lines) == 2 and all("sig" not in json.loads(line) for line in lines)
