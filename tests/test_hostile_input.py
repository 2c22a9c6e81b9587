"""YAML bombs and extreme files: each gets a clear diagnostic, quickly, in bounded memory.

Scenario files are untrusted. For an alias bomb ("billion laughs"), 10,000-deep nesting, a
200 MB file, a binary file, a file that holds a list or a single value, a directory, a loop of
symlinks and friends, ``loader.check`` must return a diagnostic with its code and line
rather than raise, hang or exhaust memory. Memory is measured with tracemalloc and held to
a generous bound (:data:`MEMORY_BOUND`); time is never asserted, only guarded against a hang
(:data:`HANG_SECONDS`, many times what any case needs).

The files are generated in ``tmp_path``; the 200 MB one is sparse (``os.truncate``), so it
takes no disk space and is never committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from sim.format import loader
from sim.format.diagnostics import Diagnostic
from tests.strategies import hang_guard

MEMORY_BOUND = 200 * 1024 * 1024
HANG_SECONDS = 60.0
SMALL = Path(__file__).parent / "data" / "small.yaml"


def check_bounded(path: Path, *, trace: bool = True) -> list[Diagnostic]:
    """``loader.check(path)`` under the hang guard; its diagnostics, with memory checked
    unless ``trace`` is false (tracemalloc slows a deep RecursionError's unwinding 30-fold)."""
    if trace:
        tracemalloc.start()
    try:
        with hang_guard(HANG_SECONDS):
            scenario, diags = loader.check(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert scenario is None
    assert diags, "a refused file must say why"
    assert peak < MEMORY_BOUND, f"peak {peak / 2**20:.0f} MiB"
    for d in diags:
        assert d.severity == ("note" if d.code == "LS005" else "error")
        assert d.line >= 1 and d.column >= 1
        assert "\n" not in d.message
    return diags


def first(diags: list[Diagnostic], code: str) -> Diagnostic:
    found = [d for d in diags if d.code == code]
    assert found, [d.format() for d in diags]
    return found[0]


# --- alias bombs ------------------------------------------------------------------------


def billion_laughs(levels: int = 9, fan: int = 9) -> str:
    """The classic: each level a list of ``fan`` aliases of the level below (9**9 lols)."""
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_outside_the_scenario_keys_is_not_expanded(tmp_path: Path) -> None:
    """PyYAML's composer shares aliased nodes and the reader never walks unknown keys, so
    the 387-million-leaf document costs nothing and is reported key by key."""
    path = tmp_path / "laughs.yaml"
    path.write_text(billion_laughs())
    diags = check_bounded(path)
    assert first(diags, "LS010").line == 1
    assert first(diags, "LS011").message == "the scenario has no 'scenario'"


def test_billion_laughs_as_values_is_a_type_error_not_an_expansion(tmp_path: Path) -> None:
    text = billion_laughs().replace("lol9: &lol9", "lessons: &lol9")
    text = SMALL.read_text() + "\n" + text.replace("lol", "lx")
    path = tmp_path / "laughs-in-scenario.yaml"
    path.write_text(text)
    check_bounded(path)  # unknown keys: bounded, whatever the codes


def amplifier(width: int) -> str:
    """Aliases along the scenario's own structure, which the reader does walk: ``width``
    scenes that are one aliased scene, whose choices are ``width`` aliases of one choice,
    whose ``next`` is ``width`` aliases of one route: width**3 routes to read."""
    routes = ", ".join(["*r"] * (width - 1))
    choices = ", ".join(["*c"] * (width - 1))
    scenes = "".join(f"  s{i}: *s\n" for i in range(1, width))
    return (
        "scenario: amplifier\ntitle: Amplifier\nstart: s0\n"
        "meters: {trust: {label: Trust, start: 50}}\n"
        "scenes:\n"
        "  s0: &s\n"
        "    text: Text.\n"
        "    choices: [&c {id: go, text: Go., style: leader, feedback: F.,\n"
        f"      next: [&r {{if: 'trust > 200', goto: e}}, {routes}]}}, {choices}]\n"
        f"{scenes}"
        "endings: {e: {title: E, text: E.}}\n"
    )


def test_aliases_along_the_scenario_structure_hit_the_alias_limit(tmp_path: Path) -> None:
    """300**3 = 27 million routes from a 5 KB file; refused once MAX_ALIAS_EXPANSIONS nodes
    have been re-read, with the place of the re-use that crossed the limit."""
    path = tmp_path / "amplifier.yaml"
    path.write_text(amplifier(300))
    assert path.stat().st_size < 10_000
    diags = check_bounded(path)
    limit = first(diags, "LS004")
    assert str(loader.MAX_ALIAS_EXPANSIONS) in limit.message
    assert len(diags) < 3 * loader.MAX_ALIAS_EXPANSIONS


def test_a_long_list_re_used_many_times_is_charged_by_its_length(tmp_path: Path) -> None:
    """One alias per ending but a 3,000-item list behind it: counting aliases alone would
    read nine million lessons and report each one."""
    head = SMALL.read_text().split("endings:")[0]
    endings = [
        "endings:",
        "  shipped-tired: {title: T, text: T., lessons: &l [" + "1, " * 2999 + "1]}",
    ]
    endings += [f"  e{i}: {{title: T, text: T., lessons: *l}}" for i in range(3000)]
    path = tmp_path / "long-list.yaml"
    path.write_text(head + "\n".join(endings) + "\n")
    diags = check_bounded(path)
    first(diags, "LS004")
    assert len(diags) < 3 * loader.MAX_ALIAS_EXPANSIONS


# --- nesting ----------------------------------------------------------------------------

DEEP = 10_000
NESTINGS = {
    "flow-lists": "[" * DEEP + "]" * DEEP,
    "flow-mappings": "{a: " * DEEP + "1" + "}" * DEEP,
    "block-lists": "- " * DEEP + "x\n",
    "block-mappings": "".join(" " * i + "a:\n" for i in range(DEEP)) + " " * DEEP + "b\n",
    "scenario-key": "scenario: deep\ntitle: Deep\nscenes: " + "[" * DEEP + "]" * DEEP,
}


@pytest.mark.parametrize("name", NESTINGS)
def test_ten_thousand_deep_nesting_is_refused_as_too_deep(tmp_path: Path, name: str) -> None:
    """libyaml stops at 1,000 levels (so its recursive composer cannot overflow the C
    stack); the loader reports that as the nesting limit, LS004, with a line."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(NESTINGS[name])
    d = first(check_bounded(path), "LS004")
    assert "deeper" in d.message or "too deeply" in d.message


@pytest.mark.parametrize("name", ["flow-lists", "block-lists", "flow-mappings"])
def test_deep_nesting_with_the_pure_python_parser_is_refused_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    """Without the C extension PyYAML's composer recurses in Python; the RecursionError is
    caught and reported as LS004 rather than escaping."""
    monkeypatch.setattr(loader, "SafeLoader", yaml.SafeLoader)
    path = tmp_path / f"{name}.yaml"
    path.write_text(NESTINGS[name])
    first(check_bounded(path, trace=False), "LS004")


def test_nesting_past_the_documented_limit_but_within_libyaml_is_refused(
    tmp_path: Path,
) -> None:
    depth = loader.MAX_DEPTH + 10
    path = tmp_path / "deep-ish.yaml"
    path.write_text("scenario: x\ntitle: X\nflags: " + "[" * depth + "]" * depth + "\n")
    d = first(check_bounded(path), "LS004")
    assert str(loader.MAX_DEPTH) in d.message


# --- size, bytes and shape --------------------------------------------------------------


def test_a_200_mb_file_is_refused_by_its_size_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.write(b"scenario: huge\n")
    os.truncate(path, 200 * 1024 * 1024)  # sparse: no disk space, no memory
    d = first(check_bounded(path), "LS001")
    assert "larger than" in d.message and d.line == 1


def test_a_file_just_over_the_limit_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "just-over.yaml"
    with path.open("wb") as f:
        f.write(b"scenario: big\n")
    os.truncate(path, loader.MAX_FILE_BYTES + 1)
    first(check_bounded(path), "LS001")


def test_a_file_of_millions_of_tiny_values_is_refused_before_composing(tmp_path: Path) -> None:
    # 18 MB, under the size limit, but composing 9 million nodes would need ~3 GB.
    path = tmp_path / "tiny-values.yaml"
    path.write_text("scenario: x\nlist: [" + "1," * 9_000_000 + "1]\n")
    d = first(check_bounded(path, trace=False), "LS004")
    assert f"{loader.MAX_VALUES:,} allowed" in d.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_before_it_is_read() -> None:
    d = first(check_bounded(Path("/dev/zero")), "LS001")
    assert "a device, not a scenario file" in d.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer: forever, when none comes."""
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    d = first(check_bounded(fifo), "LS001")
    assert "named pipe (FIFO), not a scenario file" in d.message
    out = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(fifo)],
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
    )
    assert out.returncode == 1 and f"{fifo}:1:1: error: this is a named pipe" in out.stdout


