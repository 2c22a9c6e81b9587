"""The compiled random play-tester (sim.analysis.kernel) held to the engine: generated
scenarios played both ways, seed for seed, must end alike, with the same meters, flags and
path, and give the same report (endings, coverage, failures with their answers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sim.analysis import kernel, playtest
from sim.format import loader
from sim.format.diagnostics import ScenarioError
from sim.model import Scenario
from tests.strategies import dump, examples, playable_documents

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def both_ways(
    scenario: Scenario, runs: int, seed: int, policy: kernel.Policy, max_steps: int
) -> tuple[list[Any], list[Any], playtest.RandomReport, playtest.RandomReport]:
    on_engine: list[Any] = []
    compiled: list[Any] = []
    reference = playtest.random_runs_on_engine(
        scenario, runs, seed, max_steps, policy, each=lambda *run: on_engine.append(run)
    )
    kernel.play(
        kernel.Kernel(scenario),
        runs,
        seed,
        policy,
        max_steps,
        each=lambda *run: compiled.append((*run[:5], list(run[5]))),
    )
    fast = playtest.random_runs(scenario, runs, seed, max_steps=max_steps, policy=policy)
    return on_engine, compiled, reference, fast


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    doc=playable_documents(),
    seed=st.integers(0, 2**31),
    policy=st.sampled_from(kernel.POLICIES),
)
def test_kernel_plays_generated_scenarios_as_the_engine_does(
    doc: dict[str, Any], seed: int, policy: kernel.Policy
) -> None:
    try:
        scenario = loader.loads(dump(doc))
    except ScenarioError:
        scenario = None
    assume(scenario is not None)
    assert scenario is not None
    on_engine, compiled, reference, fast = both_ways(scenario, 25, seed, policy, max_steps=40)
    # (run, engine seed, ending or None, meters, flags, options taken), run by run
    assert compiled == on_engine
    assert fast == reference


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
@pytest.mark.parametrize("policy", kernel.POLICIES)
def test_kernel_plays_the_shipped_scenarios_as_the_engine_does(
    path: Path, policy: kernel.Policy
) -> None:
    scenario = loader.load(path)
    on_engine, compiled, reference, fast = both_ways(scenario, 300, 7, policy, max_steps=200)
    assert compiled == on_engine
    assert fast == reference
    assert sum(fast.endings.values()) + len(fast.failures) == 300


def test_a_failing_run_is_explained_on_the_engine() -> None:
    loop = loader.load(ROOT / "tests" / "data" / "lint" / "LS111.yaml")
    fast = playtest.random_runs(loop, 6, seed=2, max_steps=50)
    reference = playtest.random_runs_on_engine(loop, 6, seed=2, max_steps=50)
    assert fast.failures and fast == reference  # trail, answers, scene and message alike
