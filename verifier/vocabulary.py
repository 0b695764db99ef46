"""The fixed vocabulary of functions an expression may call, and the activation shorthands.

Each entry builds a sympy object from already-built sympy arguments. Shorthands (sigmoid, relu,
softplus, Phi) expand to their textbook formulas here; for the float-stability check they are
kept instead as the frameworks' stable implementations (STABLE_SHORTHANDS), whose derivatives
are what autodiff computes: sigmoid' = sigmoid*(1 - sigmoid), softplus' = sigmoid,
Phi' = exp(-u**2/2)/sqrt(2*pi). relu is max(0, u) either way. log1p, expm1 and logaddexp
read as log(1 + u), exp(u) - 1 and log(exp(a) + exp(b)) in the analysis, and run as numpy's
ufuncs (logaddexp as numpy's max(a, b) + log1p(exp(-|a - b|))) in float programs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class FunctionSpec:
    """A callable name: how many arguments it takes and how to build it."""

    min_args: int
    max_args: int | None  # None: any number >= min_args
    build: Callable[[Sequence[sp.Basic]], sp.Basic]
    # Max or Min: sympy merges nested calls into one and compares every pair of arguments
    merges_nested: type | None = None

    def arity_text(self) -> str:
        if self.max_args is None:
            return f"at least {self.min_args} arguments"
        if self.min_args == self.max_args:
            return f"{self.min_args} argument" + ("s" if self.min_args != 1 else "")
        return f"{self.min_args} to {self.max_args} arguments"


def _unary(fn: Callable[[sp.Basic], sp.Basic]) -> FunctionSpec:
    return FunctionSpec(1, 1, lambda a: fn(a[0]))


def _sigmoid(u: sp.Basic) -> sp.Basic:
    return 1 / (1 + sp.exp(-u))


def _phi(u: sp.Basic) -> sp.Basic:
    return (1 + sp.erf(u / sp.sqrt(2))) / 2


class _PositiveOfReal(sp.Function):
    """A shorthand that is a finite positive real at every real argument (for the
    assumption system, so that log(sigmoid(u)) is known to be defined)."""

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_positive(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_finite(self) -> bool | None:
        return True if self.args[0].is_extended_real and self.args[0].is_finite else None


class sigmoid(_PositiveOfReal):  # noqa: N801 - printed as the user wrote it
    """The frameworks' sigmoid: exp(-|u|) based, never overflows (float programs only)."""

    @classmethod
    def eval(cls, u: sp.Basic) -> sp.Basic | None:
        return _sigmoid(u) if u.is_number else None

    def fdiff(self, argindex: int = 1) -> sp.Basic:
        return sigmoid(self.args[0]) * (1 - sigmoid(self.args[0]))


class softplus(_PositiveOfReal):  # noqa: N801
    """The frameworks' softplus, logaddexp(0, u) (float programs only)."""

    @classmethod
    def eval(cls, u: sp.Basic) -> sp.Basic | None:
        return sp.log(1 + sp.exp(u)) if u.is_number else None

    def fdiff(self, argindex: int = 1) -> sp.Basic:
        return sigmoid(self.args[0])


class Phi(_PositiveOfReal):
    """The frameworks' normal CDF, erfc(-u/sqrt(2))/2 (float programs only)."""

    @classmethod
    def eval(cls, u: sp.Basic) -> sp.Basic | None:
        return _phi(u) if u.is_number else None

    def fdiff(self, argindex: int = 1) -> sp.Basic:
        return sp.exp(-self.args[0] ** 2 / 2) / sp.sqrt(2 * sp.pi)


class log1p(sp.Function):  # noqa: N801 - printed as the user wrote it
    """numpy's log1p(u) = log(1 + u), accurate near 0 (float programs only; the analysis
    reads log(1 + u), the same function on the same domain u > -1)."""

    @classmethod
    def eval(cls, u: sp.Basic) -> sp.Basic | None:
        return sp.log(1 + u) if u.is_number else None

    def fdiff(self, argindex: int = 1) -> sp.Basic:
        return 1 / (1 + self.args[0])   # as autodiff computes it: grad / (1 + u)

    def _eval_is_extended_real(self) -> bool | None:
        return True if (1 + self.args[0]).is_positive else None