BINARY = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "random": bytes((i * 7919 + 13) % 256 for i in range(4096)),
    "latin-1": "title: café\nscenario: x\n".encode("latin-1"),
    "utf-16": "scenario: x\ntitle: X\n".encode("utf-16"),
}


@pytest.mark.parametrize("name", BINARY)
def test_a_binary_file_is_refused_as_not_text(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(BINARY[name])
    d = first(check_bounded(path), "LS001")
    assert "binary" in d.message or "UTF-8" in d.message


@pytest.mark.parametrize(
    ("encoding", "wide"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")],
)
def test_utf_16_is_named_not_called_binary(tmp_path: Path, encoding: str, wide: str) -> None:
    path = tmp_path / "wide.yaml"
    path.write_bytes(SMALL.read_text().encode(encoding))
    d = first(check_bounded(path), "LS001")
    assert d.message == f"the file is {wide}, not UTF-8" and d.hint == "save it as UTF-8"


def test_invalid_utf_8_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"scenario: x\ntitle: X\nsummary: caf\xe9\n")
    assert first(check_bounded(path), "LS001").line == 3


def test_a_raw_control_character_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "escape.yaml"
    path.write_text("scenario: x\ntitle: é \x1b[2J\n")
    d = first(check_bounded(path), "LS002")
    assert (d.line, d.column) == (2, 10)
    assert "U+001B" in d.message


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("- monday\n- tuesday\n", "a list", 1),
        ("just a sentence\n", "a single value", 1),
        ("# only a comment\n\n", "empty", 1),
        ("", "empty", 1),
        ("42\n", "a single value", 1),
        ("\n\n--- [1, 2]\n", "a list", 3),
    ],
)
def test_a_document_that_is_not_a_mapping_is_refused(
    tmp_path: Path, text: str, fragment: str, line: int
) -> None:
    path = tmp_path / "shape.yaml"
    path.write_text(text)
    d = first(check_bounded(path), "LS003")
    assert fragment in d.message and d.line == line


