"""No import circles among the package's modules (function-level imports included, imports
for type checking only excluded): each layer can be read, and imported, on its own."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "verifier"


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("verifier"):
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules
                      else node.module for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
    return found & modules


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while (top := stack.pop()) != module:
                component.append(top)
            if component:
                circles.append(sorted([module, *component]))
    for module in graph:
        if module not in index:
            visit(module)
    return circles


def test_no_module_imports_itself_through_others():
    assert _circles(_graph()) == []


def _graph() -> dict[str, set[str]]:
    paths = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {m: _imports(p, set(paths)) - {m} for m, p in paths.items()}


def test_no_property_imports_another():
    """A property module uses the analysis and the registry; what two properties share is
    analysis (verifier.analysis), never one property's module."""
    graph = _graph()
    properties = {m for m in graph if m.startswith("verifier.properties.")}
    shared = {"verifier.properties.registry"}
    crossing = {m: sorted(graph[m] & properties - shared) for m in properties - shared}
    assert {m: other for m, other in crossing.items() if other} == {}
    from verifier.properties.registry import PROPERTY_IDS   # every other module is one
    assert {m.rpartition(".")[2] for m in properties - shared} == set(PROPERTY_IDS)


def test_the_report_layer_renders_and_computes_nothing():
    """verifier/report/ turns results into text and pictures: it imports neither the parser
    nor the analysis, and differentiates or simplifies nothing (verifier.pages computes what
    a page needs)."""
    graph = _graph()
    maths = ("verifier.analysis", "verifier.expr", "verifier.parsing", "verifier.functions",
             "verifier.crosscheck", "verifier.properties.", "verifier.engine")
    data = {"verifier.properties.registry"}   # the properties' statements, for SARIF rules
    reaching = {m: sorted(i for i in graph[m] - data if i.startswith(maths))
                for m in graph if m.startswith("verifier.report")}
    assert {m: found for m, found in reaching.items() if found} == {}
    for path in (PACKAGE / "report").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                     and n.module}
        assert not {m for m in imported if m.split(".")[0] == "sympy"}, path.name
        called = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert not {c for c in called if c.rpartition(".")[2] in ("diff", "simplify",
                                                                  "parse_expression")}


def test_a_circle_is_found():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
