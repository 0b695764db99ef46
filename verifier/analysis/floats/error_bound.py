"""A proved bound on the error in ulps of f as written, in float32 or float64, at every input
float of the domain whose exact value is a normal float: branch and bound over boxes of the
dtype's floats (verifier.analysis.floats.error_walk bounds one box).

The boxes start as the binades of each sign (the subnormals and 0 one box on each side of 0)
cut to the domain's float boxes; a box whose bound is not within the allowed ulps is halved in the
float ordering (so halves hold equally many floats), depth first, left to right. The work is
counted in boxes, never in seconds: the same formula gets the same answer on any machine.
The search stops at the first single float it cannot bound within the allowed ulps (there,
only the measured error could say more), or when the box budget is spent.

What it does not guarantee: a proof where the first-order bound is loose (a cancellation the
true error survives, a libm function whose assumed error alone exceeds the allowance: then
`proved` is False with the reason); anything beyond the stated assumption on numpy's
transcendental functions (`assumed`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
from flint import arb

from verifier.analysis.arb.ball_program import ball_program
from verifier.analysis.arb.certified import PRECISION_BITS, PRECISION_LADDER, working_precision
from verifier.analysis.arb.endpoints import bounds
from verifier.analysis.floats.error_walk import ErrorWalk
from verifier.analysis.floats.exact_values import Precision
from verifier.analysis.floats.images import TRANSCENDENTAL_ULPS
from verifier.analysis.floats.program import DTYPES
from verifier.analysis.undecided import Undecided

BOX_BUDGET = 20_000   # boxes per dtype
LIBM_ULPS = TRANSCENDENTAL_ULPS   # numpy's exp, log, tanh, pow, ... assumed within this


@dataclass(frozen=True)
class Bound:
    """The outcome: `proved` (every counted input within `allowed` ulps), the largest box
    bound (an upper bound of every counted input's error when proved), the boxes evaluated,
    whether numpy's libm accuracy was assumed, why not proved ("" when proved), and the
    float where it stopped (where the error may truly be large: worth measuring)."""

    proved: bool
    ulps: float
    boxes: int
    assumed: bool
    reason: str
    at: float | None = None


def prove_bound(written: sp.Expr, x: sp.Symbol, dtype: str,
                domain: list[tuple[float, float]], allowed: float, *,
                libm_ulps: float = LIBM_ULPS, budget: int = BOX_BUDGET) -> Bound:
    """Branch and bound of f's error in `dtype` over the `domain` float boxes."""
    order = _Ordering(dtype)
    stack = [box for lo, hi in reversed(domain) for box in reversed(order.binades(lo, hi))]
    worst, evaluated, assumed = 0.0, 0, False
    while stack:
        if evaluated >= budget:
            return Bound(False, worst, evaluated, assumed, f"the budget of {budget:,} boxes "
                         f"ran out")
        lo, hi = stack.pop()
        evaluated += 1
        ulps, used, failure = _attempt(written, x, lo, hi, dtype, libm_ulps, allowed)
        if not failure:
            worst, assumed = max(worst, ulps), assumed or used
            continue
        halves = order.halves(lo, hi)
        if halves is not None and failure.startswith("the bound") and lo != hi:
            # a bound too large over a box: if one float of it alone has no bound within
            # the allowance, halving cannot help (the first-order bound is pointwise there)
            evaluated += 1
            if _attempt(written, x, lo, lo, dtype, libm_ulps, allowed)[2]:
                halves = None
        if halves is None:
            return Bound(False, worst, evaluated, assumed,
                         f"at x = {lo!r} no bound within {allowed:g} ulps: {failure}", lo)
        stack.extend(reversed(halves))
    return Bound(True, worst, evaluated, assumed, "")


def _attempt(written: sp.Expr, x: sp.Symbol, lo: float, hi: float, dtype: str,
             libm_ulps: float, allowed: float) -> tuple[float, bool, str]:
    """box_bound, and why it fails the allowance ("" when it does not)."""
    try:
        ulps, used = box_bound(written, x, lo, hi, dtype, libm_ulps)
    except Undecided as exc:
        return math.inf, False, str(exc)
    return ulps, used, "" if ulps <= allowed else f"the bound there is {ulps:.4g} ulps"


def box_bound(written: sp.Expr, x: sp.Symbol, lo: float, hi: float, dtype: str,
              libm_ulps: float) -> tuple[float, bool]:
    """An upper bound, in ulps of the exact value, of the error at every input of [lo, hi]
    whose exact value is a normal float (0 when there is none), and whether a libm function's
    accuracy was assumed (raises Undecided)."""
    precision = Precision.of(dtype)
    try:
        magnitude = abs(_exact_values(written, x, lo, hi, PRECISION_LADDER[0]))
    except Undecided:   # exp(3.4e38) needs more bits than 128 for its argument reduction
        magnitude = abs(_exact_values(written, x, lo, hi, PRECISION_LADDER[-1]))
    with working_precision(PRECISION_BITS):
        if magnitude < precision.smallest_normal or magnitude >= precision.overflow:
            return 0.0, False   # no input of the box has a normal exact value
        walk = ErrorWalk(x, lo, hi, dtype, libm_ulps=libm_ulps)
        error = walk.value(written).error
        if error == 0:
            return 0.0, walk.assumed
        least = max(_float_below(magnitude.lower()), precision.smallest_normal)
        ulp = arb(2) ** (math.frexp(least)[1] - precision.bits)   # the ulp at `least`
        bound = float((error / ulp).upper())
    return math.nextafter(bound, math.inf), walk.assumed


def _exact_values(written: sp.Expr, x: sp.Symbol, lo: float, hi: float,
                  precision: int) -> arb:
    """The exact values over [lo, hi] at `precision` bits: by their ends where monotone
    pieces allow it (tight on wide boxes: exp over [-64, -32]), else as one ball."""
    try:
        low, high = bounds(written, x, arb(lo), arb(hi), precision)
        return low.union(high)
    except Undecided:
        with working_precision(precision):
            values = ball_program(written, x)(arb(lo).union(arb(hi)))
    if not values.is_finite():
        raise Undecided("no finite enclosure of the exact value")
    return values


def _float_below(value: arb) -> float:
    """A float at or below an exact arb number (>= 0)."""
    below = float(value)
    if arb(below) > value:
        below = math.nextafter(below, 0.0)
    return max(below, 0.0)


class _Ordering:
    """The dtype's floats in order, as integers: binades and halves of boxes."""

    def __init__(self, dtype: str) -> None:
        self.kind = DTYPES[dtype]
        self.as_int = {4: np.int32, 8: np.int64}[np.dtype(self.kind).itemsize]
        info = np.finfo(self.kind)
        self.exponents = range(int(info.minexp), int(info.maxexp))
        self.smallest = float(info.smallest_normal)

    def key(self, value: float) -> int:
        bits = int(np.array(value, dtype=self.kind).view(self.as_int))
        return bits if bits >= 0 else -(bits & np.iinfo(self.as_int).max)

    def value(self, key: int) -> float:
        bits = key if key >= 0 else (-key) | int(np.iinfo(self.as_int).min)
        return float(np.array(bits, dtype=self.as_int).view(self.kind))

    def halves(self, lo: float, hi: float) -> tuple[tuple[float, float],
                                                     tuple[float, float]] | None:
        """[lo, hi] as two boxes of (nearly) equally many floats; None for one float."""
        low, high = self.key(lo), self.key(hi)
        if low >= high:
            return None
        middle = (low + high) // 2
        return (lo, self.value(middle)), (self.value(middle + 1), hi)

    def binades(self, lo: float, hi: float) -> list[tuple[float, float]]:
        """[lo, hi] cut at 0, at +-smallest normal and at every power of two, left to
        right."""
        edges = sorted({0.0, self.smallest, -self.smallest,
                        *(math.ldexp(s, e) for e in self.exponents for s in (1.0, -1.0))})
        inside = [edge for edge in edges if lo < edge <= hi]
        boxes, start = [], lo
        for edge in inside:   # the box before each edge ends at the float just below it
            boxes.append((start, self.value(self.key(edge) - 1)))
            start = edge
        boxes.append((start, hi))
        return [(a, b) for a, b in boxes if self.key(a) <= self.key(b)]