def test_two_documents_in_one_file_are_a_syntax_error_at_the_second(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text("scenario: a\n---\nscenario: b\n")
    assert first(check_bounded(path), "LS002").line == 2


def test_a_directory_given_as_a_file_is_refused(tmp_path: Path) -> None:
    d = first(check_bounded(tmp_path), "LS001")
    assert "directory" in d.message and d.line == 1


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "loop.yaml")
    first(check_bounded(loop), "LS001")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert "no such file" in first(check_bounded(tmp_path / "nope.yaml"), "LS001").message


# --- values PyYAML cannot build ---------------------------------------------------------

VALUES: dict[str, tuple[str, str]] = {
    "unknown tag": ("version: !foo bar", "tag"),
    "python tag": ("version: !!python/name:os.system ''", "tag"),
    "bad date": ("version: 2001-13-45", "timestamp"),
    "bad int": ("format: !!int abc", "int"),
    "bad bool": ("format: !!bool maybe", "bool"),
    "5,000 digits": ("format: " + "9" * 5000, "too long"),
    "base 60": ("format: " + ":".join(["59"] * 200_000), "too long"),
    "99 digits": ("format: " + "1" * 99, "far outside"),
}


@pytest.mark.parametrize("case", VALUES)
def test_values_pyyaml_cannot_build_are_diagnostics(tmp_path: Path, case: str) -> None:
    """Each of these raised ValueError, KeyError or ConstructorError out of the loader (and
    the 600 KB base-60 number took PyYAML seconds of quadratic arithmetic)."""
    line, fragment = VALUES[case]
    text = SMALL.read_text()
    key = line.split(":")[0]
    lines = [entry for entry in text.splitlines() if not entry.startswith(f"{key}:")]
    lines.insert(2, line)
    path = tmp_path / "value.yaml"
    path.write_text("\n".join(lines) + "\n")
    diags = check_bounded(path)
    assert any(fragment in d.message and d.line == 3 for d in diags), [
        d.format()[:200] for d in diags
    ]


def test_a_condition_chain_too_tall_to_evaluate_is_refused(tmp_path: Path) -> None:
    """'1+1+...' of 999 terms nests no parentheses but is a 999-level tree; compiling it
    overflowed Python's stack inside the loader."""
    text = SMALL.read_text().replace('"trust >= 30"', '"' + "+".join(["1"] * 999) + '"')
    path = tmp_path / "chain.yaml"
    path.write_text(text)
    assert "levels" in first(check_bounded(path), "LS020").message


# --- through the command line -----------------------------------------------------------


def sparse(path: Path) -> None:
    path.write_bytes(b"a: 1\n")
    os.truncate(path, 200 * 2**20)


