"""The finitely many points where continuity and smoothness of f must be checked.

Every vocabulary function except floor/ceiling is real-analytic at every point where it is
defined, except a fractional power u**r at u = 0. So inside a piece, an expression is analytic
wherever it is defined except at zeros of fractional-power bases and at the closed ends of its
own domain. The candidate points are therefore: breakpoints of the pieces, closed ends of each
piece's domain, and zeros of fractional-power bases; everything else is analytic.

For each candidate in the domain, `PointInfo` records f(p) and the expression of f just left
and just right of p (None where f is undefined on that side).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from verifier.analysis.domain import expression_domain
from verifier.analysis.limits import safe_simplify
from verifier.analysis.pieces import Piece, breakpoints
from verifier.analysis.pointwise import exact_value, exact_value_is_defined
from verifier.analysis.sets import components, condition_set
from verifier.analysis.undecided import Undecided


@dataclass(frozen=True)
class PointInfo:
    point: sp.Expr
    value: sp.Expr              # f(point), exact
    left: sp.Expr | None        # f on (point - eps, point)
    right: sp.Expr | None       # f on (point, point + eps)


def fractional_power_zeros(expr: sp.Expr, x: sp.Symbol) -> sp.Set:
    """Where a base of a non-integer rational power in `expr` is zero (raises Undecided)."""
    zeros: sp.Set = sp.S.EmptySet
    for power in expr.atoms(sp.Pow):
        base, exponent = power.args
        if exponent.is_Rational and not exponent.is_integer and x in base.free_symbols:
            zeros = sp.Union(zeros, condition_set(sp.Eq(base, 0), x))
    return zeros


def candidate_points(expr: sp.Expr, x: sp.Symbol, pieces: list[Piece]) -> list[PointInfo]:
    """The candidate points of f in its domain, sorted, with their sides. `expr` is f as
    written: its bottom-up value decides whether a point is in the domain."""
    intervals = [(piece, _defined_part(piece, x)) for piece in pieces if not piece.is_point]
    points: set[sp.Expr] = set(breakpoints(pieces))
    for piece, defined in intervals:
        for part in defined:
            if isinstance(part, sp.Interval):
                points.update(end for end, is_open in ((part.start, part.left_open),
                                                        (part.end, part.right_open))
                              if end.is_finite and not is_open)
            else:
                points.update(part.args)
        zeros = components(sp.Intersection(piece.where, fractional_power_zeros(piece.expr, x)))
        if zeros is None:
            raise Undecided(f"zeros of the fractional powers of {piece.expr} are not a finite set")
        points.update(p for z in zeros for p in z.args)
    infos = []
    for point in sorted(points, key=float):
        if not exact_value_is_defined(expr, x, point):
            continue
        infos.append(PointInfo(point=point, value=safe_simplify(exact_value(expr, x, point)),
                               left=_side(intervals, point, left=True),
                               right=_side(intervals, point, left=False)))
    return infos


def _defined_part(piece: Piece, x: sp.Symbol) -> list[sp.Set]:
    parts = components(sp.Intersection(piece.where, expression_domain(piece.expr, x)))
    if parts is None:
        raise Undecided(f"the domain of {piece.expr} on {piece.describe()} is not a finite union")
    return parts


def _side(intervals: list[tuple[Piece, list[sp.Set]]], point: sp.Expr,
          left: bool) -> sp.Expr | None:
    for piece, defined in intervals:
        for part in defined:
            if not isinstance(part, sp.Interval):
                continue
            reaches = (part.start < point <= part.end) if left else (part.start <= point < part.end)
            if reaches is sp.true or reaches is True:
                return piece.expr
    return None
