"""The sign of u on an interval that sympy's assumptions prove: one cheap symbolic test, used
before any interval arithmetic (and by the box sweep for its tails).

What it does not guarantee: an answer. 0 means no proof was found (u may still have one
sign); probes where u is certified to take both signs skip the symbolic rewrites.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import sympy as sp

from verifier.analysis.arb.certified import enclose, exact_ball
from verifier.analysis.limits import has_huge_numbers
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo

_T = sp.Symbol("t", positive=True)


@memo(256)
def assumed_sign(u: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> int:
    """+1/-1 when sympy's assumptions prove the sign of u on all of (lo, hi), else 0 (kept:
    the retries of a sign structure and the tails of its sweeps ask the same again)."""
    if _takes_both_signs(u, x, lo, hi):   # no proof of one sign can exist: skip the rewrites
        return 0
    if lo == -sp.oo and hi == sp.oo:
        shifted = [u]
    elif hi == sp.oo:
        shifted = [u.subs(x, lo + _T)]
    elif lo == -sp.oo:
        shifted = [u.subs(x, hi - _T)]
    else:
        return 0
    for form in shifted:
        for candidate in _rewrites(form):
            if candidate.is_positive:
                return 1
            if candidate.is_negative:
                return -1
    return 0


def _rewrites(form: sp.Expr) -> Iterator[sp.Expr]:
    """form, then forms of it in which sympy's assumptions may see a sign, cheap ones first,
    each computed once and only when the ones before it decided nothing (the last factors
    the one-denominator form before it): only the first two where polynomials would
    overflow. A rewrite that overflows is skipped."""
    yield form
    factored = _safely(lambda: sp.factor_terms(form))
    if factored is not None:
        yield factored
    if has_huge_numbers(form):
        return
    in_exp = form.rewrite(sp.exp)
    if _steep_exponentials(in_exp):
        return
    yield in_exp
    over_one = _safely(lambda: sp.cancel(sp.together(in_exp)))
    if over_one is not None:
        yield over_one
    expanded = _safely(lambda: sp.expand(form))
    if expanded is not None:
        yield expanded
    if over_one is not None:
        factored = _safely(lambda: sp.factor_terms(over_one))
        if factored is not None:
            yield factored


def _safely(rewrite: Callable[[], sp.Expr]) -> sp.Expr | None:
    try:
        return rewrite()
    except (OverflowError, MemoryError):
        return None


# sympy's polynomials write exp(k*t) as exp(t)**k, and their gcd evaluates such a polynomial
# at integers of many digits: with exp(-(t + 65536)**2) (a Gaussian at the tail's end of a
# box sweep, k = 131072) GMP stops the worker with SIGFPE. Past this k: no polynomial rewrite
_STEEPEST = 1 << 16


def _steep_exponentials(in_exp: sp.Expr) -> bool:
    """Some exp in `in_exp` (hyperbolics written as exp) has a coefficient of t beyond
    _STEEPEST in its expanded argument."""
    for power in in_exp.atoms(sp.exp):
        try:
            coefficients = sp.Poly(sp.expand(power.args[0]), _T).all_coeffs()[:-1]
        except sp.PolynomialError:
            continue
        if any(abs(c) > _STEEPEST for c in coefficients if c.is_number):
            return True
    return False


_PROBES = (sp.Rational(1, 2), sp.Integer(1), sp.Integer(4), sp.Integer(64), sp.Integer(2**20))


def _takes_both_signs(u: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> bool:
    """u certified positive at one probe point of (lo, hi) and negative at another (a few
    points out from the finite end, or on both sides of 0 on the whole line)."""
    if lo == -sp.oo and hi == sp.oo:
        points = [sign * p for p in _PROBES for sign in (1, -1)]
    elif hi == sp.oo and lo.is_finite:
        points = [lo + p * max(1, abs(lo)) for p in _PROBES]
    elif lo == -sp.oo and hi.is_finite:
        points = [hi - p * max(1, abs(hi)) for p in _PROBES]
    else:
        return False
    seen = set()
    for point in points:
        try:
            value = enclose(u, x, exact_ball(point))
        except Undecided:
            continue
        seen.add(1 if value > 0 else -1 if value < 0 else 0)
        if {1, -1} <= seen:
            return True
    return False
