"""Subsets of R: solving conditions exactly, and turning sympy sets into the JSON contract.

`condition_set` solves a condition in x exactly: linear relations by hand, anything else with
solveset on that one relation. A result that is not an explicit set (a ConditionSet, or an
exception) raises Undecided. It does not guarantee that solveset itself is right; the domain
property cross-checks its answer numerically before claiming anything.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction

import sympy as sp
from sympy.logic.boolalg import Boolean, BooleanFalse, BooleanTrue

from verifier import notation
from verifier.analysis.line_sets import REAL_LINE, difference, intersect, union
from verifier.analysis.membership import membership
from verifier.analysis.undecided import Undecided, kept

RELATIONS = (sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.Eq, sp.Ne)


def condition_set(condition: Boolean, x: sp.Symbol) -> sp.Set:
    """The exact set of real x where `condition` holds (raises Undecided)."""
    if isinstance(condition, BooleanTrue) or condition is True:
        return sp.S.Reals
    if isinstance(condition, BooleanFalse) or condition is False:
        return sp.S.EmptySet
    if isinstance(condition, sp.And):
        return intersection(*(condition_set(c, x) for c in condition.args))
    if isinstance(condition, sp.Or):
        return union(*(condition_set(c, x) for c in condition.args))
    if isinstance(condition, sp.Not):
        return complement(condition_set(condition.args[0], x))
    if isinstance(condition, RELATIONS):
        return _relation_set(condition, x)
    raise Undecided(f"cannot solve the condition {condition}")


def intersection(*regions: sp.Set) -> sp.Set:
    """sp.Intersection of subsets of R, without the work sympy does to find that R or a
    repeated operand changes nothing (50 ms for R and the complement of a lattice)."""
    distinct = [region for region in dict.fromkeys(regions) if region is not sp.S.Reals]
    if not distinct:
        return sp.S.Reals
    return distinct[0] if len(distinct) == 1 else intersect(*distinct)


@kept(maxsize=1024)
def sign_set(expression: sp.Expr, relation: type, x: sp.Symbol) -> sp.Set:
    """{x : expression <relation> 0}, e.g. sign_set(u, sp.Gt, x) = {u > 0}; kept (the same
    conditions recur across the pieces and across the candidates of a batch)."""
    return condition_set(relation(expression, 0), x)


def _relation_set(relation: sp.Basic, x: sp.Symbol) -> sp.Set:
    difference = sp.expand(relation.lhs - relation.rhs)
    if x not in difference.free_symbols:
        holds = relation.func(difference, 0)
        if holds in (sp.true, sp.false):
            return sp.S.Reals if holds else sp.S.EmptySet
        raise Undecided(f"cannot decide the constant condition {relation}")
    linear = _linear_solution(relation, difference, x)
    if linear is not None:
        return linear
    if relation.func is sp.Eq:
        return _zeros(difference, x)
    if relation.func is sp.Ne:
        return complement(_zeros(difference, x))
    if difference.is_rational_function(x):
        # polynomial/rational inequalities: solveset's univariate inequality solver is exact
        return _solve(relation.func(difference, 0), x)
    return _inequality_by_zeros(difference, relation.func, x)


def _solve(condition: sp.Basic, x: sp.Symbol) -> sp.Set:
    try:
        solved = sp.solveset(condition, x, sp.S.Reals)
    except (NotImplementedError, ValueError, TypeError, AttributeError) as exc:
        raise Undecided(f"solveset failed on {condition}: {type(exc).__name__}") from None
    if solved.has(sp.ConditionSet):
        raise Undecided(f"no explicit solution of {condition} (solveset returned {solved})")
    return solved


def _zeros(difference: sp.Expr, x: sp.Symbol) -> sp.Set:
    return _solve(sp.Eq(difference, 0), x)


def _inequality_by_zeros(difference: sp.Expr, relation: type, x: sp.Symbol) -> sp.Set:
    """Solve u <op> 0 for a u continuous on R: its sign is constant between consecutive real
    zeros, so one exact sign test per gap decides it. (solveset's own inequality solver is
    not used here: on periodic functions it silently answers for one period only.)"""
    if not _obviously_continuous(difference, x):
        raise Undecided(f"cannot solve {relation(difference, 0)}: not a rational function and "
                        f"not obviously continuous on R")
    zeros = _zeros(difference, x)
    if not isinstance(zeros, sp.FiniteSet) and zeros is not sp.S.EmptySet:   # EmptySet: no zero
        raise Undecided(f"cannot solve {relation(difference, 0)}: zeros {zeros} not finite")
    ordered = sorted(zeros.args, key=lambda z: float(z))
    ends = [-sp.oo, *ordered, sp.oo]
    holds: list[sp.Set] = []
    for lo, hi in zip(ends, ends[1:]):
        probe = point_between(lo, hi)
        value = difference.subs(x, probe)
        positive, negative = value.is_positive, value.is_negative
        if positive is None and negative is None:
            raise Undecided(f"cannot decide the sign of {difference} at x = {probe}")
        if relation(1 if positive else -1, 0) == sp.true:
            holds.append(sp.Interval.open(lo, hi))
    if relation in (sp.Ge, sp.Le):
        holds.append(zeros)
    return union(*holds)


_CONTINUOUS = (sp.exp, sp.tanh, sp.sinh, sp.cosh, sp.atan, sp.asinh, sp.erf, sp.erfc, sp.sin,
               sp.cos, sp.Add, sp.Mul)


def _obviously_continuous(expr: sp.Expr, x: sp.Symbol) -> bool:
    """Built only from functions continuous on all of R (and non-negative integer powers)."""
    if x not in expr.free_symbols:
        return bool(expr.is_finite)
    if expr == x:
        return True
    if isinstance(expr, sp.Pow):
        base, exponent = expr.args
        if x not in exponent.free_symbols and exponent.is_integer and exponent.is_nonnegative:
            return _obviously_continuous(base, x)
        return x not in base.free_symbols and bool(base.is_positive) and _obviously_continuous(
            exponent, x)
    if isinstance(expr, _CONTINUOUS):
        return all(_obviously_continuous(arg, x) for arg in expr.args)
    return False


def point_between(lo: sp.Expr, hi: sp.Expr) -> sp.Rational:
    """A simple rational strictly inside (lo, hi) (ends may be +-oo), checked exactly: a sign
    test at a point outside its gap would prove nothing (raises Undecided). Between rational
    ends it is their midpoint; between other finite ends, the simplest rational (smallest
    denominator, then smallest magnitude) of the middle half of the gap, as placed by 40-digit
    values of the ends. What it does not promise is any particular point: it is a probe."""
    if lo == -sp.oo and hi == sp.oo:
        return sp.Integer(0)
    if lo == -sp.oo:
        probe = sp.floor(hi) - 1
    elif hi == sp.oo:
        probe = sp.ceiling(lo) + 1
    elif lo.is_Rational and hi.is_Rational:
        probe = (lo + hi) / 2
    else:
        middle, quarter = sp.N((lo + hi) / 2, 40), sp.N((hi - lo) / 4, 40)
        if not (middle.is_Number and quarter.is_Number and quarter > 0):
            raise Undecided(f"could not place a test point strictly between {lo} and {hi}")
        low, high = (sp.Rational(middle - quarter), sp.Rational(middle + quarter))
        probe = sp.Rational(simplest_between(Fraction(low.p, low.q), Fraction(high.p, high.q)))
    inside = [sp.Lt(lo, probe) if lo != -sp.oo else sp.true,
              sp.Lt(probe, hi) if hi != sp.oo else sp.true]
    if not all(fact is sp.true for fact in inside):
        raise Undecided(f"could not place a test point strictly between {lo} and {hi}")
    return probe


def simplest_between(low: Fraction, high: Fraction) -> Fraction:
    """The rational of [low, high] (low <= high) with the smallest denominator, and of those
    the smallest magnitude (continued fractions: an integer if one is inside, else the
    common integer part plus the reciprocal of the simplest of the reciprocal gap)."""
    if low <= 0 <= high:
        return Fraction(0)
    if high < 0:
        return -simplest_between(-high, -low)
    whole = math.ceil(low)
    if whole <= high:
        return Fraction(whole)
    whole = math.floor(low)
    return whole + 1 / simplest_between(1 / (high - whole), 1 / (low - whole))


def _linear_solution(relation: sp.Basic, difference: sp.Expr, x: sp.Symbol) -> sp.Set | None:
    """Exact solution of a*x + b <op> 0 with a, b constants, or None if not linear."""
    slope = difference.coeff(x, 1)
    offset = sp.expand(difference - slope * x)
    if x in slope.free_symbols or x in offset.free_symbols or not slope.is_nonzero:
        return None
    if slope.is_positive is None:
        return None
    root = -offset / slope
    flip = {sp.Lt: sp.Gt, sp.Le: sp.Ge, sp.Gt: sp.Lt, sp.Ge: sp.Le}
    op = relation.func if slope.is_positive else flip.get(relation.func, relation.func)
    if op is sp.Ne:
        return complement(sp.FiniteSet(root))
    return {
        sp.Lt: lambda: sp.Interval.open(-sp.oo, root), sp.Le: lambda: sp.Interval(-sp.oo, root),
        sp.Gt: lambda: sp.Interval.open(root, sp.oo), sp.Ge: lambda: sp.Interval(root, sp.oo),
        sp.Eq: lambda: sp.FiniteSet(root),
    }[op]()


def complement(region: sp.Set) -> sp.Set:
    """R minus `region`, undoing a complement instead of nesting one (sympy does not)."""
    if isinstance(region, sp.Complement) and region.args[0] in (sp.S.Reals, REAL_LINE):
        return region.args[1]
    return difference(sp.S.Reals, region)



def components(region: sp.Set) -> list[sp.Set] | None:
    """The disjoint intervals and points of a finite union, sorted; None if not one."""
    if region is sp.S.EmptySet:
        return []
    if region is sp.S.Reals:
        return [sp.Interval(-sp.oo, sp.oo)]
    parts = region.args if isinstance(region, sp.Union) else (region,)
    found: list[sp.Set] = []
    for part in parts:
        if isinstance(part, sp.Interval):
            found.append(part)
        elif isinstance(part, sp.FiniteSet) and all(p.is_real for p in part):
            found.extend(sp.FiniteSet(p) for p in part)
        else:
            return None
    return sorted(found, key=lambda s: _left(s))


def _left(part: sp.Set) -> sp.Expr:
    value = part.inf
    return float("-inf") if value == -sp.oo else float(value)


def number_json(value: sp.Expr) -> float | str:
    """A JSON number, or "oo"/"-oo" for the infinities."""
    if value == sp.oo:
        return "oo"
    if value == -sp.oo:
        return "-oo"
    return float(sp.N(value, 17))


def value_json(value: sp.Expr) -> dict:
    """A point of the contract: {"value": number or "oo"/"-oo", "exact": sympy text}."""
    return {"value": number_json(value), "exact": sp.sstr(value)}


def optional_value_json(value: sp.Expr | None) -> dict | None:
    return None if value is None else value_json(value)


def side_text(value: sp.Expr | None) -> str:
    """A one-sided quantity for evidence lines; None means f is undefined on that side."""
    return "(undefined side)" if value is None else notation.number(value)


def set_json(region: sp.Set) -> list[dict] | dict:
    """The contract's interval set: a list of intervals and points, or {"text": ...}."""
    parts = components(region)
    if parts is None:
        return {"text": sp.sstr(region)}
    return [_part_json(part) for part in parts]


