"""leadsim: a terminal training simulator that teaches the difference between managing and leading.

The package keeps a pure core (``model``, ``conditions``, ``engine``) apart from its shells
(``loader``, ``session``, ``commands``, ``tui``); the README's Design section maps the modules.
"""

from __future__ import annotations

__version__ = "0.1.0"
"""The version, written here rather than read from the installed metadata: every session log
records it at start-up, and importlib.metadata (with email, zipfile, csv and calendar behind it)
cost that start-up about 15 ms. tests/test_cli.py holds it equal to pyproject.toml's."""
