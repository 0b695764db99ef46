"""Oracles for float accuracy (f, and f' as autodiff computes it): the claimed errors in ulps,
re-measured against mpmath.

The dtype's result comes from the same float program the property ran (what a dtype computes
is its definition); the exact value is the written formula walked by mpmath (not arb), where
two precisions agree, and the ulp is computed here from the dtype's format. Checked: each dtype's worst
input has the error claimed for it; where a dtype was scanned exhaustively, or a bound proved
over every input (float32, float64), no drawn input of the dtype is off by more than the
claimed maximum; a proved rewrite has f's values at drawn
inputs (and is undefined exactly where f is).

What it does not check: the counts and runs of the facts (they would need every input again).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

from verifier.analysis.floats.autodiff import autodiff_slope
from verifier.analysis.floats.program import evaluate, float_info, numeric_type
from verifier.crosscheck import draws
from verifier.crosscheck.numeric import Numeric, Unevaluable
from verifier.crosscheck.probe import RESOLUTION, Probe, close, every
from verifier.expr import parse_both
from verifier.model import CrossCheck, PropertyResult

_PRECISIONS = ((50, 100), (400, 800))   # digits compared for an exact value
_RELATIVE = 1e-6   # how far a 50-digit error may be from arb's bounds (both are certain)


def float_accurate(result: PropertyResult, probe: Probe) -> CrossCheck:
    return _accuracy(result, probe, gradient=False)


def gradient_accurate(result: PropertyResult, probe: Probe) -> CrossCheck:
    return _accuracy(result, probe, gradient=True)


def _accuracy(result: PropertyResult, probe: Probe, *, gradient: bool) -> CrossCheck:
    checks = []
    entries = result.facts.get("accuracy") or []
    for entry in entries:
        measure = _Measure(probe, entry["dtype"], gradient=gradient)
        worst = entry.get("worst")
        if worst is not None:
            low, high = (_value(worst["ulps_low"]), _value(worst["ulps_high"]))
            checks.append(probe.for_all(
                draws.just(worst["x"]), lambda t, low=low, high=high, measure=measure:
                measure.outside(t, low, high), tolerance=_RELATIVE, share=2 * len(entries),
                claim=f"{entry['dtype']}: the worst input's error"))
        if entry["method"] == "exhaustive" and entry["max_ulps"] != "oo" and \
                entry["compared"] and not entry["unresolved_inputs"]:   # a bound over all
            bound = entry["max_ulps"]
            checks.append(probe.for_all(
                measure.every_input(), lambda t, bound=bound, measure=measure:
                measure.outside(t, 0.0, bound), tolerance=_RELATIVE, share=2 * len(entries),
                claim=f"{entry['dtype']}: every input within {bound:.4g} ulps"))
        if entry.get("bound_ulps") is not None:   # proved for float32/float64
            bound = entry["bound_ulps"]
            checks.append(probe.for_all(
                draws.any_float(32 if entry["dtype"] == "float32" else 64),
                lambda t, bound=bound, measure=measure: measure.outside(t, 0.0, bound),
                tolerance=_RELATIVE, share=2 * len(entries),
                claim=f"{entry['dtype']}: every input within the proved {bound:.4g} ulps"))
    rewrite = result.facts.get("rewrite")
    if rewrite is not None:
        checks.append(_same_function(probe, rewrite["formula"]))
    if not checks:
        return CrossCheck(status="skipped", detail="no accuracy claim to re-check")
    return every(checks)


def _same_function(probe: Probe, formula: str) -> CrossCheck:
    """The rewrite has f's value wherever f is defined, and is undefined where f is."""
    subject = probe.subject
    evaluated, written = parse_both(formula, variable=subject.x.name)
    other = Numeric(evaluated, subject.x, written=written)

    def differs(t: float) -> str | None:
        mine, theirs = subject.numeric.f(t), other.f(t)
        if (mine is None) != (theirs is None):
            return f"f({t!r}) is {mine} but the rewrite gives {theirs}"
        if mine is not None and not close(mine, theirs, RESOLUTION * 1e10):
            return f"f({t!r}) = {mpmath.nstr(mine, 15)} but the rewrite gives " \
                   f"{mpmath.nstr(theirs, 15)}"
        return None
    return probe.for_all(subject.line(), differs, tolerance=RESOLUTION * 1e10, share=2,
                         claim="the rewrite has f's values")


def _value(number: float | str) -> float:
    return math.inf if number == "oo" else float(number)


class _Measure:
    """The error of one dtype at an input, in ulps of the exact value's binade (None where
    the exact value is no normal float of the dtype, or f is undefined): of f, or with
    `gradient` of f' as autodiff computes it against sympy's derivative at 50 digits."""

    def __init__(self, probe: Probe, dtype: str, *, gradient: bool) -> None:
        numeric = probe.subject.numeric
        self.dtype, self.program, self.x = dtype, probe.subject.written, probe.subject.x
        self.value = numeric.df if gradient else numeric.f
        self.computed = autodiff_slope if gradient else \
            lambda *arguments: evaluate(*arguments)[0]
        info = float_info(dtype)
        self.bits = int(info.nmant) + 1
        self.smallest, self.largest = float(info.smallest_normal), float(info.max)

    def every_input(self) -> draws.Draw:
        """Each finite input of the (16-bit) dtype."""
        kind = numeric_type(self.dtype)
        with np.errstate(invalid="ignore"):   # the NaN patterns, dropped
            every_ = np.arange(2 ** 16, dtype=np.uint16).view(kind).astype(np.float64)
        return draws.sampled_from(every_[np.isfinite(every_)].tolist())

    def exact(self, t: float):
        """f(t) where two precisions agree to 30 digits (50 and 100, else 400 and 800: sin
        of 1/x at x = 1e-213 needs more than 213 digits); None where f is undefined."""
        for low, high in _PRECISIONS:
            with mpmath.workdps(low):
                coarse = self.value(t)
            with mpmath.workdps(high):
                fine = self.value(t)
            if coarse is None and fine is None:
                return None
            if coarse is not None and fine is not None and \
                    abs(coarse - fine) <= mpmath.mpf(10) ** -30 * abs(fine):
                return fine
        raise Unevaluable(f"f({t!r}) does not settle at {_PRECISIONS[-1][1]} digits")

    def error(self, t: float) -> float | None:
        exact = self.exact(t)
        if exact is None or not (self.smallest <= abs(exact) <= self.largest):
            return None
        with np.errstate(all="ignore"):
            computed = float(self.computed(self.program, self.x, np.array([t]), self.dtype)[0])
        if not math.isfinite(computed):
            return math.inf
        _, exponent = mpmath.frexp(exact)   # exact = m * 2**exponent, 1/2 <= |m| < 1
        ulp = mpmath.ldexp(1, int(exponent) - self.bits)
        return float(abs(mpmath.mpf(computed) - exact) / ulp)

    def outside(self, t: float, low: float, high: float) -> str | None:
        error = self.error(t)
        if error is None:
            return None
        slack = _RELATIVE * max(1.0, high if math.isfinite(high) else 1.0)
        if error > high + slack or (math.isfinite(error) and error < low - slack):
            return (f"{self.dtype} f({t!r}) is off by {error:.6g} ulps; claimed between "
                    f"{low:.6g} and {high:.6g}")
        return None
