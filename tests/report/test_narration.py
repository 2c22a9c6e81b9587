"""A format 1.1 cohort: a narration scene is read, not decided, so the report shows no choice
split, no decision time and no neutral decision for it."""

from __future__ import annotations

import json
from pathlib import Path

from sim import log
from sim.format import loader
from sim.model import CONTINUE
from sim.sessions.session import Session
from tests.helpers import leadsim

NIGHT = Path(__file__).parent.parent / "data" / "format11.yaml"


def test_narration_is_no_decision_in_the_report(tmp_path: Path) -> None:
    scenario = loader.load(NIGHT)
    logs = tmp_path / "logs"
    for seed, trainee in ((1, "Ana"), (2, "Bo")):
        s = Session(scenario, seed, trainee=trainee, recorder=log.SessionLog(logs)).begin()
        s.choose("order")
        s.choose(CONTINUE)
        assert s.recorder is not None
        s.recorder.close()  # type: ignore[attr-defined]
    home = {"LEADSIM_HOME": str(tmp_path / "home")}
    text = leadsim("report", str(logs), "--dir", str(NIGHT.parent), env=home)
    assert text.returncode == 0, text.stderr
    assert CONTINUE not in text.stdout
    assert "read on (narration)" in text.stdout
    rows = leadsim("report", str(logs), "--dir", str(NIGHT.parent), "--format", "json", env=home)
    sessions = json.loads(rows.stdout)
    listed = sessions if isinstance(sessions, list) else sessions["sessions"]
    for session in listed:
        assert session["neutral"] == 0 and session["manager"] == 1
