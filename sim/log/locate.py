"""Finding the scenario a session log was played on: the recorded file, else a shipped or
folder scenario of the recorded id, or a file the trainer names; with notes when what is found
differs from what was played."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from sim.format import library, loader
from sim.format.diagnostics import ScenarioError
from sim.log import Header, LogError
from sim.model import Scenario
from sim.safetext import one_line


@attrs.frozen
class Located:
    """The scenario a log is replayed against, and what a trainer should know about it."""

    scenario: Scenario
    changed: bool
    notes: tuple[str, ...] = ()


def find_scenario(
    header: Header, log_path: Path | str, override: Path | None = None, dirs: Iterable[Path] = ()
) -> Located:
    """The scenario for a log: ``override`` if given, else the recorded file if it still
    exists, else the shipped (or ``dirs``) scenario with the recorded id.

    Raises :class:`LogError` when none can be loaded."""
    recorded = library.recorded_file(header.path)
    if override is not None:
        path = override
    elif recorded is not None:
        path = recorded
    else:
        try:
            found = library.find_id(header.scenario, dirs)
        except (OSError, ValueError):
            found = None
        if found is None:
            raise LogError(
                log_path,
                1,
                f"cannot find scenario {header.scenario!r}: the recorded file "
                f"{header.path or '(none)'!r} is gone (or is not a .yaml file) and no shipped "
                "scenario has that id",
                "name the scenario file with --scenario FILE",
            )
        path = found
    try:
        scenario = loader.load(path)
    except ScenarioError as e:
        raise LogError(
            log_path,
            1,
            f"the scenario {one_line(path)} does not load: {e.diagnostics[0].format()}",
        ) from None
    notes = []
    if scenario.id != header.scenario:
        notes.append(
            f"The log is of scenario {header.scenario!r}; {one_line(path)} is {scenario.id!r}."
        )
    changed = scenario.sha256 != header.sha256
    if changed:
        version = (
            f" (version {header.version} then, {scenario.version} now)"
            if scenario.version != header.version
            else ""
        )
        notes.append(
            f"The scenario file {one_line(path)} has changed since this session was "
            f"recorded{version}. "
            "What was recorded is shown as it happened; the engine follows the recorded "
            "choices only as far as they still exist."
        )
    return Located(scenario, changed, tuple(notes))
