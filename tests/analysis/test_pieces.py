"""The piecewise normal form: exact intervals and points, left to right."""

import sympy as sp

from verifier.analysis.pieces import breakpoints, piecewise_normal_form
from verifier.expr import parse_expression
from tests.conftest import X


def describe(text):
    return [p.text for p in piecewise_normal_form(parse_expression(text), X)]


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


def test_deeply_nested_kinks_are_folded_and_agree_with_f():
    """sympy's piecewise_fold left an ITE condition here (undecided, 5 s); the set fold gives
    15 pieces, each equal to f at a point inside it."""
    text = "max(min(max(x, -x/2), abs(x-1)), min(abs(x+1), max(x**2, -x)))"
    expr = parse_expression(text)
    pieces = piecewise_normal_form(expr, X)
    assert len(pieces) == 15
    for piece in pieces:
        if piece.is_point:
            (point,) = piece.where.args
        else:
            lo, hi = piece.where.start, piece.where.end
            point = hi - 1 if lo == -sp.oo else lo + 1 if hi == sp.oo else (lo + hi) / 2
        assert sp.simplify(expr.subs(X, point) - piece.expr.subs(X, point)) == 0
