"""The sign structure of a function u on an open interval J where u is continuous.

Decided in this order, stopping at the first that succeeds:
1. exact zeros: for u rational in exp(x/q) with a factor of degree 3 or more, the logs of
   its algebraic roots (verifier.analysis.exp_polynomials); else solveset of the *equation*
   u = 0 on J; a finite set, then one exact or certified sign test per gap (u has no zero
   in a gap and is continuous there);
2. sympy's assumptions on u with x shifted into J (x = lo + t or hi - t with t > 0);
3. a reduced equation h = 0 (solveset's ConditionSet, same zeros as u) with h' of a sign
   decided by (2): h is strictly monotone, so it has at most one zero, found from the limits
   of h at the ends of J and isolated by bisection;
4. full factorisation, dropping positive factors (lisht'' = 2*sech(x)**2*(1 - x*tanh(x))),
   then 5 on the rest: when a dropped factor can underflow (exp, tanh, ...), after 5 on u
   failed within 50 box decisions and kept if not `clipped`; else only after 5 on u failed;
5. certified branch-and-bound with arb balls over J cut to the float64 range (boxes double in
   size away from 0, so +-1.8e308 takes about 2,000 boxes): a box whose enclosure of u
   excludes 0 has that sign; a box on which u' excludes 0 holds at most one zero, present when
   the signs at its ends differ, then refined by bisection to below 1e-18 relative. Each box
   may use any of u's sign-equivalent forms (u*exp(-x) far right, where exp(x) would swamp
   the ball). Beyond the float range the tail is decided by (2) or by the monotone-tail rule
   (u' of one sign there, u's value at the cut and its limit at infinity); otherwise the
   structure is `clipped` and says so.
With `partial`, a tail that none of these decides is listed in `undecided` instead of failing.
Raises Undecided (box budget, a zero where u does not change sign, an undecidable branch).
"""

from __future__ import annotations

import sympy as sp

from verifier import notation
from verifier.analysis.assumed_signs import assumed_sign
from verifier.analysis.bounds import Bound
from verifier.analysis.boxes import certify_signs
from verifier.analysis.derivatives import derivative
from verifier.analysis.exp_polynomials import exp_polynomial_zeros
from verifier.analysis.limits import limit, side_limit, sign_of
from verifier.analysis.roots import exact_form, point_sign, refine_root
from verifier.analysis.sets import point_between
from verifier.analysis.sign_forms import OverBudget, SimplifiedForms, sign_forms
from verifier.analysis.stretches import SignStructure, Stretch
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo

def sign_structure(u: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr,
                   label: str = "u", partial: bool = False, solve: bool = True) -> SignStructure:
    """The sign structure of u on the open interval (lo, hi) (raises Undecided).

    partial: when every method fails, accept a certified middle whose tails stay undecided
    (listed in `undecided`; the stretches then do not cover (lo, hi)). solve=False skips
    step 1 (the early factored attempt of step 4: solveset has just failed on u, whose
    zeros these are, and took 1-3 s doing so on ELiSH's f'')."""
    if u == 0 or (not u.free_symbols and u.is_zero):
        return SignStructure([Stretch(Bound.of(lo), Bound.of(hi), 0)], "symbolic",
                             evidence=[f"{label} = 0 identically on {notation.interval(lo, hi)}"])
    stripped = _strip_signed_factors(u, x, lo, hi, (u, sp.factor_terms(u)))
    if stripped is not None:
        return _without_factors(stripped, x, lo, hi, label, partial, solve)
    zeros, reduced = _exact_zeros(u, x, lo, hi) if solve else (None, None)
    if zeros is not None:
        ordered = sorted(zeros, key=float)
        return _from_zeros(u, x, lo, hi, [Bound.of(z) for z in ordered], "symbolic",
                           f"{label} = 0 solved exactly on {notation.interval(lo, hi)}: "
                           f"{notation.points(ordered)}")
    sign = assumed_sign(u, x, lo, hi)
    if sign:
        return SignStructure([Stretch(Bound.of(lo), Bound.of(hi), sign)], "symbolic", evidence=[
            f"{label} is {'positive' if sign > 0 else 'negative'} on {notation.interval(lo, hi)} "
            f"(sign of every factor known)"])
    if reduced is not None:
        found = _monotone_zero(reduced, x, lo, hi)
        if found is not None:
            found = [exact_form(reduced, x, bound) for bound in found]
            return _from_zeros(u, x, lo, hi, found, "interval",
                               f"{label} = 0 reduces to {reduced} = 0, and {reduced} is strictly "
                               f"monotone on {notation.interval(lo, hi)}: zeros {notation.listing([b.text() for b in found])}")
    early, failure = None, None
    stripped = _fully_factored(u, x, lo, hi) if u.has(*_DECAYING) else None
    if stripped is not None and stripped[2].has(*_DECAYING):
        try:   # a cheap first try on u itself (mish's f' takes 26 decisions)
            return _branch_and_bound(u, x, lo, hi, label, budget=_FIRST_TRY)
        except OverBudget:
            pass
        except Undecided as within:   # the whole sweep failed within the budget: so would
            failure = within          # the same sweep without one
        early = _attempt(stripped, x, lo, hi, label, False, solve=False)
        if early is not None and not early.clipped:
            return early
    if failure is None:
        try:
            return _branch_and_bound(u, x, lo, hi, label)
        except Undecided as exc:
            failure = exc
    if early is not None:
        return early
    stripped = _fully_factored(u, x, lo, hi)
    late = None if stripped is None else _attempt(stripped, x, lo, hi, label, partial)
    if late is not None:
        return late
    if not partial:
        raise failure
    return _branch_and_bound(u, x, lo, hi, label, partial=True)


