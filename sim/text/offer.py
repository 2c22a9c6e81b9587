"""The offer `leadsim play --text` makes before the first scene when an unfinished session of
the same scenario exists (the simulator makes the same offer as a dialog)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from sim.log import LogError
from sim.model import Scenario
from sim.safetext import one_line, plain
from sim.sessions.lifecycle import Request, continue_session, describe_unfinished, unfinished_for
from sim.sessions.session import Session


def offer_text(
    scenario: Scenario,
    request: Request,
    dirs: Iterable[Path],
    stdin: TextIO,
    stdout: TextIO,
) -> Session | None:
    """Before a new text-mode session: offer the newest unfinished session of the same
    scenario (same trainee, mode, and seed if one was given) and return it resumed, or None
    to start afresh.

    Only a person at a terminal is asked: piped input holds a script's answers to the
    scenario, and a question before the first scene would swallow one (scripts resume with
    `leadsim resume LOG`). ``--log FILE`` asks for a new log, so it skips the offer too."""
    if not stdin.isatty():
        return None
    found = unfinished_for(scenario, request)
    if not found:
        return None
    newest = found[0]  # only the latest: older ones are listed by `leadsim sessions`
    stdout.write(
        f"You have an unfinished session of this scenario: {describe_unfinished(newest)}."
        "\nResume it? [y/N] "
    )
    stdout.flush()
    line = stdin.readline()
    if line.strip().lower() not in ("y", "yes"):
        return None
    try:
        session, notes = continue_session(newest.path, Path(scenario.path), dirs)
    except LogError as e:
        stdout.write(f"{plain(e.format())}\nStarting a new session instead.\n")
        return None
    for note in notes:
        stdout.write(plain(note) + "\n")
    stdout.write(f"Resuming {one_line(newest.path)} at decision {session.step + 1}.\n")
    return session
