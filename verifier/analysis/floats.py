"""The formula evaluated exactly as written, in float32 or float64, with numpy.

A walk over the sympy tree (never code generated from user text): every operation runs in the
requested dtype with IEEE semantics (overflow to inf, 0*inf = NaN), so what it returns is what
a framework computing the same formula elementwise returns, up to the last-bit accuracy of
numpy's transcendental functions. erf/erfc have no numpy ufunc: they are computed in float64
and rounded to the dtype. A Piecewise is judged on its taken branch; `untaken_nonfinite` marks
where an untaken branch is inf or NaN (the NaN that where() leaks into gradients).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy as sp

from verifier.analysis.undecided import Undecided

DTYPES = {"float32": np.float32, "float64": np.float64}

_UNARY: dict[type, Callable[[np.ndarray], np.ndarray]] = {
    sp.exp: np.exp, sp.log: np.log, sp.sin: np.sin, sp.cos: np.cos, sp.tan: np.tan,
    sp.tanh: np.tanh, sp.sinh: np.sinh, sp.cosh: np.cosh, sp.atan: np.arctan,
    sp.asinh: np.arcsinh, sp.Abs: np.abs, sp.sign: np.sign, sp.floor: np.floor,
    sp.ceiling: np.ceil,
}
_ERF = {sp.erf: np.vectorize(math.erf, otypes=[np.float64]),
        sp.erfc: np.vectorize(math.erfc, otypes=[np.float64])}


def evaluate(expr: sp.Expr, x: sp.Symbol, points: np.ndarray,
             dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, untaken_nonfinite) of expr at `points` in the dtype (raises Undecided for a
    function it cannot evaluate as written)."""
    walker = _Walker(x, points.astype(DTYPES[dtype]), DTYPES[dtype])
    with np.errstate(all="ignore"):
        values = walker.value(expr)
    return np.broadcast_to(values, points.shape).astype(DTYPES[dtype]), walker.untaken


class _Walker:
    def __init__(self, x: sp.Symbol, points: np.ndarray, dtype: type) -> None:
        self.x, self.points, self.dtype = x, points, dtype
        self.untaken = np.zeros(points.shape, dtype=bool)

    def value(self, expr: sp.Basic) -> np.ndarray:
        if expr == self.x:
            return self.points
        if expr.is_number and not expr.has(sp.zoo, sp.nan):
            return self.dtype(float(expr))
        if isinstance(expr, sp.Add):
            return self._fold(expr.args, np.add)
        if isinstance(expr, sp.Mul):
            return self._fold(expr.args, np.multiply)
        if isinstance(expr, sp.Pow):
            return self.power(*expr.args)
        if type(expr) in _UNARY:
            return _UNARY[type(expr)](self.value(expr.args[0]))
        if type(expr) in _ERF:
            return _ERF[type(expr)](np.float64(self.value(expr.args[0]))).astype(self.dtype)
        if isinstance(expr, (sp.Max, sp.Min)):
            return self._fold(expr.args, np.maximum if isinstance(expr, sp.Max) else np.minimum)
        if isinstance(expr, sp.Heaviside):
            u = self.value(expr.args[0])
            return np.where(u > 0, self.dtype(1), np.where(u < 0, self.dtype(0),
                                                            self.dtype(0.5)))
        if isinstance(expr, sp.DiracDelta):   # f' of a jump: 0 away from it
            return self.dtype(0)
        if isinstance(expr, sp.Piecewise):
            return self.piecewise(expr)
        raise Undecided(f"no float evaluation of {type(expr).__name__} as written")

    def power(self, base: sp.Expr, exponent: sp.Expr) -> np.ndarray:
        b = self.value(base)
        if exponent == sp.Rational(1, 2):
            return np.sqrt(b)
        if exponent == -1:
            return self.dtype(1) / b
        if exponent.is_Integer:
            return np.power(b, int(exponent)).astype(self.dtype)
        return np.power(b, self.value(exponent))

    def piecewise(self, expr: sp.Piecewise) -> np.ndarray:
        chosen = np.zeros(self.points.shape, dtype=bool)
        result = np.full(self.points.shape, np.nan, dtype=self.dtype)
        for branch, condition in expr.args:
            taken = np.broadcast_to(self.condition(condition), self.points.shape) & ~chosen
            values = np.broadcast_to(self.value(branch), self.points.shape)
            result = np.where(taken, values, result)
            self.untaken |= ~taken & ~np.isfinite(values)
            chosen |= taken
        return result

    def condition(self, condition: sp.Basic) -> np.ndarray:
        if condition in (sp.true, True):
            return np.ones(self.points.shape, dtype=bool)
        if condition in (sp.false, False):
            return np.zeros(self.points.shape, dtype=bool)
        if isinstance(condition, (sp.And, sp.Or)):
            parts = [self.condition(c) for c in condition.args]
            return np.logical_and.reduce(parts) if isinstance(condition, sp.And) else \
                np.logical_or.reduce(parts)
        tests = {sp.Lt: np.less, sp.Le: np.less_equal, sp.Gt: np.greater,
                 sp.Ge: np.greater_equal, sp.Eq: np.equal, sp.Ne: np.not_equal}
        if type(condition) not in tests:
            raise Undecided(f"no float evaluation of the condition {condition}")
        return tests[type(condition)](self.value(condition.lhs), self.value(condition.rhs))

    def _fold(self, items, combine) -> np.ndarray:
        result = self.value(items[0])
        for item in items[1:]:
            result = combine(result, self.value(item))
        return np.asarray(result, dtype=self.dtype)
