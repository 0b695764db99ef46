import pytest
import sympy as sp

from verifier.analysis.context import AnalysisContext
from verifier.expr import parse_expression
from verifier.vocabulary import variable_symbol

X = variable_symbol()


@pytest.fixture
def context_of():
    """AnalysisContext of an expression text (parsed by the real safe parser, as the engine
    does: shorthands expanded for the maths, kept stable for the float program)."""
    return lambda text: AnalysisContext(
        parse_expression(text), X, float_expr=parse_expression(text, stable_shorthands=True))


def S(text: str) -> sp.Basic:
    """Expected values in tests, written as sympy text (trusted: test code, not user input)."""
    return sp.sympify(text, locals={"x": X})


def catalog_runner(properties: tuple[str, ...]):
    """name -> {property: result} on the catalog, each activation analysed once per module."""
    from verifier.functions import build_expression, load_catalog
    from verifier.properties.registry import checker

    catalog = {a.name: a for a in load_catalog()}
    cache: dict = {}

    def run(name: str) -> dict:
        if name not in cache:
            activation = catalog[name]
            ctx = AnalysisContext(build_expression(activation), X, float_expr=build_expression(
                activation, stable_shorthands=True))
            cache[name] = {p: checker(p)(ctx) for p in properties}
        return cache[name]
    return run
