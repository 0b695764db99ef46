"""The piecewise normal form: exact intervals and points, left to right."""

import sympy as sp

from verifier.analysis.pieces import breakpoints, piecewise_normal_form
from verifier.expr import parse_expression
from tests.conftest import X


def describe(text):
    return [p.describe() for p in piecewise_normal_form(parse_expression(text), X)]


def test_relu6_and_heaviside():
    assert describe("min(max(0, x), 6)") == ["(-∞, 0): 0", "{0}: 0", "(0, 6): x", "{6}: 6",
                                             "(6, ∞): 6"]
    assert describe("Heaviside(x)") == ["(-∞, 0): 0", "{0}: 1/2", "(0, ∞): 1"]


def test_breakpoints_are_exact():
    pieces = piecewise_normal_form(parse_expression("where(exp(x) > 2, x, 0)"), X)
    assert breakpoints(pieces) == [sp.log(2)]