# a positive factor with one of these may underflow arb far out (tanh(v) + 1 ~ 2*exp(2v))
_DECAYING = (sp.exp, sp.tanh, sp.erf, sp.erfc, sp.sech)
# box decisions allowed to branch and bound on u before such a factor is taken out: GELU-tanh's
# f' took 310 to fail; mish's f' and the others in the catalog that succeed take 20-40
_FIRST_TRY = 50


@memo(64)
def _fully_factored(u: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr):
    """u's full factorisation with its positive factors dropped (as _strip_signed_factors),
    or None (slow on large u: only up to 60 operations)."""
    if sp.count_ops(u) > 60:
        return None
    return _strip_signed_factors(u, x, lo, hi, (sp.factor(u),))


def _attempt(stripped, x, lo, hi, label: str, partial: bool,
             solve: bool = True) -> SignStructure | None:
    """The structure from a factorisation, or None where it is not decided. Tried before
    branch and bound on u when a dropped factor can underflow (GELU-tanh's f' without
    tanh(v) + 1 closes its boxes at once, where f''s own boxes shrink to 1/100 near -15
    and still fail past -1e25); such a structure is kept clipped only when branch and bound
    on u fails (the factored forms can be worse on the tails beyond the float range)."""
    try:
        return _without_factors(stripped, x, lo, hi, label, partial, solve)
    except Undecided:
        return None


def _without_factors(stripped, x, lo, hi, label: str, partial: bool,
                     solve: bool = True) -> SignStructure:
    sign, rest, dropped = stripped
    inner = sign_structure(rest, x, lo, hi, f"{label} without {dropped}", partial, solve)
    for stretch in inner.stretches:
        stretch.sign *= sign
    factor = f"({dropped})" if isinstance(dropped, sp.Add) else str(dropped)
    inner.evidence.insert(0, f"{label} = {sign} * {factor} * ({rest}), where {dropped} "
                             f"is positive on {notation.interval(lo, hi)}: same sign and zeros as the rest")
    return inner


def _strip_signed_factors(u: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr, forms):
    """u = sign * (product of factors proved positive on (lo, hi)) * rest, when at least one
    factor with x can be dropped: (sign, rest, dropped). Dropping a positive factor keeps the
    sign and the zeros, and removes what interval arithmetic cannot evaluate far out (the
    sigmoid'(x) in swish'' = sigmoid'(x) * (2 + x*(1 - 2*sigmoid(x))))."""
    for form in forms:
        if not isinstance(form, sp.Mul):
            continue
        sign, kept, dropped = 1, [], []
        for factor in form.args:
            if x not in factor.free_symbols:
                if factor.is_negative:
                    sign = -sign
                elif not factor.is_positive:
                    kept.append(factor)
                continue
            factor_sign = assumed_sign(factor, x, lo, hi)
            if factor_sign:
                sign *= factor_sign
                dropped.append(factor if factor_sign > 0 else -factor)
            else:
                kept.append(factor)
        if dropped and kept:
            return sign, sp.Mul(*kept), sp.Mul(*dropped)
    return None


