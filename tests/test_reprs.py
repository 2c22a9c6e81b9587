"""The shared repr prints what attrs' own would, so debugging output is unchanged."""

from __future__ import annotations

import attrs

from sim import engine
from sim.format import library, loader
from sim.model import Meter
from sim.reprs import shared_repr


@attrs.frozen
class Generated:
    a: int
    b: str = "x"
    hidden: object = attrs.field(default=None, repr=False)


@attrs.frozen
@shared_repr
class Shared:
    a: int
    b: str = "x"
    hidden: object = attrs.field(default=None, repr=False)


def test_the_shared_repr_reads_as_attrs_writes_it() -> None:
    assert repr(Shared(1, "y\n", hidden=3)) == repr(Generated(1, "y\n", hidden=3)).replace(
        "Generated", "Shared"
    )
    assert repr(Meter("trust", "Team trust", 50)) == (
        "Meter(id='trust', label='Team trust', start=50, min=0, max=100)"
    )
    path = library.find_id("friday-shipment")
    assert path is not None
    state = engine.start(loader.load(path), 7)
    assert repr(state).startswith("State(scene='monday-call', meters=(50, 50), flags=frozenset()")