def _part_json(part: sp.Set) -> dict:
    if isinstance(part, sp.FiniteSet):
        return value_json(part.args[0])
    return {"lo": number_json(part.start), "hi": number_json(part.end),
            "lo_closed": not part.left_open and part.start.is_finite is True,
            "hi_closed": not part.right_open and part.end.is_finite is True,
            "lo_exact": sp.sstr(part.start), "hi_exact": sp.sstr(part.end)}


def set_text(region: sp.Set) -> str:
    """A set in interval notation for people (verifier.notation): (-∞, 0) ∪ (0, ∞), {0}."""
    return notation.region(components(region), region)


def sample_points(region: sp.Set, limit: int = 8) -> Iterator[sp.Expr]:
    """Exact points of `region` chosen to be simple (integers, then midpoints); may be empty."""
    yielded = 0
    for candidate in _candidates(region):
        if yielded >= limit:
            return
        if membership(region, candidate) is True:
            yielded += 1
            yield candidate


def _candidates(region: sp.Set) -> Iterator[sp.Expr]:
    if isinstance(region, sp.FiniteSet):
        yield from region.args
    elif isinstance(region, sp.Interval):
        lo, hi = region.start, region.end
        if lo.is_finite and hi.is_finite:
            yield (lo + hi) / 2
            for integer in range(int(sp.ceiling(lo)), int(sp.floor(hi)) + 1):
                if integer - int(sp.ceiling(lo)) > 8:
                    break
                yield sp.Integer(integer)
            yield lo
            yield hi
        elif lo.is_finite:
            yield from (sp.floor(lo) + k for k in (1, 2, 5))
            yield lo
        elif hi.is_finite:
            yield from (sp.ceiling(hi) - k for k in (1, 2, 5))
            yield hi
        else:
            yield from map(sp.Integer, (0, 1, -1, 2, -2))
    elif isinstance(region, (sp.Union, sp.Intersection)):
        for part in region.args:
            yield from _candidates(part)
    elif isinstance(region, sp.Complement):
        yield from _candidates(region.args[0])
    elif isinstance(region, sp.ImageSet) and region.base_sets[0] is sp.S.Integers:
        for n in (0, 1, -1):
            yield region.lamda(n)
