"""The scene graph: what the file alone proves, and the Mermaid and DOT drawings of it.

The drawings carry untrusted scenario text, so they are parsed back here: every scene and
ending appears, every route is one edge, and hostile titles cannot break out of a label.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import attrs

from sim.analysis import graph
from sim.format import library, loader
from sim.model import Scenario
from tests.components import unavailable
from tests.test_cli import leadsim

DATA = Path(__file__).parent / "data"
CLEAN = DATA / "lint" / "clean.yaml"

HOSTILE = 'Bad "title"]) --> x; %% }\n digraph { \\N <b>\x1b[31m|`#quot;'

MERMAID_LINE = re.compile(
    r"""^(?:flowchart\ TD
    |\ \ %%\ [^\n]*
    |\ \ start\(\("start"\)\)
    |\ \ [se]\d+(?:\["[^"]*"\]|\(\["[^"]*"\]\):::\w+)
    |\ \ (?:start|s\d+)\ (?:-->|-\.->|==>)(?:\|"[^"]*"\|)?\ [se]\d+
    |\ \ linkStyle\ [\d,]+\ stroke:\#[0-9a-f]{6},color:\#[0-9a-f]{6}
    |\ \ classDef\ \w+\ fill:\#[0-9a-f]{6},stroke:\#333
    )$""",
    re.X,
)


def hostile_scenario() -> Scenario:
    """The clean scenario with a title no YAML file could smuggle past the loader whole
    (an escape character), to test the drawings' own escaping."""
    return attrs.evolve(loader.load(CLEAN), title=HOSTILE)


def mermaid_labels(text: str) -> list[str]:
    return re.findall(r'"([^"]*)"', text)


def test_reachability_from_the_file_alone() -> None:
    orphan = loader.load(DATA / "lint" / "LS101-orphan.yaml")
    assert graph.reachable(orphan) == {"one", "done"}
    loop = loader.load(DATA / "lint" / "LS111.yaml")
    assert graph.leading_to_an_ending(loop) == {"one", "done"}
    dead = loader.load(DATA / "lint" / "LS120.yaml")
    assert "other" not in graph.reachable(dead)  # only dead routes lead there
    assert [i for i, _ in graph.live_routes(dead.scenes["one"].choices[1])] == [0]


def test_mermaid_has_every_scene_ending_and_route() -> None:
    scenario = loader.load(CLEAN)
    text = graph.mermaid(scenario)
    for line in text.splitlines():
        assert MERMAID_LINE.match(line), line
    labels = mermaid_labels(text)
    for sid in [*scenario.scenes, *scenario.endings]:
        assert any(label == sid or label.startswith(f"{sid} (") for label in labels), sid
    routes = sum(len(c.routes) for s in scenario.scenes.values() for c in s.choices)
    arrows = re.findall(r" (-->|-\.->|==>)", text)
    assert len(arrows) == routes + 1  # and the start arrow
    assert "listen · leader · route if asked · 50#37; chance" in text
    assert "==>" in text  # the chance route is thick
    assert "(best)" in text and ":::best" in text


def test_mermaid_escapes_hostile_text() -> None:
    text = graph.mermaid(hostile_scenario())
    for line in text.splitlines():
        assert MERMAID_LINE.match(line), line
    comment = text.splitlines()[1]
    assert "\x1b" not in text and "\n digraph" not in text
    assert "#34;title#34;" in comment and "#35;quot#59;" in comment and "#37;#37;" in comment


def dot_tokens(text: str) -> list[str]:
    """A DOT tokenizer: quoted strings (with backslash escapes), ids, punctuation. Fails
    on anything else, such as an unterminated string."""
    token = re.compile(r'\s+|"(?:[^"\\]|\\.)*"|[A-Za-z_][\w.]*|-?\d+(?:\.\d+)?|->|[{}\[\];,=]')
    out, pos = [], 0
    while pos < len(text):
        m = token.match(text, pos)
        assert m, f"bad DOT at {text[pos : pos + 30]!r}"
        if not m.group().isspace():
            out.append(m.group())
        pos = m.end()
    return out


