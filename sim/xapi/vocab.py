"""The xAPI words leadsim uses: verbs, activity types, extension keys, and the score rule.

Verbs are ADL's (the ones cmi5 uses) except ``rewound``, which no vocabulary has (and
cmi5's ``abandoned``, for an assessment given up, once the log records one). Extension
keys are leadsim's own IRIs under :data:`NS`, fixed whatever activity base a company
configures, so statements from any machine read back the same way. ``.invalid`` is a
reserved domain: the IRIs are names, never fetched.
"""

from __future__ import annotations

from typing import Final

ADL: Final = "http://adlnet.gov/expapi/verbs/"
NS: Final = "https://leadsim.invalid/xapi/"
"""leadsim's namespace for verbs and extension keys (a name, never dereferenced)."""

VERBS: Final = {
    "initialized": ADL + "initialized",
    "answered": ADL + "answered",
    "experienced": ADL + "experienced",
    "commented": ADL + "commented",
    "resumed": ADL + "resumed",
    "completed": ADL + "completed",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "terminated": ADL + "terminated",
    "rewound": NS + "verbs/rewound",
    "abandoned": "https://w3id.org/xapi/adl/verbs/abandoned",
}


def verb(name: str) -> str:
    """The IRI of a verb; a log record type this table does not know yet gets leadsim's own
    (``NS/verbs/TYPE``), so every line of a log is sent and read-back never has a gap."""
    return VERBS.get(name, NS + "verbs/" + name)


COURSE: Final = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION: Final = "http://adlnet.gov/expapi/activities/cmi.interaction"
SCENE: Final = "http://adlnet.gov/expapi/activities/interaction"
"""A narration scene: read, with no choice to make."""


def ext(name: str) -> str:
    """The IRI of leadsim's extension ``name``."""
    return NS + "extensions/" + name


SEED: Final = ext("seed")
SHA256: Final = ext("scenario-sha256")
APP: Final = ext("app-version")
MODE: Final = ext("mode")
SCENARIO_VERSION: Final = ext("scenario-version")
RECORD: Final = ext("log-record")
"""The log line a statement was made from, verbatim: what :mod:`sim.xapi.readback` rebuilds a
session from."""
LINE: Final = ext("log-line")
STYLE: Final = ext("style")
BEFORE: Final = ext("meters-before")
AFTER: Final = ext("meters-after")
METERS: Final = ext("meters")
ENDING: Final = ext("ending")
OUTCOME: Final = ext("outcome")
TALLY: Final = ext("tally")
LEAN: Final = ext("trait-lean")

LANGUAGE: Final = "und"
"""Scenario text is in whatever language its author wrote: BCP 47 'undetermined'."""

SCORE: Final = {"poor": 0, "mixed": 1, "good": 2, "best": 3}
"""The score rule: an ending's outcome as ``result.score.raw`` from 0 (poor) to 3 (best),
``scaled`` = raw / 3. An ending with no outcome gets no score."""
SCORE_MAX: Final = 3
