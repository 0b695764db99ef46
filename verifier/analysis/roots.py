"""Signs at exact points and roots: certified signs (or exact zeros), bisection of a sign
change to below 1e-18 relative, and closed forms for certified roots when sympy offers one
that is provably the same root.

What a Bound from refine_root does not say: that the root is simple, or the only one in its
bracket; callers establish that (a monotone box, a strictly monotone function).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import sympy as sp
from flint import arb
from mpmath.libmp import from_rational, round_nearest, to_float

from verifier.analysis.bounds import FLOAT_MAX, Bound
from verifier.analysis.exp_polynomials import exp_polynomial_zeros
from verifier.analysis.arb.certified import PRECISION_BITS, enclose, exact_ball, working_precision
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
    root and certifiably inside the bracket; else the bound unchanged.

    Not sought (the bound is returned as it is) where h's numerator has a term multiplying
    a power of x, or a radical in x, by a transcendental function of x (x*exp(-x) + exp(x),
    x*sech(x)**2 + tanh(x)): such equations have no elementary closed form in general, and
    sympy's solve spent 0.1-0.6 s failing on each of the catalog's (6 of its 8 s of
    closed-form search). A closed form is presentation: the certified bracket is the answer."""
    if bound.exact is not None or sp.count_ops(h) > 30 or _mixes_x_and_functions(h, x):
        return bound
    algebraic = exp_polynomial_zeros(h, x, -sp.oo, sp.oo)
    if algebraic is not None:   # exact zeros, where solve's would be Cardano's radicals,
        return _the_one_inside(algebraic, bound) or bound   # whose zero test never ended
    try:
        candidates = sp.solve(h, x, check=False)   # each candidate is verified below
    except (NotImplementedError, ValueError, TypeError):
        return bound
    candidates = [c for c in candidates if not _radical_of_transcendental(c)]
    return _the_one_inside(candidates, bound, lambda c: _is_zero(h.subs(x, c))) or bound


def _radical_of_transcendental(candidate: sp.Expr) -> bool:
    """A root of a number with E, exp or pi in it (softclip's crossings hold
    sqrt(-1002001 + 998001*E)): simplify's zero test took 0.45 s on each of those and proved
    none, so such a candidate is not tried; the certified bracket stays the answer."""
    return any(not power.exp.is_Integer and power.base.has(sp.E, sp.exp, sp.pi)
               for power in candidate.atoms(sp.Pow))


def _the_one_inside(candidates: list[sp.Expr], bound: Bound,
                    is_root: Callable[[sp.Expr], bool] = lambda _: True) -> Bound | None:
    """The first candidate certified strictly inside the bracket that is a root."""
    for candidate in candidates:
        try:
            inside = exact_ball(candidate)
            if inside > exact_ball(bound.lo) and inside < exact_ball(bound.hi) and \
                    is_root(candidate):
                return Bound.of(candidate)
        except (Undecided, TypeError):
            continue
    return None


def _mixes_x_and_functions(h: sp.Expr, x: sp.Symbol) -> bool:
    """Some term of h's numerator, as a polynomial in its generators, has both an algebraic
    generator in x (x, sqrt(x**2 + 1)) and a transcendental one (exp(x), tanh(x))."""
    polynomial = sp.together(h).as_numer_denom()[0].as_poly()
    if polynomial is None:
        return False
    kinds = [None if not g.has(x) else g.is_algebraic_expr(x) is True for g in polynomial.gens]
    return any(any(d and kind is True for d, kind in zip(monomial, kinds)) and
               any(d and kind is False for d, kind in zip(monomial, kinds))
               for monomial in polynomial.monoms())


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


def refine_root(u: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr) -> Bound:
    """Bisect a sign change of u on [a, b] until the bracket is below 1e-18 relative.

    Rational ends are bisected as Python fractions (exact, and some 20x faster than sympy's
    numbers); the midpoints, and so the bracket, are the same either way."""
    sign_a = point_sign(u, x, a)
    if a.is_Rational and b.is_Rational:
        a, b = Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))
    while b - a > max(abs(a), abs(b), _NEAR_ZERO) * _RELATIVE:
        middle = _dyadic_middle(a, b)
        sign_m = _sign_at(u, x, middle)
        if sign_m == 0:
            return Bound.of(_exact(middle))
        a, b, sign_a = (middle, b, sign_m) if sign_m == sign_a else (a, middle, sign_a)
    return Bound(lo=_exact(a), hi=_exact(b))


_NEAR_ZERO, _RELATIVE = Fraction(1, 10**300), Fraction(1, 2**60)
_FLOAT_MAX = Fraction(int(FLOAT_MAX))


def _dyadic_middle(a: Fraction | sp.Expr, b: Fraction | sp.Expr) -> Fraction | sp.Expr:
    """The float nearest the midpoint when it lies strictly inside, else the midpoint."""
    middle = (a + b) / 2
    if isinstance(middle, Fraction):
        if abs(middle) >= _FLOAT_MAX:
            return middle
        approx = Fraction(to_float(from_rational(middle.numerator, middle.denominator, 53,
                                                 round_nearest)))
    else:
        approx = sp.Rational(float(middle)) if abs(middle) < FLOAT_MAX else middle
    return approx if a < approx < b else middle


def _sign_at(u: sp.Expr, x: sp.Symbol, point: Fraction | sp.Expr) -> int:
    if isinstance(point, Fraction):   # the ball exact_ball would make, without sympy
        with working_precision(PRECISION_BITS):
            ball = arb(point.numerator) / point.denominator
        try:
            value = enclose(u, x, ball)
            if value > 0:
                return 1
            if value < 0:
                return -1
        except Undecided:
            pass
    return point_sign(u, x, _exact(point))


def _exact(value: Fraction | sp.Expr) -> sp.Expr:
    return sp.Rational(value.numerator, value.denominator) if isinstance(value, Fraction) \
        else value
