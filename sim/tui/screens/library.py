"""The library: every shipped scenario (and ``--dir``'s), filtered as you type.

Each row shows the title, the size (scenes, decisions per playthrough, endings), the feedback
mode and the summary. A file that fails to load is listed with its first error, so a trainer
sees what to fix instead of a missing entry. The rows come from :mod:`sim.tui.shelf` (an index
of what each file held when last read) in a worker thread after the screen first appears; a
scenario is loaded afresh when it is picked. Then, in the same thread, the trainee's session
logs say which scenarios they finished and their best outcome (:mod:`sim.sessions.progress`).

Coming back to the library clears the filter: a search is for one pick, not for later.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sim.safetext import plain
from sim.tui.content import safe
from sim.tui.messages import CohortAsked, ScenarioPicked
from sim.tui.shelf import Row, first_problem
from sim.tui.widgets.hanging import Hanging
from sim.tui.widgets.keybar import KeyBar
from sim.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from sim.sessions.progress import Progress

WARNING = "\N{WARNING SIGN} "
DONE = "\N{CHECK MARK} "


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def describe(row: Row, done: Progress | None = None) -> Hanging:
    """A row of the list: title, facts, the trainee's progress and summary, or the file name
    and its error."""
    if row.problem is not None:
        body = Content("\n").join(
            [
                Content.assemble(
                    (plain(row.name), "bold"), ("  cannot be loaded", "bold $text-error")
                ),
                safe(row.problem),
                Content(""),
            ]
        )
        return Hanging(Content.styled(WARNING, "$text-error"), body, indent=2)
    if row.shortest is None:
        size = "no ending reachable"
    elif row.shortest == row.longest:
        size = plural(row.shortest, "decision")
    else:
        size = f"{row.shortest}\N{EN DASH}{row.longest} decisions"
    facts = [
        plural(row.scenes, "scene"),
        size,
        plural(row.endings, "ending"),
        f"feedback: {row.feedback}",
    ]
    lines = [
        safe(row.title, "bold"),
        Content.styled("  \N{MIDDLE DOT}  ".join(facts), "dim"),
    ]
    words = done.words() if done is not None else ""
    if words:
        lines.append(Content.styled(f"You: {words}", "italic $text-success"))
    if row.summary:
        lines.append(safe(row.summary))
    lines.append(Content(""))  # a blank line between entries
    finished = done is not None and done.finished > 0
    return Hanging(Content(DONE if finished else "  "), Content("\n").join(lines))


def shelf_order(row: Row) -> tuple[bool, str]:
    """Playable scenarios first, by title as a reader files them ("The Check-in" under C);
    broken files after them, by name."""
    if row.problem is not None:
        return (True, row.name)
    title = plain(row.title).lower()
    for article in ("the ", "a ", "an "):
        if title.startswith(article):
            title = title[len(article) :]
            break
    return (False, title)


def matches(row: Row, words: Sequence[str]) -> bool:
    haystack = " ".join([row.name, row.id, row.title, row.summary, row.author]).lower()
    return all(w in haystack for w in words)


class LibraryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("escape", "clear", "Clear filter"),
        Binding("f5", "reload", "Reload"),
        Binding("f6", "cohort", "Cohort report", key_display="F6"),
    ]

    def __init__(
        self,
        dirs: Sequence[Path] = (),
        shipped: bool = True,
        trainee: str | None = None,
        logs: Path | None = None,
    ) -> None:
        super().__init__()
        self.dirs = list(dirs)
        self.shipped = shipped
        self.trainee = trainee
        self.logs = logs
        self.entries: list[Row] | None = None
        self.drawn: dict[int, Hanging] = {}
        self.shown: list[Row] = []

    def compose(self) -> ComposeResult:
        yield TitleBar("Scenario library")
        yield Input(placeholder="Type to filter scenarios; Enter starts one", id="filter")
        yield OptionList(id="scenarios", markup=False)
        yield Static(id="library-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#library-status", Static).update("Reading scenarios\N{HORIZONTAL ELLIPSIS}")
        self.query_one("#filter", Input).focus()
        self.call_after_refresh(self.load)  # paint the screen first, then read the files

    @work(thread=True, exclusive=True, group="library")
    def load(self) -> None:
        from sim.tui import shelf

        rows = sorted(shelf.scan(self.dirs, shipped=self.shipped), key=shelf_order)
        drawn = {id(row): describe(row) for row in rows}  # once, not per keystroke
        self.app.call_from_thread(self._loaded, rows, drawn)
        from sim.sessions.progress import progress

        done = progress({r.id: r.outcomes for r in rows}, self.logs, self.trainee)
        if done:
            redrawn = {id(row): describe(row, done.get(row.id)) for row in rows}
            self.app.call_from_thread(self._loaded, rows, redrawn)

    def _loaded(self, rows: list[Row], drawn: dict[int, Hanging]) -> None:
        self.entries = rows
        self.drawn = drawn
        self.refilter()

    def refilter(self) -> None:
        entries = self.entries or []
        words = self.query_one("#filter", Input).value.lower().split()
        self.shown = [e for e in entries if matches(e, words)]
        listing = self.query_one("#scenarios", OptionList)
        highlighted = listing.highlighted
        listing.set_options(Option(self.drawn[id(r)], id=str(i)) for i, r in enumerate(self.shown))
        if self.shown:
            listing.highlighted = min(highlighted or 0, len(self.shown) - 1)
        elif entries:
            typed = self.query_one("#filter", Input).value.strip()
            listing.add_option(
                Option(
                    Content.assemble(
                        "  No scenario matches ",
                        safe(
                            f"\N{LEFT DOUBLE QUOTATION MARK}{typed}\N{RIGHT DOUBLE QUOTATION MARK}",
                            "bold",
                        ),
                        ". Esc clears the filter.",
                    ),
                    disabled=True,
                )
            )
        status = self.query_one("#library-status", Static)
        broken = sum(1 for row in entries if row.problem is not None)
        if not entries:
            where = ", ".join(str(d) for d in self.dirs) or "the shipped folder"
            status.update(Content(f"No scenario files found in {where}."))
        else:
            text = f"{len(self.shown)} of {len(entries)} scenarios"
            if broken:
                text += f"  \N{MIDDLE DOT}  {broken} cannot be loaded"
            status.update(Content(text))

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.entries is not None:
            self.query_one("#scenarios", OptionList).highlighted = None  # the first match
            self.refilter()

    def on_screen_resume(self) -> None:
        """Back from a scenario: start with an empty filter, and read the progress again."""
        box = self.query_one("#filter", Input)
        box.value = ""
        box.focus()
        if self.entries is not None:
            self.load()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        listing = self.query_one("#scenarios", OptionList)
        if listing.highlighted is not None:
            self.start(listing.highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.start(event.option_index)

    def start(self, index: int) -> None:
        if not 0 <= index < len(self.shown):
            return
        row = self.shown[index]
        if row.problem is not None:
            self.cannot_load(row.name, row.problem)
            return
        self.open(Path(row.path))

    @work(thread=True, exclusive=True, group="open")
    def open(self, path: Path) -> None:
        """Load the picked file afresh: the list may be older than the file."""
        from sim.format import loader
        from sim.format.diagnostics import errors

        scenario, diagnostics = loader.check(path)
        if scenario is None:
            self.app.call_from_thread(
                self.cannot_load, path.name, first_problem(errors(diagnostics))
            )
            self.app.call_from_thread(self.load)  # show the file's problem in the list too
            return
        self.app.call_from_thread(self.post_message, ScenarioPicked(path, scenario))

    def cannot_load(self, name: str, problem: str) -> None:
        self.notify(
            plain(f"{name}: {problem}"),
            title="This scenario cannot be loaded",
            severity="error",
            markup=False,
        )

    def action_move(self, step: int) -> None:
        listing = self.query_one("#scenarios", OptionList)
        if listing.option_count:
            if step > 0:
                listing.action_cursor_down()
            else:
                listing.action_cursor_up()

    def action_clear(self) -> None:
        self.query_one("#filter", Input).value = ""

    def action_cohort(self) -> None:
        self.post_message(CohortAsked())

    def action_reload(self) -> None:
        self.query_one("#library-status", Static).update("Reading scenarios\N{HORIZONTAL ELLIPSIS}")
        self.load()
