"""A proved bound on the error in ulps of f as written (`value_bound`), or of f' as autodiff
computes it (verifier.analysis.floats.slope_bound), in float32 or float64, at every input
float of the domain whose exact value is a normal float: branch and bound over boxes of the
dtype's floats (an error walk bounds one box).

The boxes start as the binades of each sign (the subnormals and 0 one box on each side of 0)
cut to the domain's float boxes; a box whose bound is not within the allowed ulps is halved in the
float ordering (so halves hold equally many floats), depth first, left to right. The work is
counted in boxes, never in seconds: the same formula gets the same answer on any machine.
A single float the walk cannot decide (a branch point) is left to the caller to measure; the
search stops at the first single float whose bound exceeds the allowed ulps (there, only the
measured error could say more), or when the box budget is spent.

What it does not guarantee: a proof where the first-order bound is loose (a cancellation the
true error survives, a libm function whose assumed error alone exceeds the allowance: then
`proved` is False with the reason); anything beyond the stated assumption on numpy's
transcendental functions (`assumed`); the floats left to measure (`measured`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
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


BoxBound = Callable[[float, float], tuple[float, bool]]
"""(lo, hi) -> an upper bound, in ulps of the exact value, of the error at every input float
of [lo, hi] whose exact value is a normal float (0 when there is none), and whether a libm
function's accuracy was assumed; raises Undecided where there is no such bound."""

MEASURED_FLOATS = 32   # single floats a walk cannot bound, left to be measured, at most


@dataclass(frozen=True)
class Bound:
    """The outcome: `proved` (every counted input within `allowed` ulps, except the
    `measured` floats, which the walk could not bound one by one: the proof holds once each
    is measured within the allowance), the largest box bound (an upper bound of every other
    counted input's error when proved), the boxes evaluated, whether numpy's libm accuracy was
    assumed, why not proved ("" when proved), and the float where it stopped (where the error
    may truly be large: worth measuring)."""

    proved: bool
    ulps: float
    boxes: int
    assumed: bool
    reason: str
    at: float | None = None
    measured: tuple[float, ...] = ()


def prove_bound(box_bound: BoxBound, dtype: str, domain: list[tuple[float, float]],
                allowed: float, *, skip: frozenset[float] = frozenset(),
                budget: int = BOX_BUDGET) -> Bound:
    """Branch and bound of an error in `dtype` over the `domain` float boxes, each box bounded
    by `box_bound`; the `skip` floats (where the quantity has no value) are left out. A
    single float the walk cannot bound at all (undecided there) is left to be measured
    (`measured`), at most MEASURED_FLOATS of them; the proof stops at any other single float
    with no bound within the allowance (a bound too large one float at a time: measuring a
    few floats would not close it)."""
    order = _Ordering(dtype)
    stack = [box for lo, hi in reversed(domain) for box in reversed(order.binades(lo, hi))]
    worst, evaluated, assumed, measured = 0.0, 0, False, []
    while stack:
        if evaluated >= budget:
            return Bound(False, worst, evaluated, assumed, f"the budget of {budget:,} boxes "
                         f"ran out")
        lo, hi = stack.pop()
        if lo == hi and lo in skip:
            continue
        evaluated += 1
        ulps, used, failure = _attempt(box_bound, lo, hi, allowed)
        if not failure:
            worst, assumed = max(worst, ulps), assumed or used
            continue
        halves = order.halves(lo, hi)
        if halves is not None and failure.startswith("the bound") and lo not in skip:
            # a bound too large over a box: if one float of it alone has no bound within
            # the allowance, halving cannot help (the first-order bound is pointwise there)
            evaluated += 1
            if _attempt(box_bound, lo, lo, allowed)[2]:
                halves = None
        if halves is not None:
            stack.extend(reversed(halves))
        elif not failure.startswith("the bound") and len(measured) < MEASURED_FLOATS:
            # undecided at one float (a branch point, a kink): its error is measured instead
            measured.append(lo)
            if lo != hi:   # the rest of the box, after the float left to be measured
                stack.append((order.value(order.key(lo) + 1), hi))
        else:
            return Bound(False, worst, evaluated, assumed,
                         f"at x = {lo!r} no bound within {allowed:g} ulps: {failure}", lo,
                         tuple(measured))
    return Bound(True, worst, evaluated, assumed, "", measured=tuple(measured))


def _attempt(box_bound: BoxBound, lo: float, hi: float,
             allowed: float) -> tuple[float, bool, str]:
    """box_bound, and why it fails the allowance ("" when it does not)."""
    try:
        ulps, used = box_bound(lo, hi)
    except Undecided as exc:
        return math.inf, False, str(exc)
    return ulps, used, "" if ulps <= allowed else f"the bound there is {ulps:.4g} ulps"


def value_bound(written: sp.Expr, x: sp.Symbol, dtype: str, *,
                libm_ulps: float = LIBM_ULPS) -> BoxBound:
    """The BoxBound of f as written (verifier.analysis.floats.error_walk)."""
    def bound(lo: float, hi: float) -> tuple[float, bool]:
        magnitude = exact_magnitude(written, x, lo, hi, dtype)
        with working_precision(PRECISION_BITS):
            if not counted(magnitude, dtype):
                return 0.0, False
            walk = ErrorWalk(x, lo, hi, dtype, libm_ulps=libm_ulps)
            return in_ulps(walk.value(written).error, magnitude, dtype), walk.assumed
    return bound


def exact_magnitude(formula: sp.Expr, x: sp.Symbol, lo: float, hi: float, dtype: str) -> arb:
    """|formula| over [lo, hi], enclosed (raises Undecided); again at the ladder's last rung
    where the first does not say whether it is a normal float of the dtype (1 - tanh(x)**2
    at x = -3.4e38 is 0 to within 2**-128 only)."""
    try:
        magnitude = abs(_exact_values(formula, x, lo, hi, PRECISION_LADDER[0]))
    except Undecided:   # exp(3.4e38) needs more bits than 128 for its argument reduction
        magnitude = None
    precision = Precision.of(dtype)
    if magnitude is None or not (magnitude > precision.smallest_normal or
                                 magnitude < precision.smallest_normal):
        magnitude = abs(_exact_values(formula, x, lo, hi, PRECISION_LADDER[-1]))
    return magnitude


def counted(magnitude: arb, dtype: str) -> bool:
    """Whether some value of `magnitude` may be a normal float of the dtype (else no input of
    the box counts)."""
    precision = Precision.of(dtype)
    return not (magnitude < precision.smallest_normal or magnitude >= precision.overflow)


def in_ulps(error: arb, magnitude: arb, dtype: str) -> float:
    """An absolute `error` in ulps of the smallest normal exact value of `magnitude`, rounded
    up to a float."""
    if error == 0:
        return 0.0
    precision = Precision.of(dtype)
    least = max(_float_below(magnitude.lower()), precision.smallest_normal)
    ulp = arb(2) ** (math.frexp(least)[1] - precision.bits)   # the ulp at `least`
    return math.nextafter(float((error / ulp).upper()), math.inf)


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