class expm1(sp.Function):  # noqa: N801
    """numpy's expm1(u) = exp(u) - 1, accurate near 0 (float programs only)."""

    @classmethod
    def eval(cls, u: sp.Basic) -> sp.Basic | None:
        return sp.exp(u) - 1 if u.is_number else None

    def fdiff(self, argindex: int = 1) -> sp.Basic:
        return expm1(self.args[0]) + 1   # as autodiff computes it: grad * (result + 1)

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_finite(self) -> bool | None:
        return True if self.args[0].is_extended_real and self.args[0].is_finite else None


def _logaddexp(a: sp.Basic, b: sp.Basic) -> sp.Basic:
    return sp.log(sp.exp(a) + sp.exp(b))


def _stable_logaddexp(a: sp.Basic, b: sp.Basic) -> sp.Basic:
    """numpy's algorithm: max(a, b) + log1p(exp(-|a - b|)), no exp of a large number."""
    return sp.Max(a, b) + log1p(sp.exp(-sp.Abs(a - b)))


FUNCTIONS: dict[str, FunctionSpec] = {
    "exp": _unary(sp.exp),
    "log": _unary(sp.log),
    "sqrt": _unary(sp.sqrt),
    "abs": _unary(sp.Abs),
    "Abs": _unary(sp.Abs),
    "sign": _unary(sp.sign),
    "min": FunctionSpec(2, None, lambda a: sp.Min(*a), sp.Min),
    "Min": FunctionSpec(2, None, lambda a: sp.Min(*a), sp.Min),
    "max": FunctionSpec(2, None, lambda a: sp.Max(*a), sp.Max),
    "Max": FunctionSpec(2, None, lambda a: sp.Max(*a), sp.Max),
    "tanh": _unary(sp.tanh),
    "sinh": _unary(sp.sinh),
    "cosh": _unary(sp.cosh),
    "sin": _unary(sp.sin),
    "cos": _unary(sp.cos),
    "tan": _unary(sp.tan),
    "atan": _unary(sp.atan),
    "arctan": _unary(sp.atan),
    "asinh": _unary(sp.asinh),
    "erf": _unary(sp.erf),
    "erfc": _unary(sp.erfc),
    "Heaviside": FunctionSpec(1, 2, lambda a: sp.Heaviside(*a)),
    "floor": _unary(sp.floor),
    "ceiling": _unary(sp.ceiling),
    "log1p": _unary(lambda u: sp.log(1 + u)),
    "expm1": _unary(lambda u: sp.exp(u) - 1),
    "logaddexp": FunctionSpec(2, 2, lambda a: _logaddexp(*a)),
    # activation shorthands
    "sigmoid": _unary(_sigmoid),
    "relu": _unary(lambda u: sp.Max(0, u)),
    "softplus": _unary(lambda u: sp.log(1 + sp.exp(u))),
    "Phi": _unary(_phi),
}

# The shorthands as the frameworks implement them (parse_expression(..., stable_shorthands=True))
STABLE_SHORTHANDS: dict[str, FunctionSpec] = {
    "sigmoid": _unary(sigmoid), "softplus": _unary(softplus), "Phi": _unary(Phi),
    "log1p": _unary(log1p), "expm1": _unary(expm1),
    "logaddexp": FunctionSpec(2, 2, lambda a: _stable_logaddexp(*a)),
}

# Called with (value, condition) tuples or a condition first; built by the parser itself.
CONDITIONAL_FUNCTIONS = ("Piecewise", "where", "Eq", "Ne")
# names refused on purpose, with what to write instead (the frameworks disagree on them)
REFUSED_WITH_HINT = {
    "sinc": "numpy's sinc is sin(pi*x)/(pi*x), sympy's sin(x)/x: write the one you mean, "
            "e.g. Piecewise((1, x == 0), (sin(x)/x, True))",
}

CONSTANTS: dict[str, sp.Basic] = {"pi": sp.pi, "e": sp.E, "E": sp.E}

RESERVED_NAMES = frozenset(FUNCTIONS) | frozenset(CONDITIONAL_FUNCTIONS) | frozenset(CONSTANTS)


def variable_symbol(name: str = "x") -> sp.Symbol:
    """The real symbol an activation is a function of (shared by parser and analysis)."""
    return sp.Symbol(name, real=True)
