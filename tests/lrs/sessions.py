"""Session logs for the xAPI tests, played in-process through the real Session and log."""

from __future__ import annotations

from pathlib import Path

import attrs

from sim.format import loader
from sim.log import Header, SessionLog
from sim.sessions.session import Session

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL = DATA / "small.yaml"


def graded(folder: Path, passing: str = "[best]") -> Path:
    """The small scenario with an assessment pass rule, written into ``folder``."""
    text = SMALL.read_text().replace(
        "feedback_mode: coach\n", f"feedback_mode: coach\nassessment: {{pass: {passing}}}\n"
    )
    path = folder / "graded.yaml"
    path.write_text(text)
    return path


def play(
    folder: Path,
    scenario: Path = SMALL,
    *,
    seed: int = 1,
    mode: str = "practice",
    trainee: str | None = "Ana",
    pick: int = 0,
    rewind_to: int | None = None,
    reflect: str | None = None,
) -> Path:
    """Play to an ending taking the ``pick``-th available choice each time (then, with
    ``rewind_to``, rewind there and play to an ending again); returns the log's path."""
    sc = loader.load(scenario)
    log = SessionLog(folder, sync=False)
    session = Session(sc, seed, mode=mode, trainee=trainee, recorder=log).begin()  # type: ignore[arg-type]

    def to_end() -> None:
        while not session.over:
            offers = [o for o in session.offers() if o.available]
            session.choose(offers[min(pick, len(offers) - 1)].choice.id)
            if reflect and session.step == 1:
                session.reflect(reflect)

    to_end()
    if rewind_to is not None:
        session.rewind(rewind_to)
        to_end()
    log.close()
    assert log.path is not None
    return log.path


def as_sent(header: Header) -> Header:
    """A log's header as its statements carry it: the scenario file's name, not its folders."""
    return attrs.evolve(header, path=Path(header.path).name)