CASES: dict[str, Callable[[Path], object]] = {
    "laughs.yaml": lambda p: p.write_text(billion_laughs()),
    "amplifier.yaml": lambda p: p.write_text(amplifier(100)),
    "deep.yaml": lambda p: p.write_text(NESTINGS["flow-lists"]),
    "huge.yaml": sparse,
    "binary.yaml": lambda p: p.write_bytes(BINARY["png"]),
    "list.yaml": lambda p: p.write_text("- a\n- b\n"),
    "scalar.yaml": lambda p: p.write_text("hello\n"),
}


def test_validate_reports_every_hostile_file_and_exits_1(tmp_path: Path) -> None:
    """`leadsim validate` on a folder of all of them: one process, a diagnostic per file,
    exit status 1, no traceback."""
    for name, make in CASES.items():
        make(tmp_path / name)
    with hang_guard(HANG_SECONDS * 2):
        done = subprocess.run(
            [sys.executable, "-m", "sim", "validate", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=HANG_SECONDS * 2,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    for name in CASES:
        assert f"{name}:" in done.stdout, name


def test_play_refuses_a_directory_with_a_diagnostic(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "sim", "play", str(folder), "--text"],
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        check=False,
        env={**os.environ, "LEADSIM_HOME": str(tmp_path / "home")},
    )
    assert done.returncode == 1
    assert "[LS001]" in done.stderr and "directory" in done.stderr
    assert "Traceback" not in done.stderr


# --- counting what the limits count -----------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029"])
def test_every_line_break_yaml_accepts_counts_towards_the_value_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str
) -> None:
    """A 27 MB file of CR-only lines took 61 s and 2.65 GB while the same file with LF was
    refused at once: the estimate counted only LF."""
    from sim.format import yamlsource

    monkeypatch.setattr(yamlsource, "MAX_VALUES", 1_000)
    text = "scenario: x" + newline + newline.join(f"- k{i}" for i in range(1_500)) + newline
    assert yamlsource.line_breaks(text) == 1_501
    path = tmp_path / "breaks.yaml"
    path.write_bytes(text.encode("utf-8"))
    d = first(check_bounded(path), "LS004")
    assert "1,000 allowed" in d.message


def test_aliases_of_single_values_count_towards_the_alias_limit(tmp_path: Path) -> None:
    """12,000 re-uses of one scalar passed the documented limit of 10,000."""
    head = SMALL.read_text().split("endings:")[0]
    over = loader.MAX_ALIAS_EXPANSIONS + 2_000
    lessons = "[&l L, " + "*l, " * over + "*l]"
    path = tmp_path / "scalars.yaml"
    path.write_text(head + f"endings:\n  e: {{title: E, text: E., lessons: {lessons}}}\n")
    diags = check_bounded(path)
    assert [d.code for d in diags] == ["LS004"]
    assert str(loader.MAX_ALIAS_EXPANSIONS) in diags[0].message
    under = tmp_path / "under.yaml"
    few = "[&l L, " + "*l, " * 100 + "*l]"
    under.write_text(SMALL.read_text().replace("endings:", f"x-lessons: {few}\nendings:", 1))
    assert [d.code for d in loader.check(under)[1]] == ["LS010"]  # counted, not refused


def test_quoted_values_are_cut_and_diagnostics_capped_per_file(tmp_path: Path) -> None:
    """A 20 MB value was quoted whole, and 2 million unknown keys printed 413 MB."""
    from sim.format.diagnostics import MAX_DIAGNOSTICS
    from sim.format.nodes import MAX_MESSAGE_CHARS, MAX_QUOTE_CHARS

    huge = "k" * 2_000_000
    keys = "".join(f"u{i}: 1\n" for i in range(50_000))
    path = tmp_path / "noisy.yaml"
    small = SMALL.read_text()  # best_needs moved up: a large file lists its settings first
    best = next(line for line in small.splitlines(True) if line.startswith("best_needs:"))
    small = small.replace(best, "").replace("\nstart:", "\n" + best + "start:")
    path.write_text(small.replace("feedback_mode: coach", f"feedback_mode: {huge}") + keys)
    diags = check_bounded(path)
    assert len(diags) == MAX_DIAGNOSTICS + 1
    assert diags[-1].code == "LS005" and diags[-1].severity == "note"
    assert diags[-1].message.startswith("and 49,901 more problems in this file")
    cut = first(diags, "LS013")
    assert f"{'k' * (MAX_QUOTE_CHARS - 4)}..." in cut.message
    assert all(len(d.message) <= MAX_MESSAGE_CHARS for d in diags)
    report = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
    )
    assert len(report.stdout) < 100_000
    assert '"code": "LS005"' in report.stdout