def _exact_zeros(u, x, lo, hi) -> tuple[list[sp.Expr] | None, sp.Expr | None]:
    algebraic = exp_polynomial_zeros(u, x, lo, hi)   # before solveset's cubic radicals
    if algebraic is not None:
        return algebraic, None
    try:
        solved = sp.solveset(sp.Eq(u, 0), x, sp.Interval.open(lo, hi))
    except (NotImplementedError, ValueError, TypeError, AttributeError, RecursionError):
        return None, None
    if isinstance(solved, sp.FiniteSet) and all(z.is_real and z.is_finite for z in solved):
        return list(solved), None
    if isinstance(solved, sp.ConditionSet) and isinstance(solved.condition, sp.Eq):
        reduced = solved.condition.lhs - solved.condition.rhs
        return None, reduced
    return None, None


def _from_zeros(u, x, lo, hi, zeros: list[Bound], method: str, note: str) -> SignStructure:
    ends = [Bound.of(lo), *sorted(zeros, key=float), Bound.of(hi)]
    stretches = []
    for left, right in zip(ends, ends[1:]):
        probe = point_between(left.probe(), right.probe())
        sign = point_sign(u, x, probe)
        if sign == 0:
            raise Undecided(f"{u} vanishes at {probe}, which is not among its computed zeros")
        stretches.append(Stretch(left, right, sign))
    signs = ", ".join(f"{'+' if s.sign > 0 else '-' if s.sign < 0 else '0'} on "
                      f"{notation.interval(s.lo, s.hi)}" for s in stretches)
    return SignStructure(stretches, method, evidence=[note, f"signs by exact test points: {signs}"])


def _monotone_zero(h: sp.Expr, x, lo, hi) -> list[Bound] | None:
    """The zeros of h on (lo, hi) when h' has a proved sign there (else None)."""
    slope = assumed_sign(derivative(h, x), x, lo, hi)
    if not slope:
        return None
    try:
        at_lo, at_hi = (sign_of(side_limit(h, x, end, side)) if end.is_finite else
                        sign_of(limit(h, x, end)) for end, side in ((lo, "+"), (hi, "-")))
    except (Undecided, NotImplementedError, ValueError):
        return None
    if at_lo * at_hi >= 0:  # strictly monotone between its end limits: no sign change
        return []
    a, b = bracket_sign_change(h, x, lo, hi, at_lo)
    return [refine_root(h, x, a, b)]


def bracket_sign_change(h, x, lo, hi, sign_lo: int) -> tuple[sp.Rational, sp.Rational]:
    """Exact a < b inside (lo, hi) with h(a) of sign sign_lo and h(b) of the other sign."""
    start = point_between(lo, hi)
    a = b = start
    step = sp.Integer(1)
    for _ in range(2200):
        if point_sign(h, x, a) == sign_lo and point_sign(h, x, b) == -sign_lo:
            return a, b
        a = _toward(a, lo, step)
        b = _toward(b, hi, step)
        step *= 2
    raise Undecided(f"no sign change of {h} bracketed")


def _toward(point: sp.Rational, end: sp.Expr, step: sp.Rational) -> sp.Rational:
    if end in (sp.oo, -sp.oo):
        return point + (step if end == sp.oo else -step)
    return (point + end) / 2 if end.is_Rational else sp.nsimplify(sp.N((point + end) / 2, 30),
                                                                   rational=True)


def _branch_and_bound(u, x, lo, hi, label: str, partial: bool = False,
                      budget: int | None = None) -> SignStructure:
    """Certify u with boxes, each box by the first of u's sign-equivalent forms that decides
    it (positive factors such as exp(-x) taken out symbolically avoid the cancellation that
    defeats interval arithmetic on wide boxes far out)."""
    return certify_signs(list(sign_forms(u, x)), x, lo, hi, label, partial,
                         later=SimplifiedForms(u, x), budget=budget)
