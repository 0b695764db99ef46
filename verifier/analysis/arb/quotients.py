"""Vanishing quotients phi(exp(w)) * exp(-w), enclosed by the mean value theorem.

Far out on a tail, activations are functions of a tiny t = exp(w) (t = exp(x) as x -> -oo):
tanh(exp(x)) in tanhexp, erf(log(1 + exp(x))) in serf. Their sign forms divide by t, and ball
arithmetic then multiplies a ball near [0, t_max] by one near [1/t_max, 1/t_min]: over a box
where t spans e**-1024 to e**-512 the product is useless. When phi(0) = 0 and phi is smooth on
[0, t], phi(t) / t = phi'(xi) for some xi in (0, t), so phi(t) / t lies in phi'([0, t]), a
tight enclosure (near phi'(0)).

`vanishing_quotient(product, x)` finds the pattern symbolically (cached per expression); the
certified evaluator encloses phi' over [0, t]. What it does not do: find the pattern inside a
single fraction that simplify has merged, or for powers exp(-k*w) with k != 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from verifier.analysis.derivatives import derivative
from verifier.fresh import memo

T = sp.Dummy("t", nonnegative=True)
_NOT_SMOOTH = (sp.Abs, sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.Piecewise, sp.Max,
               sp.Min)


@dataclass(frozen=True)
class VanishingQuotient:
    """product = phi(t) / t with t = exp(w) and phi(0) = 0; slope = phi'(t)."""

    w: sp.Expr
    slope: sp.Expr


@memo(2048)
def vanishing_quotient(product: sp.Mul, x: sp.Symbol) -> VanishingQuotient | None:
    for factor in product.args:
        w = _decaying_argument(factor, x)
        if w is None:
            continue
        rest = product / factor
        if _bare(rest, x):   # phi would keep x: skip sympy's subs (3 ms on sigmoid-like rests)
            continue
        phi = rest.subs(sp.exp(w), T)
        if x in phi.free_symbols or phi.has(*_NOT_SMOOTH) or not phi.has(T):
            continue
        try:
            at_zero = phi.subs(T, 0)
        except (ValueError, TypeError, ZeroDivisionError):
            continue
        if at_zero == 0:
            slope = derivative(phi, T)
            if slope.subs(T, 0).is_finite:
                return VanishingQuotient(w, slope)
    return None


def _bare(expr: sp.Expr, x: sp.Symbol) -> bool:
    """x occurs outside every exp(...) and every power with x in its exponent (a power that
    substituting t for exp(w) could rewrite): that occurrence stays after the substitution."""
    if expr == x:
        return True
    if isinstance(expr, sp.exp) or (isinstance(expr, sp.Pow) and x in expr.exp.free_symbols):
        return False
    return any(_bare(arg, x) for arg in expr.args)


def _decaying_argument(factor: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """w when factor is exp(-w) (or 1/exp(w)) with w depending on x."""
    if isinstance(factor, sp.exp) and x in factor.free_symbols:
        return -factor.args[0]
    if (isinstance(factor, sp.Pow) and factor.exp == -1 and isinstance(factor.base, sp.exp)
            and x in factor.free_symbols):
        return factor.base.args[0]
    return None
