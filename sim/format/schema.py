"""The JSON Schema of the scenario format, shipped as ``sim/format/scenario.schema.json``.

Editors use it to complete and check keys as a trainer types (yaml-language-server reads a
``# yaml-language-server: $schema=...`` first line). It describes what a schema can: keys,
required keys, types, allowed words, id patterns and number ranges. Cross-references (does this
``goto`` name a scene?) and conditions are the loader's and ``leadsim validate``'s job; the tests
hold the schema and the loader to the same verdict on everything the schema can express.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

FILE = "scenario.schema.json"


def path() -> Path:
    """Where the schema file is installed."""
    return Path(str(resources.files("sim.format").joinpath(FILE)))


def text() -> str:
    return resources.files("sim.format").joinpath(FILE).read_text(encoding="utf-8")


@cache
def load() -> dict[str, Any]:
    return json.loads(text())
