"""Numbers for the cross-check: f, f' and f'' at 50 digits (mpmath), exact where a point is exact.

`Numeric.f(t)` is the true value of f at a float t computed by an mpmath walk over the same
sympy tree (FloatWalk dispatch, never generated code), at DIGITS significant digits; it is None
where f is not a finite real (log of a negative, a pole, 0/0). f' is sympy's derivative walked
the same way. A branch decided on a tie (Heaviside(1 - exp(1e-300)) sees 1 - 1 = 0 at 50
digits) or a sum that cancels half its digits or more (1 - tanh(60)**2, exp(-1e-29) - 1) is
re-evaluated at TIE_DIGITS, where ties between float-derived values are genuine; a value that
is still 0 there after a sum cancelled (1 - tanh(512)**2) is Unevaluable, not 0, and so is
f' or f'' where a step, sign or max of its formula switches exactly at the point.
These are float-free references: what they cannot resolve (two values equal to 50 digits) the
oracles treat as "no evidence", never as a conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import sympy as sp

from verifier.analysis.floats import COMPARISONS, FloatWalk
from verifier.analysis.pointwise import exact_value
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo

DIGITS = 50
_MEMORY = 50_000   # remembered values per activation before the memo starts afresh
TIE_DIGITS = (400,)   # a float's exponent reaches 1e-324: 400 digits separate 1 + x from 1


class NotReal(Exception):
    """The true value is not a finite real number."""


class Unevaluable(Exception):
    """mpmath could not evaluate (tanh(exp(1e30)) exhausts memory): no evidence either way."""


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


class _MpWalk(FloatWalk[Any]):
    def __init__(self, x: sp.Symbol, point: Any) -> None:
        super().__init__(x)
        self.point = mpmath.mpf(point)
        self.tied = False   # a branch was decided on a tie, or a sum cancelled every digit
        self.cancelled = False   # a sum lost half its digits or more
        self.branch_tied = False   # a step, sign, max or branch decided exactly at its switch
        self.rounded = False   # a transcendental function or a fractional power was rounded
        self.rounded_tie = False   # ... before a tie: no digit count shows it is genuine
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
        if a and b and abs(total) <= max(abs(a), abs(b)) * self.lost:
            self.tied = self.cancelled = True   # half the digits cancelled: more are needed
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
        return _real(a ** b)

    def unary(self, name, a):
        if name in ("log", "sqrt") and a < 0 or name == "log" and a == 0:
            raise NotReal()
        if name in ("sign", "floor", "ceiling", "abs"):
            self._tie(a, mpmath.nint(a) if name != "sign" and name != "abs" else 0)
        else:
            self.rounded = True
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


class Numeric:
    """f, f' and f'' of one activation at DIGITS digits (None: not a finite real there).

    f is the written formula, walked as written: a sub-term that is no finite real makes f
    None, whatever the rest of the formula would make of it. f' and f'' are sympy's
    derivatives of the evaluated form, which equals the written one on its domain; they are
    None wherever f is.
    """

    def __init__(self, expr: sp.Expr, x: sp.Symbol, *, written: sp.Expr | None = None) -> None:
        self.x = x
        self.expr = expr if written is None else written
        self.slope = sp.diff(expr, x)
        self.curvature: sp.Expr | None = None   # f'', when a check first needs it
        self._known: dict[tuple, Any] = {}

    def f(self, t: float) -> Any | None:
        return self.at(self.expr, t)

    def df(self, t: float) -> Any | None:
        return None if self.f(t) is None else self.at(self.slope, t)

    def d2f(self, t: float) -> Any | None:
        if self.curvature is None:
            self.curvature = sp.diff(self.slope, self.x)
        return None if self.f(t) is None else self.at(self.curvature, t)

    def at(self, formula: sp.Expr, t: float | Any) -> Any | None:
        """formula at t (None: not a finite real there), remembered per point and precision:
        the oracles ask for the same f(t) several times (two of every three calls)."""
        key = (formula, t, mpmath.mp.dps)
        if key not in self._known:
            if len(self._known) > _MEMORY:
                self._known.clear()
            self._known[key] = self._at(formula, t)
        return self._known[key]

    def _at(self, formula: sp.Expr, t: float | Any) -> Any | None:
        if isinstance(t, sp.Basic):   # a claimed exact point: sympy decides the branches
            return _exact_value(exact_value(formula, self.x, t))
        value = None
        base = max(DIGITS, mpmath.mp.dps)   # a caller may need more (tiny steps)
        for digits in (base, *(d for d in TIE_DIGITS if d > base)):
            with mpmath.workdps(digits):
                walk = _MpWalk(self.x, t)
                try:
                    value = walk.value(formula)
                except (NotReal, ZeroDivisionError):
                    value = None
                except (ValueError, OverflowError, MemoryError, RecursionError) as exc:
                    raise Unevaluable(f"{type(exc).__name__} at {t}") from None
                if not walk.tied:
                    break
        if value == 0 and walk.cancelled:   # 1 - tanh(512)**2 is 0 even at 400 digits
            raise Unevaluable(f"the value at {t} cancels past {digits} digits")
        if walk.rounded_tie:   # floor(erfc(-120)) is 1: erfc(-120) is 2 - 1e-6256
            raise Unevaluable(f"a step at {t} is decided on a rounded value equal to its "
                              f"switch to {digits} digits")
        if walk.branch_tied and formula in (self.slope, self.curvature):
            # sympy's f' of Heaviside(u)*g is Heaviside(u)*g' + DiracDelta(u)*...: where u = 0
            # exactly, its value (Heaviside(0) = 1/2, sign(0) = 0) is no derivative of f
            raise Unevaluable(f"f' at {t} is read at a step's switch")
        return None if value is None else +value   # rounded to the caller's precision

    def jump_at(self, t: Any) -> bool:
        """f jumps at t by more than TIE_DIGITS resolve, however little: its values at
        t -+ 1e-100 and at t -+ 1e-200 differ by nearly the same nonzero amount (a continuous
        f's difference shrinks with the step). erf(14) left of 0 and 1 right of it differ by
        1.6e-87, which 50 digits see as no jump and a step of 1e-10 as a slope of 1e-77."""
        with mpmath.workdps(TIE_DIGITS[0]):
            centre, gaps = as_mp(t), []
            for h in (mpmath.mpf(10) ** -100, mpmath.mpf(10) ** -200):
                left, right = self.at(self.expr, centre - h), self.at(self.expr, centre + h)
                if left is None or right is None:
                    return False
                gaps.append(abs(right - left))
        return gaps[1] > 0 and gaps[1] * 10 >= gaps[0]

    def quotient(self, t: float, h: float) -> Any | None:
        """(f(t + h) - f(t)) / h with t + h exact and enough digits that a step of h still
        leaves DIGITS - 20 of them (h = 1e-320 next to f = 0.5 needs 370)."""
        digits = DIGITS + min(400, max(0, int(-mpmath.log10(abs(mpmath.mpf(h))))))
        with mpmath.workdps(digits):
            base, shifted = self.f(t), self.at(self.expr, as_mp(t) + mpmath.mpf(h))
            if base is None or shifted is None:
                return None
            return (shifted - base) / mpmath.mpf(h)


def as_mp(t: Any) -> Any:
    """A float, an mpf or an exact sympy number as an mpf at the working precision."""
    if isinstance(t, sp.Rational):
        return mpmath.mpf(int(t.p)) / int(t.q)
    if isinstance(t, sp.Basic):
        value = _exact_value(t)
        if value is None:
            raise Unevaluable(f"no value of {t}")
        return value
    return mpmath.mpf(t)


def _exact_value(value: sp.Expr) -> Any | None:
    """An exact constant at the working precision (None if not a finite real)."""
    try:
        number = value.evalf(mpmath.mp.dps + 10)
    except (ValueError, TypeError, OverflowError, ZeroDivisionError):
        raise Unevaluable(f"no value of {value}") from None
    if not number.is_real or not number.is_finite or number.has(sp.nan, sp.zoo):
        return None
    return mpmath.mpf(sp.Float(number, mpmath.mp.dps + 10)._mpf_)
