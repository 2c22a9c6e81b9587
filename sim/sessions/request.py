"""What a new session asks for, kept apart from the service so a shell can build one without
importing the logs (the command line's start-up stays lean)."""

from __future__ import annotations

from pathlib import Path

import attrs

from sim.reprs import shared_repr


@attrs.frozen
@shared_repr
class Request:
    """What a new session asks for: from the command line, the simulator's options or a test.
    Fields left at their defaults give a practice session with a fresh seed, logged to the
    default sessions folder."""

    seed: int | None = None
    feedback: str | None = None
    assessment: bool = False
    trainee: str | None = None
    log: Path | None = None
    """Where the log goes: a new ``.jsonl`` file, or a folder; None for the default."""
    watch: bool = False

    @property
    def mode(self) -> str:
        return "assessment" if self.assessment else "practice"
