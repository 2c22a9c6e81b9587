"""The shipped JSON Schema: valid, shipped, true to every scenario, and in step with the loader.

The schema cannot check cross-references or conditions, but on what it can express (unknown
and required keys, types, allowed words, patterns, ranges) it must give the loader's verdict.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from sim.format import keys as format_keys
from sim.format import loader, schema, starter
from tests.test_cli import leadsim
from tests.test_lint import expected

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
CLEAN = (DATA / "lint" / "clean.yaml").read_text()

VALIDATOR = jsonschema.Draft7Validator(schema.load())

# Load errors the schema can express. The others need the whole file (LS021, LS030-LS033:
# ids that must exist; LS020: condition syntax; LS037: the last route; LS014: YAML readers
# silently keep the second of two equal keys) or fail before any schema sees a document.
EXPRESSIBLE = {
    "LS003", "LS004", "LS010", "LS011", "LS012", "LS013", "LS015", "LS034", "LS035", "LS038",
    "LS039",
}  # fmt: skip
UNPARSEABLE = {"LS001", "LS002"}
EXPRESSIBLE |= {"LS005"}  # what goes past the cap is the schema's too (here unknown keys)
BEYOND_A_SCHEMA = {
    "LS012-merge": "PyYAML refuses to build a merge of a single value: no document to check",
    "LS013-meter-start": "a start between min and max compares two values of the document",
}


def schema_errors(text: str) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(yaml.safe_load(text))]


def test_the_schema_is_draft_7_which_editors_fully_support() -> None:
    # yaml-language-server (VS Code's YAML extension and others) fully supports draft 7 only;
    # a later draft's keywords ($defs, dependentRequired) would be ignored as a trainer types.
    assert schema.load()["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema.load())
    assert "$defs" not in schema.text() and "dependentRequired" not in schema.text()


def test_the_schema_ships_inside_the_package_and_the_command_prints_it() -> None:
    assert schema.path() == ROOT / "sim" / "format" / "scenario.schema.json"
    out = leadsim("schema")
    assert out.returncode == 0 and json.loads(out.stdout) == schema.load()
    assert leadsim("schema", "--path").stdout.strip() == str(schema.path())


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_passes_the_schema(path: Path) -> None:
    assert schema_errors(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "path", [DATA / "small.yaml", *sorted((DATA / "lint").glob("*.yaml"))], ids=lambda p: p.stem
)
def test_files_the_loader_accepts_pass_the_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert loader.parse_text(text)[0] is not None
    assert schema_errors(text) == []


def test_the_starter_passes_the_schema() -> None:
    assert schema_errors(starter.text("first-day")) == []


BROKEN = sorted((DATA / "broken").glob("*.yaml"))


def code_of(path: Path) -> str:
    """The code a fixture is about: the one its name starts with, among those it expects."""
    code = path.stem[:5]
    assert code in {c for c, _ in expected(path)}
    return code


@pytest.mark.parametrize(
    "path",
    [p for p in BROKEN if code_of(p) not in UNPARSEABLE and p.stem not in BEYOND_A_SCHEMA],
    ids=lambda p: p.stem,
)
def test_broken_files_fail_the_schema_exactly_when_it_can_tell(path: Path) -> None:
    errors = schema_errors(path.read_text(encoding="utf-8"))
    assert bool(errors) == (code_of(path) in EXPRESSIBLE), (code_of(path), errors)


def test_unparseable_files_give_no_document_to_check() -> None:
    for path in [p for p in BROKEN if code_of(p) in UNPARSEABLE]:
        with pytest.raises((UnicodeDecodeError, yaml.YAMLError)):
            yaml.safe_load(path.read_text(encoding="utf-8"))


# One mistake at a time in a valid file: the loader's code, and the schema must also object.
MUTATIONS = [
    ("title: Clean", "title: Clean\nauthr: Me", "LS010"),
    ("Team trust, start: 50}", "Team trust, start: 50, mx: 9}", "LS010"),
    ("        style: manager\n", "        style: manager\n        colour: red\n", "LS010"),
    ("{goto: mixed}", "{goto: mixed, chanse: 0.5}", "LS010"),
    ("    outcome: mixed", "    outcome: mixed\n    lesson: [x]", "LS010"),
    ("summary: Both styles are needed for the best ending.\n", "", None),
    ("title: Clean\n", "", "LS011"),
    ("  trust: {label: Team trust, start: 50}", "  trust: {label: Team trust}", "LS011"),
    ("        text: Write the plan yourself.\n", "", "LS011"),
    ("    title: Both\n", "", "LS011"),
    ("Team trust, start: 50}", "Team trust, start: high}", "LS012"),
    ("        style: manager\n", "        style: manager\n        once: sometimes\n", "LS012"),
    ("title: Clean", "title: [Clean]", "LS012"),
    ("        next: two\n", "        next: {goto: two}\n", "LS012"),
    ("chance: 0.5,", "chance: half,", "LS012"),
    ("    outcome: best", "    outcome: great", "LS013"),
    ("title: Clean", "title: Clean\nfeedback_mode: loud", "LS013"),
    ("title: Clean", "title: Clean\nformat: 2", "LS013"),
    ("    title: Both", "    title: ''", "LS013"),
    ("scenario: clean", "scenario: Clean", "LS015"),
    ("  review-late:", "  Review-Late:", "LS015"),
    ("        effects: {results: +10, trust: -5}\n        next: two",
     "        effects: {results: 'plenty', trust: -5}\n        next: two", "LS034"),
    ("        effects: {results: +10, trust: -5}\n        next: two",
     "        effects: {results: '%+150', trust: -5}\n        next: two", "LS034"),
    ("        style: manager\n", "        style: manager\n        traits: [bossiness]\n", "LS035"),
    ("chance: 0.5,", "chance: 0,", "LS038"),
    ("        style: manager\n", "        style: manager\n        locked: Not yet.\n", "LS039"),
    # Read as YAML 1.1 (as leadsim and a yaml-language-server set to 1.1 read it), `yes` is
    # a truth value, so the schema flags it where text is expected, as the loader does.
    ("        text: Write the plan yourself.\n", "        text: yes\n", "LS012"),
    # The number limits, and no traits on a neutral choice (schema parity, issue 12):
    ("Team trust, start: 50}", "Team trust, start: 2000000000, max: 3000000000}", "LS013"),
    ("{results: +10, trust: -5}", "{results: 1000000001, trust: -5}", "LS034"),
    ("{results: +10, trust: -5}", "{results: '+1000000001', trust: -5}", "LS034"),
    ("{results: +10, trust: -5}", "{results: '+" + "9" * 5000 + "', trust: -5}", "LS034"),
    ("  review-late:", "  " + "r" * 101 + ":", "LS015"),
    ('{if: "asked",', '{if: "' + 'asked or ' * 250 + 'asked",', "LS020"),
    ("        style: neutral\n", "        style: neutral\n        traits: [control-influence]\n",
     "LS035"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "code"), MUTATIONS)
def test_schema_and_loader_agree_on_each_mistake(old: str, new: str, code: str | None) -> None:
    assert old in CLEAN
    text = CLEAN.replace(old, new, 1)
    scenario, diags = loader.parse_text(text)
    errors = schema_errors(text)
    if code is None:
        assert scenario is not None and errors == []
    else:
        assert code in {d.code for d in diags}, [d.format() for d in diags]
        assert errors, f"the schema accepts what the loader rejects with {code}"


VALID_FORMS = [
    ("flags: [asked]", "flags: asked"),
    ("set: asked", "set: [asked], clear: other"),
    ("        style: manager\n", "        style: manager\n        traits: control-influence\n"),
    ("title: Clean", "title: Clean\nversion: 2.1\nformat: 1\nauthor: Me"),
    ("{results: +10, trust: -5}", "{results: '%+20', trust: '%-12.5'}"),
    ("        next: two\n", "        next: [{goto: two}]\n        once: false\n"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), VALID_FORMS)
def test_schema_and_loader_agree_on_valid_forms(old: str, new: str) -> None:
    text = CLEAN.replace(old, new, 1)
    assert text != CLEAN
    scenario, diags = loader.parse_text(text)
    assert scenario is not None, [d.format() for d in diags]
    assert schema_errors(text) == []


def keys(definition: dict[str, Any]) -> tuple[set[str], set[str]]:
    return set(definition["properties"]), set(definition.get("required", []))


@pytest.mark.parametrize(
    ("table", "pointer"),
    [
        (format_keys.TOP_KEYS, ""),
        (format_keys.METER_KEYS, "meter"),
        (format_keys.SCENE_KEYS, "scene"),
        (format_keys.CHOICE_KEYS, "choice"),
        (format_keys.ROUTE_KEYS, "route"),
        (format_keys.ENDING_KEYS, "ending"),
    ],
)
def test_schema_keys_match_the_loader(table: dict[str, bool], pointer: str) -> None:
    definition = schema.load()["definitions"][pointer] if pointer else schema.load()
    assert keys(definition) == (set(table), {k for k, required in table.items() if required})
    assert definition["additionalProperties"] is False


# --- format 1.1 -----------------------------------------------------------------------------

F11 = (DATA / "format11.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["format11.yaml", "allow.yaml"])
def test_format_11_files_pass_the_schema(name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    assert loader.parse_text(text)[0] is not None
    assert schema_errors(text) == []


PARTS = "      - if: asked\n        text: Dana is already"
NEXT = '    next:\n      - {if: "trust < 45"'
F11_MUTATIONS = [
    ("format: 1.1", "format: 1.2", "LS013"),
    ("shuffle: false", "shuffle: 3", "LS012"),
    ("shuffle: false", "shuffle: false\nallow: [LS12]", "LS013"),
    ("shuffle: false", "shuffle: false\nallow: {LS121: yes}", "LS012"),
    (", else: She stays wary.}", ", els: She stays wary.}", "LS010"),
    (PARTS, PARTS.replace("text:", "txt:"), "LS010"),
    ("      - Ask before you order.\n", "      - {text: x}\n", "LS011"),
    ("      - Ask before you order.\n", "      - 7\n", "LS012"),
    ("    text:\n      - The next", "    text: []\n    x:\n      - The next", "LS010"),
    ("        outcome: Dana says nothing and leaves.", "        outcome: ''", "LS013"),
    (NEXT, "    choices: []\n" + NEXT, "LS013"),
    ("        next: morning\n  morning:", "        allow: [LS12]\n  morning:", "LS013"),
]


@pytest.mark.parametrize(("old", "new", "code"), F11_MUTATIONS)
def test_schema_and_loader_agree_on_format_11_mistakes(old: str, new: str, code: str) -> None:
    assert old in F11
    text = F11.replace(old, new, 1)
    _, diags = loader.parse_text(text)
    assert code in {d.code for d in diags}, [d.format() for d in diags]
    assert schema_errors(text), f"the schema accepts what the loader rejects with {code}"


LESSON = "    lessons:\n      - Ask before you order.\n      - {if:"
F11_VALID = [
    ("shuffle: false", "shuffle: true\nallow: [LS121, LS130]"),
    ("shuffle: false", "shuffle: false\nallow: LS121"),
    ("format: 1.1", "format: '1.1'"),
    ("outcome: Dana says nothing and leaves.", "outcome: [Dana is silent., {if: asked, text: x}]"),
    (LESSON, LESSON.replace("- Ask before you order.", "- [Ask, before you order.]")),
    ("feedback: Orders move", "feedback: [{if: asked, text: [a, {if: asked, text: b}]}]\n#"),
]


@pytest.mark.parametrize(("old", "new"), F11_VALID)
def test_schema_and_loader_agree_on_valid_format_11_forms(old: str, new: str) -> None:
    assert old in F11
    text = F11.replace(old, new, 1)
    scenario, diags = loader.parse_text(text)
    assert scenario is not None, [d.format() for d in diags]
    assert schema_errors(text) == []
