"""Limits at +-oo: the short way through gruntz, and sympy's limit where it does not apply."""

import pytest
import sympy as sp

from verifier.analysis.limits import (_gruntz_at_infinity, is_exactly_zero, limit, safe_simplify,
                                     side_limit)
from verifier.expr import parse_expression
from tests.conftest import X

GELU_TANH_SLOPE = sp.diff(parse_expression(
    "0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))"), X)

CASES = [   # expression, point, limit (known by hand)
    (GELU_TANH_SLOPE, sp.oo, 1), (GELU_TANH_SLOPE, -sp.oo, 0),
    (sp.tanh(X)**2, -sp.oo, 1), (X - sp.tanh(X), sp.oo, sp.oo),
    (sp.log(1 + sp.exp(X)) - X, sp.oo, 0), (X / (1 + sp.exp(-X)), -sp.oo, 0),
    (sp.sqrt(X**2 + 1) - X, sp.oo, 0), (sp.sqrt(X**2 + 1) - X, -sp.oo, sp.oo),
    (X * sp.atan(X), -sp.oo, sp.oo), (sp.atan(X), -sp.oo, -sp.pi / 2),
    (sp.exp(-X**2) * X**5, sp.oo, 0), (X * (1 + sp.erf(X / sp.sqrt(2))) / 2, -sp.oo, 0),
    (sp.sin(X) / X, sp.oo, 0), (sp.Abs(X) * sp.exp(X), -sp.oo, 0),   # sympy's limit
]


@pytest.mark.parametrize("expr, point, value", CASES)
def test_limits_at_infinity(expr, point, value):
    assert limit(expr, X, point) == value


@pytest.mark.parametrize("expr", [sp.sin(X) / X, sp.Abs(X) * sp.exp(X), sp.floor(X) / X])
def test_oscillating_and_piecewise_functions_take_sympys_limit(expr):
    assert _gruntz_at_infinity(expr, X, sp.oo) is None


def test_a_log_beside_a_large_rational_is_not_given_to_simplify():
    # simplify's logcombine made 1/(log(2) + 1/10000000) ask for log(2**10000000), and the
    # one-sided slope of max(x, 0)/(softplus(x) + 1e-7) at 0 hit the screen's time limit
    value = 1 / (sp.log(2) + sp.Rational(1, 10**7))
    assert safe_simplify(value) == value and not is_exactly_zero(value)
    assert side_limit(sp.diff(X / (sp.log(sp.exp(X) + 1) + sp.Rational(1, 10**7)), X), X,
                      sp.Integer(0), "+") == value
    assert safe_simplify(sp.log(4) / 2 + sp.Rational(1, 3)) == sp.log(2) + sp.Rational(1, 3)
