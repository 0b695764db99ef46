"""Certified interval evaluation with endpoints (not midpoint-radius balls).

An arb ball cannot hold [e**2048, e**4096]: its radius swamps the lower end, the ball contains
0, and 1/(1 + e**x) over that box blows up. Here an interval is a pair (low, high) of arb balls
enclosing its two ends; monotone functions map ends to ends, products take the extreme of the
four end products, and a quotient needs a denominator of certified sign. Everything else
(sin, cos, Abs, Piecewise, ...) falls back to ball evaluation on the hull, so the result is
always a rigorous enclosure. `bounds` returns arb balls for the lower and upper end.

Raises Undecided like verifier.analysis.certified.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp
from flint import arb, ctx

from verifier.analysis.certified import PRECISION_BITS, enclose, integer_power
from verifier.analysis.quotients import T as QUOTIENT_T
from verifier.analysis.quotients import vanishing_quotient
from verifier.analysis.undecided import Undecided

Interval = tuple[arb, arb]

_INCREASING: dict[type, Callable[[arb], arb]] = {
    sp.exp: arb.exp, sp.atan: arb.atan, sp.asinh: arb.asinh, sp.erf: arb.erf,
    sp.tanh: arb.tanh, sp.sinh: arb.sinh,
}


def bounds(expr: sp.Expr, x: sp.Symbol, lo: arb, hi: arb,
           precision: int = PRECISION_BITS) -> Interval:
    """Balls enclosing the lower and the upper end of expr's image of [lo, hi]."""
    low, high = _ends(expr, x, lo, hi, precision)
    if not (low.is_finite() and high.is_finite()):
        raise Undecided("the endpoint enclosure is not finite")
    return low, high


def half_line_sign(expr: sp.Expr, x: sp.Symbol, lo: arb, hi: arb) -> int:
    """+1 / -1 if expr is certainly positive / negative on [lo, hi], where one end may be
    infinite (arb's -inf or +inf: the half-line beyond the float range). Monotone functions
    take their limits there, so the ends still enclose every value; an end that is infinite
    or NaN in the result simply cannot certify that side. 0 if not decided."""
    for precision in (PRECISION_BITS, 1280):   # exp(-1.8e308) needs ~1030 bits of exponent
        try:
            low, high = _ends(expr, x, lo, hi, precision)
        except Undecided:
            continue
        if not low.is_nan() and low > 0:
            return 1
        if not high.is_nan() and high < 0:
            return -1
    return 0


def _ends(expr: sp.Expr, x: sp.Symbol, lo: arb, hi: arb, precision: int) -> Interval:
    saved = ctx.prec
    ctx.prec = precision
    try:
        return _Endpoints(x, lo, hi, precision).value(expr)
    finally:
        ctx.prec = saved


def certain_sign(expr: sp.Expr, x: sp.Symbol, lo: arb, hi: arb, precision: int) -> int:
    """+1 / -1 if expr is certainly positive / negative on [lo, hi], else 0."""
    low, high = bounds(expr, x, lo, hi, precision)
    if low > 0:
        return 1
    if high < 0:
        return -1
    return 0


class _Endpoints:
    def __init__(self, x: sp.Symbol, lo: arb, hi: arb, precision: int) -> None:
        self.x, self.lo, self.hi, self.precision = x, lo, hi, precision

    def value(self, expr: sp.Basic) -> Interval:
        if expr == self.x:
            return self.lo, self.hi
        if not expr.has(self.x):
            ball = enclose(expr, self.x, self.lo, self.precision)
            return ball, ball
        if isinstance(expr, sp.Add):
            low, high = self.value(expr.args[0])
            for term in expr.args[1:]:
                term_low, term_high = self.value(term)
                low, high = low + term_low, high + term_high
            return low, high
        if isinstance(expr, sp.Mul):
            quotient = vanishing_quotient(expr, self.x)
            if quotient is not None:   # phi(t)/t = phi'(xi), xi in [0, t]
                t_low, t_high = self.value(sp.exp(quotient.w))
                if t_high < 1:
                    ball = enclose(quotient.slope, QUOTIENT_T, arb(0).union(t_high),
                                   self.precision)
                    return ball.lower(), ball.upper()
            result = self.value(expr.args[0])
            for factor in expr.args[1:]:
                result = _product(result, self.value(factor))
            return result
        if isinstance(expr, sp.Pow) and expr.exp.is_Integer:
            return self.power(self.value(expr.base), int(expr.exp))
        function = _INCREASING.get(type(expr))
        if function is not None:
            low, high = self.value(expr.args[0])
            return function(low), function(high)
        if isinstance(expr, sp.log):
            return self.logarithm(expr.args[0])
        if isinstance(expr, sp.erfc):
            low, high = self.value(expr.args[0])
            return high.erfc(), low.erfc()
        if isinstance(expr, (sp.cosh, sp.sech)):
            return self.even(expr)
        if isinstance(expr, sp.Pow) and expr.exp == sp.Rational(1, 2):
            low, high = self.value(expr.base)
            if not low >= 0:
                raise Undecided("sqrt of an interval not certainly nonnegative")
            return low.sqrt(), high.sqrt()
        return self.by_ball(expr)

    def logarithm(self, argument: sp.Expr) -> Interval:
        if isinstance(argument, sp.Add) and sp.Integer(1) in argument.args:
            low, high = self.value(argument - 1)   # log(1 + v) = log1p(v), increasing
            if not low > -1:
                raise Undecided("log1p of an interval not certainly above -1")
            return low.log1p(), high.log1p()
        low, high = self.value(argument)
        if not low > 0:
            raise Undecided("log of an interval not certainly positive")
        return low.log(), high.log()

    def even(self, expr: sp.cosh | sp.sech) -> Interval:
        """cosh (and sech = 1/cosh) from |argument|'s ends: cosh increases on [0, oo)."""
        low, high = self.value(expr.args[0])
        if not (low >= 0 or high <= 0):
            low, high = arb(0), arb.max(-low, high)
        elif high <= 0:
            low, high = -high, -low
        if isinstance(expr, sp.cosh):
            return low.cosh(), high.cosh()
        return high.sech(), low.sech()

    def power(self, base: Interval, n: int) -> Interval:
        low, high = base
        if n < 0:
            if not (low > 0 or high < 0):
                raise Undecided("reciprocal of an interval that may contain 0")
            low, high = arb(1) / high, arb(1) / low
            n = -n
        if n == 1:
            return low, high
        if n % 2 == 1 or low > 0:
            return integer_power(low, n), integer_power(high, n)
        if high < 0:
            return integer_power(high, n), integer_power(low, n)
        return arb(0), arb.max(integer_power(low, n), integer_power(high, n))

    def by_ball(self, expr: sp.Basic) -> Interval:
        ball = enclose(expr, self.x, self.lo.union(self.hi), self.precision)
        return ball.lower(), ball.upper()


def _product(a: Interval, b: Interval) -> Interval:
    corners = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
    low, high = corners[0], corners[0]
    for corner in corners[1:]:
        low, high = arb.min(low, corner), arb.max(high, corner)
    return low, high
