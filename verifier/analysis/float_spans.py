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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import sympy as sp
from flint import arb

from verifier.analysis.certified import (PRECISION_LADDER, combine_truths, integer_power,
                                         working_precision)
from verifier.analysis.floats import COMPARISONS, DTYPES, FloatWalk, dtype_constant
from verifier.analysis.undecided import Undecided

TRANSCENDENTAL_ULPS = 16
_MODERATE = 2.0 ** 20   # arb evaluates exp/tanh/erf at arguments of this size
INF = math.inf
Real = arb | float   # a true value: an arb ball, or a float for +-inf and exact zeros


@dataclass(frozen=True)
class Span:
    lo: float
    hi: float
    nan: bool = False

    def finite(self) -> bool:
        return not self.nan and -INF < self.lo and self.hi < INF

    def has_zero(self) -> bool:
        return self.lo <= 0 <= self.hi

    def has_infinity(self) -> bool:
        return self.lo == -INF or self.hi == INF

    def union(self, other: Span) -> Span:
        return Span(min(self.lo, other.lo), max(self.hi, other.hi), self.nan or other.nan)


_ANYTHING = Span(-INF, INF, True)


def span_of(expr: sp.Expr, x: sp.Symbol, lo: float, hi: float, dtype: str) -> Span:
    """The Span of expr evaluated in `dtype` at every float input in [lo, hi]."""
    return _SpanWalk(x, lo, hi, DTYPES[dtype]).value(expr)


def _lower(v: Real) -> Real:
    if isinstance(v, float):
        return v if math.isinf(v) else arb(v)
    return v.lower()


def _upper(v: Real) -> Real:
    if isinstance(v, float):
        return v if math.isinf(v) else arb(v)
    return v.upper()


def _lowest(values: Iterable[Real]) -> Real:
    finite = [_lower(v) for v in values]
    if -INF in finite:
        return -INF
    balls = [v for v in finite if not isinstance(v, float)]
    return INF if not balls else _fold_arb(balls, arb.min)


def _highest(values: Iterable[Real]) -> Real:
    finite = [_upper(v) for v in values]
    if INF in finite:
        return INF
    balls = [v for v in finite if not isinstance(v, float)]
    return -INF if not balls else _fold_arb(balls, arb.max)


def _fold_arb(balls: list[arb], pick: Callable[[arb, arb], arb]) -> arb:
    result = balls[0]
    for ball in balls[1:]:
        result = pick(result, ball)
    return result


class _Rounding:
    """The dtype's rounding: a true value t becomes t(1 + d) + s, |d| <= ulps*eps,
    |s| <= ulps*(smallest subnormal), with the sign of t kept and overflow to inf."""

    def __init__(self, dtype: type) -> None:
        info = np.finfo(dtype)
        self.eps, self.max = arb(float(info.eps)), arb(float(info.max))
        self.subnormal = arb(float(info.smallest_subnormal))

    def span(self, lo: Real, hi: Real, ulps: int, nan: bool = False) -> Span:
        return Span(self.down(lo, ulps), self.up(hi, ulps), nan)

    def down(self, t: Real, ulps: int) -> float:
        if isinstance(t, float) and math.isinf(t):
            return t
        t = _lower(t)
        w = (t - abs(t) * self.eps * ulps - self.subnormal * ulps).lower()
        if w > self.max:
            return INF   # every computed value is above the largest float
        if not w >= -self.max:
            return -INF
        v = float(w)
        if arb(v) > w:
            v = math.nextafter(v, -INF)
        return max(v, 0.0) if t >= 0 else v

    def up(self, t: Real, ulps: int) -> float:
        if isinstance(t, float) and math.isinf(t):
            return t
        t = _upper(t)
        w = (t + abs(t) * self.eps * ulps + self.subnormal * ulps).upper()
        if w < -self.max:
            return -INF
        if not w <= self.max:
            return INF
        v = float(w)
        if arb(v) < w:
            v = math.nextafter(v, INF)
        return min(v, 0.0) if t <= 0 else v


