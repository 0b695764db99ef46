"""Certified enclosures of what float32/float64 evaluation computes over a box of inputs.

`span_of(expr, x, lo, hi, dtype)` walks the same nodes as the numpy evaluator (FloatWalk) and
returns a Span: every value the dtype computation can produce for an input float in [lo, hi]
is NaN (only if `nan` is set) or lies in [lo, hi] of the span, infinities included. True images
of the operations are enclosed with arb (exact endpoints, outward rounding); each result is
then widened by the dtype's rounding: correctly rounded operations (+, *, /, sqrt) by one ulp,
libm functions (exp, log, tanh, pow, ...) by TRANSCENDENTAL_ULPS ulps, plus as many subnormal
ulps; a result whose lower bound exceeds the largest float is inf for certain.

What it assumes (stated with every verdict that uses it): numpy's transcendental functions are
within TRANSCENDENTAL_ULPS ulps of the true value and never return the wrong sign (the
documented accuracy of glibc and numpy's SIMD paths is 1-4 ulps). What it does not give: tight
spans - dependency between sub-expressions is lost, so a span that is not finite is not a break.
"""

from __future__ import annotations

import math

import sympy as sp
from flint import arb

from verifier.analysis.arb.ball_program import combine_truths, integer_power
from verifier.analysis.floats.images import (EVEN, INF, MODERATE, MONOTONE, PERIODIC,
                                            TRANSCENDENTAL_ULPS, Monotone, Real, Rounding,
                                            Span, exact_product, exact_sum, highest, lowest,
                                            monotone_bound)
from verifier.analysis.floats.program import COMPARISONS, DTYPES, FloatWalk, dtype_constant
from verifier.analysis.undecided import Undecided



_ANYTHING = Span(-INF, INF, True)


def span_of(expr: sp.Expr, x: sp.Symbol, lo: float, hi: float, dtype: str) -> Span:
    """The Span of expr evaluated in `dtype` at every float input in [lo, hi]."""
    return _SpanWalk(x, lo, hi, DTYPES[dtype]).value(expr)


def _quotient(p: float, q: float) -> Real:
    """p/q exactly, for a divisor q of one sign (never 0); an infinity is not divided by one."""
    if math.isinf(q):
        return arb(0)
    if math.isinf(p):
        return p if q > 0 else -p
    return arb(p) / arb(q)


