"""The starter scenario `leadsim new` writes: small, valid, and commented key by key.

It passes `leadsim validate` with no warning and shows the format's main ideas in three
scenes: both styles, an effect, a flag set and read, a guarded route and a rated ending.
"""

from __future__ import annotations

from string import Template

TEMPLATE = Template("""\
# A leadsim scenario. docs/authoring.md documents every key; check your edits with
#   leadsim validate $id.yaml      (every problem with its line and a fix)
#   leadsim check $id.yaml         (plays every path and shows where each ending is reached)
# Editors that use yaml-language-server complete and check keys against the schema: run
# `leadsim schema > scenario.schema.json` and put this line first in the file:
#   # yaml-language-server: $$schema=./scenario.schema.json
scenario: $id                      # the id: lowercase letters, digits and dashes
title: $title
summary: A new team member's first week; one decision a day.
best_needs: {manager: 1, leader: 1}  # every path to a best ending takes at least this many
                                   # decisions of each style (default 2 and 2)
feedback_mode: coach               # coach | consequences | debrief
meters:                            # what the trainee watches move (whole numbers)
  trust:   {label: Team trust, start: 50, min: 0, max: 100}
  results: {label: Results,    start: 50, min: 0, max: 100}
start: monday                      # the first scene
scenes:
  monday:
    speaker: Sam                   # optional: who is talking
    text: |
      Monday, 9:00. Sam joins your team today and asks what to work on first.
    choices:
      - id: assign                 # unique within the scene
        text: Give Sam a task list for the week.
        style: manager             # manager | leader | neutral
        traits: [control-influence]  # optional: which trait pair it exercises (leadsim traits)
        effects: {results: +10, trust: -5}
        feedback: Clear and quick; Sam knows what to do, not why.
        next: wednesday
      - id: pair
        text: Ask Sam what they are good at, and pair them with Ana.
        style: leader
        traits: [control-influence]
        effects: {trust: +10, results: -5, set: [paired]}   # set a flag for later
        feedback: Slower today; Sam will ask Ana before asking you.
        next: wednesday
  wednesday:
    text: |
      Wednesday. A customer finds a mistake in Sam's first delivery.
    reflect: What did your choice tell Sam about mistakes?   # optional question
    choices:
      - id: fix-it
        text: Fix it yourself tonight and tell Sam the checklist to follow.
        style: manager
        effects: {results: +10, trust: -5}
        feedback: The customer is happy; Sam learned a rule, not a reason.
        next: friday
      - id: review
        text: Walk through it with Sam and Ana and let them fix it together.
        style: leader
        if: "paired or trust >= 55"      # shown only when this holds...
        locked: Sam does not know anyone well enough yet.   # ...else shown disabled
        effects: {trust: +10}
        feedback: It takes the afternoon; next time they will catch it themselves.
        next: friday
  friday:
    text: Friday review.
    choices:
      - id: wrap-up
        text: Close the week.
        style: neutral
        next:                              # routes are tried in order
          - {if: "trust >= 55 and results >= 55", goto: settled}
          - {goto: rocky}                  # the last route has no condition
endings:
  settled:
    title: Sam has settled in
    text: Sam knows the work and the people, and says so.
    outcome: best                          # best | good | mixed | poor
    lessons: [A clear plan and a welcome work best together.]
  rocky:
    title: A rocky first week
    text: Sam is doing the work, and keeping to themselves.
    outcome: mixed
    lessons: [New people need both a task and a place in the team.]
""")


def text(scenario_id: str) -> str:
    """The starter scenario for ``scenario_id`` (a valid scenario id)."""
    title = scenario_id.replace("-", " ").capitalize()
    return TEMPLATE.substitute(id=scenario_id, title=title)
