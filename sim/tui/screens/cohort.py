"""The cohort screen (F6 in the library): what everyone who played did, one scenario at a time.

For the scenario shown: who finished, the endings, the choice split at each scene (bars, with
the share among those who reached a best ending and among the rest), the style-balance
distribution, median time per decision, where unfinished sessions stopped, and what people
wrote in their reflections. The same numbers as `leadsim report` (:mod:`sim.report.cohort`).

It reads at 80x24: one scrolling column of text whose bars take the width that is left, words
beside every bar (the style, the count, the share), nothing told by colour alone. The logs are
indexed in a worker thread, so a large folder never freezes the screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from sim.tui.content import STYLE_COLOUR, STYLE_WORD, safe
from sim.tui.widgets.keybar import KeyBar
from sim.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from sim.report.cohort import Cohort, ScenarioSummary

FULL = "\N{FULL BLOCK}"
REFLECTIONS_SHOWN = 50
"""Answers shown per scene, the newest: a large cohort's thousands would bury the screen."""
OUTCOME_STYLE = {"best": "$text-success", "poor": "$text-error"}


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:3.0f}%" if whole else "   -"


def label_width(width: int) -> int:
    return min(28, max(12, width // 3))


def bar_row(
    label: str, count: int, whole: int, width: int, style: str = "", word: str = ""
) -> Content:
    """``label  ██████  12  40%  word``: the bar takes what the label and numbers leave."""
    labels = label_width(width)
    room = max(4, width - labels - 21)  # label, bar, count and share, a style word
    filled = round(room * count / whole) if whole else 0
    text = label if len(label) <= labels else label[: labels - 1] + "\N{HORIZONTAL ELLIPSIS}"
    return Content.assemble(
        (text.ljust(labels), ""),
        " ",
        (FULL * filled, style or "$primary"),
        " " * (room - filled),
        f" {count:5d} {pct(count, whole)}",
        (f" {word}" if word else "", f"bold {style}".strip()),
    )


def heading(text: str) -> Content:
    return Content.styled(text, "bold underline")


def scenario_view(sc: ScenarioSummary, width: int) -> Content:
    """Everything about one scenario, as lines of text for a scrolling view ``width`` wide."""
    from sim.report.rows import BALANCE

    n = len(sc.sessions)
    median = f"{sc.median_elapsed:.1f} s" if sc.median_elapsed is not None else "-"
    lines: list[Content] = [
        Content(f"{n} sessions by {sc.people} trainees."),
        Content(
            f"Finished: {sc.finished} ({pct(sc.finished, n).strip()}); unfinished: "
            f"{n - sc.finished}" + (f"; damaged logs: {sc.damaged}." if sc.damaged else ".")
        ),
        Content(f"Median time per decision: {median}."),
        Content(""),
        heading("Endings"),
    ]
    for _id, title, outcome, count in sc.endings:
        style = OUTCOME_STYLE.get(outcome or "", "$secondary")
        lines.append(bar_row(safe(title).plain, count, sc.finished, width, style, outcome or ""))
    if not sc.endings:
        lines.append(Content("No session has reached an ending yet."))
    lines += [Content(""), heading("Choices at each scene")]
    lines.append(
        Content.styled(
            "Share of the sessions that decided there; best/rest: the share among those who "
            "reached a best ending and among the others.",
            "dim",
        )
    )
    for scene in sc.scenes:
        median = f"{scene.median_elapsed:.1f} s" if scene.median_elapsed is not None else "-"
        lines.append(Content(""))
        lines.append(
            Content.assemble(
                safe(scene.scene, "bold"),
                (
                    f"  {scene.sessions} sessions, {scene.best_sessions} best, median {median}",
                    "dim",
                ),
            )
        )
        for c in scene.choices:
            word = STYLE_WORD.get(c.style, c.style.upper())
            lines.append(
                bar_row(
                    safe(f"{c.choice}: {c.text}").plain,
                    c.count,
                    scene.sessions,
                    width,
                    STYLE_COLOUR.get(c.style, ""),
                    word,
                )
            )
            if not scene.best_sessions:
                continue  # nobody here reached a best ending: nothing to set against
            best = pct(c.best, scene.best_sessions).strip()
            rest = pct(c.rest, scene.rest_sessions).strip()
            lines.append(
                Content.styled(f"{'':{label_width(width)}}  best {best}  rest {rest}", "dim")
            )
    lines += [
        Content(""),
        heading("Style balance"),
        Content.styled("Sessions by their share of leading decisions (neutral ones aside).", "dim"),
    ]
    total = sum(sc.balance)
    for band, count in zip(BALANCE, sc.balance, strict=True):
        lines.append(bar_row(band, count, total, width, "$accent"))
    lines += [Content(""), heading("Where unfinished sessions stopped")]
    for scene_id, count in sc.stopped:
        lines.append(bar_row(safe(scene_id).plain, count, n - sc.finished, width, "$warning"))
    if not sc.stopped:
        lines.append(Content("Every session finished."))
    lines += [Content(""), heading("Reflections")]
    answered = [s for s in sc.scenes if s.reflections]
    for scene in answered:
        lines.append(Content(""))
        lines.append(
            Content.assemble(safe(scene.scene, "bold"), f"  ({len(scene.reflections)} answers)")
        )
        if scene.question:
            lines.append(safe(scene.question, "italic"))
        for who, answer in scene.reflections[-REFLECTIONS_SHOWN:]:
            lines.append(
                Content.assemble(
                    "  \N{BULLET} ", safe(answer), (" \N{EM DASH} ", "dim"), safe(who, "dim")
                )
            )
        hidden = len(scene.reflections) - REFLECTIONS_SHOWN
        if hidden > 0:
            lines.append(
                Content.styled(
                    f"  and {hidden} earlier answers: `leadsim report --html FILE` has them all",
                    "dim",
                )
            )
    if not answered:
        lines.append(Content("No reflections written."))
    return Content("\n").join(lines)


class CohortScreen(Screen[None]):
    CSS_PATH = "cohort.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back"),
        Binding("right,n", "turn(1)", "Next scenario", key_display="\N{RIGHTWARDS ARROW}"),
        Binding("left,p", "turn(-1)", "Previous", key_display="\N{LEFTWARDS ARROW}"),
    ]

    def __init__(self, folder: Path, index_file: Path | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.index_file = index_file
        self.cohort: Cohort | None = None
        self.at = 0

    def compose(self) -> ComposeResult:
        yield TitleBar("Cohort report", "reading session logs\N{HORIZONTAL ELLIPSIS}")
        with VerticalScroll(id="cohort-view"):
            yield Static(
                Content(f"Reading the session logs in {self.folder}\N{HORIZONTAL ELLIPSIS}"),
                id="cohort",
                markup=False,
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#cohort-view").focus()
        self.load()

    @work(thread=True, exclusive=True, group="cohort")
    def load(self) -> None:
        from sim.report.cohort import build
        from sim.report.index import Index

        index = Index.default() if self.index_file is None else Index(self.index_file)
        try:
            scan = index.update([self.folder])
            cohort = build(index, scan.sources)
        finally:
            index.close()
        self.app.call_from_thread(self._loaded, cohort)

    def _loaded(self, cohort: Cohort) -> None:
        self.cohort = cohort
        self.at = 0
        self.show()

    def show(self) -> None:
        body = self.query_one("#cohort", Static)
        bar = self.query_one(TitleBar)
        cohort = self.cohort
        if cohort is None:
            return
        if not cohort.scenarios:
            bar.set(info="no sessions")
            body.update(
                Content(
                    f"No sessions logged in {self.folder} yet. Play a scenario, then come back."
                )
            )
            return
        sc = cohort.scenarios[self.at]
        count = len(cohort.scenarios)
        bar.set(
            safe(sc.title, "bold"),
            f"scenario {self.at + 1} of {count}  \N{MIDDLE DOT}  {len(sc.sessions)} sessions",
        )
        width = max(
            40,
            self.query_one("#cohort-view").scrollable_content_region.width or self.size.width - 4,
        )
        body.update(scenario_view(sc, width))

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.show)

    def action_turn(self, step: int) -> None:
        if self.cohort and self.cohort.scenarios:
            self.at = (self.at + step) % len(self.cohort.scenarios)
            self.show()
            self.query_one("#cohort-view", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss()
