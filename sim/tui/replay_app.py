"""The replay screen: step through a logged session, decision by decision, to the debrief.

A trainer uses it to debrief a trainee ("here is the path you took"): each step shows the
scene, every choice that was offered with the chosen one marked, its style, and the meters
before and after; a key jumps to the ending. What is shown is what the log recorded; where the
scenario has changed since, a notice says so and the choices come from the scenario as it is
now. Scenario and log text is untrusted and is always shown literally (never as markup).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Footer, Static

from sim.log import EndRecord
from sim.log.replay import Step
from sim.log.screen import Recorded, meter_changes, offered
from sim.model import CONTINUE
from sim.prose import say
from sim.safetext import plain
from sim.tui.content import prose, safe
from sim.tui.widgets.meters import MetersPanel

STYLE_WORD = {"manager": "MANAGER", "leader": "LEADER", "neutral": "NEUTRAL"}
CHOSEN = "\N{BLACK RIGHT-POINTING TRIANGLE}"


class ReplayApp(App[int]):
    """Replays one :class:`Recorded` log. ``position`` is the step shown (0-based); one past
    the last step is the debrief."""

    CSS_PATH = "replay.tcss"
    TITLE = "leadsim replay"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l,space", "next_step", "Next", key_display="\N{RIGHTWARDS ARROW}"),
        Binding("left,h", "previous_step", "Back", key_display="\N{LEFTWARDS ARROW}"),
        Binding("home", "first", "First", show=False),
        Binding("d,end", "debrief", "Debrief"),
        Binding("q,escape", "quit", "Quit"),
    ]

    position: reactive[int] = reactive(0, init=False)

    class Moved(Message):
        """The replay now shows ``position`` (``debrief`` when it is past the last step)."""

        def __init__(self, position: int, debrief: bool) -> None:
            super().__init__()
            self.position = position
            self.debrief = debrief

    def __init__(self, recorded: Recorded) -> None:
        super().__init__()
        self.recorded = recorded
        self.steps = recorded.steps

    # -- layout --

    def compose(self) -> ComposeResult:
        rec, h = self.recorded, self.recorded.header
        who = f" \N{MIDDLE DOT} trainee {plain(h.trainee)}" if h.trainee else ""
        yield Static(
            Content.assemble(
                (plain(h.title), "bold"),
                f" \N{MIDDLE DOT} {plain(h.started[:16].replace('T', ' '))} UTC{who}"
                f" \N{MIDDLE DOT} seed {h.seed} \N{MIDDLE DOT} {plain(h.mode)}",
            ),
            id="summary",
        )
        notices = [plain(n) for n in rec.located.notes]
        if rec.cut_line is not None:
            notices.append(f"The log's last line (line {rec.cut_line}) was cut off by a crash.")
        if rec.problem is not None:
            notices.append(f"{plain(rec.problem.format())} (showing the part before it)")
        for d in rec.divergences:
            notices.append(f"Now differs: {plain(d.message)}")
        notice = Static(Content("\n".join(notices)), id="notice")
        notice.display = bool(notices)
        yield notice
        with Horizontal(id="body"):
            with VerticalScroll(id="step"):
                yield Static(id="position")
                yield Static(id="scene")
                yield Static(id="choices")
                yield Static(id="outcome")
            yield MetersPanel(self.recorded.scenario.meters, id="meters")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.position)

    # -- moving --

    @property
    def last(self) -> int:
        """The highest position: the debrief, one past the last step."""
        return len(self.steps)

    def validate_position(self, position: int) -> int:
        return min(max(position, 0), self.last)

    def watch_position(self, position: int) -> None:
        self.show(position)

    def action_next_step(self) -> None:
        self.position += 1

    def action_previous_step(self) -> None:
        self.position -= 1

    def action_first(self) -> None:
        self.position = 0

    def action_debrief(self) -> None:
        self.position = self.last

    # -- drawing --

    def show(self, position: int) -> None:
        if position < len(self.steps):
            self.show_step(self.steps[position])
        else:
            self.show_debrief(self.recorded.end)
        self.query_one("#step", VerticalScroll).scroll_home(animate=False)
        self.post_message(self.Moved(position, position >= len(self.steps)))

    def _meters(self, values: dict[str, int], before: dict[str, int] | None = None) -> None:
        meters = self.recorded.scenario.meters
        now = [values.get(m.id, m.start) for m in meters]
        deltas = None
        if before is not None:
            deltas = [v - before.get(m.id, v) for m, v in zip(meters, now, strict=True)]
        self.query_one("#meters", MetersPanel).show(now, deltas)

    def show_step(self, step: Step) -> None:
        rec = step.record
        sc = self.recorded.scenario
        scene = sc.scenes.get(rec.scene)
        name = f" \N{MIDDLE DOT} {plain(scene.title)}" if scene is not None and scene.title else ""
        heading = f"Decision {rec.step}{name} \N{MIDDLE DOT} {len(self.steps)} recorded"
        if step.rewound_from is not None:
            heading += f" \N{MIDDLE DOT} rewound here from decision {step.rewound_from}"
        self.query_one("#position", Static).update(Content.styled(heading, "bold"))
        trainee = self.recorded.header.trainee
        if scene is None:
            text = Content("(This scene is no longer in the scenario.)")
        else:
            body = Content(prose(say(sc, step.before, scene.text, trainee)))  # re-flowed
            if scene.speaker:
                who = Content.assemble(("Source: ", "italic"), safe(scene.speaker, "italic"))
                if not scene.source:
                    who = Content.assemble(safe(scene.speaker, "bold"), " says:")
                text = Content.assemble(who, "\n", body)
            else:
                text = body
        self.query_one("#scene", Static).update(text)
        lines = []
        narration = rec.choice == CONTINUE
        if narration:  # a narration scene: read and left, no choice to show
            lines.append(Content.styled(f"{CHOSEN} (read on)", "bold"))
        for shown in offered(sc, step, trainee) if not narration else ():
            if shown.chosen:
                word = STYLE_WORD.get(shown.style, shown.style.upper())
                lines.append(
                    Content.assemble(
                        (f"{CHOSEN} ", "bold"),
                        safe(shown.text, "bold"),
                        f"  [{word}, chosen]",
                    )
                )
            else:
                locked = f" (locked: {plain(shown.reason or '')})" if not shown.available else ""
                lines.append(Content.assemble("  ", safe(shown.text), locked))
        self.query_one("#choices", Static).update(Content("\n").join(lines))
        choice = scene.choice(rec.choice) if scene is not None else None
        story = say(sc, step.after, choice.outcome, trainee) if choice is not None else ""
        outcome = [
            *([story] if story else []),
            f"Style: {'none (narration)' if narration else STYLE_WORD.get(rec.style, rec.style)}"
            f"  ({rec.elapsed:.1f} s)",
            "Meters: " + meter_changes(sc, rec.before, rec.after),
        ]
        if rec.flags_set or rec.flags_cleared:
            flags = [*(f"+{f}" for f in rec.flags_set), *(f"-{f}" for f in rec.flags_cleared)]
            outcome.append("Flags: " + " ".join(flags))
        if step.reflection:
            outcome.append("Reflection: " + step.reflection)
        self.query_one("#outcome", Static).update(Content(plain("\n".join(outcome))))
        self._meters(rec.after, rec.before)

    def show_debrief(self, end: EndRecord | None) -> None:
        sc = self.recorded.scenario
        self.query_one("#choices", Static).update("")
        if end is None:
            last = self.steps[-1].record.step if self.steps else 0
            word = "Abandoned" if self.recorded.abandoned is not None else "Unfinished"
            self.query_one("#position", Static).update(Content.styled(word, "bold"))
            self.query_one("#scene", Static).update(
                Content(f"The log stops after decision {last}; the session has no ending yet.")
            )
            self.query_one("#outcome", Static).update("")
            if self.steps:
                self._meters(self.steps[-1].record.after)
            return
        ending = sc.endings.get(end.ending)
        title = plain(ending.title) if ending is not None else plain(end.ending)
        self.query_one("#position", Static).update(Content.styled(f"Ending: {title}", "bold"))
        state = self.steps[-1].after if self.steps else None
        trainee = self.recorded.header.trainee
        text = (
            Content(prose(say(sc, state, ending.text, trainee)))
            if ending is not None
            else Content("")
        )
        self.query_one("#scene", Static).update(text)
        t = end.tally
        self.query_one("#outcome", Static).update(
            Content(
                f"Decisions: {t.get('manager', 0)} manager, {t.get('leader', 0)} leader, "
                f"{t.get('neutral', 0)} neutral"
            )
        )
        self._meters(end.meters)


def run_replay(recorded: Recorded) -> int:
    """Run the replay screen on a terminal; 0 when the trainer closes it."""
    ReplayApp(recorded).run()
    return 0
