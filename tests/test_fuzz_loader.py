"""Fuzzing the loader: any input gives diagnostics or a playable scenario, never a crash.

Three sources of hostile input (see ``tests/strategies.py``): YAML documents of any shape and
plain junk text; the shipped scenarios and the core tests' fixture (``tests/data/small.yaml``)
with a few structural mutations (deleted keys, wrong types, renamed targets, huge numbers,
unicode, empty strings, duplicated entries); and the same files with line-level edits that
break the YAML itself. For every input, ``loader.parse_text``:

* returns, without raising, within a generous hang guard;
* returns a scenario exactly when no diagnostic is an error;
* gives every diagnostic a known code, a line inside the file and a one-line message;
* and, when it accepts the file, the engine plays random paths through it without error.

The example counts are sized so this module runs in a few seconds. Set
``LEADSIM_FUZZ_EXAMPLES`` to run that many examples in every test, e.g.
``LEADSIM_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_loader.py`` for a long run.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import engine
from sim.format import loader
from sim.format.diagnostics import LOAD_CODES, Diagnostic
from sim.model import Scenario
from tests import strategies as fz

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "small.yaml"
HANG_SECONDS = 30.0


def _documents() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, text, parsed) for the fixture and every shipped scenario that is valid YAML."""
    out = []
    for path in [FIXTURE, *sorted((ROOT / "scenarios").glob("*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        try:
            doc = yaml.load(text, Loader=loader.SafeLoader)
        except yaml.YAMLError:
            continue  # a scenario being written right now; the scenario tests catch it
        if isinstance(doc, dict):
            out.append((path.name, text, doc))
    return out


DOCUMENTS = _documents()
SMALL = next(doc for name, _, doc in DOCUMENTS if name == FIXTURE.name)


def fuzz_settings(default: int) -> settings:
    return settings(
        max_examples=fz.examples(default),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def check_outcome(text: str) -> tuple[Scenario | None, list[Diagnostic]]:
    """Load ``text`` and assert everything the module docstring promises."""
    with fz.hang_guard(HANG_SECONDS):
        scenario, diags = loader.parse_text(text, "<fuzz>")
    errors = [d for d in diags if d.severity == "error"]
    assert (scenario is None) == bool(errors), diags
    lines = text.count("\n") + 2  # a mark may sit just past the last line
    for d in diags:
        assert d.code in LOAD_CODES, d
        assert d.path == "<fuzz>"
        assert d.line in range(1, lines + 1), d
        assert d.column >= 1, d
        assert d.message and "\n" not in d.message, d
    if scenario is not None:
        play_randomly(scenario)
    return scenario, diags


def play_randomly(scenario: Scenario, runs: int = 3, steps: int = 40) -> None:
    """The engine must take any available choice in any scenario the loader accepts."""
    rng = random.Random(0)
    for seed in range(runs):
        state = engine.start(scenario, seed)
        for _ in range(steps):
            offered = engine.available(scenario, state)
            if state.over or not offered:
                break
            state = engine.choose(scenario, state, rng.choice(offered).id)
        engine.to_dict(scenario, state)


def test_the_unmutated_inputs_load() -> None:
    """The fuzzers start from valid scenarios, so an unmutated fixture must load cleanly."""
    scenario, diags = check_outcome(FIXTURE.read_text(encoding="utf-8"))
    assert scenario is not None, diags


@fuzz_settings(100)
@given(fz.yaml_documents())
def test_any_yaml_document_gives_diagnostics_not_an_exception(text: str) -> None:
    check_outcome(text)


@fuzz_settings(150)
@given(fz.mutated_documents(SMALL))
def test_mutated_fixture_gives_diagnostics_or_a_playable_scenario(text: str) -> None:
    check_outcome(text)


@fuzz_settings(40)
@given(st.data())
def test_mutated_shipped_scenarios_give_diagnostics_or_a_playable_scenario(
    data: st.DataObject,
) -> None:
    _, _, doc = data.draw(st.sampled_from(DOCUMENTS))
    check_outcome(data.draw(fz.mutated_documents(doc)))


@fuzz_settings(60)
@given(st.data())
def test_edited_scenario_text_gives_diagnostics_at_lines_in_the_file(
    data: st.DataObject,
) -> None:
    _, text, _ = data.draw(st.sampled_from(DOCUMENTS))
    check_outcome(data.draw(fz.mutated_texts(text)))


@fuzz_settings(150)
@given(fz.condition_texts())
def test_condition_soup_in_a_guard_gives_diagnostics_not_an_exception(source: str) -> None:
    """A condition goes into a real file, so the loader's whole path (parse, name check,
    compile) and, if it loads, the engine's evaluation run on it."""
    text = FIXTURE.read_text(encoding="utf-8").replace(
        'if: "trust >= 30"', "if: " + fz.quoted(source), 1
    )
    check_outcome(text)


@pytest.mark.parametrize("name", [name for name, _, _ in DOCUMENTS])
def test_every_base_document_round_trips_through_the_dumper(name: str) -> None:
    """Mutations are dumped with PyYAML; the unmutated dump must load like the original."""
    _, text, doc = next(d for d in DOCUMENTS if d[0] == name)
    before, _ = loader.parse_text(text)
    after, diags = loader.parse_text(fz.dump(doc))
    assert (before is None) == (after is None), diags
    if before is not None:
        assert after == before
