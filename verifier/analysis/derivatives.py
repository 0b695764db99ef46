"""Derivatives of the pieces, each computed once per process.

The same piece's f' is asked for by smoothness, no_dead_zone, nonlinear, lipschitz, the shape
and the sign tails; sympy's diff builds every product anew and asks the assumption system about
each factor (about 12 ms for a small product), so a batch of search candidates spent half its
time differentiating (34 of 67 s for 500 candidates). `derivative` is sympy's own diff, kept
per (expression, variable, order) (`lru_cache` on a pure function: sympy expressions are
immutable, so sharing a result is safe).

A first derivative is `first_derivative`: sympy's own rules, node for node, without the
bookkeeping of sympy's Derivative class around every node (5-10x faster on the search
space's products and quotients; see its docstring for why the tree is sympy's exactly).

What it does not do: simplify. `derivative(e, x, 2)` is sympy's diff(e, x, 2), whose form
(Leibniz's rule over the factors) differs from differentiating twice; `second_derivative`
differentiates the kept f' again, which is cheaper (three times on a product of two functions)
and the form to use where f'' is tested, not shown.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import ArgumentIndexError
from sympy.ntheory.multinomial import multinomial_coefficients_iterator

from verifier.fresh import memo


@memo(4096)
def derivative(expr: sp.Expr, x: sp.Symbol, order: int = 1) -> sp.Expr:
    """sympy's diff(expr, x, order), kept."""
    return first_derivative(expr, x) if order == 1 else sp.diff(expr, x, order)


def first_derivative(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """sympy's diff(expr, x): the same tree, built by the same constructors in the same order.

    sympy's Derivative(expr, x, evaluate=True) does, at every node: 0 where x is not free;
    otherwise the node's `_eval_derivative_n_times(x, 1)` (for a Mul, Leibniz's rule over the
    multinomial coefficients; for Add, Pow and a Function, its `_eval_derivative`, whose
    operands' derivatives are Derivatives again), then asks whether the result `is_zero` and
    returns the result either way. Those four kinds are done here as sympy does them, without
    that last question (an assumption query that changes nothing but cost 60% of the time);
    any other node (Piecewise, Abs, sign, Max, a function with its own `_eval_derivative`, a
    derivative of its own) is handed to sympy's diff whole, as is a node whose result would
    hold an unevaluated Derivative. What it does not keep: the order in which sympy's
    assumption system draws from its random generator (fewer queries are asked), so a later
    query may deduce its facts in another order (the same facts)."""
    if x not in expr.free_symbols:
        return sp.S.Zero
    if expr == x:
        return sp.S.One
    result = _node_rule(expr, x)
    return sp.diff(expr, x) if result is None or result.has(sp.Derivative) else result


def _node_rule(expr: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """The node's own rule with its operands' derivatives, or None (sympy's diff decides)."""
    kind = type(expr)
    if kind is sp.Add:
        return sp.Add(*[first_derivative(a, x) for a in expr.args])
    if kind is sp.Mul:
        args = expr.args
        return sp.Add(*[count * sp.Mul(*[first_derivative(a, x) if k else a
                                         for k, a in zip(orders, args)])
                        for orders, count in multinomial_coefficients_iterator(len(args), 1)])
    if kind is sp.Pow:
        base, exponent = expr.args
        slope, rate = first_derivative(base, x), first_derivative(exponent, x)
        return expr * (rate * sp.log(base) + slope * exponent / base)
    if isinstance(expr, sp.Function) and \
            kind._eval_derivative is sp.Function._eval_derivative and \
            kind._eval_derivative_n_times is sp.Basic._eval_derivative_n_times:
        terms = []
        for index, argument in enumerate(expr.args, start=1):
            slope = first_derivative(argument, x)
            if slope.is_zero:
                continue
            try:
                terms.append(expr.fdiff(index) * slope)
            except ArgumentIndexError:
                return None
        return sp.Add(*terms)
    return None


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
