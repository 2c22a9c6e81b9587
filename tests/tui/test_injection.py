"""Scenario files are untrusted: their markup and escape codes show as text and do nothing."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static

from sim.tui.app import LeadsimApp
from sim.tui.screens.debrief import DebriefScreen
from sim.tui.screens.play import PlayScreen

from .conftest import DATA, all_text, screen_text

INJECT = DATA / "inject"


async def test_markup_and_escapes_are_shown_literally_and_inert(
    make_app: Callable[..., LeadsimApp],
) -> None:
    app = make_app(dirs=(INJECT,))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]Injected[/] title" in text
        assert "[@click=app.quit]summary[/]" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        text = screen_text(app)
        assert "[bold]Injected[/] title" in text
        assert "[@click=app.quit]Mallory[/] says:" in text
        assert "Click [@click=app.quit]x[/] or see [bold]bold[/] and red here." in text
        assert "Take [@click=app.quit]x[/] now" in text
        assert "[red]Trust[/]" in text
        assert "\x1b" not in all_text(app)

        # "red" carries no colour of its own: it is styled like the words around it.
        strips = app.screen._compositor.render_strips()
        row = next(s for s in strips if "and red here" in s.text)
        styles = {seg.text.strip(): seg.style for seg in row if seg.text.strip()}
        line = next(seg for seg in row if "red here" in seg.text)
        assert line.style == next(seg for seg in row if "Click" in seg.text).style, styles

        # Clicking the would-be links does nothing.
        scene = app.screen.query_one("#scene", Static)
        lines = str(scene.content).splitlines()  # the speaker's line, then the text
        row = next(i for i, line in enumerate(lines) if "]x[" in line)
        await pilot.click(scene, offset=(lines[row].index("]x[") + 1, row))
        await pilot.click(scene, offset=(20, 0))  # the speaker's line
        await pilot.click("#titlebar", offset=(12, 0))
        await pilot.pause()
        assert app.return_code is None and isinstance(app.screen, PlayScreen)

        await pilot.press("1")
        text = screen_text(app)
        assert "[@click=app.quit]fb[/] red" in text
        assert "Reflect: [@click=app.quit]why[/]?" in text
        await pilot.click("#fb-body", offset=(3, 2))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = all_text(app)
        assert "Ending: [@click=app.quit]End[/]" in text
        assert "[bold]over[/]" in text
        assert "• [@click=app.quit]lesson[/]" in text
        await pilot.click("#ending-title", offset=(12, 0))
        await pilot.click("#lessons", offset=(4, 0))
        await pilot.pause()
        assert app.return_code is None and isinstance(app.screen, DebriefScreen)
