"""Limits at +-oo: the short way through gruntz, and sympy's limit where it does not apply."""

import pytest
import sympy as sp

from verifier.analysis.limits import _gruntz_at_infinity, limit
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
