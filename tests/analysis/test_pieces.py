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


def test_nested_kinks_fold_as_sets_and_equal_formulas_join():
    # max(1, |x|): 1 on [-1, 1] whichever side of 0 (no false breakpoint at 0)
    assert describe("max(1, abs(x))") == ["(-∞, -1): -x", "{-1}: 1", "(-1, 1): 1", "{1}: 1",
                                          "(1, ∞): x"]
    assert describe("abs(abs(x) - 1)") == ["(-∞, -1): -x - 1", "{-1}: 0", "(-1, 0): x + 1",
                                           "{0}: 1", "(0, 1): 1 - x", "{1}: 0", "(1, ∞): x - 1"]


def test_a_kink_inside_a_condition_is_solved_on_each_of_its_pieces():
    assert describe("where(x > abs(x - 1), x, 0)") == ["(-∞, 1/2): 0", "{1/2}: 0",
                                                       "(1/2, ∞): x"]


def test_an_undefined_branch_value_is_a_piece_of_its_own():
    # x/Heaviside(x): 1/0 left of 0 (the domain analysis reads zoo as undefined)
    assert describe("x/Heaviside(x)") == ["(-∞, 0): zoo*x", "{0}: 0", "(0, ∞): x"]
