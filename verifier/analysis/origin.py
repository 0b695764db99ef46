"""Values of f and f' at 0, shared by zero_centered and identity_near_origin."""

from __future__ import annotations

import sympy as sp

from verifier.analysis.context import AnalysisContext
from verifier.analysis.derivatives import derivative
from verifier.analysis.limits import same_value
from verifier.analysis.smoothness import family_slopes
from verifier.analysis.steps import K
from verifier.analysis.undecided import Undecided

ZERO = sp.Integer(0)


def value_at_origin(ctx: AnalysisContext) -> sp.Expr | None:
    """f(0) exactly, or None when 0 is outside the domain (raises Undecided)."""
    if not ctx.defined_at(ZERO):
        return None
    return sp.simplify(ctx.value_at(ZERO))


def slopes_at_origin(ctx: AnalysisContext) -> tuple[sp.Expr | None, sp.Expr | None]:
    """The one-sided derivatives of f at 0 (None for a side where f is undefined)."""
    smoothness = ctx.smoothness
    if smoothness.family is not None:
        family = smoothness.family
        solutions = sp.solveset(sp.Eq(family.location, 0), K, sp.S.Integers)
        if isinstance(solutions, sp.FiniteSet) and len(solutions) == 1:
            slopes = family_slopes(family, ctx.x, int(solutions.args[0]))
            return slopes["-"], slopes["+"]
        if solutions is not sp.S.EmptySet:
            raise Undecided(f"cannot tell whether 0 is a step of {family.atom}")
        slope = derivative(family.right_expr, ctx.x)
        return _analytic_slope(slope.subs(ctx.x, ZERO))
    for point in smoothness.points:
        if point.point == 0:
            return point.left_derivative, point.right_derivative
    piece = ctx.piece_at(ZERO)
    if piece is None:
        raise Undecided("0 is in no open piece and is no candidate point")
    return _analytic_slope(derivative(piece.expr, ctx.x).subs(ctx.x, ZERO))


def _analytic_slope(value: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    value = sp.simplify(value)
    return value, value


def two_sided_slope(left: sp.Expr | None, right: sp.Expr | None) -> sp.Expr | None:
    """f'(0) when both sides exist, are finite and agree; else None."""
    if left is None or right is None or not left.is_finite or not right.is_finite:
        return None
    return left if same_value(left, right) else None
