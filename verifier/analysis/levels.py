"""Where f' lies strictly between two levels, from the shape of f''.

On a stretch where f'' has one sign, f' is strictly monotone and continuous, so the points of
the stretch where -epsilon < f' < epsilon form one open interval: its ends are the stretch's
ends or the single crossing of f' = +-epsilon, which exists exactly when the level lies
strictly between f' at the two ends (exact limits or certified values), and is isolated by
bisection to below 1e-18 relative (with a closed form when sympy offers one that is provably
the root). Where f'' = 0 identically, f' is constant. Nothing is sampled.

What it does not do: decide stretches the shape left undecided (raises Undecided, or skips
them when asked), or join
intervals across junctions (the caller knows where f is differentiable).
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.bounds import Bound
from verifier.analysis.derivatives import derivative
from verifier.analysis.roots import exact_form, refine_root
from verifier.analysis.shape import Segment, Shape
from verifier.analysis.signs import bracket_sign_change
from verifier.analysis.stretches import Stretch
from verifier.analysis.undecided import Undecided
from verifier.analysis.values import Value, value_at


def slope_within(shape: Shape, x: sp.Symbol, epsilon: sp.Rational, *,
                 partial: bool = False) -> list[tuple[Bound, Bound]]:
    """Open intervals where |f'| < epsilon, one per monotone stretch at most (shape: f'').
    `partial`: stretches the shape left undecided are skipped (the caller reports them)."""
    if shape.undecided() and not partial:
        raise Undecided("the sign of f'' is not decided everywhere")
    found = []
    for segment in shape.segments:
        slope = derivative(segment.expr, x)
        for stretch in segment.signs.stretches:
            region = _within(segment, stretch, slope, x, epsilon)
            if region is not None:
                found.append(region)
    return found


def _within(segment: Segment, stretch: Stretch, slope: sp.Expr, x: sp.Symbol,
            epsilon: sp.Rational) -> tuple[Bound, Bound] | None:
    start, end = _end_value(segment, stretch.lo, "+", slope, x), _end_value(
        segment, stretch.hi, "-", slope, x)
    low, high = Value(exact=-epsilon), Value(exact=epsilon)
    if stretch.sign == 0:   # f' constant on the stretch
        inside = start.compare(low) > 0 and start.compare(high) < 0
        return (stretch.lo, stretch.hi) if inside else None
    if stretch.sign < 0:    # decreasing: mirror the levels so f' rises through them
        start, end, low, high = _negate(start), _negate(end), _negate(high), _negate(low)
    if end.compare(low) <= 0 or start.compare(high) >= 0:
        return None         # f' stays at or below -epsilon, or at or above epsilon
    left = stretch.lo if start.compare(low) >= 0 else _crossing(
        slope, x, stretch, -epsilon if stretch.sign > 0 else epsilon)
    right = stretch.hi if end.compare(high) <= 0 else _crossing(
        slope, x, stretch, epsilon if stretch.sign > 0 else -epsilon)
    return left, right


def _end_value(segment: Segment, bound: Bound, side: str, slope: sp.Expr,
               x: sp.Symbol) -> Value:
    at_segment_end = bound.exact is not None and bound.exact in (segment.lo, segment.hi)
    return value_at(slope, x, bound, side if at_segment_end else None)


def _negate(value: Value) -> Value:
    return Value(exact=-value.exact) if value.exact is not None else Value(ball=-value.ball)


def _crossing(slope: sp.Expr, x: sp.Symbol, stretch: Stretch, level: sp.Rational) -> Bound:
    """The one root of f' = level inside the stretch, where f' is strictly monotone and the
    level is crossed: f' - level has the sign -stretch.sign just after the stretch's start.
    Bracketed between points inside the stretch (a certified end's inner side)."""
    h = slope - level
    lo = stretch.lo.exact if stretch.lo.exact is not None else stretch.lo.hi
    hi = stretch.hi.exact if stretch.hi.exact is not None else stretch.hi.lo
    a, b = bracket_sign_change(h, x, lo, hi, -stretch.sign)
    return exact_form(h, x, refine_root(h, x, a, b))
