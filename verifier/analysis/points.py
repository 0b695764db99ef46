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

from verifier.analysis.domain import defined_parts
from verifier.analysis.limits import safe_simplify
from verifier.analysis.line_sets import union
from verifier.analysis.pieces import Piece, breakpoints
from verifier.analysis.pointwise import exact_value, exact_value_is_defined
from verifier.analysis.sets import components, condition_set, intersection
from verifier.analysis.undecided import Undecided, kept


@dataclass(frozen=True)
class PointInfo:
    point: sp.Expr
    value: sp.Expr              # f(point), exact
    left: sp.Expr | None        # f on (point - eps, point)
    right: sp.Expr | None       # f on (point, point + eps)


def fractional_power_bases(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """The bases in x of the non-integer rational powers in `expr`: where one is 0, the
    formula is not analytic (sqrt(x**2 + x**4) is |x|*sqrt(1 + x**2))."""
    return [power.base for power in expr.atoms(sp.Pow)
            if power.exp.is_Rational and not power.exp.is_integer and
            x in power.base.free_symbols]


@kept(maxsize=2048)
def fractional_power_zeros(expr: sp.Expr, x: sp.Symbol) -> sp.Set:
    """Where a base of a non-integer rational power in `expr` is zero (raises Undecided);
    kept (the candidate points and analytic_parts ask for the same pieces)."""
    zeros: sp.Set = sp.S.EmptySet
    for base in fractional_power_bases(expr, x):
        zeros = union(zeros, condition_set(sp.Eq(base, 0), x))
    return zeros


@kept(maxsize=2048)
def analytic_parts(piece: Piece, x: sp.Symbol) -> tuple[sp.Set, ...]:
    """The piece's defined parts (verifier.analysis.domain.defined_parts) cut at the zeros of
    its fractional-power bases inside them, left to right: on each interval of the result the
    formula is analytic (so f' = 0 at one point of it says nothing about the rest, and f'' = 0
    on it means one line), and each cut point is a part of its own. A part with no zero
    inside is returned as it is. Raises Undecided when the zeros are not finitely many."""
    zeros = components(intersection(piece.where, fractional_power_zeros(piece.expr, x)))
    if zeros is None:
        raise Undecided(f"zeros of the fractional powers of {piece.expr} are not a finite set")
    cuts = sorted({p for zero in zeros for p in zero.args}, key=float)
    parts: list[sp.Set] = []
    for part in defined_parts(piece, x):
        inner = [c for c in cuts if isinstance(part, sp.Interval) and
                 (part.start < c) is sp.true and (c < part.end) is sp.true]
        if not inner:
            parts.append(part)
            continue
        ends = [part.start, *inner, part.end]
        for index, (lo, hi) in enumerate(zip(ends, ends[1:])):
            if index:
                parts.append(sp.FiniteSet(lo))
            parts.append(sp.Interval(lo, hi, left_open=index > 0 or part.left_open,
                                     right_open=index < len(inner) or part.right_open))
    return tuple(parts)


def candidate_points(expr: sp.Expr, x: sp.Symbol, pieces: list[Piece]) -> list[PointInfo]:
    """The candidate points of f in its domain, sorted, with their sides. `expr` is f as
    written: its bottom-up value decides whether a point is in the domain."""
    intervals = [(piece, defined_parts(piece, x)) for piece in pieces if not piece.is_point]
    points: set[sp.Expr] = set(breakpoints(pieces))
    for piece, defined in intervals:
        for part in defined:
            if isinstance(part, sp.Interval):
                points.update(end for end, is_open in ((part.start, part.left_open),
                                                        (part.end, part.right_open))
                              if end.is_finite and not is_open)
            else:
                points.update(part.args)
        zeros = components(intersection(piece.where, fractional_power_zeros(piece.expr, x)))
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
