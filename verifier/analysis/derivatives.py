"""Derivatives of the pieces, each computed once per process.

The same piece's f' is asked for by smoothness, no_dead_zone, nonlinear, lipschitz, the shape
and the sign tails; sympy's diff builds every product anew and asks the assumption system about
each factor (about 12 ms for a small product), so a batch of search candidates spent half its
time differentiating (34 of 67 s for 500 candidates). `derivative` is sympy's own diff, kept
per (expression, variable, order) (`lru_cache` on a pure function: sympy expressions are
immutable, so sharing a result is safe).

What it does not do: simplify. `derivative(e, x, 2)` is sympy's diff(e, x, 2), whose form
(Leibniz's rule over the factors) differs from differentiating twice; `second_derivative`
differentiates the kept f' again, which is cheaper (three times on a product of two functions)
and the form to use where f'' is tested, not shown.
"""

from __future__ import annotations

import sympy as sp

from verifier.fresh import memo


@memo(4096)
def derivative(expr: sp.Expr, x: sp.Symbol, order: int = 1) -> sp.Expr:
    """sympy's diff(expr, x, order), kept."""
    return sp.diff(expr, x, order)


def second_derivative(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """f'' as the derivative of the kept f' (its form differs from diff(expr, x, 2))."""
    return derivative(derivative(expr, x), x)


def without_deltas(derivative_: sp.Expr) -> sp.Expr:
    """f' with the DiracDelta terms sympy gives a jump or a sign (and the derivatives of
    floor/ceiling it leaves unevaluated) dropped: each piece's own slope. Equal to f'
    everywhere except where a delta's argument is 0 (a breakpoint of the pieces), where the
    caller must not read it."""
    return derivative_.replace(
        lambda e: isinstance(e, sp.DiracDelta) or (isinstance(e, sp.Derivative) and isinstance(
            e.expr, (sp.floor, sp.ceiling))), lambda e: sp.Integer(0))
