"""The library: every shipped scenario (and ``--dir``'s), filtered as you type.

Each row shows the title, the size (scenes, decisions per playthrough, endings), the feedback
mode and the summary. A file that fails to load is listed with its first error, so a trainer
sees what to fix instead of a missing entry. Files are read in a worker thread after the
screen first appears, so the simulator opens at once however many files there are.
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

from sim.text import plain
from sim.tui.content import safe
from sim.tui.messages import ScenarioPicked
from sim.tui.widgets.hanging import Hanging
from sim.tui.widgets.keybar import KeyBar
from sim.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:  # the worker imports the loader; the first paint need not wait for it
    from sim.library import Entry

WARNING = "\N{WARNING SIGN} "


def describe(entry: Entry) -> Hanging:
    """An entry as a list row: title, facts and summary, or the file name and its error."""
    from sim.tui.outline import length

    s = entry.scenario
    if s is None:
        body = Content("\n").join(
            [
                Content.assemble(
                    (plain(entry.path.name), "bold"), ("  cannot be loaded", "bold $text-error")
                ),
                safe(first_problem(entry)),
                Content(""),
            ]
        )
        return Hanging(Content.styled(WARNING, "$text-error"), body, indent=2)
    size = length(s)
    facts = [
        f"{len(s.scenes)} scene{'s' if len(s.scenes) != 1 else ''}",
        str(size) if size else "no ending reachable",
        f"{len(s.endings)} ending{'s' if len(s.endings) != 1 else ''}",
        f"feedback: {s.feedback_mode}",
    ]
    lines = [
        safe(s.title, "bold"),
        Content.styled("  \N{MIDDLE DOT}  ".join(facts), "dim"),
    ]
    if s.summary:
        lines.append(safe(s.summary))
    lines.append(Content(""))  # a blank line between entries
    return Hanging(Content("  "), Content("\n").join(lines))


def first_problem(entry: Entry) -> str:
    """The first error without the path (the row already names the file)."""
    if not entry.diagnostics:
        return "unknown problem"
    d = entry.diagnostics[0]
    hint = f"; {d.hint}" if d.hint else ""
    more = len(entry.diagnostics) - 1
    also = f" (and {more} more: leadsim validate lists them)" if more else ""
    return f"line {d.line}, column {d.column}: {d.message}{hint} [{d.code}]{also}"


def shelf_order(entry: Entry) -> tuple[bool, str]:
    if entry.scenario is None:
        return (True, entry.path.name)
    title = plain(entry.scenario.title).lower()
    for article in ("the ", "a ", "an "):
        if title.startswith(article):
            title = title[len(article) :]
            break
    return (False, title)


def matches(entry: Entry, words: Sequence[str]) -> bool:
    s = entry.scenario
    haystack = " ".join(
        [entry.path.name, entry.id, *((s.title, s.summary, s.author) if s else ())]
    ).lower()
    return all(w in haystack for w in words)


class LibraryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("escape", "clear", "Clear filter"),
        Binding("f5", "reload", "Reload"),
    ]

    def __init__(self, dirs: Sequence[Path] = (), shipped: bool = True) -> None:
        super().__init__()
        self.dirs = list(dirs)
        self.shipped = shipped
        self.entries: list[Entry] | None = None
        self.rows: dict[int, Hanging] = {}
        self.shown: list[Entry] = []

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
        from sim import library

        # Playable scenarios first, by title as a reader files them ("The Check-in" under
        # C); broken files after them, by name. Rows are drawn here, once: measuring a large
        # scenario's length should not happen on every keystroke of the filter.
        entries = sorted(library.discover(self.dirs, shipped=self.shipped), key=shelf_order)
        rows = {id(e): describe(e) for e in entries}
        self.app.call_from_thread(self._loaded, entries, rows)

    def _loaded(self, entries: list[Entry], rows: dict[int, Hanging]) -> None:
        self.entries = entries
        self.rows = rows
        self.refilter()

    def refilter(self) -> None:
        entries = self.entries or []
        words = self.query_one("#filter", Input).value.lower().split()
        self.shown = [e for e in entries if matches(e, words)]
        listing = self.query_one("#scenarios", OptionList)
        listing.set_options(Option(self.rows[id(e)], id=str(i)) for i, e in enumerate(self.shown))
        if self.shown:
            listing.highlighted = 0
        status = self.query_one("#library-status", Static)
        broken = sum(1 for e in entries if e.scenario is None)
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
            self.refilter()

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
        entry = self.shown[index]
        if entry.scenario is None:
            self.notify(
                plain(f"{entry.path.name}: {first_problem(entry)}"),
                title="This scenario cannot be loaded",
                severity="error",
                markup=False,
            )
            return
        self.post_message(ScenarioPicked(entry.path, entry.scenario))

    def action_move(self, step: int) -> None:
        listing = self.query_one("#scenarios", OptionList)
        if listing.option_count:
            if step > 0:
                listing.action_cursor_down()
            else:
                listing.action_cursor_up()

    def action_clear(self) -> None:
        self.query_one("#filter", Input).value = ""

    def action_reload(self) -> None:
        self.query_one("#library-status", Static).update("Reading scenarios\N{HORIZONTAL ELLIPSIS}")
        self.load()
