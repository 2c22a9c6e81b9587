"""The condition language of scenario guards and routes.

Trainers write small expressions such as ``trust >= 30 and not visited('escalation')``.
They are untrusted text, so they are never handed to ``eval``: this module tokenises and
parses them into a tree of frozen nodes, and compiles that tree into plain Python closures
that the engine calls on every decision; a loaded :class:`Condition` makes both on first use.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum     := unary (("+" | "-") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER | "true" | "false" | NAME | NAME "(" STRING ")" | "(" expr ")"

``NAME`` is a meter (its number) or a flag (true when set). The functions are
``visited('scene')`` (true once the scene has been entered) and ``visits('scene')`` (how many
times). Comparisons do not chain: ``1 < x < 3`` is an error, write ``1 < x and x < 3``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Protocol

import attrs

from sim.reprs import shared_repr

FUNCTIONS = ("visited", "visits")
KEYWORDS = ("and", "or", "not", "true", "false")
COMPARISONS = ("<=", ">=", "==", "!=", "<", ">")

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|==|!=|<|>|\+|-|\(|\))
    """,
    re.VERBOSE,
)


class ConditionError(ValueError):
    """A condition that cannot be parsed or names something unknown.

    ``offset`` is the 0-based character position in the condition text, so the loader can
    point at the exact column in the scenario file.
    """

    def __init__(self, message: str, offset: int, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


# --- the tree ---------------------------------------------------------------------------


@attrs.frozen
@shared_repr
class Number:
    value: float


@attrs.frozen
@shared_repr
class Bool:
    value: bool


@attrs.frozen
@shared_repr
class Name:
    name: str
    offset: int = attrs.field(eq=False, default=0)


@attrs.frozen
@shared_repr
class Call:
    function: str
    scene: str
    offset: int = attrs.field(eq=False, default=0)


@attrs.frozen
@shared_repr
class Not:
    operand: Expr


@attrs.frozen
@shared_repr
class Neg:
    operand: Expr


@attrs.frozen
@shared_repr
class BinOp:
    op: str  # and, or, +, -, <, <=, >, >=, ==, !=
    left: Expr
    right: Expr


Expr = Number | Bool | Name | Call | Not | Neg | BinOp


@attrs.frozen(weakref_slot=False)
@shared_repr
class Condition:
    """A condition's text, its tree and its closure ``test`` (made when first used, kept)."""

    source: str
    _tree: Expr | None = attrs.field(default=None, eq=False, repr=False, alias="tree")
    _test: Compiled | None = attrs.field(default=None, init=False, eq=False, repr=False)

    @property
    def tree(self) -> Expr:
        if self._tree is None:
            object.__setattr__(self, "_tree", _Parser(self.source).parse())
        return self._tree  # type: ignore[return-value]

    @property
    def test(self) -> Compiled:
        if self._test is None:
            object.__setattr__(self, "_test", compile_expr(self.tree))
        return self._test  # type: ignore[return-value]

    def names(self) -> set[str]:
        """Meter and flag names the condition reads."""
        return {n.name for n in walk(self.tree) if isinstance(n, Name)}

    def scenes(self) -> set[str]:
        """Scene ids passed to ``visited()``/``visits()``."""
        return {n.scene for n in walk(self.tree) if isinstance(n, Call)}


def walk(node: Expr):
    """Every node of a tree, parents first."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, Not | Neg):
            stack.append(n.operand)
        elif isinstance(n, BinOp):
            stack.extend((n.right, n.left))


# --- parsing ----------------------------------------------------------------------------

MAX_LENGTH = 2_000
"""Longest condition accepted; a guard longer than this is a mistake, not a condition."""
MAX_DEPTH = 64
"""Deepest nesting accepted, so a hostile file cannot exhaust the parser's stack."""
MAX_HEIGHT = 128
"""Tallest tree accepted, counting every operator: ``1+1+1...`` nests no parentheses but
builds a tree as tall as it is long, and compiling, evaluating and comparing a tree recurse
once per level, so a 1,000-term chain would exhaust Python's stack."""


_OPERATOR_HINTS = {
    "=>": "did you mean '>='? (greater than or equal)",
    "=<": "did you mean '<='? (less than or equal)",
    "=": "did you mean '=='? (a single '=' does not compare)",
    "!": "write 'not' for negation, or '!=' for 'is not equal to'",
}


def _operator_at(text: str, pos: int) -> str:
    """The operator-like characters starting at ``pos`` ('=>', '=<', '=' or '!')."""
    two = text[pos : pos + 2]
    return two if two in ("=>", "=<") else text[pos]


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None and text[pos] in "=!":
            raise ConditionError(
                f"unexpected {_operator_at(text, pos)!r} in condition",
                pos,
                _OPERATOR_HINTS.get(_operator_at(text, pos), "compare with ==, !=, <, <=, > or >="),
            )
        if m is None:
            raise ConditionError(
                f"unexpected character {text[pos]!r} in condition",
                pos,
                "conditions use numbers, names, comparisons, and/or/not and parentheses",
            )
        kind = m.lastgroup or ""
        if kind != "space":
            tokens.append((kind, m.group(), pos))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def accept(self, value: str) -> bool:
        kind, text, _ = self.peek()
        if kind in ("op", "name") and text == value:
            self.i += 1
            return True
        return False

    def expect(self, value: str, hint: str) -> None:
        if not self.accept(value):
            _, text, pos = self.peek()
            found = repr(text) if text else "the end of the condition"
            raise ConditionError(f"expected {value!r} but found {found}", pos, hint)

    def parse(self) -> Expr:
        if not self.text.strip():
            raise ConditionError("empty condition", 0, "write a condition such as 'trust >= 30'")
        tree = self.or_()
        kind, text, pos = self.peek()
        if kind != "end":
            raise ConditionError(
                f"unexpected {text!r} after a complete condition",
                pos,
                "join conditions with 'and'/'or'; comparisons do not chain",
            )
        return tree

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(
                f"condition nested deeper than {MAX_DEPTH} levels",
                self.peek()[2],
                "simplify it",
            )

    def or_(self) -> Expr:
        left = self.and_()
        while self.accept("or"):
            left = BinOp("or", left, self.and_())
        return left

    def and_(self) -> Expr:
        left = self.not_()
        while self.accept("and"):
            left = BinOp("and", left, self.not_())
        return left

    def not_(self) -> Expr:
        if self.accept("not"):
            self.nested()
            node = Not(self.not_())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Expr:
        left = self.sum()
        kind, text, _pos = self.peek()
        if kind == "op" and text in COMPARISONS:
            self.take()
            right = self.sum()
            nk, nt, npos = self.peek()
            if nk == "op" and nt in COMPARISONS:
                raise ConditionError(
                    "comparisons do not chain",
                    npos,
                    "write 'a < b and b < c' instead of 'a < b < c'",
                )
            return BinOp(text, left, right)
        return left

    def sum(self) -> Expr:
        left = self.unary()
        while True:
            kind, text, _ = self.peek()
            if kind == "op" and text in "+-":
                self.take()
                left = BinOp(text, left, self.unary())
            else:
                return left

    def unary(self) -> Expr:
        if self.accept("-"):
            self.nested()
            node = Neg(self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Expr:
        kind, text, pos = self.take()
        if kind == "number":
            return Number(float(text) if "." in text else int(text))
        if kind == "name":
            if text in ("true", "false"):
                return Bool(text == "true")
            if text in ("and", "or", "not"):
                raise ConditionError(
                    f"{text!r} needs a condition before it",
                    pos,
                    "write e.g. 'trust > 10 and results > 10'",
                )
            if self.accept("("):
                if text not in FUNCTIONS:
                    raise ConditionError(
                        f"unknown function {text!r}",
                        pos,
                        "the functions are visited('scene') and visits('scene')",
                    )
                skind, stext, spos = self.take()
                if skind != "string":
                    raise ConditionError(
                        f"{text}() takes a scene id in quotes",
                        spos,
                        f"write {text}('scene-id')",
                    )
                self.expect(")", f"close the call: {text}('scene-id')")
                return Call(text, stext[1:-1], offset=pos)
            return Name(text, offset=pos)
        if kind == "op" and text == "(":
            self.nested()
            node = self.or_()
            if self.peek()[0] == "end":  # unbalanced: point at the '(' left open
                raise ConditionError("this '(' is never closed", pos, "add the matching ')'")
            self.expect(")", "every '(' needs a matching ')'")
            self.depth -= 1
            return node
        if kind == "string":
            raise ConditionError(
                "a quoted string can only be a scene id inside visited() or visits()",
                pos,
                "compare meters with numbers, e.g. 'trust >= 30'",
            )
        found = repr(text) if text else "the end of the condition"
        raise ConditionError(
            f"expected a number, a name or '(' but found {found}",
            pos,
            "a condition looks like 'trust >= 30 and not visited(\"crisis\")'",
        )


def parse(text: str) -> Condition:
    """Parse condition text into a :class:`Condition`; raise :class:`ConditionError`."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"condition is {len(text)} characters long (the limit is {MAX_LENGTH})",
            0,
            "split it across choices or scenes",
        )
    tree = _Parser(text).parse()
    if _height(tree) > MAX_HEIGHT:
        raise ConditionError(
            f"condition has more than {MAX_HEIGHT} levels of operators",
            0,
            "split it across choices or scenes",
        )
    return Condition(text, tree)


def _height(tree: Expr) -> int:
    """Levels in a tree, counted without recursion (the tree may be too tall to recurse)."""
    tallest = 0
    stack = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        tallest = max(tallest, level)
        if isinstance(node, Not | Neg):
            stack.append((node.operand, level + 1))
        elif isinstance(node, BinOp):
            stack.extend(((node.left, level + 1), (node.right, level + 1)))
    return tallest


# --- evaluation -------------------------------------------------------------------------


class Facts(Protocol):
    """What a condition can ask about a state; the engine's State provides it."""

    def value_of(self, name: str) -> float: ...
    def visits_of(self, scene: str) -> int: ...


Compiled = Callable[[Facts], "float | bool"]

_OPS: Mapping[str, Callable[[float, float], float | bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
}


def compile_expr(node: Expr) -> Compiled:
    """Turn a tree into a closure. Flags read as 1/0 in arithmetic and true/false in logic."""
    match node:
        case Number(value) | Bool(value):
            constant: float | bool = value
            return lambda facts: constant
        case Name(name):
            return lambda facts: facts.value_of(name)
        case Call("visited", scene):
            return lambda facts: facts.visits_of(scene) > 0
        case Call(_, scene):
            return lambda facts: facts.visits_of(scene)
        case Not(operand):
            inner = compile_expr(operand)
            return lambda facts: not inner(facts)
        case Neg(operand):
            inner = compile_expr(operand)
            return lambda facts: -inner(facts)
        case BinOp("and", left, right):
            a, b = compile_expr(left), compile_expr(right)
            return lambda facts: bool(a(facts)) and bool(b(facts))
        case BinOp("or", left, right):
            a, b = compile_expr(left), compile_expr(right)
            return lambda facts: bool(a(facts)) or bool(b(facts))
        case BinOp(op, left, right):
            a, b, f = compile_expr(left), compile_expr(right), _OPS[op]
            return lambda facts: f(a(facts), b(facts))
    raise TypeError(f"not a condition node: {node!r}")  # pragma: no cover
