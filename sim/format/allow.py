"""``allow: [LS121, ...]`` (format 1.1): warnings a trainer silences on purpose.

On the top level, a scene, a choice or a route, ``allow`` lists analyser codes (``LS1xx``) whose
warnings are not reported inside that element, so ``leadsim validate --strict`` can gate a CI
run on the warnings nobody has looked at yet. ``validate --show-allowed`` lists what was
silenced. Errors are never silenced, and load errors (``LS0xx``) cannot be allowed.
"""

from __future__ import annotations

from typing import Protocol

from yaml.nodes import Node, ScalarNode

from sim.format.diagnostics import DEEP_CODES, LOAD_CODES
from sim.format.nodes import NodeReader, suggest
from sim.format.yamlsource import where
from sim.model import Allowance, Where


class Reader(Protocol):
    r: NodeReader
    allowances: list[Allowance]


def read(b: Reader, fields: dict[str, tuple[Node, Node]], node: Node, what: str) -> None:
    """Note the ``allow`` of an element (``fields`` of ``node``), if it has one."""
    if "allow" not in fields:
        return
    value = fields["allow"][1]
    items = [value] if isinstance(value, ScalarNode) else b.r.sequence(value, f"{what} allow")
    codes = set()
    for item in items or []:
        code = b.r.text(item, f"a code in {what} allow")
        if code is None:
            continue
        if code in LOAD_CODES:
            b.r.error(
                "LS013",
                item,
                f"{what} allows {code}, a load error",
                "load errors cannot be allowed: the file does not load until they are fixed",
            )
            continue
        if code not in DEEP_CODES:
            hint = suggest(code, DEEP_CODES) or (
                "allow names analyser warnings (LS1xx, listed in docs/authoring.md); "
                "load errors cannot be allowed"
            )
            b.r.error("LS013", item, f"{what} allows {code!r}, which is no analyser code", hint)
            continue
        codes.add(code)
    if codes:
        end = Where(node.end_mark.line + 1, node.end_mark.column + 1)
        b.allowances.append(Allowance(frozenset(codes), where(node), end, what))


def covers(allowance: Allowance, code: str, line: int, column: int) -> bool:
    """Does ``allowance`` silence ``code`` reported at ``line``:``column``?"""
    a, b = allowance.start, allowance.end
    return code in allowance.codes and (a.line, a.column) <= (line, column) <= (b.line, b.column)
