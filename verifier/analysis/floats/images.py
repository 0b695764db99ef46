"""The images of the float operations over intervals, for the span enclosures (floats.spans):
true values enclosed with arb (exact endpoints, outward rounding), then widened by the dtype's
rounding model (`Rounding`), and the table of monotone, even and periodic functions with their
limits at the infinities.

What it assumes: libm functions within TRANSCENDENTAL_ULPS ulps and sign-correct; + - * / and
sqrt correctly rounded. What it does not give: tight images of non-monotone compositions (the
caller composes them node by node).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from flint import arb

from verifier.analysis.arb.certified import PRECISION_LADDER, working_precision
from verifier.analysis.undecided import Undecided

TRANSCENDENTAL_ULPS = 16
MODERATE = 2.0 ** 20   # arb evaluates exp/tanh/erf at arguments of this size
INF = math.inf
Real = arb | float   # a true value: an arb ball, or a float for +-inf and exact zeros


@dataclass(frozen=True)
class Span:
    """Every float the computation can give is NaN (only if `nan`) or in [lo, hi]."""

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


def lower_end(v: Real) -> Real:
    if isinstance(v, float):
        return v if math.isinf(v) else arb(v)
    return v.lower()


def upper_end(v: Real) -> Real:
    if isinstance(v, float):
        return v if math.isinf(v) else arb(v)
    return v.upper()


def lowest(values: Iterable[Real]) -> Real:
    finite = [lower_end(v) for v in values]
    if -INF in finite:
        return -INF
    balls = [v for v in finite if not isinstance(v, float)]
    return INF if not balls else _fold_arb(balls, arb.min)


def highest(values: Iterable[Real]) -> Real:
    finite = [upper_end(v) for v in values]
    if INF in finite:
        return INF
    balls = [v for v in finite if not isinstance(v, float)]
    return -INF if not balls else _fold_arb(balls, arb.max)


def _fold_arb(balls: list[arb], pick: Callable[[arb, arb], arb]) -> arb:
    result = balls[0]
    for ball in balls[1:]:
        result = pick(result, ball)
    return result


class Rounding:
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
        t = lower_end(t)
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
        t = upper_end(t)
        w = (t + abs(t) * self.eps * ulps + self.subnormal * ulps).upper()
        if w < -self.max:
            return -INF
        if not w <= self.max:
            return INF
        v = float(w)
        if arb(v) < w:
            v = math.nextafter(v, INF)
        return min(v, 0.0) if t <= 0 else v


def exact_sum(a: float, b: float) -> Real:
    return a + b if math.isinf(a) or math.isinf(b) else arb(a) + arb(b)


def exact_product(a: float, b: float) -> Real:
    return a * b if math.isinf(a) or math.isinf(b) else arb(a) * arb(b)


@dataclass(frozen=True)
class Monotone:
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


MONOTONE: dict[str, Monotone] = {
    "exp": Monotone(arb.exp, 0.0, INF),
    "log": Monotone(arb.log, -INF, INF, starts_at=0.0, at_start=-INF),
    "sqrt": Monotone(arb.sqrt, -INF, INF, starts_at=0.0, ulps=1),
    "tanh": Monotone(arb.tanh, lambda: arb(-1), lambda: arb(1)),
    "atan": Monotone(arb.atan, lambda: -arb.pi() / 2, lambda: arb.pi() / 2),
    "asinh": Monotone(arb.asinh, -INF, INF),
    "sinh": Monotone(arb.sinh, -INF, INF),
    "erf": Monotone(arb.erf, lambda: arb(-1), lambda: arb(1)),
    "erfc": Monotone(arb.erfc, lambda: arb(2), 0.0, increasing=False),
    "sigmoid": Monotone(_sigmoid, 0.0, lambda: arb(1)),
    "softplus": Monotone(_softplus, 0.0, INF),
    "Phi": Monotone(lambda u: (-u / arb(2).sqrt()).erfc() / 2, 0.0, lambda: arb(1)),
    "log1p": Monotone(arb.log1p, -INF, INF, starts_at=-1.0, at_start=-INF),
    "expm1": Monotone(arb.expm1, -1.0, INF),
    "floor": Monotone(arb.floor, -INF, INF, ulps=0),
    "ceiling": Monotone(arb.ceil, -INF, INF, ulps=0),
}
EVEN: dict[str, Callable[[arb], arb]] = {"abs": abs, "cosh": arb.cosh}
PERIODIC: dict[str, Callable[[arb], arb]] = {"sin": arb.sin, "cos": arb.cos, "tan": arb.tan}


def monotone_bound(function: Monotone, v: float, lower: bool) -> Real:
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
    if abs(v) <= MODERATE:
        raise Undecided(f"no enclosure of a function at {v!r}")
    if ((v > 0) == function.increasing) == lower:
        return function.image(arb(math.copysign(MODERATE, v)))
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
