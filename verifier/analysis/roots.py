"""Signs at exact points and roots: certified signs (or exact zeros), bisection of a sign
change to below 1e-18 relative, and closed forms for certified roots when sympy offers one
that is provably the same root.

What a Bound from refine_root does not say: that the root is simple, or the only one in its
bracket; callers establish that (a monotone box, a strictly monotone function).
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.bounds import FLOAT_MAX, Bound
from verifier.analysis.certified import enclose, exact_ball
from verifier.analysis.limits import is_exactly_zero, safe_simplify
from verifier.analysis.pointwise import exact_value_is_defined
from verifier.analysis.undecided import Undecided

_EXACT_ZERO_REACH = 2**20


def point_sign(u: sp.Expr, x: sp.Symbol, point: sp.Expr) -> int:
    """The sign of u at an exact point: certified with arb, or exactly 0 (raises Undecided).

    Exact zeros are not sought beyond |x| = 2**20: sympy's zero test there evaluates sums of
    terms like exp(2**100) with ever more digits and does not return."""
    try:
        ball = enclose(u, x, exact_ball(point))
        if ball > 0:
            return 1
        if ball < 0:
            return -1
    except Undecided:
        pass
    if abs(point) <= _EXACT_ZERO_REACH and exact_value_is_defined(u, x, point) and \
            is_exactly_zero(u.subs(x, point)):
        return 0
    raise Undecided(f"a sign at x = {point} is not decided")


def exact_form(h: sp.Expr, x: sp.Symbol, bound: Bound) -> Bound:
    """A closed form for a certified root of h when sympy's solve offers one that is exactly a
    root and certifiably inside the bracket; else the bound unchanged."""
    if bound.exact is not None or sp.count_ops(h) > 30:
        return bound
    try:
        candidates = sp.solve(h, x)
    except (NotImplementedError, ValueError, TypeError):
        return bound
    for candidate in candidates:
        try:
            inside = exact_ball(candidate)
            if inside > exact_ball(bound.lo) and inside < exact_ball(bound.hi) and \
                    _is_zero(h.subs(x, candidate)):
                return Bound.of(candidate)
        except (Undecided, TypeError):
            continue
    return bound


def closed_form(value: sp.Expr) -> sp.Expr:
    """simplify, first using exp(k*W(z)) = (z/W(z))**k on the Lambert W closed forms sympy
    gives for critical points (so swish's minimum reads -LambertW(exp(-1)))."""
    if value.has(sp.LambertW):
        value = sp.expand_power_exp(sp.expand(value))
        for w in value.atoms(sp.LambertW):
            value = value.replace(lambda t: isinstance(t, sp.exp) and (t.args[0] / w).is_Integer,
                                  lambda t: (w.args[0] / w) ** (t.args[0] / w))
    return safe_simplify(value)


def _is_zero(value: sp.Expr) -> bool:
    return closed_form(value) == 0


def refine_root(u: sp.Expr, x: sp.Symbol, a: sp.Rational, b: sp.Rational) -> Bound:
    """Bisect a sign change of u on [a, b] until the bracket is below 1e-18 relative."""
    sign_a = point_sign(u, x, a)
    while b - a > max(abs(a), abs(b), sp.Rational(1, 10**300)) * sp.Rational(1, 2**60):
        middle = _dyadic_middle(a, b)
        sign_m = point_sign(u, x, middle)
        if sign_m == 0:
            return Bound.of(middle)
        a, b, sign_a = (middle, b, sign_m) if sign_m == sign_a else (a, middle, sign_a)
    return Bound(lo=a, hi=b)


def _dyadic_middle(a: sp.Rational, b: sp.Rational) -> sp.Rational:
    middle = (a + b) / 2
    approx = sp.Rational(float(middle)) if abs(middle) < FLOAT_MAX else middle
    return approx if a < approx < b else middle
