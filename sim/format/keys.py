"""The format's keys and naming rules: the contract that docs/authoring.md, the JSON Schema and
the loader share. Each key table maps a key to whether it is required."""

from __future__ import annotations

import re

SCENARIO_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
ELEMENT_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
NAME_ID = re.compile(r"[a-z_][a-z0-9_]*\Z")
PERCENT = re.compile(r"%\s*([+-])\s*(\d+(?:\.\d+)?)\Z")
DELTA = re.compile(r"[+-]?\d+\Z")

TOP_KEYS = {
    "format": False,
    "scenario": True,
    "title": True,
    "summary": False,
    "version": False,
    "author": False,
    "feedback_mode": False,
    "assessment": False,
    "best_needs": False,
    "meters": True,
    "flags": False,
    "start": True,
    "scenes": True,
    "endings": True,
    "shuffle": False,
    "allow": False,
}
BEST_NEEDS_KEYS = {"manager": False, "leader": False}
METER_KEYS = {"label": True, "start": True, "min": False, "max": False}
SCENE_KEYS = {
    "text": True,
    "choices": False,  # required unless 'next' makes it a narration scene (format 1.1)
    "next": False,
    "speaker": False,
    "reflect": False,
    "allow": False,
    "title": False,
    "source": False,
}
CHOICE_KEYS = {
    "id": True,
    "text": True,
    "style": True,
    "next": True,
    "effects": False,
    "feedback": False,
    "if": False,
    "locked": False,
    "once": False,
    "traits": False,
    "outcome": False,
    "allow": False,
}
ROUTE_KEYS = {"goto": True, "if": False, "chance": False, "allow": False}
FORMAT_11_KEYS = {
    "the scenario": frozenset({"shuffle", "allow"}),
    "scene": frozenset({"next", "allow"}),
    "choice": frozenset({"outcome", "allow"}),
    "route": frozenset({"allow"}),
}
"""Keys only a ``format: 1.1`` file may use, by where they are written."""
ENDING_KEYS = {"title": True, "text": True, "outcome": False, "lessons": False}
ASSESSMENT_KEYS = {"pass": True}
"""``assessment: {pass: [best, good]}``: the ending outcomes that pass an assessment."""


SCENE_RULE = "ids use lowercase letters, digits, '-' and '_', e.g. 'monday-call'"
SCENARIO_RULE = "a scenario id uses lowercase letters, digits and dashes, e.g. 'friday-shipment'"
NAME_RULE = "meter names use lowercase letters, digits and '_' (no dashes: '-' means minus)"
FLAG_RULE = "flag names use lowercase letters, digits and '_', e.g. 'team_briefed'"
