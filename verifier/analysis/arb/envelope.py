"""A certified enclosure of all values of a function over an interval, possibly unbounded.

Used where the sign of the next derivative could not be decided (sinc's f' changes sign
infinitely often on (256, oo)): the extremes of f there are not found, but every value of f
there is proved to lie inside the returned ball, which is enough when that ball lies strictly
inside the extremes attained elsewhere. Boxes double in size away from 0 (as in boxes.py) out
to the float64 limit; beyond it one box with an infinite end, evaluated with arb's rigorous
infinities (sin over the whole line is [-1, 1], 1/oo is 0).

What it does not give: the extremes themselves, or whether they are attained.
"""

from __future__ import annotations

import sympy as sp
from flint import arb

from verifier.analysis.bounds import FLOAT_MAX, Bound
from verifier.analysis.boxes import split_points
from verifier.analysis.arb.certified import exact_ball
from verifier.analysis.arb.endpoints import bounds
from verifier.analysis.undecided import Undecided

_INFINITY = arb("inf")


def enclose_values(expr: sp.Expr, x: sp.Symbol, lo: Bound, hi: Bound) -> arb:
    """A ball holding expr(t) for every t in (lo, hi) (raises Undecided)."""
    inner_lo = -FLOAT_MAX if lo.infinite else lo.exact
    inner_hi = FLOAT_MAX if hi.infinite else hi.exact
    if inner_lo is None or inner_hi is None:
        raise Undecided("an envelope needs exact ends")
    ends = [exact_ball(p) for p in split_points(inner_lo, inner_hi)]
    boxes = list(zip(ends, ends[1:]))
    if lo.infinite:
        boxes.insert(0, (-_INFINITY, ends[0]))
    if hi.infinite:
        boxes.append((ends[-1], _INFINITY))
    low = high = None
    for a, b in boxes:
        box_low, box_high = bounds(expr, x, a, b)
        low = box_low if low is None else arb.min(low, box_low)
        high = box_high if high is None else arb.max(high, box_high)
    return low.union(high)
