"""Certified bounds on the rounding error of the formula as written, in float32 or float64,
over a box of input floats: for every node, an enclosure of its true value and a bound on
|computed - true| that holds at every input of the box.

`ErrorWalk` walks the same nodes as the numpy evaluator (FloatWalk), so it bounds what the
arrays compute. Each operation's error is the error it inherits from its operands (through a
bound on the operation's slope over every value the operands can take: mean value theorem)
plus its own rounding: half a unit in the last place of the binade of the largest result
(correctly rounded + - * / sqrt; numpy's `where` and max/min are exact), or `libm_ulps` units
in the last place for numpy's transcendental functions (exp, log, tanh, pow, ...). sigmoid and
softplus are walked as the frameworks' algorithms that program.py runs (exp(-|u|), then
1/(1 + e) or e/(1 + e); logaddexp(0, u)); a box where the sign of u does not decide the branch
takes the larger error of the two (plus, for sigmoid, whose branches equal the true value only
on their side of 0, the gap between the branch and the true value).

Raises Undecided where no bound is certain: an intermediate that may overflow, a divisor, log
or sqrt argument whose computed values may leave the operation's domain, a branch (Piecewise,
Heaviside, sign, floor) that computed and true values may take differently, a non-constant
exponent. erf, erfc and Phi run as program.py runs them: in float64 (erf and erfc as libm
functions, Phi as erfc(-u/sqrt(2))/2 step by step), then rounded to the dtype. What it
assumes: numpy's (and math's) transcendental functions within `libm_ulps` ulps of the true
value (`assumed` says whether any was used). What it does not give: a tight bound on a
wide box (the bound is first-order in the operands' errors, with each slope's worst case over
the box; the caller bisects).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import sympy as sp
from flint import arb

from verifier.analysis.arb.ball_program import combine_truths, integer_power
from verifier.analysis.arb.certified import exact_ball
from verifier.analysis.floats.exact_values import Precision
from verifier.analysis.floats.program import COMPARISONS, DTYPES, FloatWalk, dtype_constant
from verifier.analysis.undecided import Undecided

_UNIT = arb(0, 1)   # the ball [-1, 1]
_IN_FLOAT64 = ("erf", "erfc", "Phi")   # no numpy ufunc: math's, in float64 (program.py)


@dataclass(frozen=True)
class Err:
    """A node over the box: its true values are in `exact`, its computed values within
    `error` (an upper bound, >= 0) of the true value at the same input."""

    exact: arb
    error: arb

    @property
    def computed(self) -> arb:
        """Every value the dtype computes at an input of the box."""
        return self.exact + self.error * _UNIT


# f(u) and a bound of |f'(u)| over a ball, for numpy's functions of one argument
_SMOOTH = {
    "exp": (arb.exp, arb.exp), "log": (arb.log, lambda u: 1 / u),
    "sqrt": (arb.sqrt, lambda u: 1 / (2 * u.sqrt())),
    "tanh": (arb.tanh, lambda u: arb.sech(u) ** 2), "sin": (arb.sin, lambda u: arb(1)),
    "cos": (arb.cos, lambda u: arb(1)), "atan": (arb.atan, lambda u: 1 / (1 + u * u)),
    "asinh": (arb.asinh, lambda u: 1 / (1 + u * u).sqrt()), "sinh": (arb.sinh, arb.cosh),
    "cosh": (arb.cosh, arb.sinh), "log1p": (arb.log1p, lambda u: 1 / (1 + u)),
    "expm1": (arb.expm1, arb.exp), "tan": (arb.tan, lambda u: 1 + arb.tan(u) ** 2),
    # math.erf/erfc: libm functions of float64 (walked in float64: see _IN_FLOAT64)
    "erf": (arb.erf, lambda u: 2 / arb.pi().sqrt() * (-u * u).exp()),
    "erfc": (arb.erfc, lambda u: 2 / arb.pi().sqrt() * (-u * u).exp()),
}


class ErrorWalk(FloatWalk[Err]):
    """The Err of every node over the input floats in [lo, hi] of `dtype`."""

    def __init__(self, x: sp.Symbol, lo: float, hi: float, dtype: str, *,
                 libm_ulps: float) -> None:
        super().__init__(x)
        self.dtype = DTYPES[dtype]
        self.format = Precision.of(dtype)
        self.libm_ulps = arb(libm_ulps)
        self.box = arb(lo).union(arb(hi))
        self.assumed = False   # a transcendental function's accuracy was assumed

    # rounding ------------------------------------------------------------------------------
    def half_ulp(self, values: arb) -> arb:
        """Half the dtype's spacing in the binade of the largest |value| (raises Undecided
        when that may round to inf): a bound on the rounding error of any of them."""
        magnitude = abs(values).upper()
        if not magnitude < self.format.overflow:
            raise Undecided("an intermediate may overflow")
        top = math.nextafter(float(magnitude), math.inf)   # at or above it, and finite
        if top < self.format.smallest_normal:
            return self.half_subnormal
        return arb(2) ** (math.frexp(min(top, self.format.largest))[1] - 1 - self.format.bits)

    def rounded(self, exact: arb, inherited: arb, results: arb, ulps: arb | None = None) -> Err:
        """A result: true values `exact`, error `inherited` from the operands plus the
        rounding of `results` (the operation's true value at the computed operands): half an
        ulp, or `ulps` whole ulps for a libm function."""
        own = self.half_ulp(results)
        if ulps is not None:
            own, self.assumed = 2 * ulps * own, True
        return Err(exact, inherited + own)

    # the operations ------------------------------------------------------------------------
    def variable(self) -> Err:
        return Err(self.box, arb(0))

    def constant(self, number: sp.Expr) -> Err:
        held = dtype_constant(number, self.dtype)
        if not math.isfinite(held):
            raise Undecided("a constant is not finite in the dtype")
        exact = exact_ball(number)
        return Err(exact, top(arb(held) - exact))

    def add(self, a: Err, b: Err) -> Err:
        return self.rounded(a.exact + b.exact, a.error + b.error, a.computed + b.computed)

    def mul(self, a: Err, b: Err) -> Err:
        inherited = top(a.exact) * b.error + top(b.exact) * a.error + a.error * b.error
        results = a.computed * b.computed
        if self.scales_exactly(a, results, up=abs(a.exact) >= 1) or \
                self.scales_exactly(b, results, up=abs(b.exact) >= 1):
            return Err(a.exact * b.exact, inherited)
        return self.rounded(a.exact * b.exact, inherited, results)

    def divide(self, a: Err, b: Err) -> Err:
        if b.computed.contains(0) or b.exact.contains(0):
            raise Undecided("a divisor may be 0")
        inherited = (a.error * top(b.exact) + top(a.exact) * b.error) / (
            _bottom(b.computed) * _bottom(b.exact))
        results = a.computed / b.computed
        if self.scales_exactly(b, results, up=abs(b.exact) <= 1):
            return Err(a.exact / b.exact, inherited)
        return self.rounded(a.exact / b.exact, inherited, results)

    def scales_exactly(self, factor: Err, results: arb, *, up: bool) -> bool:
        """A product or quotient by a power of two held exactly, scaling `up` (a subnormal
        operand gains exponent, never bits) or with normal results (no underflow; raises
        Undecided on overflow): no rounding at all."""
        if factor.error != 0 or not factor.exact.is_exact() or factor.exact == 0:
            return False
        mantissa = abs(factor.exact).mid().man_exp()[0]
        if mantissa != 1:
            return False
        self.half_ulp(results)   # the overflow check
        return up or bool(abs(results) >= self.format.smallest_normal)

    def reciprocal(self, a: Err) -> Err:
        return self.divide(Err(arb(1), arb(0)), a)

    def integer_power(self, a: Err, n: int) -> Err:
        if n < 0 and (a.computed.contains(0) or a.exact.contains(0)):
            raise Undecided("a negative power of a value that may be 0")
        if n == 0:
            return Err(arb(1), arb(0))
        if n == 1:   # a copy (numpy's pow(u, 1) is u; torch copies), as ArrayWalk has it
            return a
        slope = top(n * _power(a.computed, n - 1)) if n != 1 else arb(1)
        return self.rounded(_power(a.exact, n), slope * a.error, _power(a.computed, n),
                            self.libm_ulps)

    def power(self, a: Err, b: Err) -> Err:
        if not (b.error == 0 and b.exact.is_exact()):
            raise Undecided("a power with a non-constant exponent has no error model")
        if not (a.computed > 0 and a.exact > 0):
            raise Undecided("a power of a value that may not be positive")
        c = b.exact
        slope = top(c * (a.computed.log() * (c - 1)).exp())
        return self.rounded((a.exact.log() * c).exp(), slope * a.error,
                            (a.computed.log() * c).exp(), self.libm_ulps)

    def unary(self, name: str, a: Err) -> Err:
        if name == "abs":
            return Err(abs(a.exact), a.error)
        if name == "sigmoid":
            return self._sigmoid(a)
        if name == "softplus":
            return self._softplus(a)
        if name in ("sign", "floor", "ceiling"):
            return self._locally_constant(name, a)
        if name in _IN_FLOAT64 and self.dtype is not np.float64:   # as program.py does it:
            with self._in_float64():                                # in float64, then
                inner = self.unary(name, a)                         # rounded to the dtype
            return self.rounded(inner.exact, inner.error, inner.computed)
        if name == "Phi":   # erfc(-u/sqrt(2))/2 as program.py computes it
            t = self.divide(self._negated(a), self.constant(sp.sqrt(2)))
            return self.mul(self.unary("erfc", t), self.constant(sp.Rational(1, 2)))
        if name not in _SMOOTH:
            raise Undecided(f"no error model for {name}")
        function, slope = _SMOOTH[name]
        exact, results = function(a.exact), function(a.computed)
        inherited = top(slope(a.computed)) * a.error if a.error != 0 else arb(0)
        if not (exact.is_finite() and results.is_finite() and inherited.is_finite()):
            raise Undecided(f"{name} may be undefined or unbounded at the computed values")
        return self.rounded(exact, inherited, results,
                            None if name == "sqrt" else self.libm_ulps)

    @contextmanager
    def _in_float64(self) -> Iterator[None]:
        """The steps inside it round as float64 does (the operand's float values are float64
        values exactly)."""
        saved = self.dtype, self.format
        self.dtype, self.format = np.float64, Precision.of("float64")
        try:
            yield
        finally:
            self.dtype, self.format = saved

    @property
    def half_subnormal(self) -> arb:
        """Half the dtype's spacing below its normal range."""
        return arb(float(np.finfo(self.dtype).smallest_subnormal)) / 2

    def _sigmoid(self, u: Err) -> Err:
        """exp(-|u|), then 1/(1 + e) where the computed u >= 0, e/(1 + e) below: each equals
        sigmoid(u) on its side of 0 only."""
        e = self.unary("exp", self._negated(self.unary("abs", u)))
        one = Err(arb(1), arb(0))
        denominator = self.add(one, e)
        exact = 1 / (1 + (-u.exact).exp())
        return self._either(u, (self.divide(one, denominator), self.divide(e, denominator)),
                            exact, sided=True)

    def _softplus(self, u: Err) -> Err:
        """numpy's logaddexp(0, u): u + log1p(exp(-u)) where the computed u >= 0,
        log1p(exp(u)) below (at u = 0 the rounded log(2), within either bound); each equals
        softplus(u) everywhere."""
        above = self.add(u, self.unary("log1p", self.unary("exp", self._negated(u))))
        below = self.unary("log1p", self.unary("exp", u))
        exact = u.exact + (-u.exact).exp().log1p() if u.exact > 0 else u.exact.exp().log1p()
        return self._either(u, (above, below), exact, sided=False)

    @staticmethod
    def _either(u: Err, branches: tuple[Err, Err], exact: arb, *, sided: bool) -> Err:
        """Two branches of one algorithm, the first taken where the computed u >= 0: the
        error of the one taken, or the larger where the box does not decide it. A `sided`
        branch equals the true value only on its side of 0: where the true u may lie on the
        other side, the difference of the two enclosures is added."""
        computed = u.computed
        taken = [0] if computed >= 0 else [1] if computed < 0 else [0, 1]
        own_side = (u.exact >= 0, u.exact <= 0)
        errors = [branches[i].error if not sided or own_side[i] else
                  branches[i].error + top(branches[i].exact - exact) for i in taken]
        return Err(exact, errors[0] if len(errors) == 1 else arb.max(*errors))

    @staticmethod
    def _negated(a: Err) -> Err:
        return Err(-a.exact, a.error)

    def _locally_constant(self, name: str, a: Err) -> Err:
        step = {"sign": _sign, "floor": arb.floor, "ceiling": arb.ceil}[name]
        low, high = step(a.computed.lower()), step(a.computed.upper())
        exact_low, exact_high = step(a.exact.lower()), step(a.exact.upper())
        if name == "sign" and (a.computed.contains(0) or a.exact.contains(0)):
            raise Undecided("sign may change over the box")
        if not (low == high == exact_low == exact_high):
            raise Undecided(f"{name} may change over the box")
        return Err(low, arb(0))

    def maximum(self, a: Err, b: Err) -> Err:
        picked = _certainly_above(a, b)
        return (a if picked else b) if picked is not None else \
            Err(arb.max(a.exact, b.exact), arb.max(a.error, b.error))

    def minimum(self, a: Err, b: Err) -> Err:
        picked = _certainly_above(a, b)
        return (b if picked else a) if picked is not None else \
            Err(arb.min(a.exact, b.exact), arb.max(a.error, b.error))

    def heaviside(self, a: Err, at_zero: sp.Expr) -> Err:
        if a.computed > 0 and a.exact > 0:
            return Err(arb(1), arb(0))
        if a.computed < 0 and a.exact < 0:
            return Err(arb(0), arb(0))
        raise Undecided("Heaviside may switch over the box")

    def piecewise(self, expr: sp.Piecewise) -> Err:
        for branch, condition in expr.args:
            computed, exact = self.truth(condition)
            if computed is True and exact is True:
                return self.value(branch)
            if not (computed is False and exact is False):
                raise Undecided("computed and true values may take different branches")
        raise Undecided("no branch applies")

    def truth(self, condition: sp.Basic) -> tuple[bool | None, bool | None]:
        """(over the computed values, over the true values): True / False when the condition
        holds at every / no input of the box."""
        if condition in (sp.true, True):
            return True, True
        if condition in (sp.false, False):
            return False, False
        if isinstance(condition, (sp.And, sp.Or)):
            parts = [self.truth(c) for c in condition.args]
            return (combine_truths(condition, [p[0] for p in parts]),
                    combine_truths(condition, [p[1] for p in parts]))
        if type(condition) not in COMPARISONS:
            raise Undecided(f"no float evaluation of the condition {condition}")
        lhs, rhs = self.value(condition.lhs), self.value(condition.rhs)
        relation = type(condition)
        return (_decided(relation, lhs.computed - rhs.computed),
                _decided(relation, lhs.exact - rhs.exact))


def _certainly_above(a: Err, b: Err) -> bool | None:
    """True when a >= b at every input of the box, computed and true alike (numpy's maximum
    and minimum then return one operand as it is), False when b >= a so, else None."""
    if a.computed >= b.computed and a.exact >= b.exact:
        return True
    if b.computed >= a.computed and b.exact >= a.exact:
        return False
    return None


def _decided(relation: type, difference: arb) -> bool | None:
    certainly = {sp.Lt: difference < 0, sp.Le: difference <= 0, sp.Gt: difference > 0,
                 sp.Ge: difference >= 0, sp.Eq: difference == 0, sp.Ne: difference != 0}
    never = {sp.Lt: difference >= 0, sp.Le: difference > 0, sp.Gt: difference <= 0,
             sp.Ge: difference < 0, sp.Eq: difference != 0, sp.Ne: difference == 0}
    return True if certainly[relation] else (False if never[relation] else None)


def _sign(value: arb) -> arb:
    return arb(1) if value > 0 else arb(-1) if value < 0 else arb(0)


def _power(ball: arb, n: int) -> arb:
    return integer_power(ball, n) if n >= 0 else 1 / integer_power(ball, -n)


def top(ball: arb) -> arb:
    """The largest |value| of a ball, as an exact ball."""
    return arb(abs(ball).upper())


def _bottom(ball: arb) -> arb:
    """The smallest |value| of a ball that does not contain 0, as an exact ball."""
    return arb(abs(ball).lower())
