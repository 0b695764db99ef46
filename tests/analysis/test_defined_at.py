"""`AnalysisContext.defined_at`: the written formula at an exact point, by a finite arb
enclosure or else the exact value; both ways must agree with the mathematics."""

import pytest

from verifier.analysis.pointwise import exact_value_is_defined
from tests.conftest import S, X


@pytest.mark.parametrize("text, point, defined", [
    ("x**3/x**2", "0", False),                 # written: 0/0, whatever sympy evaluates to
    ("(x**2 - 1)/(x - 1)", "1", False),
    ("0*sqrt(x - 1)", "0", False),             # a zero factor does not define sqrt(-1)
    ("exp(log(x))", "0", False),
    ("x*sin(1/x)", "0", False),
    ("tan(x)", "pi/2", False),
    ("(x - 8)**(1/3)", "0", False),            # the principal cube root of -8 is not real
    ("log(1 + x)", "-1", False),
    ("sqrt(x)", "0", True),
    ("x**3/x**2", "2", True),
    ("exp(exp(x))", "10", True),               # huge, still a finite real
    ("where(x > 0, x, sqrt(-x))", "-4", True),
    ("softplus(x) + sigmoid(x)", "0", True),   # the frameworks' stable shorthands, as written
    ("floor(x) + sqrt(x)", "1", True),
])
def test_defined_at_agrees_with_the_exact_value(context_of, text, point, defined):
    context, at = context_of(text), S(point)
    assert context.defined_at(at) is defined
    assert exact_value_is_defined(context.written, X, at) is defined

