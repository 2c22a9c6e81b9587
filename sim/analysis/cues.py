"""Cue analysis: can a trainee find the best option without weighing the situation?

Two give-aways, read from the file alone (no exploration):

* **length**: the option that scores best is also the longest text, scene after scene, so
  "pick the longest, kindest-sounding option" wins;
* **style**: one style is the best option in every scene, so "always pick the leader option"
  wins (the lesson is that the right style depends on the moment).

The **score** of a choice is the sum of its meter changes, each divided by its meter's range
(max - min), so a meter running 0..10 weighs as much as one running 0..100: ``+10`` on a 0..100
meter scores 0.10. A percentage change (``%+20``) moves a share of the distance left, which
depends on where the meter stands; it is scored as if the meter stood in the middle of its
range (``%+20`` scores 0.10). A scene's **top scorer** is its one choice with the highest score;
a scene where two choices tie for the highest (or with a single choice) has none. The
**longest** is the choice with the most characters of text (spaces at the ends not counted);
the top scorer "is the longest" when no other choice of the scene is as long. Both shares
count the scenes that have a top scorer.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from sim.model import STYLES, Choice, Scenario, Scene, Style, sketch

LONGEST_SHARE_LIMIT = 0.5
"""LS141 when the top scorer is the longest text in more than this share of the scenes."""

STYLE_SHARE_TARGET = 0.3
"""Across the library each style should be the sole top scorer in at least this share."""

MIN_SCENES = 5
"""Fewer scenes with a top scorer than this make no pattern: no cue warning (a shipped
scenario has twelve scenes or more)."""


def score(scenario: Scenario, choice: Choice, spans: Mapping[str, int] | None = None) -> float:
    """The sum of the choice's meter changes, each as a share of its meter's range
    (``spans``: each meter's max - min, when the caller has them at hand)."""
    if spans is None:
        spans = _spans(scenario)
    total = 0.0
    for change in choice.effects.changes:
        if change.kind == "delta":
            total += change.amount / spans[change.meter]
        else:
            total += change.amount / 200  # a share of the half range left from the middle
    return total


def _spans(scenario: Scenario) -> dict[str, int]:
    return {m.id: m.max - m.min for m in scenario.meters}


@attrs.frozen
class SceneCue:
    """One scene's top scorer (None when the highest score is shared) and whether it is
    also the longest text."""

    scene: str
    top: Choice | None
    longest: bool
    scores: Mapping[str, float]


@attrs.frozen
class Cues:
    scenes: tuple[SceneCue, ...]
    with_top: tuple[SceneCue, ...] = attrs.field(init=False)
    """The scenes that have a top scorer."""

    @with_top.default
    def _with_top(self) -> tuple[SceneCue, ...]:
        return tuple(s for s in self.scenes if s.top is not None)

    def style_share(self, style: Style) -> float:
        """Share of the scenes with a top scorer where it is of ``style``."""
        tops = self.with_top
        return (
            sum(s.top is not None and s.top.style == style for s in tops) / len(tops)
            if tops
            else 0.0
        )

    def style_counts(self) -> dict[Style, int]:
        return {
            style: sum(s.top is not None and s.top.style == style for s in self.with_top)
            for style in STYLES
        }

    @property
    def longest_count(self) -> int:
        return sum(s.longest for s in self.scenes)

    @property
    def longest_share(self) -> float:
        """Share of the scenes with a top scorer where it is also the longest text."""
        tops = self.with_top
        return self.longest_count / len(tops) if tops else 0.0

    def only_style(self) -> Style | None:
        """The style that is the top scorer in every scene that has one, if there is one."""
        styles = {s.top.style for s in self.with_top if s.top is not None}
        return styles.pop() if len(styles) == 1 and len(self.with_top) >= MIN_SCENES else None

    @property
    def longest_gives_away(self) -> bool:
        return len(self.with_top) >= MIN_SCENES and self.longest_share > LONGEST_SHARE_LIMIT


def scene_cue(scenario: Scenario, scene: Scene, spans: Mapping[str, int] | None = None) -> SceneCue:
    spans = spans if spans is not None else _spans(scenario)
    scores = {c.id: score(scenario, c, spans) for c in scene.choices}
    high = max(scores.values())
    tops = [c for c in scene.choices if scores[c.id] == high]
    top = tops[0] if len(tops) == 1 and len(scene.choices) > 1 else None
    longest = False
    if top is not None:
        # Conditional choice text counts as the author wrote it (each part's main text).
        size = len(sketch(top.text).strip())
        longest = all(len(sketch(c.text).strip()) < size for c in scene.choices if c is not top)
    return SceneCue(scene.id, top, longest, scores)


def cues(scenario: Scenario) -> Cues:
    """Every scene with more than one choice, with its top scorer."""
    spans = _spans(scenario)
    return Cues(
        tuple(scene_cue(scenario, s, spans) for s in scenario.scenes.values() if len(s.choices) > 1)
    )
