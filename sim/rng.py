"""The seeded generator every chance in a session comes from (SplitMix64).

Its whole state is one integer, carried in :class:`sim.engine.State`, so a state can be saved,
compared and resumed without hidden generator state. :func:`order` draws the order a scene's
choices are shown in (``shuffle``, format 1.1) from a *copy* of that state, so shuffling
never changes which chances fire.
"""

from __future__ import annotations

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def draw(rng: int) -> tuple[int, float]:
    """Advance a SplitMix64 state; return the new state and a float in [0, 1)."""
    rng = (rng + _GOLDEN) & _MASK
    z = rng
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return rng, (z >> 11) / float(1 << 53)


def order(rng: int, step: int, place: str, count: int) -> tuple[int, ...]:
    """A permutation of ``range(count)`` fixed by the generator state, the step and the scene
    id (a Fisher-Yates shuffle from a generator seeded with all three; FNV-1a hashes the id,
    so the order is the same in every process)."""
    key = 0xCBF29CE484222325
    for byte in place.encode("utf-8"):
        key = ((key ^ byte) * 0x100000001B3) & _MASK
    state = (rng ^ key ^ (step * _GOLDEN)) & _MASK
    items = list(range(count))
    for i in range(count - 1, 0, -1):
        state, roll = draw(state)
        j = int(roll * (i + 1))
        items[i], items[j] = items[j], items[i]
    return tuple(items)
