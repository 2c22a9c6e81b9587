"""`leadsim report` end to end, as a trainer runs it (subprocess)."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from sim import log
from sim.format import loader
from sim.report.synthetic import Trainee, write_cohort, write_session
from sim.sessions.session import Session
from tests.helpers import leadsim

LIBRARY = Path(__file__).parent.parent / "tui" / "data" / "library"
HOSTILE = "Zed Hostile\x1b[31m\x1b]0;owned\x07\u202e"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cohort")
    scenarios = [
        loader.load(LIBRARY / "late-report.yaml"),
        loader.load(LIBRARY / "quiet-week.yaml"),
    ]
    write_cohort(folder, scenarios, 80, seed=11)
    # One trainee whose name and reflection try to take over the terminal.
    s = Session(scenarios[0], 1, trainee=HOSTILE, recorder=log.SessionLog(folder, sync=False))
    s.begin().choose("ask")
    s.reflect("\x1b[2Jall gone\x9b31m")
    return folder


def header(path: Path) -> log.Header | None:
    try:
        return log.LogFile(path).header()
    except log.LogError:
        return None


def run(*args: str, home: Path) -> tuple[int, str, str]:
    done = leadsim("report", *args, env={"LEADSIM_HOME": str(home)})
    return done.returncode, done.stdout, done.stderr


def test_the_summary_answers_a_trainers_questions(cohort: Path, tmp_path: Path) -> None:
    code, out, err = run(str(cohort), home=tmp_path)
    assert code == 0, err
    assert "The Late Report (late-report)" in out and "A Quiet Week (quiet-week)" in out
    assert "sessions by" in out and "finished" in out
    for section in (
        "ending",
        "Choices at each scene",
        "unfinished sessions stopped at",
        "style balance",
        "Reflections",
        "trait lean",
        "median time per decision",
    ):
        assert section in out, section  # fmt: skip
    assert (tmp_path / "report.sqlite3").is_file()  # the index lives in the data folder
    # Nothing from a log reaches the terminal as a control sequence.
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert "all gone" in out


def test_rows_for_spreadsheets_and_tools(cohort: Path, tmp_path: Path) -> None:
    code, out, _ = run(str(cohort), "--format", "csv", home=tmp_path)
    sessions = list(csv.DictReader(io.StringIO(out)))
    readable = [h for h in map(header, sorted(cohort.glob("*.jsonl"))) if h is not None]
    assert code == 0 and len(sessions) == sum(1 for h in readable if not h.watch)
    code, out, _ = run(str(cohort), "--format", "json", "--rows", "decisions", home=tmp_path)
    decisions = json.loads(out)
    assert code == 0 and sum(int(s["decisions"]) for s in sessions) == len(decisions)
    assert {"session", "trainee", "scene", "choice", "style", "elapsed"} <= set(decisions[0])
    late = [s for s in sessions if s["scenario"] == "late-report"]
    code, out, _ = run(str(cohort), "--format", "json", "--scenario", "late-report", home=tmp_path)
    assert len(json.loads(out)) == len(late)
    # A spreadsheet must not run a cell as a formula.
    assert all(not cell.startswith(("=", "+", "@")) for r in sessions for cell in r.values())


def test_anonymize_replaces_every_name_with_a_stable_pseudonym(
    cohort: Path, tmp_path: Path
) -> None:
    _, plain_csv, _ = run(str(cohort), "--format", "csv", home=tmp_path)
    names = {r["trainee"] for r in csv.DictReader(io.StringIO(plain_csv))} - {"(no name)"}
    html = tmp_path / "report.html"
    outputs = [
        run(str(cohort), "--anonymize", *extra, home=tmp_path)[1]
        for extra in ([], ["--format", "csv"], ["--format", "json", "--rows", "decisions"],
                      ["--html", str(html)])
    ]  # fmt: skip
    outputs.append(html.read_text())
    for text in outputs:
        assert not [n for n in names if n in text]
        assert str(cohort) not in text  # log paths are replaced too
    first = {r["trainee"] for r in csv.DictReader(io.StringIO(outputs[1]))}
    _, out, _ = run(str(cohort), "--anonymize", "--format", "csv", home=tmp_path)
    again = {r["trainee"] for r in csv.DictReader(io.StringIO(out))}
    assert first == again and len(first - {"(no name)"}) == len(names)
    assert "Zed Hostile" in plain_csv  # the name was there to hide
    assert all(t.startswith("trainee-") or t == "(no name)" for t in first)


def test_bad_arguments_and_empty_folders_are_said_plainly(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path), "--since", "yesterday", home=tmp_path)
    assert code == 2 and "--since 'yesterday' is not a date" in err and "Traceback" not in err
    code, _, err = run(str(tmp_path / "empty"), home=tmp_path)
    assert code == 1 and "no such file or folder" in err and "Traceback" not in err


def test_a_cohort_written_twice_from_one_seed_is_the_same(tmp_path: Path) -> None:
    scenario = loader.load(LIBRARY / "late-report.yaml")
    who = Trainee("Ada Berg", 0.7, 10.0)
    a = write_session(tmp_path / "a", scenario, who, log.utc_now(), random.Random(4))
    b = write_session(tmp_path / "b", scenario, who, log.utc_now(), random.Random(4))
    assert a and b

    def choices(path: Path) -> list[object]:
        return [json.loads(x).get("choice") for x in path.read_text().splitlines()]

    assert choices(a) == choices(b)


def test_the_same_cohort_makes_the_same_html_file_every_time(cohort: Path, tmp_path: Path) -> None:
    # A trainer who reruns a report, or diffs two, must not see changes that are not there:
    # no output may depend on the order Python happens to hash strings in.
    made = []
    for seed in ("1", "2"):
        out = tmp_path / f"report-{seed}.html"
        done = leadsim(
            "report", str(cohort), "--index", ":memory:", "--html", str(out),
            env={"LEADSIM_HOME": str(tmp_path), "PYTHONHASHSEED": seed},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        made.append(out.read_bytes())
    assert made[0] == made[1]
