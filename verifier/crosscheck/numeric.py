"""Numbers for the cross-check: f, f' and f'' at 50 digits (mpmath), exact where a point is exact.

`Numeric.f(t)` is the true value of f at a float t computed by an mpmath walk over the same
sympy tree (FloatWalk dispatch, never generated code), at DIGITS significant digits; it is None
where f is not a finite real (log of a negative, a pole, 0/0). f' is sympy's derivative walked
the same way. A branch decided on a tie (Heaviside(1 - exp(1e-300)) sees 1 - 1 = 0 at 50
digits) or a sum that cancels half its digits or more (1 - tanh(60)**2, exp(-1e-29) - 1) is
re-evaluated at TIE_DIGITS, where ties between float-derived values are genuine; so is a log
of the 1 a sum left after rounding a nonzero term away (log(1 + exp(-1e6)) is not 0), which
is Unevaluable when even TIE_DIGITS round it away. A value that
is still 0 there after a sum cancelled, or no real number (1 - tanh(512)**2, log of it), is
walked again in exact binary arithmetic: where every step is exact (x - x*sign(x): sums,
products, halvings, steps) that walk's answer is the true one, and otherwise the point is
Unevaluable, not 0; so is f' or f'' where a step, sign or max of its formula switches exactly
at the point.
These are float-free references: what they cannot resolve (two values equal to 50 digits) the
oracles treat as "no evidence", never as a conflict.
"""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

from verifier.analysis.pointwise import exact_value
from verifier.crosscheck.walks import MpWalk, NotReal, exact

DIGITS = 50
_MEMORY = 50_000   # remembered values per activation before the memo starts afresh
TIE_DIGITS = (400,)   # a float's exponent reaches 1e-324: 400 digits separate 1 + x from 1


class Unevaluable(Exception):
    """mpmath could not evaluate (tanh(exp(1e30)) exhausts memory): no evidence either way."""


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
                walk = MpWalk(self.x, t)
                try:
                    value = walk.value(formula)
                except (NotReal, ZeroDivisionError):
                    value = None
                except (ValueError, OverflowError, MemoryError, RecursionError) as exc:
                    raise Unevaluable(f"{type(exc).__name__} at {t}") from None
                if not walk.tied:
                    break
        if walk.cancelled and not value:   # 0, or no real number, after a sum cancelled
            # 1 - tanh(512)**2 is 0 even at 400 digits (and log of it no real number), while
            # x - x*sign(x) is 0 by exact steps: only exact steps tell the two apart
            shown, value = exact(formula, self.x, t)
            if not shown:
                raise Unevaluable(f"the value at {t} cancels past {digits} digits")
        if walk.log_of_absorbed:   # log(1 + exp(-1e6))*exp(1e6) is about 1, not 0
            raise Unevaluable(f"a log at {t} reads 1 from a sum that rounded a nonzero term "
                              f"away at {digits} digits")
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
