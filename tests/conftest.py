import os

import pytest
import sympy as sp

from verifier.analysis.context import AnalysisContext
from verifier.expr import parse_expression
from verifier.vocabulary import variable_symbol

X = variable_symbol()

# Answers are computed where string hashing is fixed (verifier.seeded): xdist's workers, started
# after this, inherit it, so their batches need no seeded child interpreter
os.environ["PYTHONHASHSEED"] = "0"


@pytest.fixture
def context_of():
    """AnalysisContext of an expression text (parsed by the real safe parser, as the engine
    does: shorthands expanded for the maths, kept stable for the float program)."""
    return lambda text: AnalysisContext(
        parse_expression(text), X, written=parse_expression(text, as_written=True))


def S(text: str) -> sp.Basic:
    """Expected values in tests, written as sympy text (trusted: test code, not user input)."""
    return sp.sympify(text, locals={"x": X})


def _catalog_by_name() -> dict:
    from verifier.functions import load_catalog
    return {a.name: a for a in load_catalog()}


CATALOG = _catalog_by_name()         # the built-in catalog's activations by name, in order
CATALOG_NAMES = tuple(CATALOG)

_CATALOG_CONTEXTS: dict = {}
_CATALOG_RESULTS: dict = {}


def catalog_context(name: str) -> AnalysisContext:
    """The catalog activation's analysis context, shared by the whole session (each
    activation is analysed once however many test modules read it)."""
    from verifier.functions import build_expression

    if name not in _CATALOG_CONTEXTS:
        activation = CATALOG[name]
        _CATALOG_CONTEXTS[name] = AnalysisContext(
            build_expression(activation), X,
            written=build_expression(activation, as_written=True))
    return _CATALOG_CONTEXTS[name]


def catalog_result(name: str, property_id: str):
    """One property's result on a catalog activation, computed once per session."""
    from verifier.properties.registry import checker

    key = (name, property_id)
    if key not in _CATALOG_RESULTS:
        _CATALOG_RESULTS[key] = checker(property_id)(catalog_context(name))
    return _CATALOG_RESULTS[key]


def catalog_runner(properties: tuple[str, ...]):
    """name -> {property: result} on the catalog (shared session-wide)."""
    return lambda name: {p: catalog_result(name, p) for p in properties}


def pytest_collection_modifyitems(config, items):
    """Every test of one catalog activation in one xdist group (`--dist loadgroup`: one
    worker analyses it, once, for all the modules that read it). The full-count fuzz runs
    (issue 15: 10,000 inputs) take minutes: only on request."""
    from verifier.functions import load_catalog

    names = {a.name for a in load_catalog()}
    for item in items:
        name = _catalog_parameter(item, names)
        if name is not None:
            item.add_marker(pytest.mark.xdist_group(f"catalog-{name}"))
    if os.environ.get("ACTVERIFY_FULL") == "1":
        return
    skip = pytest.mark.skip(reason="full-count run: set ACTVERIFY_FULL=1")
    for item in items:
        if "full" in item.keywords:
            item.add_marker(skip)


def _catalog_parameter(item: pytest.Item, names: set[str]) -> str | None:
    """The catalog activation a parametrized test is about (a name or an Activation)."""
    callspec = getattr(item, "callspec", None)
    for key in ("name", "activation"):
        value = callspec.params.get(key) if callspec is not None else None
        name = getattr(value, "name", value)
        if isinstance(name, str) and name in names:
            return name
    return None
