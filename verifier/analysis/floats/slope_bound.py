"""Certified bounds on the rounding error of f' as autodiff computes it from the formula as
written (verifier.analysis.floats.autodiff's DualWalk), in float32 or float64, over a box of
input floats: the BoxBound that verifier.analysis.floats.error_bound's branch and bound proves
gradient_accurate with.

`SlopeErrorWalk` mirrors DualWalk operation for operation: each value and each derivative is
an Err of verifier.analysis.floats.error_walk (its true values, and a bound on |computed -
true|), and every backward formula (tanh' = 1 - t*t, sigmoid' = (1 - s)*s, the product and
quotient rules, ...) is walked with ErrorWalk's operations in DualWalk's order, so the bound
holds for what the arrays compute. Each backward formula equals the true derivative of its
operation, so the derivative's true values are f' itself; softplus above torch's threshold
20 (where the backward formula is 1, not sigmoid(u)) adds the difference to the error.

The walk runs over the box widened by a margin far below the dtype's spacing (no other float
enters it): every branch (Piecewise, max/min, Heaviside, sign, abs) must be decided on that
neighbourhood, or the walk raises Undecided. So wherever it gives a bound, no input of the box
is a branch point, and the taken branch's derivative is f'. A single float on a branch point
(a kink, or a join where the one-sided derivatives agree) is left to be measured.

What it does not give: a bound at a branch point; a tight bound where the backward formula
cancels (1 - t*t near t = 1 is 0 in the dtype long before f' underflows: the walk's bound there
is large, and the search refutes it); anything beyond ErrorWalk's assumption on numpy's
transcendental functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp
from flint import arb

from verifier.analysis.arb.certified import PRECISION_BITS, working_precision
from verifier.analysis.floats.error_bound import (LIBM_ULPS, BoxBound, counted, exact_magnitude,
                                                  in_ulps)
from verifier.analysis.floats.error_walk import Err, ErrorWalk, top
from verifier.analysis.floats.program import DTYPES, FloatWalk
from verifier.analysis.undecided import Undecided

DualErr = tuple[Err, Err]   # (value, derivative) over the box
_NO_PATH = Err(arb(0), arb(0))   # a constant's derivative: no gradient path (see DualWalk)
_ONE = Err(arb(1), arb(0))
# far below the spacing of float64's subnormals (2**-1074): the box plus its neighbourhood
_MARGIN = arb(0, arb(2) ** -1100)


def slope_bound(written: sp.Expr, formula: sp.Expr, x: sp.Symbol, dtype: str,
                exact_at: Callable[[float], arb], *, libm_ulps: float = LIBM_ULPS) -> BoxBound:
    """The BoxBound of f' as autodiff computes it from `written`: `formula` is sympy's f'
    (its enclosure over a box says where f' is a normal float), `exact_at` f' at one input
    (certified, a breakpoint's known value included; raises Undecided at a kink)."""
    def bound(lo: float, hi: float) -> tuple[float, bool]:
        magnitude = abs(exact_at(lo)) if lo == hi else exact_magnitude(formula, x, lo, hi, dtype)
        with working_precision(PRECISION_BITS):
            if not counted(magnitude, dtype):
                return 0.0, False
            walk = SlopeErrorWalk(x, lo, hi, dtype, libm_ulps=libm_ulps)
            slope = _known(walk.value(written)[1])
            return in_ulps(slope.error, magnitude, dtype), walk.assumes(slope)
    return bound


@dataclass(frozen=True)
class _Failed:
    """A value with no error bound (it may overflow, say): harmless until an operation of
    the derivative uses it, as an inf the derivative never reads is harmless to autodiff."""

    reason: str


def _known(value: Err | _Failed) -> Err:
    if isinstance(value, _Failed):
        raise Undecided(value.reason)
    return value


class _Lazy:
    """ErrorWalk's operations, each giving _Failed where ErrorWalk raises Undecided, and
    passing on a _Failed operand's failure; each result remembers whether its bound rests on
    the libm assumption (its own operation's, or an operand's), so that a value the
    derivative never reads (x**2's pow, where 2*x is f') assumes nothing."""

    def __init__(self, walk: ErrorWalk) -> None:
        self.walk = walk
        self.libm: dict[int, tuple[Err, bool]] = {}   # id -> (the Err, kept alive; assumed)

    def assumes(self, value: Err | _Failed) -> bool:
        entry = self.libm.get(id(value))
        return entry is not None and entry[0] is value and entry[1]

    def marked(self, value: Err | _Failed, assumed: bool) -> Err | _Failed:
        if isinstance(value, Err):
            self.libm[id(value)] = (value, assumed)
        return value

    def negated(self, a: Err | _Failed) -> Err | _Failed:
        return a if isinstance(a, _Failed) else self.marked(Err(-a.exact, a.error),
                                                             self.assumes(a))

    def __getattr__(self, name: str) -> Callable[..., Err | _Failed]:
        operation = getattr(self.walk, name)

        def lazily(*operands: object) -> Err | _Failed:
            failed = next((o for o in operands if isinstance(o, _Failed)), None)
            if failed is not None:
                return failed
            self.walk.assumed = False
            try:
                result = operation(*operands)
            except Undecided as exc:
                return _Failed(str(exc))
            return self.marked(result, self.walk.assumed or any(
                self.assumes(o) for o in operands if isinstance(o, Err)))
        return lazily


class SlopeErrorWalk(FloatWalk[DualErr]):
    """The (value, derivative) Errs of every node over the neighbourhood of [lo, hi]."""

    def __init__(self, x: sp.Symbol, lo: float, hi: float, dtype: str, *,
                 libm_ulps: float) -> None:
        super().__init__(x)
        self.walk = ErrorWalk(x, lo, hi, dtype, libm_ulps=libm_ulps)
        self.walk.box = arb(lo).union(arb(hi)) + _MARGIN
        self.values = _Lazy(self.walk)
        self.kind = DTYPES[dtype]
        self.branched_on_libm = False   # a branch taken by a computed value that assumed it

    def assumes(self, slope: Err) -> bool:
        """Whether the bound of `slope` rests on the libm assumption: its own operations,
        or a branch decided by a computed value that assumed it (where(exp(x) > 2, ...))."""
        return self.values.assumes(slope) or self.branched_on_libm

    def _branched_by(self, *values: Err | _Failed) -> None:
        self.branched_on_libm |= any(self.values.assumes(value) for value in values)

    def _n(self, number: float, exact: arb) -> Err:
        """A constant of a backward formula, held as the dtype holds `number`; true value
        `exact`."""
        return Err(exact, top(arb(float(self.kind(number))) - exact))

    def variable(self) -> DualErr:
        return self.values.variable(), _ONE

    def constant(self, number: sp.Expr) -> DualErr:
        return self.values.constant(number), _NO_PATH

    def add(self, a: DualErr, b: DualErr) -> DualErr:
        return self.values.add(a[0], b[0]), self._sum([d[1] for d in (a, b)
                                                       if d[1] is not _NO_PATH])

    def mul(self, a: DualErr, b: DualErr) -> DualErr:
        v, terms = self.values, []
        if a[1] is not _NO_PATH:
            terms.append(v.mul(a[1], b[0]))
        if b[1] is not _NO_PATH:
            terms.append(v.mul(a[0], b[1]))
        return v.mul(a[0], b[0]), self._sum(terms)

    def divide(self, a: DualErr, b: DualErr) -> DualErr:
        v, terms = self.values, []   # d(a/b) = da/b - db*a/(b*b)
        if a[1] is not _NO_PATH:
            terms.append(v.divide(a[1], b[0]))
        if b[1] is not _NO_PATH:
            terms.append(v.negated(v.divide(v.mul(b[1], a[0]), v.mul(b[0], b[0]))))
        return v.divide(a[0], b[0]), self._sum(terms)

    def _sum(self, terms: list[Err]) -> Err:
        if not terms:
            return _NO_PATH
        total = terms[0]
        for term in terms[1:]:
            total = self.values.add(total, term)
        return total

    def reciprocal(self, a: DualErr) -> DualErr:
        v = self.values
        r = v.reciprocal(a[0])
        return r, _NO_PATH if a[1] is _NO_PATH else v.negated(v.mul(a[1], v.mul(r, r)))

    def integer_power(self, a: DualErr, n: int) -> DualErr:
        v = self.values
        if n == 0 or a[1] is _NO_PATH:
            return v.integer_power(a[0], n), _NO_PATH
        factor = v.mul(self._n(n, arb(n)), v.integer_power(a[0], n - 1))
        return v.integer_power(a[0], n), v.mul(a[1], factor)

    def power(self, a: DualErr, b: DualErr) -> DualErr:
        if b[1] is not _NO_PATH:
            raise Undecided("a power with a non-constant exponent has no error model")
        v = self.values
        result = v.power(a[0], b[0])
        if a[1] is _NO_PATH:
            return result, _NO_PATH
        lowered = v.power(a[0], self._minus_one(b[0]))
        return result, v.mul(a[1], v.mul(b[0], lowered))

    def _minus_one(self, exponent: Err) -> Err:
        """c - 1 as the dtype computes it: exact where c - 1 is a float of the dtype."""
        exponent = _known(exponent)
        held = float(exponent.exact.mid())
        difference = float(self.kind(held) - self.kind(1))
        if exponent.error == 0 and arb(difference) == exponent.exact - 1:
            return Err(exponent.exact - 1, arb(0))
        return self.values.add(exponent, self.values.negated(_ONE))

    def unary(self, name: str, a: DualErr) -> DualErr:
        v, (u, du) = self.values, a
        r = v.unary(name, u)
        if name in ("sign", "floor", "ceiling"):   # derivative 0 wherever f has one
            self._branched_by(u)
            return r, _NO_PATH
        if du is _NO_PATH:
            return r, _NO_PATH
        return r, v.mul(du, self._factor(name, u, r))

    def _factor(self, name: str, u: Err, r: Err) -> Err:
        """d(name(u))/du as DualWalk's backward formula computes it."""
        v = self.values
        if name == "exp":
            return r
        if name in ("sinh", "cosh"):
            return v.unary("cosh" if name == "sinh" else "sinh", u)
        if name in ("tanh", "tan"):
            square = v.mul(r, r)
            return v.add(_ONE, v.negated(square)) if name == "tanh" else v.add(_ONE, square)
        if name == "sigmoid":
            return v.mul(v.add(_ONE, v.negated(r)), r)
        if name == "softplus":
            return self._softplus_factor(u)
        if name in ("erf", "erfc", "Phi"):
            return self._gaussian_factor(name, u)
        simple = {
            "log": lambda: v.reciprocal(u), "log1p": lambda: v.reciprocal(v.add(_ONE, u)),
            "expm1": lambda: v.add(r, _ONE),
            "sqrt": lambda: v.reciprocal(v.mul(self._n(2, arb(2)), r)),
            "sin": lambda: v.unary("cos", u), "cos": lambda: v.negated(v.unary("sin", u)),
            "atan": lambda: v.reciprocal(v.add(_ONE, v.mul(u, u))),
            "asinh": lambda: v.reciprocal(v.unary("sqrt", v.add(v.mul(u, u), _ONE))),
            "abs": lambda: v.unary("sign", u),
        }
        if name not in simple:
            raise Undecided(f"no error model for the derivative of {name}")
        return simple[name]()

    def _softplus_factor(self, u: Err) -> Err:
        """torch's z/(z + 1), z = exp(u), and 1 where the computed u > 20: there the true
        derivative sigmoid(u) differs from 1 by sigmoid(-u), added to the error."""
        u = _known(u)
        self._branched_by(u)   # the threshold, on the computed u
        exact = 1 / (1 + (-u.exact).exp())
        above = Err(exact, top(1 - exact))
        computed = u.computed
        if computed > 20:
            return above
        v = self.values
        z = v.unary("exp", u)
        below = v.divide(z, v.add(z, _ONE))
        if computed <= 20:
            return below
        below = _known(below)   # either branch, by the box
        return v.marked(Err(exact, arb.max(below.error, above.error)), v.assumes(below))

    def _gaussian_factor(self, name: str, u: Err) -> Err:
        """erf' = 2/sqrt(pi)*exp(-u*u), erfc' its negative, Phi' = exp(-u*u/2)/sqrt(2 pi)."""
        v = self.values
        if name == "Phi":
            square = v.mul(self._n(0.5, arb(0.5)), v.mul(u, u))
            scale = 1 / (2 * arb.pi()).sqrt()
        else:
            square = v.mul(u, u)
            scale = (2 if name == "erf" else -2) / arb.pi().sqrt()
        held = {"erf": 2 / math.sqrt(math.pi), "erfc": -2 / math.sqrt(math.pi),
                "Phi": 1 / math.sqrt(2 * math.pi)}[name]
        return v.mul(self._n(held, scale), v.unary("exp", v.negated(square)))

    def maximum(self, a: DualErr, b: DualErr) -> DualErr:
        return self.values.maximum(a[0], b[0]), self._pick(a, b, larger=True)

    def minimum(self, a: DualErr, b: DualErr) -> DualErr:
        return self.values.minimum(a[0], b[0]), self._pick(a, b, larger=False)

    def _pick(self, a: DualErr, b: DualErr, *, larger: bool) -> Err:
        """The derivative of the operand max (or min) picks, where it picks the same one,
        computed and true, on the whole neighbourhood (a tie there: Undecided)."""
        first, second = _known(a[0]), _known(b[0])
        self._branched_by(first, second)
        first_above = first.computed > second.computed and first.exact > second.exact
        second_above = second.computed > first.computed and second.exact > first.exact
        if not (first_above or second_above):
            raise Undecided("max/min may switch operands over the box")
        picked = a[1] if first_above == larger else b[1]
        return _as_path(picked)

    def heaviside(self, a: DualErr, at_zero: sp.Expr) -> DualErr:
        self._branched_by(a[0])
        return self.values.heaviside(a[0], at_zero), _NO_PATH

    def piecewise(self, expr: sp.Piecewise) -> DualErr:
        for branch, condition in expr.args:
            self.walk.assumed = False
            computed, exact = self.walk.truth(condition)
            self.branched_on_libm |= self.walk.assumed
            if computed is True and exact is True:
                value, slope = self.value(branch)
                return value, _as_path(slope)
            if not (computed is False and exact is False):
                raise Undecided("computed and true values may take different branches")
        raise Undecided("no branch applies")


def _as_path(slope: Err | _Failed) -> Err | _Failed:
    """A derivative DualWalk selected with numpy's where: an array like any other, which
    later operations no longer take for a constant's."""
    return Err(slope.exact, slope.error) if slope is _NO_PATH else slope