def _sum(a: float, b: float) -> Real:
    return a + b if math.isinf(a) or math.isinf(b) else arb(a) + arb(b)


def _product(a: float, b: float) -> Real:
    return a * b if math.isinf(a) or math.isinf(b) else arb(a) * arb(b)


@dataclass(frozen=True)
class _Monotone:
    """An increasing (or decreasing) function with its limits at -oo and +oo and the least
    argument it is real at (below it numpy returns NaN)."""

    image: Callable[[arb], arb]
    at_minus_infinity: float | Callable[[], arb]
    at_plus_infinity: float | Callable[[], arb]
    increasing: bool = True
    starts_at: float = -INF
    at_start: float | None = None   # the value at starts_at when the image has a pole there
    ulps: int = TRANSCENDENTAL_ULPS


def _sigmoid(u: arb) -> arb:
    return 1 / (1 + (-u).exp())


def _softplus(u: arb) -> arb:
    return u + (-u).exp().log1p() if u > 0 else u.exp().log1p()


_MONOTONE: dict[str, _Monotone] = {
    "exp": _Monotone(arb.exp, 0.0, INF),
    "log": _Monotone(arb.log, -INF, INF, starts_at=0.0, at_start=-INF),
    "sqrt": _Monotone(arb.sqrt, -INF, INF, starts_at=0.0, ulps=1),
    "tanh": _Monotone(arb.tanh, lambda: arb(-1), lambda: arb(1)),
    "atan": _Monotone(arb.atan, lambda: -arb.pi() / 2, lambda: arb.pi() / 2),
    "asinh": _Monotone(arb.asinh, -INF, INF),
    "sinh": _Monotone(arb.sinh, -INF, INF),
    "erf": _Monotone(arb.erf, lambda: arb(-1), lambda: arb(1)),
    "erfc": _Monotone(arb.erfc, lambda: arb(2), 0.0, increasing=False),
    "sigmoid": _Monotone(_sigmoid, 0.0, lambda: arb(1)),
    "softplus": _Monotone(_softplus, 0.0, INF),
    "Phi": _Monotone(lambda u: (-u / arb(2).sqrt()).erfc() / 2, 0.0, lambda: arb(1)),
    "floor": _Monotone(arb.floor, -INF, INF, ulps=0),
    "ceiling": _Monotone(arb.ceil, -INF, INF, ulps=0),
}
_EVEN: dict[str, Callable[[arb], arb]] = {"abs": abs, "cosh": arb.cosh}
_PERIODIC: dict[str, Callable[[arb], arb]] = {"sin": arb.sin, "cos": arb.cos, "tan": arb.tan}


def _monotone_bound(function: _Monotone, v: float, lower: bool) -> Real:
    """A lower (or upper) bound of function(v). Where arb cannot evaluate a huge argument
    (exp(1e300)), the value at a moderate argument toward 0 or the limit at infinity bounds it,
    whichever lies on the needed side."""
    if v == -INF or v == INF:
        return _limit(function.at_minus_infinity if v < 0 else function.at_plus_infinity)
    if v == function.starts_at and function.at_start is not None:
        return function.at_start
    image = _at_high_precision(function.image, v)
    if image.is_finite():
        return image
    if abs(v) <= _MODERATE:
        raise Undecided(f"no enclosure of a function at {v!r}")
    if ((v > 0) == function.increasing) == lower:
        return function.image(arb(math.copysign(_MODERATE, v)))
    return _limit(function.at_plus_infinity if v > 0 else function.at_minus_infinity)


def _at_high_precision(image: Callable[[arb], arb], v: float) -> arb:
    """image(v), retried at the top of the precision ladder when the default cannot hold it
    (exp(1e77) needs 300 bits of argument reduction)."""
    value = image(arb(v))
    if value.is_finite():
        return value
    with working_precision(PRECISION_LADDER[-1]):
        return image(arb(v))


def _limit(limit: float | Callable[[], arb]) -> Real:
    return limit if isinstance(limit, float) else limit()


