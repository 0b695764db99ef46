"""The exact values an accuracy scan compares with: for each input, a certified arb ball of the
quantity's true value, placed with respect to a dtype's normal range.

`exact_values` encloses each input's value (arb, one ball per input at the ladder's first
rung) and decides, for most inputs at once with numpy, where it lies: "normal" (every value of
the ball a normal number of the dtype, the ball tight to 2**-40 relative) or "outside" (below
the normal range or beyond the largest float). The few inputs the floats do not decide (a ball
wide or straddling an end of the range) are decided one by one with exact arb comparisons,
then at the ladder's last rung (1280 bits), then, where the quantity has one, by its exact
rational value (an exact value at the very end of the normal range, such as max(x, x/100) =
-2**-14 in float16, straddles it in every ball); an input still undecided, or whose value
cannot be enclosed, is unresolved.

What it does not guarantee: a decision where arb cannot enclose the value (unresolved, never
counted), or a tight ball for an "outside" input (those are not compared).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from flint import arb, ctx

from verifier.analysis.arb.certified import PRECISION_LADDER, working_precision
from verifier.analysis.floats.program import float_info
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo

Ends = tuple[float, float]   # floats at or below and at or above every value of a ball
Exact = Callable[[float], arb]
# the exact value where it is a rational number (None: it is not, or it is not known)
Rational = Callable[[float], "Fraction | None"]
_TIGHT = 2.0 ** -40   # the relative radius a compared ball must have at most


@dataclass(frozen=True)
class Precision:
    """A binary floating-point format: significand bits (with the hidden one), normal range."""

    bits: int
    smallest_normal: float
    largest: float

    @classmethod
    def of(cls, dtype: str) -> Precision:
        info = float_info(dtype)
        return cls(int(info.nmant) + 1, float(info.smallest_normal), float(info.max))

    @property
    def overflow_exactly(self) -> Fraction:
        """Where rounding to nearest stops giving the largest float: largest + half an ulp
        (as a float it would round to inf in float64)."""
        return _overflow_exactly(self)

    @property
    def overflow(self) -> arb:
        """overflow_exactly as an arb ball at the working precision (exact where that holds
        its bits: the value is dyadic; at 53 bits float64's 54 are rounded)."""
        return _overflow(self, ctx.prec)

    def ulp(self, magnitude: float) -> float:
        """The spacing of the format's numbers in the binade of a normal `magnitude` (below
        the normal range: that of the smallest normal)."""
        return math.ldexp(1.0, math.frexp(max(magnitude, self.smallest_normal))[1] - self.bits)


# made once per format (and working precision): the error walks ask for them at every step
# (180,000 times in log_sigmoid's gradient_accurate, 40% of its time)
@memo(16)
def _overflow_exactly(precision: Precision) -> Fraction:
    return Fraction(precision.largest) + Fraction(precision.ulp(precision.largest)) / 2


@memo(16)
def _overflow(precision: Precision, bits: int) -> arb:
    exactly = _overflow_exactly(precision)
    with working_precision(bits):
        return arb(exactly.numerator) / exactly.denominator


@dataclass(frozen=True)
class Placed:
    """The inputs whose exact value is a normal float (with its ball and float ends), and
    those whose value could not be enclosed or placed (unresolved)."""

    normal: list[tuple[float, arb, Ends]]
    unresolved: list[float]


def exact_values(exact: Exact, points: list[float], precision: Precision, *,
                 rational: Rational | None = None) -> Placed:
    """Each point's exact value, placed (see the module's docstring); runs at the ladder's
    first rung, the undecided points again at its last, then by `rational`."""
    with working_precision(PRECISION_LADDER[0]):   # its comparisons too (arb rounds them)
        return _placed_all(exact, points, precision, rational)


def _placed_all(exact: Exact, points: list[float], precision: Precision,
                rational: Rational | None) -> Placed:
    balls: list[arb | None] = []
    for point in points:
        balls.append(_enclosed(exact, point))
    known = [ball is not None for ball in balls]
    lows = np.array([float(ball.lower()) if ball is not None else 0.0 for ball in balls])
    highs = np.array([float(ball.upper()) if ball is not None else 0.0 for ball in balls])
    floats = [ball is not None and ball.is_exact() and arb(float(ball.mid())) == ball
              for ball in balls]
    is_float = np.array(floats, dtype=bool)
    with np.errstate(over="ignore"):
        lows = np.where(is_float, lows, np.nextafter(lows, -np.inf))
        highs = np.where(is_float, highs, np.nextafter(highs, np.inf))
    for index in np.flatnonzero(~(np.isfinite(lows) & np.isfinite(highs))):
        ball = balls[index]   # a finite ball next to the largest float: ends stepped only
        if ball is not None:  # where its float is not already outside (never to inf)
            lows[index], highs[index] = float_ends(ball)
    low, high = _magnitudes(lows, highs)
    outside = high < precision.smallest_normal
    with np.errstate(invalid="ignore", over="ignore"):   # scaled by 2**40 exactly (or inf)
        tight = np.subtract(highs, lows) / _TIGHT <= low   # width <= 2**-40 |value|: rad too
    normal = (low > precision.smallest_normal) & (high < precision.largest) & tight
    placed = Placed([], [])
    for index, point in enumerate(points):
        if normal[index]:
            ball = balls[index]
            assert ball is not None
            placed.normal.append((point, ball, (float(lows[index]), float(highs[index]))))
        elif outside[index] and known[index]:
            continue
        else:   # not decided by the floats: one by one, exactly
            found = _decided(exact, point, balls[index], precision, rational)
            if found is None:
                placed.unresolved.append(point)
            elif found[1] == "normal":
                placed.normal.append((point, found[0], found[2]))
    return placed


def _decided(exact: Exact, point: float, first: arb | None, precision: Precision,
             rational: Rational | None) -> tuple[arb, str, Ends] | None:
    """The ball that decides where the value lies, its place and float ends (None: undefined
    there, or not decided even at the ladder's last rung nor by the exact rational value):
    the first rung's ball `first`, else a ball at the last rung, else, where that ball exists
    (the value is defined and every branch decided there) and the value is rational, that
    value's place, decided exactly."""
    found = _placed(first, precision)
    if found is None:
        with working_precision(PRECISION_LADDER[-1]):
            ball = _enclosed(exact, point)
            found = _placed(ball, precision)
            value = rational(point) if found is None and ball is not None and rational \
                else None
            if value is not None:
                found = _placed_exactly(value, precision)
    return found


def _placed_exactly(value: Fraction, precision: Precision) -> tuple[arb, str, Ends]:
    """A rational value's place, by exact comparisons, with its ball at the working
    precision (exact when the value is dyadic) and float ends."""
    inside = Fraction(precision.smallest_normal) <= abs(value) < precision.overflow_exactly
    ball = arb(value.numerator) / value.denominator
    return ball, "normal" if inside else "outside", float_ends(ball)


def _placed(ball: arb | None, precision: Precision) -> tuple[arb, str, Ends] | None:
    if ball is None:
        return None
    ends = float_ends(ball)
    place = _decided_place(ball, ends, precision)
    return (ball, place, ends) if place else None


def _enclosed(exact: Exact, point: float) -> arb | None:
    try:
        ball = exact(point)
    except Undecided:   # an operation undefined there, or a branch the ball cannot decide
        return None
    return ball if ball.is_finite() else None


def _decided_place(ball: arb, ends: Ends, precision: Precision) -> str | None:
    """"outside" or "normal" when the ball decides it (a normal value tight to 2**-40
    relative), else None."""
    place = _place(ball, ends, precision)
    if place == "outside" or (place == "normal" and ball.rad() <= abs(ball.mid()) * _TIGHT):
        return place
    return None


def _place(ball: arb, ends: Ends, precision: Precision) -> str:
    """Where every value of the ball lies: "normal" (in the dtype's normal range), "outside"
    (below it or beyond the largest float), or "straddles" (not decided), by exact arb
    comparisons."""
    low, high = (float(end[0]) for end in _magnitudes(np.array([ends[0]]), np.array([ends[1]])))
    if high < precision.smallest_normal:
        return "outside"
    if low > precision.smallest_normal and high < precision.largest:
        return "normal"
    with working_precision(PRECISION_LADDER[-1]):   # arb rounds comparisons to its precision
        magnitude = abs(ball)
        smallest, overflow = arb(precision.smallest_normal), precision.overflow
        if magnitude < smallest or magnitude >= overflow:
            return "outside"
        return "normal" if magnitude >= smallest and magnitude < overflow else "straddles"


def float_ends(ball: arb) -> Ends:
    """Floats below and above every value of the ball (rounded outward; an exact ball that is
    a float gives that float twice)."""
    if ball.is_exact() and arb(value := float(ball.mid())) == ball:
        return value, value
    low, high = ball.lower(), ball.upper()
    below, above = float(low), float(high)
    if not arb(below) <= low:   # the conversion rounded inward: one float further out
        below = math.nextafter(below, -math.inf)
    if not arb(above) >= high:
        above = math.nextafter(above, math.inf)
    return below, above


def _magnitudes(lows: np.ndarray, highs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Floats below and above every |value| between each pair of ends."""
    least = np.where((lows <= 0) & (highs >= 0), 0.0,
                     np.minimum(np.abs(lows), np.abs(highs)))
    return least, np.maximum(np.abs(lows), np.abs(highs))
