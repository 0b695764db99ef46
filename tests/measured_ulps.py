"""The tests' own measure of a float program's error, independent of the analysis's arb
arithmetic: inputs spread over every binade (bit patterns from a fixed generator), the exact
value by sympy's evalf at 60 digits, the error in ulps with mpmath."""

import mpmath
import numpy as np
import sympy as sp

from tests.conftest import X


def spread_inputs(dtype: str, count: int, seed: int) -> np.ndarray:
    """`count` float32 or float64 bit patterns drawn from a fixed generator, the finite ones,
    as float64."""
    kind, as_int = (np.float32, np.uint32) if dtype == "float32" else (np.float64, np.uint64)
    bits = np.random.default_rng(seed).integers(0, np.iinfo(as_int).max, count, dtype=as_int)
    points = bits.view(kind)
    return points[np.isfinite(points)].astype(np.float64)


def worst_ulps(exact_formula: sp.Expr, points: np.ndarray, computed: np.ndarray,
               dtype: str) -> float:
    """The largest |computed - exact| in ulps of the exact value, over the points whose exact
    value (of `exact_formula` in X) is a normal float of the dtype."""
    info = np.finfo(np.float32 if dtype == "float32" else np.float64)
    worst = 0.0
    with mpmath.workdps(60):
        for t, c in zip(points.tolist(), computed.astype(np.float64).tolist()):
            try:
                exact = mpmath.mpf(str(exact_formula.subs(X, sp.Rational(t)).evalf(60)))
            except (TypeError, ValueError):
                continue   # undefined there (sqrt of a negative, a kink)
            if not (float(info.smallest_normal) <= abs(exact) <= float(info.max)):
                continue
            _, exponent = mpmath.frexp(exact)
            ulp = mpmath.ldexp(1, int(exponent) - int(info.nmant) - 1)
            worst = max(worst, float(abs(mpmath.mpf(c) - exact) / ulp))
    return worst
