"""The library's per-scenario progress, read from a trainee's logs."""

from __future__ import annotations

from pathlib import Path

from sim import log
from sim.format import loader
from sim.sessions.progress import Progress, progress
from sim.sessions.session import Session

LATE = Path(__file__).parent / "tui" / "data" / "library" / "late-report.yaml"
OUTCOMES = {"late-report": {"best": "best", "good": "good", "mixed": "mixed"}}


def test_progress_counts_finishes_keeps_the_best_outcome_and_skips_others(tmp_path: Path) -> None:
    assert progress(OUTCOMES, tmp_path / "none") == {}  # no folder: nothing, no error
    scenario = loader.load(LATE)
    for trainee, choices in [
        ("Ana", ["deadline", "wait"]),  # mixed
        ("Ana", ["ask", "pair"]),  # best
        ("Ana", ["ask"]),  # unfinished
        ("Bo", ["ask", "review-yourself"]),  # someone else's
    ]:
        s = Session(scenario, 1, trainee=trainee, recorder=log.SessionLog(tmp_path)).begin()
        for choice in choices:
            s.choose(choice)
    found = progress(OUTCOMES, tmp_path, "Ana")
    assert found == {"late-report": Progress(finished=2, best="best", unfinished=1)}
    assert found["late-report"].words() == "finished 2 times, best outcome BEST"
    assert progress(OUTCOMES, tmp_path, None) == {}  # sessions without a name: none here
    assert Progress(unfinished=1, abandoned=2).words() == (
        "started, not finished yet, 2 abandoned assessments"
    )
