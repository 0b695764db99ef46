"""Certified interval evaluation with endpoints (not midpoint-radius balls).

An arb ball cannot hold [e**2048, e**4096]: its radius swamps the lower end, the ball contains
0, and 1/(1 + e**x) over that box blows up. Here an interval is a pair (low, high) of arb balls
enclosing its two ends; monotone functions map ends to ends, products take the extreme of the
four end products, and a quotient needs a denominator of certified sign. Everything else
(sin, cos, Abs, Piecewise, ...) falls back to ball evaluation on the hull, so the result is
always a rigorous enclosure. `bounds` returns arb balls for the lower and upper end.

Raises Undecided like verifier.analysis.arb.certified.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp
from flint import arb, ctx

from verifier.analysis.arb.ball_program import UNARY, ball_program, integer_power
from verifier.analysis.arb.certified import PRECISION_BITS, enclose
from verifier.analysis.arb.quotients import T as QUOTIENT_T
from verifier.analysis.arb.quotients import vanishing_quotient
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo
from verifier.vocabulary import expm1, sigmoid, softplus

Interval = tuple[arb, arb]

_INCREASING: dict[type, Callable[[arb], arb]] = {
    sp.exp: arb.exp, sp.atan: arb.atan, sp.asinh: arb.asinh, sp.erf: arb.erf,
    sp.tanh: arb.tanh, sp.sinh: arb.sinh,
    **{shorthand: UNARY[shorthand] for shorthand in (sigmoid, softplus, expm1)},
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
        return _program(expr, x)(lo, hi)
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


EndsProgram = Callable[[arb, arb], Interval]


@memo(2048)
def _program(expr: sp.Expr, x: sp.Symbol) -> EndsProgram:
    """expr as a function of the ends of an interval of x (compiled once: see ball_program)."""
    return _Compiler(x).compile(expr)


class _Compiler:
    def __init__(self, x: sp.Symbol) -> None:
        self.x = x

    def compile(self, expr: sp.Basic) -> EndsProgram:
        x = self.x
        if expr == x:
            return lambda lo, hi: (lo, hi)
        if not expr.has(x):
            value = ball_program(expr, x)

            def constant(lo: arb, hi: arb) -> Interval:
                ball = value(lo)
                if not ball.is_finite():
                    raise Undecided("the enclosure is not finite")
                return ball, ball
            return constant
        if isinstance(expr, sp.Add):
            return self.sum([self.compile(a) for a in expr.args])
        if isinstance(expr, sp.Mul):
            return self.product(expr)
        if isinstance(expr, sp.Pow) and expr.exp.is_Integer:
            return self.power(self.compile(expr.base), int(expr.exp))
        function = _INCREASING.get(type(expr))
        if function is not None:
            inner = self.compile(expr.args[0])

            def increasing(lo: arb, hi: arb) -> Interval:
                low, high = inner(lo, hi)
                return _lower_end(function, low), function(arb(high.upper()))
            return increasing
        if isinstance(expr, sp.log):
            return self.logarithm(expr.args[0])
        if isinstance(expr, sp.erfc):
            inner = self.compile(expr.args[0])

            def decreasing(lo: arb, hi: arb) -> Interval:
                low, high = inner(lo, hi)
                return high.erfc(), low.erfc()
            return decreasing
        if isinstance(expr, (sp.cosh, sp.sech)):
            return self.even(expr)
        if isinstance(expr, sp.Pow) and expr.exp == sp.Rational(1, 2):
            return self.root(self.compile(expr.base))
        return self.by_ball(expr)

    @staticmethod
    def sum(terms: list[EndsProgram]) -> EndsProgram:
        def run(lo: arb, hi: arb) -> Interval:
            low, high = terms[0](lo, hi)
            for term in terms[1:]:
                term_low, term_high = term(lo, hi)
                low, high = low + term_low, high + term_high
            return low, high
        return run

    def product(self, expr: sp.Mul) -> EndsProgram:
        factors = [self.compile(a) for a in expr.args]
        quotient = vanishing_quotient(expr, self.x)
        t_of = None if quotient is None else self.compile(sp.exp(quotient.w))

        def run(lo: arb, hi: arb) -> Interval:
            if t_of is not None:   # phi(t)/t = phi'(xi), xi in [0, t]
                _, t_high = t_of(lo, hi)
                if t_high < 1:
                    ball = enclose(quotient.slope, QUOTIENT_T, arb(0).union(t_high), ctx.prec)
                    return ball.lower(), ball.upper()
            result = factors[0](lo, hi)
            for factor in factors[1:]:
                result = _product(result, factor(lo, hi))
            return result
        return run

    def logarithm(self, argument: sp.Expr) -> EndsProgram:
        if isinstance(argument, sp.Add) and sp.Integer(1) in argument.args:
            inner = self.compile(argument - 1)   # log(1 + v) = log1p(v), increasing

            def log1p(lo: arb, hi: arb) -> Interval:
                low, high = inner(lo, hi)
                if not low > -1:
                    raise Undecided("log1p of an interval not certainly above -1")
                return low.log1p(), high.log1p()
            return log1p
        inner = self.compile(argument)

        def log(lo: arb, hi: arb) -> Interval:
            low, high = inner(lo, hi)
            if not low > 0:
                raise Undecided("log of an interval not certainly positive")
            return low.log(), high.log()
        return log

    def even(self, expr: sp.cosh | sp.sech) -> EndsProgram:
        """cosh (and sech = 1/cosh) from |argument|'s ends: cosh increases on [0, oo)."""
        inner, is_cosh = self.compile(expr.args[0]), isinstance(expr, sp.cosh)

        def run(lo: arb, hi: arb) -> Interval:
            low, high = inner(lo, hi)
            if not (low >= 0 or high <= 0):
                low, high = arb(0), arb.max(-low, high)
            elif high <= 0:
                low, high = -high, -low
            if is_cosh:
                return low.cosh(), high.cosh()
            return high.sech(), low.sech()
        return run

    @staticmethod
    def root(inner: EndsProgram) -> EndsProgram:
        def run(lo: arb, hi: arb) -> Interval:
            low, high = inner(lo, hi)
            if not low >= 0:
                raise Undecided("sqrt of an interval not certainly nonnegative")
            return low.sqrt(), high.sqrt()
        return run

    @staticmethod
    def power(inner: EndsProgram, n: int) -> EndsProgram:
        def run(lo: arb, hi: arb) -> Interval:
            low, high = inner(lo, hi)
            m = n
            if m < 0:
                if not (low > 0 or high < 0):
                    raise Undecided("reciprocal of an interval that may contain 0")
                low, high = _reciprocal(high), _reciprocal(low)
                m = -m
            if m == 1:
                return low, high
            if m % 2 == 1 or low > 0:
                return integer_power(low, m), integer_power(high, m)
            if high < 0:
                return integer_power(high, m), integer_power(low, m)
            return arb(0), arb.max(integer_power(low, m), integer_power(high, m))
        return run

    def by_ball(self, expr: sp.Basic) -> EndsProgram:
        x = self.x

        def run(lo: arb, hi: arb) -> Interval:
            ball = enclose(expr, x, lo.union(hi), ctx.prec)
            return ball.lower(), ball.upper()
        return run


