"""Errors in ulps, certified, for many inputs at once: a dtype's results against enclosures of
the exact values (each given as floats `lo` <= value <= `hi`, and for float64 as its arb ball).

The error |result - value| over every value of the enclosure is bounded below in the coarsest
ulp of the enclosure's binades and above in the finest (an ulp is the dtype's spacing in the
binade of a normal magnitude; below the normal range that of the smallest normal). Up to
24-bit dtypes, float64 arithmetic on the float ends is exact enough: each difference is the
rounded one where Knuth's TwoSum shows it exact, else widened by one float, so the bounds are
rigorous and tight to about 2**-29 ulps. float64 itself needs the ball: the error is divided by
the ulp in arb before it is rounded (an error near 1e-308 is subnormal and would lose its
digits).

What it does not do: decide whether an exact value is a normal float (the caller counts only
those), or make sense of a non-finite result (its error is infinite).
"""

from __future__ import annotations

import numpy as np
from flint import arb

INF = np.inf


def ulps_of(magnitudes: np.ndarray, bits: int, smallest_normal: float) -> np.ndarray:
    """The dtype's spacing in the binade of each magnitude (of the smallest normal below)."""
    exponents = np.frexp(np.maximum(magnitudes, smallest_normal))[1]
    return np.ldexp(1.0, exponents - bits)


def error_bounds(results: np.ndarray, lo: np.ndarray, hi: np.ndarray, balls: list[arb],
                 bits: int, smallest_normal: float) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) bounds in ulps of |result - value| for every value of each enclosure;
    both infinite where a result is not finite."""
    finite = np.isfinite(results)
    least_magnitude = np.where((lo <= 0) & (hi >= 0), 0.0, np.minimum(abs(lo), abs(hi)))
    finest = ulps_of(least_magnitude, bits, smallest_normal)
    coarsest = ulps_of(np.maximum(abs(lo), abs(hi)), bits, smallest_normal)
    with np.errstate(invalid="ignore", over="ignore"):
        if bits > 24:
            pairs = [_ball_error(r, ball, c, f) if ok else (INF, INF)
                     for r, ball, c, f, ok in zip(results.tolist(), balls, coarsest.tolist(),
                                                  finest.tolist(), finite.tolist())]
            least, most = (np.array(side, dtype=np.float64) for side in zip(*pairs))
        else:
            least = np.maximum(0.0, np.maximum(_below(lo, results), _below(results, hi)))
            most = np.maximum(_above(results, lo), _above(hi, results))
            least, most = least / coarsest, most / finest
        low = np.maximum(0.0, np.nextafter(least, -INF))
        high = np.where(most > 0, np.nextafter(most, INF), 0.0)
    return np.where(finite, low, INF), np.where(finite, high, INF)


def _ball_error(result: float, ball: arb, coarsest: float, finest: float) -> tuple[float, float]:
    error = abs(arb(result) - ball)
    return float(error.lower() / coarsest), float(error.upper() / finest)


def _rounding_error(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a - b rounded, and the rounding error (TwoSum: exact, barring overflow)."""
    total = a - b
    virtual = total - a
    return total, (a - (total - virtual)) + (-b - virtual)


def _below(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A float at or below a - b (the difference itself where it is exact)."""
    total, error = _rounding_error(a, b)
    return np.where(error < 0, np.nextafter(total, -INF), total)


def _above(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A float at or above a - b."""
    total, error = _rounding_error(a, b)
    return np.where(error > 0, np.nextafter(total, INF), total)
