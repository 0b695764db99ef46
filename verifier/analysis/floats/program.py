"""The formula evaluated exactly as written, in float32 or float64 (float16 and bfloat16 too),
with numpy.

A walk over the sympy tree (never code generated from user text): every operation runs in the
requested dtype with IEEE semantics (overflow to inf, 0*inf = NaN), so what it returns is what
a framework computing the same formula elementwise returns, up to the last-bit accuracy of
numpy's transcendental functions. erf/erfc/Phi have no numpy ufunc: they are computed in
float64 and rounded to the dtype. The shorthands kept by the float program (sigmoid, softplus,
Phi) run as the frameworks implement them. A Piecewise is judged on its taken branch;
`untaken_nonfinite` marks where an untaken branch is inf or NaN (the NaN that where() leaks
into gradients).

`FloatWalk` is the dispatch shared with the span enclosures (verifier.analysis.floats.spans):
both walk the same nodes into the same dtype operations, so a span encloses what the arrays
compute.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Generic, TypeVar

import numpy as np
import sympy as sp

from verifier.analysis.undecided import Undecided
from verifier.fresh import memo
from verifier.vocabulary import Phi, expm1, log1p, sigmoid, softplus

DTYPES = {"float32": np.float32, "float64": np.float64}   # float_stable's dtypes


def float_info(dtype: str):
    """numpy's finfo of a dtype name, ml_dtypes' for bfloat16 (imported only then)."""
    if dtype == "bfloat16":
        import ml_dtypes
        return ml_dtypes.finfo(numeric_type(dtype))
    return np.finfo(numeric_type(dtype))


def numeric_type(dtype: str) -> type:
    """The numpy type of a dtype name: float_stable's, or a 16-bit one of the accuracy scan
    (verifier.analysis.floats.accuracy). bfloat16 comes from ml_dtypes (numpy has none),
    imported only then: its import takes about a second."""
    if dtype == "bfloat16":
        import ml_dtypes
        return ml_dtypes.bfloat16
    return np.float16 if dtype == "float16" else DTYPES[dtype]
V = TypeVar("V")

# sympy node -> operation name (the same names in both semantics)
UNARY_NAMES: dict[type, str] = {
    sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan",
    sp.tanh: "tanh", sp.sinh: "sinh", sp.cosh: "cosh", sp.atan: "atan", sp.asinh: "asinh",
    sp.Abs: "abs", sp.sign: "sign", sp.floor: "floor", sp.ceiling: "ceiling", sp.erf: "erf",
    sp.erfc: "erfc", sigmoid: "sigmoid", softplus: "softplus", Phi: "Phi",
    log1p: "log1p", expm1: "expm1",
}


@memo(8192)
def _is_constant(expr: sp.Basic) -> bool:
    """A finite-looking number (cached: sympy's is_number walks the tree every time)."""
    return bool(expr.is_number) and not expr.has(sp.zoo, sp.nan)


class FloatWalk(Generic[V]):
    """Dispatch from sympy nodes to operations; subclasses give the values (a dtype's floats,
    spans of them, or 50-digit mpmath numbers). The dispatch is done once per formula: it is
    compiled into closures that call the walk's operations in the order the tree gives
    (`_program`), so evaluating at many points costs the operations, not the isinstance tests.
    A walk with `records` set is told of every node's value (`record`)."""

    records = False

    def __init__(self, x: sp.Symbol) -> None:
        self.x = x

    def value(self, expr: sp.Basic) -> V:
        return _program(expr, self.x, self.records)(self)

    def record(self, expr: sp.Basic, value: V) -> V:
        return value

    # the operations, in the dtype -------------------------------------------------------
    def variable(self) -> V: raise NotImplementedError
    def constant(self, number: sp.Expr) -> V: raise NotImplementedError
    def add(self, a: V, b: V) -> V: raise NotImplementedError
    def mul(self, a: V, b: V) -> V: raise NotImplementedError
    def reciprocal(self, a: V) -> V: raise NotImplementedError
    def divide(self, a: V, b: V) -> V: raise NotImplementedError
    def integer_power(self, a: V, n: int) -> V: raise NotImplementedError
    def power(self, a: V, b: V) -> V: raise NotImplementedError
    def unary(self, name: str, a: V) -> V: raise NotImplementedError
    def maximum(self, a: V, b: V) -> V: raise NotImplementedError
    def minimum(self, a: V, b: V) -> V: raise NotImplementedError
    def heaviside(self, a: V, at_zero: sp.Expr) -> V: raise NotImplementedError
    def piecewise(self, expr: sp.Piecewise) -> V: raise NotImplementedError


Program = Callable[[FloatWalk], object]


@memo(4096)
def _program(expr: sp.Basic, x: sp.Symbol, records: bool) -> Program:
    """expr as closures over a walk: the node's operation on its operands' programs, in the
    order of the tree (a/b is one division; see _product). A node the walk cannot evaluate
    raises Undecided when it is reached, as it would in a recursive walk."""
    run = _node(expr, x, records)
    if not records:
        return run
    return lambda walk: walk.record(expr, run(walk))


def _node(expr: sp.Basic, x: sp.Symbol, records: bool) -> Program:
    sub = lambda e: _program(e, x, records)   # noqa: E731
    if expr is x or (expr.is_Symbol and expr == x):   # `is`: sympy's == is slow
        return lambda walk: walk.variable()
    if _is_constant(expr):
        return lambda walk: walk.constant(expr)
    if isinstance(expr, sp.Add):
        return _folded([sub(a) for a in expr.args], "add")
    if isinstance(expr, sp.Mul):
        return _product(expr.args, sub)
    if isinstance(expr, sp.Pow):
        base, exponent = sub(expr.base), expr.exp
        if exponent is sp.S.Half:   # sympy's singletons (its == costs more than the walk)
            return lambda walk: walk.unary("sqrt", base(walk))
        if exponent is sp.S.NegativeOne:
            return lambda walk: walk.reciprocal(base(walk))
        if exponent.is_Integer:
            n = int(exponent)
            return lambda walk: walk.integer_power(base(walk), n)
        power = sub(exponent)
        return lambda walk: walk.power(base(walk), power(walk))
    if type(expr) in UNARY_NAMES:
        name, argument = UNARY_NAMES[type(expr)], sub(expr.args[0])
        return lambda walk: walk.unary(name, argument(walk))
    if isinstance(expr, (sp.Max, sp.Min)):
        return _folded([sub(a) for a in expr.args],
                       "maximum" if isinstance(expr, sp.Max) else "minimum")
    if isinstance(expr, sp.Heaviside):
        at_zero = expr.args[1] if len(expr.args) > 1 else sp.Rational(1, 2)
        argument = sub(expr.args[0])
        return lambda walk: walk.heaviside(argument(walk), at_zero)
    if isinstance(expr, sp.DiracDelta) or (isinstance(expr, sp.Derivative) and isinstance(
            expr.expr, (sp.floor, sp.ceiling))):   # f' of a step: 0, as autodiff has it
        return lambda walk: walk.constant(sp.Integer(0))
    if isinstance(expr, sp.Piecewise):
        return lambda walk: walk.piecewise(expr)

    def unsupported(walk: FloatWalk) -> object:
        raise Undecided(f"no float evaluation of {type(expr).__name__} as written")
    return unsupported


def _product(factors, sub: Callable[[sp.Basic], Program]) -> Program:
    """The factors multiplied in order, then divided by each divisor b**-n (by b**n): a/b
    is one division, as the text (and sympy's a*b**-1) means it, where a*(1/b) would
    overflow for a subnormal b. sympy puts a constant first even in a written product,
    so x*y/6 is Mul(6**-1, x*y): (x*y)/6 is what was written."""
    divisors = [f for f in factors
                if isinstance(f, sp.Pow) and f.exp.is_Integer and f.exp < 0]
    numerator = [f for f in factors if f not in divisors]
    if not numerator:
        return _folded([sub(f) for f in factors], "mul")   # a product of reciprocals
    top = _folded([sub(f) for f in numerator], "mul")
    bottoms = [(sub(d.base), -int(d.exp)) for d in divisors]

    def run(walk: FloatWalk) -> object:
        result = top(walk)
        for base, n in bottoms:
            value = base(walk)
            result = walk.divide(result, value if n == 1 else walk.integer_power(value, n))
        return result
    return run


def _folded(programs: list[Program], operation: str) -> Program:
    first, rest = programs[0], programs[1:]

    def run(walk: FloatWalk) -> object:
        combine = getattr(walk, operation)
        result = first(walk)
        for program in rest:
            result = combine(result, program(walk))
        return result
    return run


def evaluate(expr: sp.Expr, x: sp.Symbol, points: np.ndarray,
             dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, untaken_nonfinite) of expr at `points` in the dtype (raises Undecided for a
    function it cannot evaluate as written)."""
    kind = numeric_type(dtype)
    walker = ArrayWalk(x, points.astype(kind), kind)
    with np.errstate(all="ignore"):
        values = walker.value(expr)
    return np.broadcast_to(values, points.shape).astype(kind), walker.untaken


def _in_float64(function: Callable[[float], float]) -> Callable[[np.ndarray], np.ndarray]:
    vectorised = np.vectorize(function, otypes=[np.float64])
    return lambda u: vectorised(np.float64(u)).astype(u.dtype)


def _stable_sigmoid(u: np.ndarray) -> np.ndarray:
    """As torch/jax compute it: exp(-|u|) never overflows."""
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1 / (1 + e), e / (1 + e)).astype(u.dtype)


_ARRAY_UNARY: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos,
    "tan": np.tan, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh, "atan": np.arctan,
    "asinh": np.arcsinh, "abs": np.abs, "sign": np.sign, "floor": np.floor,
    "ceiling": np.ceil, "erf": _in_float64(math.erf), "erfc": _in_float64(math.erfc),
    "Phi": _in_float64(lambda u: math.erfc(-u / math.sqrt(2)) / 2),
    "sigmoid": _stable_sigmoid, "softplus": lambda u: np.logaddexp(u.dtype.type(0), u),
    "log1p": np.log1p, "expm1": np.expm1,
}


def dtype_constant(number: sp.Expr, dtype: type) -> float:
    """The constant as the dtype holds it (rounded to float64, then to the dtype)."""
    return float(dtype(float(number)))


class ArrayWalk(FloatWalk[np.ndarray]):
    """The values of the walk: numpy arrays of the dtype at the input points."""

    def __init__(self, x: sp.Symbol, points: np.ndarray, dtype: type) -> None:
        super().__init__(x)
        self.dtype = dtype
        self.points = points
        self.untaken = np.zeros(points.shape, dtype=bool)

    def variable(self) -> np.ndarray:
        return self.points

    def constant(self, number: sp.Expr) -> np.ndarray:
        return np.full(self.points.shape, dtype_constant(number, self.dtype), dtype=self.dtype)

    def add(self, a, b):
        return np.add(a, b, dtype=self.dtype)

    def mul(self, a, b):
        return np.multiply(a, b, dtype=self.dtype)

    def reciprocal(self, a):
        return np.divide(self.dtype(1), a, dtype=self.dtype)

    def divide(self, a, b):
        return np.divide(a, b, dtype=self.dtype)

    def integer_power(self, a, n):
        if n == 1:   # autodiff's u**(n - 1) for n = 2: a copy in torch (and in numpy's pow)
            return np.asarray(a, dtype=self.dtype)
        return np.power(a, n).astype(self.dtype)

    def power(self, a, b):
        return np.power(a, b, dtype=self.dtype)

    def unary(self, name, a):
        return _ARRAY_UNARY[name](a).astype(self.dtype)

    def maximum(self, a, b):
        return np.maximum(a, b)

    def minimum(self, a, b):
        return np.minimum(a, b)

    def heaviside(self, a, at_zero):
        return np.where(a > 0, self.dtype(1), np.where(a < 0, self.dtype(0), self.dtype(
            dtype_constant(at_zero, self.dtype))))

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
        if type(condition) not in COMPARISONS:
            raise Undecided(f"no float evaluation of the condition {condition}")
        return COMPARISONS[type(condition)](self.value(condition.lhs),
                                            self.value(condition.rhs))


COMPARISONS = {sp.Lt: np.less, sp.Le: np.less_equal, sp.Gt: np.greater,
               sp.Ge: np.greater_equal, sp.Eq: np.equal, sp.Ne: np.not_equal}
