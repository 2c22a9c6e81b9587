"""The condition language: parsing, precedence, errors with positions, evaluation."""

from __future__ import annotations

import pytest

from sim.conditions import ConditionError, parse


class Facts:
    def __init__(self, values: dict[str, float], visits: dict[str, int] | None = None) -> None:
        self.values = values
        self.visits = visits or {}

    def value_of(self, name: str) -> float:
        return self.values.get(name, False)

    def visits_of(self, scene: str) -> int:
        return self.visits.get(scene, 0)


def ev(text: str, **values: float) -> bool:
    return bool(parse(text).test(Facts(values)))


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("trust >= 30", {"trust": 30}, True),
        ("trust >= 30", {"trust": 29}, False),
        ("trust > 10 and results > 10", {"trust": 11, "results": 10}, False),
        ("trust > 10 or results > 10", {"trust": 11, "results": 10}, True),
        ("not briefed", {}, True),
        ("not briefed", {"briefed": True}, False),
        ("trust + results >= 100", {"trust": 60, "results": 40}, True),
        ("trust - results == 20", {"trust": 60, "results": 40}, True),
        ("-trust < 0", {"trust": 5}, True),
        ("(a or b) and c", {"a": True, "c": False}, False),
        ("a or b and c", {"a": True, "c": False}, True),  # and binds tighter than or
        ("not a and b", {"a": False, "b": True}, True),  # not binds tighter than and
        ("true", {}, True),
        ("false or 1 == 1", {}, True),
        ("trust != 50", {"trust": 50}, False),
        ("trust <= 2.5", {"trust": 2}, True),
    ],
)
def test_evaluation(text: str, values: dict[str, float], expected: bool) -> None:
    assert ev(text, **values) is expected


def test_visited_and_visits() -> None:
    cond = parse("visited('crisis') and visits(\"coffee\") >= 2")
    assert cond.test(Facts({}, {"crisis": 1, "coffee": 2}))
    assert not cond.test(Facts({}, {"crisis": 1, "coffee": 1}))
    assert not cond.test(Facts({}, {"coffee": 5}))
    assert cond.scenes() == {"crisis", "coffee"}


def test_names_lists_meters_and_flags_read() -> None:
    assert parse("trust > 3 and not briefed or visited('x')").names() == {"trust", "briefed"}


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ("trust >=", 8, "expected a number"),
        ("trust >= 30 and", 15, "expected a number"),
        ("1 < x < 3", 6, "do not chain"),
        ("(trust > 3", 0, "'(' is never closed"),
        ("x and ((trust > 3) or y", 6, "'(' is never closed"),
        ("(trust > 3 x", 11, "expected ')'"),
        ("trust => 45", 6, "'=>'"),
        ("trust = 45", 6, "'='"),
        ("trust > 3)", 9, "unexpected ')'"),
        ("trust $ 3", 6, "unexpected character '$'"),
        ("open('x')", 0, "unknown function"),
        ("visited(crisis)", 8, "in quotes"),
        ("'hello'", 0, "quoted string"),
        ("", 0, "empty"),
        ("and x", 0, "needs a condition"),
        ("__import__('os')", 0, "unknown function"),
    ],
)
def test_errors_point_at_the_problem(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(ConditionError) as e:
        parse(text)
    assert fragment in e.value.message
    assert e.value.offset == offset
    assert e.value.hint


def test_deep_nesting_is_refused_not_crashing() -> None:
    with pytest.raises(ConditionError, match="nested deeper"):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(ConditionError, match="nested deeper"):
        parse("not " * 200 + "x")


def test_overlong_condition_is_refused() -> None:
    with pytest.raises(ConditionError, match="characters long"):
        parse("x or " * 1000 + "x")


def test_equal_trees_compare_equal_regardless_of_spacing() -> None:
    assert parse("trust>=30 and  not x").tree == parse("trust >= 30 and not x").tree


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("trust => 45", "'>='"), ("trust =< 45", "'<='"), ("trust = 45", "'=='")],
)
def test_a_reversed_or_single_equals_suggests_the_operator_meant(
    text: str, suggestion: str
) -> None:
    with pytest.raises(ConditionError) as e:
        parse(text)
    assert suggestion in e.value.hint
