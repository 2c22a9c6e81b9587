"""leadsim: a terminal training simulator that teaches the difference between managing and leading.

The package keeps a pure core (``model``, ``conditions``, ``engine``) apart from its shells
(``loader``, ``session``, ``commands``, ``tui``); the README's Design section maps the modules.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # ``__version__`` is looked up on first use: importlib.metadata costs about 35 ms, which
    # every `import sim.<anything>` (the simulator's start-up among them) would otherwise pay.
    if name != "__version__":
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("leadsim")
    except PackageNotFoundError:  # running from a source tree that was never installed
        value = "0.0.0+source"
    globals()["__version__"] = value
    return value
