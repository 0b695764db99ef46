import pytest
import sympy as sp

from verifier.analysis.context import AnalysisContext
from verifier.expr import parse_expression
from verifier.vocabulary import variable_symbol

X = variable_symbol()


@pytest.fixture
def context_of():
    """AnalysisContext of an expression text (parsed by the real safe parser)."""
    return lambda text: AnalysisContext(parse_expression(text), X)


def S(text: str) -> sp.Basic:
    """Expected values in tests, written as sympy text (trusted: test code, not user input)."""
    return sp.sympify(text, locals={"x": X})
