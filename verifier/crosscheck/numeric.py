"""Numbers for the cross-check: f and f' at 50 digits (mpmath), claimed intervals, strategies.

`Numeric.f(t)` is the true value of f at a float t computed by an mpmath walk over the same
sympy tree (FloatWalk dispatch, never generated code), at DIGITS significant digits; it is None
where f is not a finite real (log of a negative, a pole, 0/0). f' is sympy's derivative walked
the same way. A branch decided on a tie (Heaviside(1 - exp(1e-300)) sees 1 - 1 = 0 at 50
digits) or a sum that cancels half its digits or more (1 - tanh(60)**2, exp(-1e-29) - 1) is
re-evaluated at TIE_DIGITS, where ties between float-derived values are genuine.
These are float-free references: what they cannot resolve (two values equal to 50 digits) the
oracles treat as "no evidence", never as a conflict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import mpmath
import sympy as sp
from hypothesis import strategies as st

from verifier.analysis.floats import COMPARISONS, FloatWalk
from verifier.analysis.undecided import Undecided
from verifier.errors import VerifierError
from verifier.expr import parse_constant

DIGITS = 50
TIE_DIGITS = (400,)   # a float's exponent reaches 1e-324: 400 digits separate 1 + x from 1
FAR = 1e6            # draws on an unbounded side stay within +-FAR, plus a few far points
_FAR_POINTS = (1e8, 1e12, 1e30)


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
}


def _real(value: Any) -> Any:
    if isinstance(value, mpmath.mpc) or not mpmath.isfinite(value):
        raise NotReal()
    return value


@lru_cache(maxsize=4096)
def _constant(number: sp.Expr, digits: int) -> Any | None:
    value = number.evalf(digits + 10)
    if not value.is_real or not value.is_finite:
        return None
    return mpmath.mpf(sp.Float(value, digits + 10)._mpf_)


class _MpWalk(FloatWalk[Any]):
    def __init__(self, x: sp.Symbol, point: Any) -> None:
        super().__init__(x)
        self.point = mpmath.mpf(point)
        self.tied = False   # a branch was decided on a tie, or a sum cancelled every digit
        self.lost = mpmath.mpf(10) ** (-(mpmath.mp.dps // 2))   # half the digits cancelled

    def _tie(self, a, b) -> None:
        self.tied = self.tied or a == b

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
            self.tied = True   # half the digits cancelled: more are needed
        return total

    def mul(self, a, b):
        return a * b

    def reciprocal(self, a):
        if a == 0:
            raise NotReal()
        return 1 / a

    def integer_power(self, a, n):
        if a == 0 and n < 0:
            raise NotReal()
        return a ** n

    def power(self, a, b):
        if a == 0 and b <= 0:
            if b == 0:
                return mpmath.mpf(1)   # 0**0 = 1, as sympy, IEEE pow and the frameworks say
            raise NotReal()
        return _real(a ** b)

    def unary(self, name, a):
        if name in ("log", "sqrt") and a < 0 or name == "log" and a == 0:
            raise NotReal()
        if name in ("sign", "floor", "ceiling", "abs"):
            self._tie(a, mpmath.nint(a) if name != "sign" and name != "abs" else 0)
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
    """f and f' of one activation at DIGITS digits (None: not a finite real there)."""

    def __init__(self, expr: sp.Expr, x: sp.Symbol) -> None:
        self.expr, self.x = expr, x
        self.slope = sp.diff(expr, x)
        self.curvature: sp.Expr | None = None   # f'', when a check first needs it

    def f(self, t: float) -> Any | None:
        return self.at(self.expr, t)

    def df(self, t: float) -> Any | None:
        return self.at(self.slope, t)

    def d2f(self, t: float) -> Any | None:
        if self.curvature is None:
            self.curvature = sp.diff(self.slope, self.x)
        return self.at(self.curvature, t)

    def at(self, formula: sp.Expr, t: float | Any) -> Any | None:
        if isinstance(t, sp.Basic):   # a claimed exact point: sympy decides the branches
            return _exact_value(formula.subs(self.x, t))
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
        return None if value is None else +value   # rounded to the caller's precision

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