class _SpanWalk(FloatWalk[Span]):
    def __init__(self, x: sp.Symbol, lo: float, hi: float, dtype: type) -> None:
        super().__init__(x)
        self.dtype = dtype
        self.box = Span(lo, hi)
        self.rounding = Rounding(dtype)

    def variable(self) -> Span:
        return self.box

    def constant(self, number: sp.Expr) -> Span:
        value = dtype_constant(number, self.dtype)
        return Span(value, value, math.isnan(value))

    def add(self, a: Span, b: Span) -> Span:
        if a.nan or b.nan or (a.hi == INF and b.lo == -INF) or (a.lo == -INF and b.hi == INF):
            return _ANYTHING
        return self.rounding.span(exact_sum(a.lo, b.lo), exact_sum(a.hi, b.hi), 1)

    def mul(self, a: Span, b: Span) -> Span:
        if a.nan or b.nan or (a.has_zero() and b.has_infinity()) or (
                b.has_zero() and a.has_infinity()):
            return _ANYTHING
        products = [exact_product(p, q) for p in (a.lo, a.hi) for q in (b.lo, b.hi)]
        return self.rounding.span(lowest(products), highest(products), 1)

    def reciprocal(self, a: Span) -> Span:
        if a.nan:
            return _ANYTHING
        if a.has_zero():
            return Span(-INF, INF)
        ends = [0.0 if math.isinf(v) else 1 / arb(v) for v in (a.lo, a.hi)]
        return self.rounding.span(lowest(ends), highest(ends), 1)

    def divide(self, a: Span, b: Span) -> Span:
        if a.nan or b.nan or (a.has_infinity() and b.has_infinity()) or (
                a.has_zero() and b.has_zero()):
            return _ANYTHING   # inf/inf and 0/0 are NaN
        if b.has_zero():
            return Span(-INF, INF)
        quotients = [_quotient(p, q) for p in (a.lo, a.hi) for q in (b.lo, b.hi)]
        return self.rounding.span(lowest(quotients), highest(quotients), 1)

    def integer_power(self, a: Span, n: int) -> Span:
        if a.nan:
            return _ANYTHING
        if n < 0 and a.has_zero():
            return Span(-INF, INF)
        ends = [self._power_at(v, n) for v in (a.lo, a.hi)]
        low = arb(0) if n % 2 == 0 and a.lo < 0 < a.hi else lowest(ends)
        return self.rounding.span(low, highest(ends), TRANSCENDENTAL_ULPS)

    @staticmethod
    def _power_at(v: float, n: int) -> Real:
        if math.isinf(v):
            return 0.0 if n < 0 else (INF if v > 0 or n % 2 == 0 else -INF)
        value = integer_power(arb(v), abs(n))
        return 1 / value if n < 0 else value

    def power(self, a: Span, b: Span) -> Span:
        if a.nan or b.nan or b.lo != b.hi or math.isinf(b.lo):
            raise Undecided("a power with a non-constant exponent is not enclosed")
        c = b.lo
        if a.lo < 0:
            return _ANYTHING   # numpy: a negative base to a non-integer power is NaN
        if c < 0 and a.lo == 0:
            return Span(-INF, INF)

        def at(v: float) -> Real:
            if math.isinf(v):
                return INF if c > 0 else 0.0
            return arb(0) if v == 0 else arb(v) ** arb(c)
        ends = [at(a.lo), at(a.hi)]
        return self.rounding.span(lowest(ends), highest(ends), TRANSCENDENTAL_ULPS)

    def unary(self, name: str, a: Span) -> Span:
        if a.nan:
            return _ANYTHING
        if name in MONOTONE:
            return self._monotone(MONOTONE[name], a)
        if name == "sign":
            return Span(-1.0 if a.lo < 0 else (0.0 if a.lo == 0 else 1.0),
                        1.0 if a.hi > 0 else (0.0 if a.hi == 0 else -1.0))
        if name in EVEN:
            magnitudes = [abs(a.lo), abs(a.hi)]
            smallest = 0.0 if a.has_zero() else min(magnitudes)
            ulps = 0 if name == "abs" else TRANSCENDENTAL_ULPS
            return self.rounding.span(self._even_at(name, smallest, True),
                                      self._even_at(name, max(magnitudes), False), ulps)
        if a.has_infinity():
            return _ANYTHING   # sin(inf) is NaN
        ball = arb(a.lo).union(arb(a.hi))
        image = PERIODIC[name](ball)
        if not image.is_finite():
            return Span(-INF, INF)
        return self.rounding.span(image, image, TRANSCENDENTAL_ULPS)

    @staticmethod
    def _even_at(name: str, magnitude: float, lower: bool) -> Real:
        """A lower (or upper) bound of the even function at a magnitude (both increase)."""
        if math.isinf(magnitude):
            return INF
        image = EVEN[name](arb(magnitude))
        if image.is_finite():
            return image
        return EVEN[name](arb(MODERATE)) if lower else INF

    def _monotone(self, function: Monotone, a: Span) -> Span:
        nan = a.lo < function.starts_at
        lo, hi = max(a.lo, function.starts_at), a.hi
        if lo > hi:
            return _ANYTHING   # NaN at every input
        if not function.increasing:
            lo, hi = hi, lo
        return self.rounding.span(monotone_bound(function, lo, True),
                                  monotone_bound(function, hi, False), function.ulps, nan)

    def maximum(self, a: Span, b: Span) -> Span:
        return Span(max(a.lo, b.lo), max(a.hi, b.hi), a.nan or b.nan)

    def minimum(self, a: Span, b: Span) -> Span:
        return Span(min(a.lo, b.lo), min(a.hi, b.hi), a.nan or b.nan)

    def heaviside(self, a: Span, at_zero: sp.Expr) -> Span:
        values = ([0.0] if a.lo < 0 else []) + ([1.0] if a.hi > 0 else []) + (
            [dtype_constant(at_zero, self.dtype)] if a.has_zero() or a.nan else [])
        return Span(min(values), max(values))

    def piecewise(self, expr: sp.Piecewise) -> Span:
        result: Span | None = None
        for branch, condition in expr.args:
            truth = self.truth(condition)
            if truth is False:
                continue
            value = self.value(branch)
            result = value if result is None else result.union(value)
            if truth is True:
                return result
        return _ANYTHING if result is None else result.union(Span(result.lo, result.hi, True))

    def truth(self, condition: sp.Basic) -> bool | None:
        """True / False when the condition holds at every / no input of the box."""
        if condition in (sp.true, True):
            return True
        if condition in (sp.false, False):
            return False
        if isinstance(condition, (sp.And, sp.Or)):
            return combine_truths(condition, [self.truth(c) for c in condition.args])
        if type(condition) not in COMPARISONS:
            raise Undecided(f"no float evaluation of the condition {condition}")
        a, b = self.value(condition.lhs), self.value(condition.rhs)
        if a.nan or b.nan:
            return None
        return _compare(type(condition), a, b)


def _compare(relation: type, a: Span, b: Span) -> bool | None:
    if relation in (sp.Gt, sp.Ge):
        relation, a, b = (sp.Lt if relation is sp.Gt else sp.Le), b, a
    if relation is sp.Lt:
        return True if a.hi < b.lo else (False if a.lo >= b.hi else None)
    if relation is sp.Le:
        return True if a.hi <= b.lo else (False if a.lo > b.hi else None)
    equal = a.lo == a.hi == b.lo == b.hi
    apart = a.hi < b.lo or b.hi < a.lo
    decided = True if equal else (False if apart else None)
    if relation is sp.Ne and decided is not None:
        return not decided
    return decided