def test_dot_has_every_scene_and_ending_and_parses() -> None:
    scenario = loader.load(CLEAN)
    text = graph.dot(scenario)
    tokens = dot_tokens(text)
    assert tokens[0] == "digraph" and tokens.count("{") == tokens.count("}") == 1
    labels = [t for t in tokens if t.startswith('"')]
    for sid in scenario.scenes:
        assert f'"{sid}"' in labels
    for eid, ending in scenario.endings.items():
        assert f'"{eid} ({ending.outcome})"' in labels
    routes = sum(len(c.routes) for s in scenario.scenes.values() for c in s.choices)
    assert tokens.count("->") == routes + 1
    assert "style=dashed" in text and "style=bold" in text and "peripheries=2" in text


def test_dot_escapes_hostile_text(tmp_path: Path) -> None:
    text = graph.dot(hostile_scenario())
    tokens = dot_tokens(text)
    assert tokens.count("{") == tokens.count("}") == 1  # the title's braces stayed inside
    assert '\\"title\\"' in text and "\\\\N" in text and "\x1b" not in text


def test_graphviz_draws_the_dot_output_with_every_scene(tmp_path: Path) -> None:
    """The real `dot` renders what `leadsim graph --format dot` prints, hostile text included,
    and every scene of the shipped scenario is a node of the drawing."""
    if shutil.which("dot") is None:
        unavailable("graphviz", "`dot` is not installed (scripts/install-debian-packages)")
    shipped = loader.load(library.find_id("friday-shipment"))  # type: ignore[arg-type]
    for scenario in (hostile_scenario(), shipped):
        done = subprocess.run(
            ["dot", "-Tsvg"], input=graph.dot(scenario), capture_output=True, text=True
        )
        assert done.returncode == 0 and done.stdout.lstrip().startswith("<?xml"), done.stderr
        assert "Warning" not in done.stderr and "Error" not in done.stderr
        drawn = {html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", done.stdout)}
        assert set(scenario.scenes) <= drawn, set(scenario.scenes) - drawn


def test_graph_command_prints_both_formats() -> None:
    out = leadsim("graph", str(CLEAN))
    assert out.returncode == 0 and out.stdout.startswith("flowchart TD")
    out = leadsim("graph", str(CLEAN), "--format", "dot")
    assert out.returncode == 0 and out.stdout.startswith('digraph "clean" {')
    bad = leadsim("graph", str(DATA / "broken" / "LS030.yaml"))
    assert bad.returncode == 1 and "[LS030]" in bad.stderr


def test_chance_labels_give_how_often_each_route_is_taken() -> None:
    """A 0.5 route after a 0.4 route fires 30% of the time, not 50%."""
    scenario = loader.loads(BASE_CHANCES)
    labels = [graph.edge_label(e) for e in graph.edges(scenario)]
    assert labels == [
        "go · leader · 40% chance",
        "go · leader · 50% chance (30% overall)",
        "go · leader · otherwise (30% overall)",
        "wait · manager · route if trust > 60",
        "wait · manager · 50% chance",
        "wait · manager · otherwise (50% when no 'if' above applies)",
    ]


BASE_CHANCES = """\
scenario: chances
title: Chances
meters:
  trust: {label: Trust, start: 50}
start: one
scenes:
  one:
    text: One.
    choices:
      - id: go
        text: Go.
        style: leader
        next:
          - {chance: 0.4, goto: a}
          - {chance: 0.5, goto: b}
          - {goto: c}
      - id: wait
        text: Wait.
        style: manager
        next:
          - {if: "trust > 60", goto: a}
          - {chance: 0.5, goto: b}
          - {goto: c}
endings:
  a: {title: A, text: A.}
  b: {title: B, text: B.}
  c: {title: C, text: C.}
"""