@dataclass(frozen=True)
class Claimed:
    """One interval of a claimed interval set (JSON from the verdict's facts). `point` is a
    claimed point: its exact sympy number when one is given (a jump at 1/10 is not at the
    float 0.1, one at pi not at 3.141592653589793; f there takes the branch sympy decides
    exactly), else its float."""

    lo: float
    hi: float
    lo_closed: bool
    hi_closed: bool
    point: Any = None

    @classmethod
    def of(cls, item: dict) -> Claimed:
        if "value" in item:   # a point
            value = _number(item["value"])
            return cls(value, value, True, True, _exact(item.get("exact"), value))
        lo, hi = _number(item["lo"]), _number(item["hi"])
        return cls(lo, hi, _closed_at(item, "lo", lo), _closed_at(item, "hi", hi))

    def contains(self, t: float, margin: float = 0.0) -> bool:
        """t inside, at least `margin` (relative, plus absolute 1e-300) from a finite end."""
        pad_lo = margin * max(1.0, abs(self.lo)) if math.isfinite(self.lo) else 0.0
        pad_hi = margin * max(1.0, abs(self.hi)) if math.isfinite(self.hi) else 0.0
        above = t > self.lo + pad_lo or (self.lo_closed and margin == 0 and t == self.lo)
        below = t < self.hi - pad_hi or (self.hi_closed and margin == 0 and t == self.hi)
        return above and below

    def points(self, reach: float = FAR) -> st.SearchStrategy[float]:
        """Floats inside (within +-reach), ends (when closed) and points just inside them
        favoured; a claimed point that is no float is drawn as its exact value."""
        if isinstance(self.point, sp.Basic) and not _is_float(self.point, self.lo):
            return st.just(self.point)
        lo, hi = max(self.lo, -reach), min(self.hi, reach)
        if lo > hi:
            lo, hi = (self.hi, self.hi) if self.hi < -reach else (self.lo, self.lo)
        inside = st.floats(min_value=lo, max_value=hi, allow_nan=False,
                           exclude_min=not self.lo_closed and lo == self.lo and lo < hi,
                           exclude_max=not self.hi_closed and hi == self.hi and lo < hi)
        special = [lo if self.lo_closed or lo != self.lo else _inward(lo, hi),
                   hi if self.hi_closed or hi != self.hi else _inward(hi, lo)]
        special += [p for p in _FAR_POINTS if self.hi == math.inf] + [
            -p for p in _FAR_POINTS if self.lo == -math.inf]
        special = [p for p in special if self.contains(p)]
        windows = [st.floats(min_value=max(lo, end - max(1.0, abs(end))),
                             max_value=min(hi, end + max(1.0, abs(end))))
                   for end in (lo, hi) if lo < hi and math.isfinite(end)]   # near the ends
        windows = [w.filter(self.contains) for w in windows]
        parts = [inside, *windows] + ([st.sampled_from(special)] if special else [])
        return st.one_of(*parts)


def _closed_at(item: dict, end: str, value: float) -> bool:
    """A closed end, as far as floats can tell: one whose exact value is no float (sin(10))
    is drawn as open - its float lies on one side of it or the other."""
    text = item.get(f"{end}_exact")
    if text == repr(value):    # a float end, printed as the float it is
        return bool(item.get(f"{end}_closed"))
    exact = _exact(text, None)
    return bool(item.get(f"{end}_closed")) and (exact is None or _is_float(exact, value))


def _is_float(exact: sp.Expr, value: float) -> bool:
    return math.isfinite(value) and exact == sp.Rational(value)


def _inward(end: float, other: float) -> float:
    step = max(abs(end), 1.0) * 1e-9
    return end + step if other > end else end - step


_RATIONAL = re.compile(r"^-?\d+(/\d+)?$")


def exact_point(text: str) -> sp.Expr | None:
    """A point as we printed it, exactly, or None when it is not a constant of the vocabulary
    ("-1 - LambertW(exp(-1))" is not: LambertW is not in it)."""
    return _exact(text, None)


def _exact(text: Any, fallback: Any) -> Any:
    """A rational literal we printed ("-7/2") or a real constant in the vocabulary ("pi",
    "2 + E", "sin(10)"), read by the safe parser (never sympify); anything else: fallback."""
    if not isinstance(text, str):
        return fallback
    if _RATIONAL.match(text):
        numerator, _, denominator = text.partition("/")
        return sp.Rational(int(numerator), int(denominator or 1))
    try:
        value = parse_constant(text)
    except VerifierError:
        return fallback
    return value if value.is_number and value.is_extended_real else fallback


def _number(value: Any) -> float:
    if value in ("oo", "-oo"):
        return math.inf if value == "oo" else -math.inf
    return float(value)


class TextSet(Exception):
    """A claimed set in sympy's set notation (no finite union): not re-checked pointwise."""


def show(t: Any) -> str:
    """An input for a message: a float as Python prints it, an exact point as sympy does, a
    50-digit point to 17 digits."""
    if isinstance(t, float):
        return repr(t)
    return str(t) if isinstance(t, sp.Basic) else mpmath.nstr(t, 17)


def claimed_set(items: Any) -> list[Claimed]:
    if isinstance(items, dict):
        raise TextSet(items.get("text", ""))
    return [Claimed.of(item) for item in items or []]


def in_any(t: float, parts: list[Claimed], margin: float = 0.0) -> bool:
    return any(part.contains(t, margin) for part in parts)
