"""Against a real LRS: Ralph, started on 127.0.0.1 (tests/lrs/harness.py). Round trip: sync,
read back by registration, compare with the log files; the statements pass Ralph's own xAPI
models; wrong credentials are refused."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.log import Header, LogFile
from sim.xapi.config import Connection, Options
from sim.xapi.readback import read_sessions
from sim.xapi.statements import convert
from tests.helpers import leadsim
from tests.lrs.harness import Ralph, start_ralph, validate_with_ralph
from tests.lrs.sessions import SMALL, as_sent, graded, play


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    with start_ralph(tmp_path_factory.mktemp("ralph")) as lrs:
        yield lrs


def sessions(folder: Path, scenarios: Path) -> list[Path]:
    """A practice session with a rewind and a reflection, a passed and a failed assessment."""
    rule = graded(scenarios, "[best, mixed]")
    return [
        play(folder, rewind_to=1, reflect="Speed first."),
        play(folder, rule, mode="assessment", seed=2, pick=0, trainee="Ben"),
        play(folder, rule, mode="assessment", seed=3, pick=1, trainee="Cy"),
    ]


def test_round_trip_sync_then_read_back_by_registration(ralph: Ralph, tmp_path: Path) -> None:
    folder = Path(os.environ["LEADSIM_HOME"]) / "sessions"
    logs = sessions(folder, tmp_path)
    result = leadsim("sync", env=ralph.env())
    assert result.returncode == 0, result.stderr
    connection = Connection(ralph.url, ralph.user, ralph.password)
    for log in logs:
        records = list(LogFile(log).records())
        header = records[0]
        assert isinstance(header, Header)
        sent = convert(log, Options()).statements
        stored = ralph.statements(registration=header.session)
        assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in sent)  # once each
        (back,) = read_sessions(connection, registration=header.session)
        assert back.problem is None
        assert back.header == as_sent(header)
        assert list(back.records) == records[1:]
    verdicts = {
        s["verb"]["display"]["en-US"] for log in logs for s in convert(log, Options()).statements
    }
    assert {"passed", "failed"} <= verdicts
    everything = read_sessions(connection)  # no filter: every session leadsim sent
    assert {s.header.session for s in everything} >= {
        next(iter(LogFile(log).records())).session  # type: ignore[union-attr]
        for log in logs
    }
    assert all(s.problem is None for s in everything)
    again = leadsim("sync", env=ralph.env())
    assert again.returncode == 0 and "sent 0 statement(s)" in again.stdout


def test_resending_stored_statements_stores_them_once(ralph: Ralph, tmp_path: Path) -> None:
    log = play(tmp_path, seed=9)
    header = next(iter(LogFile(log).records()))
    assert isinstance(header, Header)
    assert leadsim("sync", str(log), env=ralph.env()).returncode == 0
    (Path(os.environ["LEADSIM_HOME"]) / "lrs-state.jsonl").unlink()  # forget what was acked
    result = leadsim("sync", str(log), env=ralph.env())
    assert result.returncode == 0, result.stderr
    stored = ralph.statements(registration=header.session)
    assert len(stored) == len({s["id"] for s in stored}) == len(convert(log, Options()).statements)


def test_every_statement_passes_ralphs_xapi_models(tmp_path: Path) -> None:
    logs = sessions(tmp_path / "logs", tmp_path)
    logs.append(play(tmp_path / "logs", SMALL.parent / "format11.yaml"))  # narration, prose
    statements = [s for log in logs for s in convert(log, Options()).statements]
    assert "experienced" in {s["verb"]["display"]["en-US"] for s in statements}
    mine = Options(activity_base="https://learn.example.com/leadsim/", mbox_domain="example.com")
    statements += convert(logs[0], mine).statements
    assert validate_with_ralph(statements) == ""
    broken = dict(statements[1], verb={"id": "not an iri"})
    assert broken["id"] in validate_with_ralph([broken])  # the check can fail


def test_ralph_refuses_wrong_credentials(ralph: Ralph, tmp_path: Path) -> None:
    log = play(tmp_path)
    result = leadsim("sync", str(log), env={**ralph.env(), "LEADSIM_LRS_PASSWORD": "nope-nope"})
    assert result.returncode == 4 and "refused the credentials (401)" in result.stderr
    assert "nope-nope" not in result.stderr


def test_the_report_from_the_lrs_is_the_report_from_the_log_files(
    ralph: Ralph, tmp_path: Path
) -> None:
    """A cohort synced to Ralph, then reported from the LRS alone (a trainer's machine with no
    logs): the same report as from the files."""
    scenario = tmp_path / "cohort.yaml"
    scenario.write_text(SMALL.read_text().replace("small-office", "cohort-office"))
    cohort = tmp_path / "cohort"
    logs = [
        play(cohort, scenario, seed=i, pick=i % 2, trainee=f"T{i % 3}", reflect="why")
        for i in range(5)
    ] + [play(cohort, scenario, rewind_to=1)]
    assert leadsim("sync", *map(str, logs), env=ralph.env()).returncode == 0
    trainer = {"LEADSIM_HOME": str(tmp_path / "trainer"), **ralph.env()}
    only = ("--scenario", "cohort-office", "--index", ":memory:")
    for output in ((), ("--format", "json")):
        from_files = leadsim("report", str(cohort), *only, *output)
        # The statements name the scenario file, not its folder: the trainer says where it is.
        where = ("--dir", str(tmp_path))
        from_lrs = leadsim("report", "--lrs", ralph.url, *where, *only, *output, env=trainer)
        assert from_lrs.returncode == 0, from_lrs.stderr
        if not output:
            assert from_lrs.stdout == from_files.stdout
            assert "6 sessions by 4 trainees" in from_lrs.stdout
        else:  # the rows name their source: the file, or the LRS and registration
            rows_files, rows_lrs = json.loads(from_files.stdout), json.loads(from_lrs.stdout)
            assert [r.pop("log") for r in rows_lrs] == [
                f"{ralph.url} registration {r['session']}" for r in rows_lrs
            ]
            assert [r.pop("log") for r in rows_files] == [str(p) for p in logs]
            assert rows_lrs == rows_files
