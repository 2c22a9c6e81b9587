"""Sessions as xAPI statements, the assessment pass rule, the LRS config, and read-back."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import jsonschema
import pytest
import yaml

from sim.format import loader, schema
from sim.format.diagnostics import ScenarioError
from sim.log import Header, LogFile
from sim.xapi import config, vocab
from sim.xapi.config import Options
from sim.xapi.readback import sessions_from
from sim.xapi.statements import convert
from tests.helpers import leadsim
from tests.lrs.sessions import SMALL, as_sent, graded, play

ISO_DURATION = re.compile(r"PT\d+(\.\d+)?S\Z")


def verbs(statements: list[dict]) -> list[str]:
    return [s["verb"]["display"]["en-US"] for s in statements]


def ext(statement: dict, key: str) -> object:
    return statement["context"]["extensions"][key]


def test_a_session_becomes_initialized_answered_completed_terminated(tmp_path: Path) -> None:
    log = play(tmp_path, trainee="Ana")
    records = list(LogFile(log).records())
    header = records[0]
    assert isinstance(header, Header)
    decisions = [r for r in records if type(r).__name__ == "DecisionRecord"]
    out = convert(log, Options()).statements
    assert verbs(out) == ["initialized"] + ["answered"] * len(decisions) + [
        "completed",
        "terminated",
    ]
    assert {s["context"]["registration"] for s in out} == {header.session}
    assert {s["actor"]["account"]["name"] for s in out} == {"Ana"}
    assert all(ext(s, vocab.SEED) == 1 and ext(s, vocab.SHA256) == header.sha256 for s in out)
    assert all(ext(s, vocab.APP) == header.app for s in out)
    for statement, decision in zip(out[1:], decisions, strict=False):
        obj = statement["object"]
        assert obj["definition"]["interactionType"] == "choice"
        assert obj["id"] == f"{config.DEFAULT_BASE}scenarios/small-office/scenes/{decision.scene}"
        offered = [c["id"] for c in obj["definition"]["choices"]]
        assert decision.choice in offered
        result = statement["result"]
        assert result["response"] == decision.choice
        assert ISO_DURATION.match(result["duration"])
        assert result["extensions"][vocab.STYLE] == decision.style
        assert result["extensions"][vocab.BEFORE] == decision.before
        assert result["extensions"][vocab.AFTER] == decision.after
    # The first scene offers all three choices when trust is 50 (none hidden).
    assert [c["id"] for c in out[1]["object"]["definition"]["choices"]] == [
        "assign",
        "huddle",
        "wait",
    ]
    completed = out[-2]["result"]
    end = records[-1]
    assert completed["extensions"][vocab.ENDING] == end.ending  # type: ignore[union-attr]
    outcome = loader.load(SMALL).endings[end.ending].outcome  # type: ignore[union-attr]
    assert completed["extensions"][vocab.OUTCOME] == outcome
    assert completed["score"]["raw"] == vocab.SCORE[outcome]  # type: ignore[index]
    assert completed["score"]["scaled"] == round(vocab.SCORE[outcome] / 3, 4)  # type: ignore[index]
    assert completed["extensions"][vocab.TALLY] == end.tally  # type: ignore[union-attr]
    assert completed["extensions"][vocab.LEAN]  # the trait pairs the path exercised


def test_statements_are_the_same_every_time_so_sending_twice_stores_once(tmp_path: Path) -> None:
    log = play(tmp_path)
    first, again = convert(log, Options()).statements, convert(log, Options()).statements
    assert first == again
    ids = [s["id"] for s in first]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 5 for i in ids)
    times = [s["timestamp"] for s in first]
    assert times == sorted(times)


def test_lines_added_later_leave_the_earlier_statements_unchanged(tmp_path: Path) -> None:
    log = play(tmp_path)
    lines = log.read_bytes().splitlines(keepends=True)
    early = tmp_path / "early" / log.name
    early.parent.mkdir()
    early.write_bytes(b"".join(lines[:3]))
    before = convert(early, Options()).statements
    after = convert(log, Options()).statements
    assert after[: len(before)] == before


def test_assessment_with_a_pass_rule_says_passed_or_failed(tmp_path: Path) -> None:
    best_only = graded(tmp_path, "[best]")
    verdicts = set()
    for pick in range(3):
        log = play(tmp_path, best_only, mode="assessment", pick=pick)
        out = convert(log, Options()).statements
        ending = json.loads(log.read_text().splitlines()[-1])["ending"]
        outcome = loader.load(best_only).endings[ending].outcome
        verdict = [v for v in verbs(out) if v in ("passed", "failed")]
        assert verdict == ["passed" if outcome == "best" else "failed"]
        verdicts.add(verdict[0])
        assert verbs(out)[-1] == "terminated"
    assert "failed" in verdicts
    practice = convert(play(tmp_path, best_only), Options()).statements
    no_rule = convert(play(tmp_path, SMALL, mode="assessment"), Options()).statements
    assert not {"passed", "failed"} & set(verbs(practice) + verbs(no_rule))


def test_the_pass_rule_in_the_format(tmp_path: Path) -> None:
    path = graded(tmp_path, "[best, good]")
    assert loader.load(path).passing == {"best", "good"}
    assert loader.load(SMALL).passing is None
    jsonschema.validate(yaml.safe_load(path.read_text()), schema.load())
    typo = graded(tmp_path, "[bets]")
    with pytest.raises(ScenarioError) as e:
        loader.load(typo)
    message = e.value.diagnostics[0].format()
    assert re.search(r"graded.yaml:\d+:\d+: error: assessment pass names outcome 'bets'", message)
    assert "did you mean 'best'" in message
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(typo.read_text()), schema.load())


def test_without_its_scenario_a_log_still_converts_with_every_recorded_fact(
    tmp_path: Path,
) -> None:
    scenario = tmp_path / "gone.yaml"
    scenario.write_text(SMALL.read_text().replace("small-office", "gone-office"))
    log = play(tmp_path, scenario)
    scenario.unlink()
    converted = convert(log, Options())
    assert converted.notes  # says what is missing
    answered = [s for s in converted.statements if verbs([s]) == ["answered"]]
    assert answered and all("choices" not in s["object"]["definition"] for s in answered)
    assert all(s["result"]["response"] for s in answered)
    assert "score" not in converted.statements[-2]["result"]


def test_actor_options_account_or_mbox(tmp_path: Path) -> None:
    log = play(tmp_path, trainee="Zoë O'Neil")
    mine = Options(activity_base="https://learn.example.com/sim/", home_page="https://hr.example")
    out = convert(log, mine).statements
    assert out[0]["actor"]["account"] == {"homePage": "https://hr.example", "name": "Zoë O'Neil"}
    assert out[0]["object"]["id"] == "https://learn.example.com/sim/scenarios/small-office"
    mail = convert(log, Options(mbox_domain="example.com")).statements
    assert mail[0]["actor"]["mbox"] == "mailto:zoe.o.neil@example.com"


def test_read_back_rebuilds_the_header_and_records_the_log_reader_gives(tmp_path: Path) -> None:
    logs = [
        play(tmp_path, rewind_to=1, reflect="I wanted speed."),
        play(tmp_path, seed=4, pick=1, trainee=None),
    ]
    statements = [s for log in logs for s in convert(log, Options()).statements]
    statements.reverse()  # an LRS returns them in any order
    statements.append({"id": "x", "context": {"registration": "y"}})  # someone else's
    sessions = sessions_from(statements)
    assert len(sessions) == 2
    for log in logs:
        records = list(LogFile(log).records())
        header = records[0]
        assert isinstance(header, Header)
        back = next(s for s in sessions if s.header.session == header.session)
        assert back.problem is None
        assert back.header == as_sent(header)
        assert list(back.records) == records[1:]
    kinds = {type(r).__name__ for s in sessions for r in s.records}
    assert {"DecisionRecord", "RewindRecord", "ReflectionRecord", "EndRecord"} <= kinds


def test_read_back_stops_at_a_missing_or_damaged_line(tmp_path: Path) -> None:
    out = convert(play(tmp_path), Options()).statements
    missing = [s for s in out if ext(s, vocab.LINE) != 3]
    (session,) = sessions_from(missing)
    assert session.problem is not None and len(session.records) == 1
    assert session.problem.line == 3 and "not in the LRS" in session.problem.format()
    damaged = json.loads(json.dumps(out))
    damaged[2]["context"]["extensions"][vocab.RECORD]["step"] = "two"
    (session,) = sessions_from(damaged)
    assert session.problem is not None and len(session.records) == 1
    assert ":3: error: damaged statement" in session.problem.format()


def test_the_xapi_command_prints_ndjson_or_an_array(tmp_path: Path) -> None:
    log = play(tmp_path)
    lines = leadsim("xapi", str(log)).stdout.splitlines()
    array = json.loads(leadsim("xapi", "--array", str(tmp_path)).stdout)
    assert [json.loads(line) for line in lines] == array == convert(log, Options()).statements
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    result = leadsim("xapi", str(bad))
    assert result.returncode == 1 and "bad.jsonl:1: error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_refuses_credentials_in_the_url_and_never_shows_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(config.ConfigError, match="carries credentials"):
        config.load("http://me:hunter2@127.0.0.1:9/xAPI/")
    monkeypatch.setenv("LEADSIM_CONFIG", str(tmp_path / "lrs.toml"))
    (tmp_path / "lrs.toml").write_text(
        '[lrs]\nurl = "http://127.0.0.1:9/xAPI"\nuser = "t"\npassword = "hunter2"\nbatch = 7\n'
        '[xapi]\nactivity_base = "https://learn.example.com/x"\n'
    )
    cfg = config.load()
    assert cfg.connection is not None and cfg.connection.batch == 7
    assert cfg.connection.statements_url() == "http://127.0.0.1:9/xAPI/statements"
    assert cfg.options.activity_base == "https://learn.example.com/x/"
    assert "hunter2" not in repr(cfg)
    (tmp_path / "lrs.toml").write_text('[lrs]\nurl = "ftp://x"\npassword = "hunter2"\n')
    with pytest.raises(config.ConfigError) as e:
        config.load()
    assert "hunter2" not in str(e.value)


def test_a_line_cut_off_by_a_crash_is_no_gap_after_resuming(tmp_path: Path) -> None:
    log = play(tmp_path)
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:3]) + lines[3][:20])  # killed while writing line 4
    result = leadsim("resume", str(log), "--text", stdin="1\n" * 30)
    assert result.returncode == 0, result.stderr
    records = list(LogFile(log).records())
    assert any(getattr(r, "cut_line", None) == 4 for r in records)
    (session,) = sessions_from(convert(log, Options()).statements)
    assert session.problem is None
    assert list(session.records) == records[1:]


def test_format_1_1_narration_and_conditional_text(tmp_path: Path) -> None:
    log = play(tmp_path, SMALL.parent / "format11.yaml", trainee="Ana")
    out = convert(log, Options()).statements
    assert "experienced" in verbs(out)
    narration = next(s for s in out if verbs([s]) == ["experienced"])
    assert narration["object"]["id"].endswith("/scenes/morning")
    # The text as Ana read it: the conditional part that held for her path, not the other.
    description = narration["object"]["definition"]["description"]["und"]
    assert "Dana is already fixing the jig." in description
    assert "avoids your eyes" not in description
    first = out[1]["object"]["definition"]["description"]["und"]
    assert first.startswith("Ana, the night shift") and "Team trust stands at 50" in first
    records = list(LogFile(log).records())
    (session,) = sessions_from(out)
    assert session.problem is None and list(session.records) == records[1:]


def test_an_abandoned_assessment_is_sent_with_cmi5s_abandoned_verb(tmp_path: Path) -> None:
    from sim.log import AbandonedRecord, SessionLog
    from sim.sessions.session import Session

    session = Session(loader.load(SMALL), 1, mode="assessment", trainee="Ana")
    session.recorder = SessionLog(tmp_path, sync=False)
    session.begin()
    session.choose(next(o.choice.id for o in session.offers() if o.available))
    session.abandon()
    session.recorder.close()  # type: ignore[attr-defined]
    (log,) = tmp_path.glob("*.jsonl")
    out = convert(log, Options()).statements
    assert verbs(out)[-1] == "abandoned"
    assert out[-1]["verb"]["id"] == vocab.VERBS["abandoned"]
    (back,) = sessions_from(out)
    assert isinstance(back.records[-1], AbandonedRecord)


def test_statements_name_the_scenario_file_but_not_the_trainees_folders(tmp_path: Path) -> None:
    home = tmp_path / "home" / "ana.silva" / "training"
    home.mkdir(parents=True)
    scenario = home / SMALL.name
    scenario.write_bytes(SMALL.read_bytes())
    out = convert(play(tmp_path, scenario, trainee="Ana"), Options()).statements
    sent = json.dumps(out)
    assert "ana.silva" not in sent and str(tmp_path) not in sent
    assert ext(out[0], vocab.RECORD)["path"] == SMALL.name  # type: ignore[index]
