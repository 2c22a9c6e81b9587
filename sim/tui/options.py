"""What the command line (or a test) asks of the simulator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from sim.sessions.request import Request


@dataclass(frozen=True)
class Options:
    """What the command line (or a test) asks of the simulator."""

    dirs: tuple[Path, ...] = ()
    shipped: bool = True
    seed: int | None = None
    feedback: str | None = None
    assessment: bool = False
    name: str | None = None
    log: Path | None = None
    """Where session logs go (``--log``): a folder, or a new file; None for the default."""
    watch: bool = False
    watch_interval: float = 0.5
    """How often ``--watch`` looks at the file's modification time, in seconds."""
    blink: bool = True
    """Blink the text cursor (snapshot tests switch it off)."""
    settle: float = 0.3
    """Seconds after a scene or its feedback appears during which keys are dropped: they were
    typed for the screen before (tests set 0 to press keys at machine speed)."""

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Options:
        return cls(
            dirs=tuple(Path(d) for d in getattr(args, "dir", None) or ()),
            seed=getattr(args, "seed", None),
            feedback=getattr(args, "feedback", None),
            assessment=bool(getattr(args, "assessment", False)),
            name=getattr(args, "name", None),
            log=getattr(args, "log", None),
            watch=bool(getattr(args, "watch", False)),
        )

    def request(self, seed: int | None = None) -> Request:
        """The session :func:`~sim.sessions.lifecycle.make_session` is asked for."""
        from sim.sessions.request import Request

        return Request(
            seed=self.seed if seed is None else seed,
            feedback=self.feedback,
            assessment=self.assessment,
            trainee=self.name,
            log=self.log,
            watch=self.watch,
        )
