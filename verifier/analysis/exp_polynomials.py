"""Exact zeros of functions that are rational in t = exp(x/q) alone, as logs of algebraic roots.

Sigmoid-family derivatives are often such functions: ELiSH's f'' on x < 0 is zero where
t**3 + 3*t**2 + 5*t - 1 is, t = exp(x). sympy's solveset writes a cubic's or quartic's roots
with Cardano's and Ferrari's radicals, then cannot tell which of them are real (1.3 s on that
cubic, and its answer is not a set of real numbers). Here the cancelled numerator is factored
over Q, and each irreducible factor's real roots are sympy's CRootOf: exact algebraic numbers
held by isolating intervals, counted between two rationals by Sturm sequences, so which roots
lie in the interval is decided exactly. A zero is then x = q*log(r) for such a root r > 0.

What it does not do: handle exp(k*x + c) with c != 0, coefficients outside Q, or an interval
whose ends are not -oo, 0 or oo (their exp is irrational); nor take over from solveset where
every factor has degree 2 or less (solveset's radicals are explicit there). Those return None,
and the caller uses solveset as before.
"""

from __future__ import annotations

from math import lcm

import sympy as sp

_T = sp.Symbol("t", positive=True)
_FIRST_DEGREE = 3   # factors of this degree or more get CRootOf roots instead of radicals
_LAST_DEGREE = 24   # beyond: factoring over Q is no longer cheap (exp(100*x) is t**100)
# a bound on the degrees in t before anything is expanded: exp(2**100*x) - 2 is t**(2**100) - 2,
# which sympy's polynomials would write out coefficient by coefficient (it never ended)
_BOUND = 4 * _LAST_DEGREE
# exp(lo/q) and exp(hi/q) for the ends this handles
_END_IN_T = {-sp.oo: sp.Integer(0), sp.Integer(0): sp.Integer(1), sp.oo: sp.oo}


def exp_polynomial_zeros(u: sp.Expr, x: sp.Symbol, lo: sp.Expr,
                         hi: sp.Expr) -> list[sp.Expr] | None:
    """The zeros of u on the open interval (lo, hi), exact and sorted, when u is a rational
    function of exp(x/q) alone whose numerator has an irreducible factor of degree 3 or more
    over Q (and degree 24 at most); else None. Each is a zero of u written over one cancelled
    denominator; they are all of u's zeros there when u is continuous on (lo, hi) (sign
    structures), while a caller that takes only a root inside a bracket where u is continuous
    (a closed form) needs no more."""
    if lo not in _END_IN_T or hi not in _END_IN_T:
        return None
    q = _exponent_denominator(u, x)
    if q is None:
        return None
    in_t = u.replace(lambda e: isinstance(e, sp.exp), lambda e: _T ** (e.args[0] / x * q))
    if x in in_t.free_symbols or _degree_bound(in_t) > _BOUND:
        return None
    numerator, _ = sp.fraction(sp.cancel(sp.together(in_t)))
    try:
        polynomial = sp.Poly(numerator, _T)
    except sp.PolynomialError:
        return None
    if not (polynomial.domain.is_QQ or polynomial.domain.is_ZZ) or \
            polynomial.degree() > _LAST_DEGREE:
        return None
    factors = [factor for factor, _ in polynomial.factor_list()[1]]
    if max((factor.degree() for factor in factors), default=0) < _FIRST_DEGREE:
        return None
    low, high = _END_IN_T[lo], _END_IN_T[hi]
    roots = [root for factor in factors for root in _real_roots_between(factor, low, high)]
    return sorted((q * sp.log(root) for root in roots), key=float)


def _degree_bound(in_t: sp.Expr) -> int:
    """At least the degree of the numerator and of the denominator of in_t over one
    cancelled denominator: degrees add up across sums, products and integer powers."""
    if in_t == _T:
        return 1
    if not in_t.has(_T):
        return 0
    if isinstance(in_t, (sp.Add, sp.Mul)):
        return sum(_degree_bound(arg) for arg in in_t.args)
    if isinstance(in_t, sp.Pow) and in_t.exp.is_Integer:
        return abs(int(in_t.exp)) * _degree_bound(in_t.base)
    return _BOUND + 1   # t inside anything else (Abs, a root): no polynomial


def _exponent_denominator(u: sp.Expr, x: sp.Symbol) -> int | None:
    """q such that every exp in u is exp(k*x) with k*q an integer (k rational, nonzero)."""
    denominators = []
    for power in u.atoms(sp.exp):
        k = power.args[0] / x
        if not k.is_Rational or k == 0:
            return None
        denominators.append(int(k.q))
    return lcm(*denominators) if denominators else None


def _real_roots_between(factor: sp.Poly, low: sp.Expr, high: sp.Expr) -> list[sp.Expr]:
    """The real roots r of an irreducible factor with low < r < high (low, high: 0, 1 or oo,
    none of them a root unless the factor is linear), exactly: the roots are sorted, and
    Sturm counts say how many lie below each end."""
    roots = factor.real_roots(multiple=True)
    below = [len(roots) if end == sp.oo else factor.count_roots(None, end)
             for end in (low, high)]
    inside = roots[below[0]:below[1]]
    return [r for r in inside if r not in (low, high)]   # a linear factor's root at an end
