"""Messages the simulator's widgets and screens send upwards.

Widgets tell their screen what the trainee did; screens tell the app where to go next. The app
alone moves between screens, so a screen never needs to know which screen comes after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the app imports this module at start-up; keep it light
    from sim.model import Scenario


@dataclass
class ChoicePicked(Message):
    """The trainee picked a choice (by number, Enter or click)."""

    choice_id: str


@dataclass
class FeedbackDone(Message):
    """The trainee read the feedback and wants the next scene; ``reflection`` may be empty."""

    reflection: str


@dataclass
class ScenarioPicked(Message):
    """A scenario was picked in the library."""

    path: Path
    scenario: Scenario


@dataclass
class PlayFinished(Message):
    """The session reached an ending and the trainee has seen the last feedback."""


@dataclass
class PlayAgain(Message):
    """Start the same scenario again from the first scene."""


@dataclass
class RewindAsked(Message):
    """The trainee asked to go back: the app asks to which decision."""


@dataclass
class RewindTo(Message):
    """Go back to just before decision ``step + 1`` and play on from there."""

    step: int


@dataclass
class BackToLibrary(Message):
    """Leave the scenario for the library."""


@dataclass
class CohortAsked(Message):
    """Show what every logged session of each scenario came to (the cohort screen)."""