# arb's exp overflows to [+/- inf] for arguments past about 1e76; exp(2**20) is finite
_OVERFLOW_FREE = arb(2) ** 20


def _lower_end(increasing: Callable[[arb], arb], low: arb) -> arb:
    """A ball below increasing(t) for every t of the interval whose lower end is in `low`:
    the function at the exact point low.lower() (a ball argument as wide as 1e111 would
    widen the result past 0), or at 2**20 when that overflows (exp(1e150) is [+/- inf] in
    arb; any point below the end gives a lower bound, and exp(2**20) keeps 1/(1 + exp(v))
    finite)."""
    point = arb(low.lower())
    value = increasing(point)
    if not value.is_finite() and point > _OVERFLOW_FREE:
        value = increasing(_OVERFLOW_FREE)
    return value


def _reciprocal(end: arb) -> arb:
    """1/end for an end of an interval of one certain sign; an infinite end (exp past arb's
    range) gives 0, which bounds 1/t on that side for every t of the interval."""
    return arb(1) / end if end.is_finite() else arb(0)


def _product(a: Interval, b: Interval) -> Interval:
    """The ends of the product of two intervals: by sign cases when both signs are certain,
    else the extremes of the four end products."""
    (a0, a1), (b0, b1) = a, b
    if a0 >= 0 and b0 >= 0:
        return a0 * b0, a1 * b1
    if a1 <= 0 and b1 <= 0:
        return a1 * b1, a0 * b0
    corners = [a0 * b0, a0 * b1, a1 * b0, a1 * b1]
    low, high = corners[0], corners[0]
    for corner in corners[1:]:
        low, high = arb.min(low, corner), arb.max(high, corner)
    return low, high
