"""leadsim: a terminal training simulator that teaches the difference between managing and leading.

The package keeps a pure core (``model``, ``conditions``, ``engine``) apart from its shells
(``loader``, ``session``, ``commands``, ``tui``); the README's Design section maps the modules.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("leadsim")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
