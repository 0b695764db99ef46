"""f' as a framework's autodiff computes it from the formula as written, in a dtype (issue 19's
gradient side): every operation carries its value and its derivative, each computed in the
dtype with the backward formula PyTorch uses for it (tanh' = 1 - t*t from the output t,
sigmoid' = (1 - s)*s, exp' = the output, softplus' = z/(z + 1) with z = exp(u) up to its
threshold 20, 1/u' = -(r*r), u**n' = n*u**(n - 1), max and min split a tie in halves, steps
have 0). The values are those of verifier.analysis.floats.program, operation for operation.

What it does not reproduce: reverse mode's order of summation where a value feeds three or
more paths (floating-point addition is commutative, not associative), and the NaN an untaken
`where` branch leaks into reverse-mode gradients (only the taken branch's derivative is
kept here; float_stable's `untaken_branch_nonfinite` reports those leaks).
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from verifier.analysis.floats.program import ArrayWalk, FloatWalk, numeric_type

Dual = tuple[np.ndarray, np.ndarray]   # (value, derivative) at every input point


def autodiff_slope(written: sp.Expr, x: sp.Symbol, points: np.ndarray,
                   dtype: str) -> np.ndarray:
    """f' at `points` as autodiff computes it from `written` in `dtype` (raises Undecided for
    an operation it cannot evaluate)."""
    kind = numeric_type(dtype)
    walk = DualWalk(x, points.astype(kind), kind)
    with np.errstate(all="ignore"):
        _, slope = walk.value(written)
    return np.broadcast_to(slope, points.shape).astype(kind)


class DualWalk(FloatWalk[Dual]):
    def __init__(self, x: sp.Symbol, points: np.ndarray, dtype: type) -> None:
        super().__init__(x)
        self.values = ArrayWalk(x, points, dtype)   # the forward values, as the program's
        self.dtype = dtype
        self.zero = np.zeros(points.shape, dtype=dtype)

    def _n(self, number: float) -> np.ndarray:
        return self.dtype(number)

    def variable(self) -> Dual:
        return self.values.variable(), np.ones(self.zero.shape, dtype=self.dtype)

    def constant(self, number: sp.Expr) -> Dual:
        return self.values.constant(number), self.zero

    def add(self, a: Dual, b: Dual) -> Dual:
        terms = [t for t, operand in ((a[1], a), (b[1], b)) if not self._constant(operand)]
        return self.values.add(a[0], b[0]), self._sum(terms)

    def _constant(self, a: Dual) -> bool:
        """A constant has no gradient path: no term of its own (reverse mode never
        multiplies a constant's zero gradient by the other operand, which may be inf)."""
        return a[1] is self.zero

    def mul(self, a: Dual, b: Dual) -> Dual:
        v, terms = self.values, []
        if not self._constant(a):
            terms.append(v.mul(a[1], b[0]))
        if not self._constant(b):
            terms.append(v.mul(a[0], b[1]))
        return v.mul(a[0], b[0]), self._sum(terms)

    def divide(self, a: Dual, b: Dual) -> Dual:
        v, terms = self.values, []   # d(a/b) = da/b - db*a/(b*b)
        if not self._constant(a):
            terms.append(v.divide(a[1], b[0]))
        if not self._constant(b):
            terms.append(-v.divide(v.mul(b[1], a[0]), v.mul(b[0], b[0])))
        return v.divide(a[0], b[0]), self._sum(terms)

    def _sum(self, terms: list[np.ndarray]) -> np.ndarray:
        if not terms:
            return self.zero
        total = terms[0]
        for term in terms[1:]:
            total = self.values.add(total, term)
        return total

    def reciprocal(self, a: Dual) -> Dual:
        v = self.values
        r = v.reciprocal(a[0])
        return r, self.zero if self._constant(a) else -v.mul(a[1], v.mul(r, r))

    def integer_power(self, a: Dual, n: int) -> Dual:
        v = self.values
        if n == 0 or self._constant(a):
            return v.integer_power(a[0], n), self.zero
        factor = v.mul(self._n(n), v.integer_power(a[0], n - 1))
        return v.integer_power(a[0], n), v.mul(a[1], factor)

    def power(self, a: Dual, b: Dual) -> Dual:
        v = self.values
        result = v.power(a[0], b[0])
        terms = []
        if not self._constant(a):
            terms.append(v.mul(a[1], v.mul(b[0], v.power(a[0], v.add(b[0], -self._n(1))))))
        if not self._constant(b):   # as torch: none where the base is 0, the exponent >= 0
            by_exponent = v.mul(b[1], v.mul(result, v.unary("log", a[0])))
            terms.append(np.where((a[0] == 0) & (b[0] >= 0), self.zero, by_exponent))
        return result, self._sum(terms)

    def unary(self, name: str, a: Dual) -> Dual:
        v, (u, du) = self.values, a
        r = v.unary(name, u)
        if name in ("sign", "floor", "ceiling") or self._constant(a):
            return r, self.zero
        return r, v.mul(du, self._factor(name, u, r))

    def _factor(self, name: str, u: np.ndarray, r: np.ndarray) -> np.ndarray:
        """d(name(u))/du as the backward formula computes it."""
        v, one = self.values, self._n(1)
        if name in ("exp", "sinh", "cosh"):
            return r if name == "exp" else v.unary("cosh" if name == "sinh" else "sinh", u)
        if name in ("tanh", "tan"):
            square = v.mul(r, r)
            return v.add(one, -square) if name == "tanh" else v.add(one, square)
        if name == "sigmoid":
            return v.mul(v.add(one, -r), r)
        if name == "softplus":   # torch: z/(z + 1), z = exp(u), and 1 above the threshold 20
            z = v.unary("exp", u)
            return np.where(u > 20, one, v.divide(z, v.add(z, one)))
        if name in ("erf", "erfc", "Phi"):
            scale = {"erf": 2 / math.sqrt(math.pi), "erfc": -2 / math.sqrt(math.pi),
                     "Phi": 1 / math.sqrt(2 * math.pi)}[name]
            square = v.mul(u, u) if name != "Phi" else v.mul(self._n(0.5), v.mul(u, u))
            return v.mul(self._n(scale), v.unary("exp", -square))
        simple = {
            "log": lambda: v.reciprocal(u), "log1p": lambda: v.reciprocal(v.add(one, u)),
            "expm1": lambda: v.add(r, one), "sqrt": lambda: v.reciprocal(v.mul(self._n(2), r)),
            "sin": lambda: v.unary("cos", u), "cos": lambda: -v.unary("sin", u),
            "atan": lambda: v.reciprocal(v.add(one, v.mul(u, u))),
            "asinh": lambda: v.reciprocal(v.unary("sqrt", v.add(v.mul(u, u), one))),
            "abs": lambda: v.unary("sign", u),
        }
        return simple[name]()

    def maximum(self, a: Dual, b: Dual) -> Dual:
        return self._pick(a, b, a[0] > b[0], a[0] < b[0], self.values.maximum(a[0], b[0]))

    def minimum(self, a: Dual, b: Dual) -> Dual:
        return self._pick(a, b, a[0] < b[0], a[0] > b[0], self.values.minimum(a[0], b[0]))

    def _pick(self, a: Dual, b: Dual, first: np.ndarray, second: np.ndarray,
              value: np.ndarray) -> Dual:
        half = self.values.mul(self._n(0.5), self.values.add(a[1], b[1]))   # a tie: halves
        return value, np.where(first, a[1], np.where(second, b[1], half))

    def heaviside(self, a: Dual, at_zero: sp.Expr) -> Dual:
        return self.values.heaviside(a[0], at_zero), self.zero

    def piecewise(self, expr: sp.Piecewise) -> Dual:
        shape = self.zero.shape
        chosen = np.zeros(shape, dtype=bool)
        value = np.full(shape, np.nan, dtype=self.dtype)
        slope = np.full(shape, np.nan, dtype=self.dtype)
        for branch, condition in expr.args:
            taken = np.broadcast_to(self.values.condition(condition), shape) & ~chosen
            branch_value, branch_slope = self.value(branch)
            value = np.where(taken, np.broadcast_to(branch_value, shape), value)
            slope = np.where(taken, np.broadcast_to(branch_slope, shape), slope)
            chosen |= taken
        return value, slope

