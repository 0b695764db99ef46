"""first_derivative builds sympy's diff tree exactly: on the catalog, a stride of the
activation-search space, machine-made trees (both parsed forms of each), and their
derivatives (a second differentiation sees the quotients and powers the first made)."""

import pytest
import sympy as sp

from tests.fuzz_inputs import draw_trees
from verifier import search_space
from verifier.analysis.derivatives import derivative, first_derivative
from verifier.errors import ExpressionError
from verifier.expr import parse_expression
from verifier.functions import load_catalog
from verifier.vocabulary import variable_symbol

X = variable_symbol()
TEXTS = sorted({a.expr for a in load_catalog() if not a.params} |
               {text for _, text in search_space.candidates()[::29]} | set(draw_trees(60)))


def _trees(text: str) -> list[sp.Expr]:
    try:
        written = parse_expression(text, as_written=True)
        return [parse_expression(text), written]
    except ExpressionError:
        return []


@pytest.mark.parametrize("text", TEXTS)
def test_first_derivative_is_sympys_tree(text: str) -> None:
    for tree in _trees(text):
        for expr in (tree, sp.diff(tree, X)):
            assert sp.srepr(first_derivative(expr, X)) == sp.srepr(sp.diff(expr, X)), expr


@pytest.mark.parametrize("expr, expected", [
    (X**3 / X**2, sp.S.One),                      # sympy's evaluated x: 1 (written: not here)
    (sp.exp(-X**2), -2 * X * sp.exp(-X**2)),
    (sp.Abs(X) * sp.sin(X), sp.diff(sp.Abs(X) * sp.sin(X), X)),   # Abs: sympy's own rule
    (sp.Max(X, 0), sp.Heaviside(X)),
    (sp.Integer(7), sp.S.Zero),
])
def test_first_derivative_values(expr: sp.Expr, expected: sp.Expr) -> None:
    assert first_derivative(expr, X) == expected


def test_higher_orders_stay_sympys() -> None:
    expr = X * sp.sin(X) * sp.exp(X)
    assert derivative(expr, X, 2) == sp.diff(expr, X, 2)
    assert derivative(expr, X) == sp.diff(expr, X)
