"""One ``__repr__`` for the attrs classes built at start-up.

attrs writes and compiles a ``__repr__`` for every class it makes, at import time: about a
third of the 0.4 ms a frozen class costs to create. The core, the loader and the sessions
make some forty classes before ``leadsim play X`` shows its first scene, so they share this
one instead (:func:`shared_repr`, applied under ``@attrs.frozen``, which then leaves the
class's own ``__repr__`` alone). It prints what attrs' would: ``Name(field=value, ...)``,
leaving out the fields marked ``repr=False``.
"""

from __future__ import annotations

from typing import TypeVar

import attrs

T = TypeVar("T", bound=type)


def fields_repr(self: attrs.AttrsInstance) -> str:
    """``Name(a=1, b='x')`` over the attrs fields shown in a repr."""
    cls = type(self)
    shown = ", ".join(
        f"{field.name}={getattr(self, field.name)!r}" for field in attrs.fields(cls) if field.repr
    )
    return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({shown})"


def shared_repr(cls: T) -> T:
    """Give ``cls`` :func:`fields_repr` (put it below ``@attrs.frozen``)."""
    cls.__repr__ = fields_repr  # type: ignore[assignment]
    return cls