class _SpanWalk(FloatWalk[Span]):
    def __init__(self, x: sp.Symbol, lo: float, hi: float, dtype: type) -> None:
        super().__init__(x)
        self.dtype = dtype
        self.box = Span(lo, hi)
        self.rounding = _Rounding(dtype)

    def variable(self) -> Span:
        return self.box

    def constant(self, number: sp.Expr) -> Span:
        value = dtype_constant(number, self.dtype)
        return Span(value, value, math.isnan(value))

    def add(self, a: Span, b: Span) -> Span:
        if a.nan or b.nan or (a.hi == INF and b.lo == -INF) or (a.lo == -INF and b.hi == INF):
            return _ANYTHING
        return self.rounding.span(_sum(a.lo, b.lo), _sum(a.hi, b.hi), 1)

    def mul(self, a: Span, b: Span) -> Span:
        if a.nan or b.nan or (a.has_zero() and b.has_infinity()) or (
                b.has_zero() and a.has_infinity()):
            return _ANYTHING
        products = [_product(p, q) for p in (a.lo, a.hi) for q in (b.lo, b.hi)]
        return self.rounding.span(_lowest(products), _highest(products), 1)

    def reciprocal(self, a: Span) -> Span:
        if a.nan:
            return _ANYTHING
        if a.has_zero():
            return Span(-INF, INF)
        ends = [0.0 if math.isinf(v) else 1 / arb(v) for v in (a.lo, a.hi)]
        return self.rounding.span(_lowest(ends), _highest(ends), 1)

    def integer_power(self, a: Span, n: int) -> Span:
        if a.nan:
            return _ANYTHING
        if n < 0 and a.has_zero():
            return Span(-INF, INF)
        ends = [self._power_at(v, n) for v in (a.lo, a.hi)]
        low = arb(0) if n % 2 == 0 and a.lo < 0 < a.hi else _lowest(ends)
        return self.rounding.span(low, _highest(ends), TRANSCENDENTAL_ULPS)

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
        return self.rounding.span(_lowest(ends), _highest(ends), TRANSCENDENTAL_ULPS)

    def unary(self, name: str, a: Span) -> Span:
        if a.nan:
            return _ANYTHING
        if name in _MONOTONE:
            return self._monotone(_MONOTONE[name], a)
        if name == "sign":
            return Span(-1.0 if a.lo < 0 else (0.0 if a.lo == 0 else 1.0),
                        1.0 if a.hi > 0 else (0.0 if a.hi == 0 else -1.0))
        if name in _EVEN:
            magnitudes = [abs(a.lo), abs(a.hi)]
            smallest = 0.0 if a.has_zero() else min(magnitudes)
            ulps = 0 if name == "abs" else TRANSCENDENTAL_ULPS
            return self.rounding.span(self._even_at(name, smallest, True),
                                      self._even_at(name, max(magnitudes), False), ulps)
        if a.has_infinity():
            return _ANYTHING   # sin(inf) is NaN
        ball = arb(a.lo).union(arb(a.hi))
        image = _PERIODIC[name](ball)
        if not image.is_finite():
            return Span(-INF, INF)
        return self.rounding.span(image, image, TRANSCENDENTAL_ULPS)

    @staticmethod
    def _even_at(name: str, magnitude: float, lower: bool) -> Real:
        """A lower (or upper) bound of the even function at a magnitude (both increase)."""
        if math.isinf(magnitude):
            return INF
        image = _EVEN[name](arb(magnitude))
        if image.is_finite():
            return image
        return _EVEN[name](arb(_MODERATE)) if lower else INF

    def _monotone(self, function: _Monotone, a: Span) -> Span:
        nan = a.lo < function.starts_at
        lo, hi = max(a.lo, function.starts_at), a.hi
        if lo > hi:
            return _ANYTHING   # NaN at every input
        if not function.increasing:
            lo, hi = hi, lo
        return self.rounding.span(_monotone_bound(function, lo, True),
                                  _monotone_bound(function, hi, False), function.ulps, nan)

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
