"""The simulator's pure pieces, tested without running an app (fast)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sim.format import loader
from sim.sessions.session import Session
from sim.tui import shelf
from sim.tui.content import prose, signed
from sim.tui.outline import Length, length
from sim.tui.watch import carry_over

from .conftest import LATE


def test_prose_reflows_hard_wrapped_paragraphs_and_keeps_deliberate_breaks() -> None:
    text = (
        "Monday, 07:40. You have run the team for eleven weeks and the box that\n"
        "links the analyser to the record failed overnight.\n"
        "\n"
        "Dear team,\n"
        "the export is late again and we need to talk about what is in the way.\n"
        "- first item\n"
        "- second item\n"
        "\x1b[31mred\x1b[0m [bold]stays[/]\n"
    )
    assert prose(text) == (
        "Monday, 07:40. You have run the team for eleven weeks and the box that links "
        "the analyser to the record failed overnight.\n"
        "\n"
        "Dear team,\n"
        "the export is late again and we need to talk about what is in the way.\n"
        "- first item\n"
        "- second item\n"
        "red [bold]stays[/]"
    )


def test_signed_uses_a_real_minus() -> None:
    assert (signed(10), signed(-5), signed(0)) == ("+10", "\N{MINUS SIGN}5", "+0")


def test_length_of_the_fixture() -> None:
    scenario = loader.load(LATE)
    assert length(scenario) == Length(2, 2)
    assert str(Length(5, 11)) == "5\N{EN DASH}11 decisions"


def test_carry_over_replays_while_the_path_still_applies() -> None:
    old = Session(loader.load(LATE), seed=1)
    old.choose("ask")
    old.reflect("tired")
    old.choose("pair")
    same = Session(loader.load(LATE), seed=1)
    assert carry_over(old, same) == 2
    assert same.over and same.reflections == {1: "tired"}

    edited = loader.loads(LATE.read_text(encoding="utf-8").replace("id: pair", "id: pair-up"))
    changed = Session(edited, seed=1)
    assert carry_over(old, changed) == 1  # 'pair' is gone: stop before it
    assert changed.state.scene == "crunch" and changed.reflections == {1: "tired"}


def test_shelf_reads_each_file_once_until_it_changes(tmp_path: Path, monkeypatch: Any) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "late.yaml").write_text(LATE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.yaml").write_text("scenario: [\n", encoding="utf-8")
    index = tmp_path / "index.json"
    first = {row.name: row for row in shelf.scan([folder], shipped=False, index=index)}
    assert first["late.yaml"].title == "The Late Report"
    assert (first["late.yaml"].scenes, first["late.yaml"].shortest) == (2, 2)
    assert "YAML syntax error" in (first["broken.yaml"].problem or "")

    read: list[str] = []
    real = shelf.read_row
    monkeypatch.setattr(shelf, "read_row", lambda p: read.append(p.name) or real(p))
    assert shelf.scan([folder], shipped=False, index=index) == list(first.values())
    assert read == []  # everything came from the index

    late = folder / "late.yaml"
    late.write_text(late.read_text(encoding="utf-8").replace("The Late", "The Later"))
    os.utime(late, ns=(late.stat().st_mtime_ns + 10**9,) * 2)
    again = {row.name: row for row in shelf.scan([folder], shipped=False, index=index)}
    assert read == ["late.yaml"] and again["late.yaml"].title == "The Later Report"


def test_the_load_error_screen_counts_what_the_loader_left_out() -> None:
    from sim.format.diagnostics import Diagnostic, bounded
    from sim.tui.screens.load_error import SHOWN, problems

    found = [
        Diagnostic("LS010", "error", f"unknown key 'k{i}'", "", "f.yaml", i + 1) for i in range(150)
    ]
    shown = problems(bounded(found, "f.yaml", dropped=1_000)).plain
    assert shown.count("[LS010]") == SHOWN and "LS005" not in shown
    assert shown.endswith(f"... and {150 + 1_000 - SHOWN:,} more")
