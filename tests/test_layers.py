"""Every import points down the layer table in :mod:`sim.layers`, and none closes a cycle.

Read with ``ast`` from the source, so lazy imports inside functions and imports under
``TYPE_CHECKING`` count as much as those at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sim.layers import LAYERS, layer_of, markdown_table

ROOT = Path(__file__).resolve().parent.parent
SIM = ROOT / "sim"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SIM.rglob("*.py"))}


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The ``sim`` modules that ``path`` (module ``name``) imports, anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return {m for m in found if m.split(".")[0] == "sim" and m != name}


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(path, name, known) for name, path in mods.items()}


def test_every_import_points_down_the_layers() -> None:
    wrong = []
    for module, targets in graph().items():
        here = layer_of(module)
        assert here is not None
        for target in sorted(targets):
            there = layer_of(target)
            assert there is not None
            if there.name != here.name and there.rank >= here.rank:
                wrong.append(
                    f"{module} ({here.name}, rank {here.rank}) imports {target} "
                    f"({there.name}, rank {there.rank})"
                )
    assert not wrong, "imports that run upwards or sideways:\n" + "\n".join(wrong)


def test_no_import_closes_a_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_checker_sees_an_upward_and_a_lazy_import(tmp_path: Path) -> None:
    # The reader must find imports inside functions, or the two tests above prove nothing.
    source = tmp_path / "sim" / "engine.py"
    source.parent.mkdir()
    source.write_text("def f():\n    from sim.tui.app import LeadsimApp\n", encoding="utf-8")
    found = imports_of(source, "sim.engine", {"sim.tui.app"})
    assert found == {"sim.tui.app"}
    assert layer_of("sim.tui.app").rank > layer_of("sim.engine").rank  # type: ignore[union-attr]


def test_every_package_under_sim_has_a_layer() -> None:
    packages = {f"sim.{p.name}" for p in SIM.iterdir() if (p / "__init__.py").is_file()}
    assert packages <= {layer.package for layer in LAYERS}


def test_no_module_holds_two_ideas() -> None:
    # ~400 lines is where a module usually holds two ideas (README, Design).
    long = {
        module_name(p): n
        for p in SIM.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert not long, f"modules over 450 lines: {long}"


def test_the_readme_shows_the_same_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme
