"""The mpmath walks of the cross-check over a sympy tree (FloatWalk dispatch, no generated code).

`MpWalk` computes at the working precision and records what makes its value doubtful: a
branch decided on a tie, a sum that cancelled half its digits, a rounded transcendental
before a tie, a log of the 1 a sum left after rounding a nonzero term away. `ExactWalk`
computes in exact binary arithmetic and refuses any step that would round; `exact` uses it to
settle a point where MpWalk's value is 0, or no real number, after a cancellation. Neither decides anything about a property: verifier.crosscheck.numeric does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import sympy as sp
from mpmath import libmp

from verifier.analysis.floats.program import COMPARISONS, FloatWalk
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo


class NotReal(Exception):
    """The true value is not a finite real number."""


_MP_UNARY: dict[str, Callable[[Any], Any]] = {
    "exp": mpmath.exp, "log": mpmath.log, "sqrt": mpmath.sqrt, "sin": mpmath.sin,
    "cos": mpmath.cos, "tan": mpmath.tan, "tanh": mpmath.tanh, "sinh": mpmath.sinh,
    "cosh": mpmath.cosh, "atan": mpmath.atan, "asinh": mpmath.asinh, "abs": mpmath.fabs,
    "sign": mpmath.sign, "floor": mpmath.floor, "ceiling": mpmath.ceil, "erf": mpmath.erf,
    "erfc": mpmath.erfc, "sigmoid": lambda u: 1 / (1 + mpmath.exp(-u)),
    "softplus": lambda u: mpmath.log1p(mpmath.exp(u)),
    "Phi": lambda u: mpmath.erfc(-u / mpmath.sqrt(2)) / 2,
    "log1p": mpmath.log1p, "expm1": mpmath.expm1,
}


# log2 of the largest argument a transcendental function or a power is given: mpmath works with
# all the argument's integer bits (tanh(exp(1e10)) would need a 1.4e10-bit integer, more
# memory than a worker has); only exp(exp(...)) reaches it from a float input
_ARGUMENT_BITS = 1 << 20


def _within_reach(*arguments: Any) -> None:
    for argument in arguments:
        if argument and mpmath.mag(argument) > _ARGUMENT_BITS:
            raise OverflowError(f"an argument near 2**{mpmath.mag(argument)} is beyond what "
                                f"mpmath evaluates in a worker's memory")


def _real(value: Any) -> Any:
    if isinstance(value, mpmath.mpc) or not mpmath.isfinite(value):
        raise NotReal()
    return value


@memo(4096)
def _constant(number: sp.Expr, digits: int) -> Any | None:
    value = number.evalf(digits + 10)
    if not value.is_real or not value.is_finite:
        return None
    return mpmath.mpf(sp.Float(value, digits + 10)._mpf_)


@memo(64)
def _half_the_digits(digits: int) -> Any:
    return mpmath.mpf(10) ** (-(digits // 2))


class MpWalk(FloatWalk[Any]):
    def __init__(self, x: sp.Symbol, point: Any) -> None:
        super().__init__(x)
        self.point = mpmath.mpf(point)
        self.tied = False   # a branch was decided on a tie, or a sum cancelled every digit
        self.cancelled = False   # a sum lost half its digits or more
        self.branch_tied = False   # a step, sign, max or branch decided exactly at its switch
        self.rounded = False   # a transcendental function or a fractional power was rounded
        self.rounded_tie = False   # ... before a tie: no digit count shows it is genuine
        self.absorbed = False   # a sum rounded a nonzero term away whole: 1 + exp(-1e6) is 1
        self.log_of_absorbed = False   # ... and a log then read that 1: its value is lost
        self.lost = _half_the_digits(mpmath.mp.dps)   # a sum that cancelled half its digits

    def _tie(self, a, b) -> None:
        if a == b:
            self.tied = self.branch_tied = True
            self.rounded_tie = self.rounded_tie or self.rounded

    def variable(self):
        return self.point

    def constant(self, number: sp.Expr):
        value = _constant(number, mpmath.mp.dps)
        if value is None:
            raise NotReal()
        return value

    def add(self, a, b):
        total = a + b
        if a and b:
            if abs(total) <= max(abs(a), abs(b)) * self.lost:
                self.tied = self.cancelled = True   # half the digits cancelled: more needed
            elif total == a or total == b:
                self.absorbed = True
        return total

    def mul(self, a, b):
        return a * b

    def reciprocal(self, a):
        if a == 0:
            raise NotReal()
        return 1 / a

    def divide(self, a, b):
        if b == 0:
            raise NotReal()
        return a / b

    def integer_power(self, a, n):
        if a == 0 and n < 0:
            raise NotReal()
        return a ** n

    def power(self, a, b):
        if a == 0 and b <= 0:
            if b == 0:
                return mpmath.mpf(1)   # 0**0 = 1, as sympy, IEEE pow and the frameworks say
            raise NotReal()
        self.rounded = True
        _within_reach(a, b)
        return _real(a ** b)

    def unary(self, name, a):
        if name in ("log", "sqrt") and a < 0 or name == "log" and a == 0:
            raise NotReal()
        if name in ("sign", "floor", "ceiling", "abs"):
            self._tie(a, mpmath.nint(a) if name != "sign" and name != "abs" else 0)
        else:
            self.rounded = True
            _within_reach(a)
        if name == "log" and a == 1 and self.absorbed:
            # log(1 + exp(-1e6)) is 4.6e-434295, not 0: more digits, or no value at all
            self.tied = self.log_of_absorbed = True
        return _real(_MP_UNARY[name](a))

    def maximum(self, a, b):
        self._tie(a, b)
        return max(a, b)

    def minimum(self, a, b):
        self._tie(a, b)
        return min(a, b)

    def heaviside(self, a, at_zero):
        self._tie(a, 0)
        return mpmath.mpf(1) if a > 0 else (mpmath.mpf(0) if a < 0 else self.constant(at_zero))

    def piecewise(self, expr: sp.Piecewise):
        for branch, condition in expr.args:
            if self.holds(condition):
                return self.value(branch)
        raise NotReal()

    def holds(self, condition: sp.Basic) -> bool:
        if condition in (sp.true, True):
            return True
        if condition in (sp.false, False):
            return False
        if isinstance(condition, sp.And):
            return all(self.holds(c) for c in condition.args)
        if isinstance(condition, sp.Or):
            return any(self.holds(c) for c in condition.args)
        if type(condition) not in COMPARISONS:
            raise Undecided(f"no evaluation of the condition {condition}")
        lhs, rhs = self.value(condition.lhs), self.value(condition.rhs)
        self._tie(lhs, rhs)
        return bool(COMPARISONS[type(condition)](lhs, rhs))


class _Inexact(Exception):
    """A step of the exact walk would round."""


class ExactWalk(MpWalk):
    """The walk in exact binary arithmetic: the input, dyadic constants, sums, products,
    non-negative integer powers, and the steps (sign, abs, floor, ceiling, max, min,
    Heaviside, branches), each computed without rounding; any other step (a quotient, a
    transcendental function, a fractional power, a constant such as 1/3 or pi) raises
    _Inexact. A value it returns is f's true value at the point, not an approximation."""

    _POWERS = 64   # x**n multiplied out exactly up to this n

    def constant(self, number: sp.Expr):
        if isinstance(number, sp.Rational) and number.q & (number.q - 1) == 0:   # dyadic
            return mpmath.mp.make_mpf(libmp.from_man_exp(int(number.p), 1 - int(number.q).bit_length()))
        raise _Inexact()

    def add(self, a, b):
        return mpmath.mp.make_mpf(libmp.mpf_add(a._mpf_, b._mpf_, 0))

    def mul(self, a, b):
        return mpmath.mp.make_mpf(libmp.mpf_mul(a._mpf_, b._mpf_, 0))

    def reciprocal(self, a):
        return self.divide(mpmath.mp.make_mpf(libmp.fone), a)

    def divide(self, a, b):
        super().divide(a, b)   # a quotient by 0 is no real number
        sign, mantissa, exponent, _ = b._mpf_
        if mantissa != 1:      # only a quotient by a power of two is exact
            raise _Inexact()
        return self.mul(a, mpmath.mp.make_mpf(libmp.from_man_exp(-1 if sign else 1,
                                                                  -exponent)))

    def integer_power(self, a, n):
        if n < 0 or n > self._POWERS:
            super().integer_power(a, n)
            raise _Inexact()
        result = mpmath.mp.make_mpf(libmp.fone)
        for _ in range(n):
            result = self.mul(result, a)
        return result

    def power(self, a, b):
        super().power(a, b)
        raise _Inexact()

    def unary(self, name, a):
        if name in ("log", "sqrt") and a < 0 or name == "log" and a == 0:
            raise NotReal()
        if name not in ("sign", "floor", "ceiling", "abs"):
            raise _Inexact()
        return super().unary(name, a)


def exact(formula: sp.Expr, x: sp.Symbol, t: Any) -> tuple[bool, Any | None]:
    """(True, formula's value at t, or None where it is no finite real) when exact steps
    alone decide it; (False, None) when some step would round."""
    try:
        return True, ExactWalk(x, t).value(formula)
    except (NotReal, ZeroDivisionError):
        return True, None
    except (_Inexact, Undecided, ValueError, OverflowError):
        return False, None
