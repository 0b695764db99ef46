"""Union, intersection and difference of finite unions of intervals and points, by a sweep.

sympy's set algebra compares every pair of ends through its assumption system and evalf,
case by case (a few milliseconds for the ends of {x : tanh(x) + 1/10**7 != 0}), and the
analysis combines such sets for every piece of every formula: a sixth of a search screen's
time went there. Here each operand that is a finite union of intervals and points with
constant ends is cut at all the operands' ends, sorted once; the operation is decided on each
point and each open gap between consecutive ends, and the result is rebuilt from the maximal
runs. That is the form sympy's own evaluation gives: maximal intervals, the isolated points
in one FiniteSet, the parts ordered by sympy's `Union(..., evaluate=False)`, and R as the
first operand that is R (sympy keeps Reals and Interval(-oo, oo) apart in print).

Ends are ordered exactly: rationals by integer arithmetic, anything else by certified arb
balls (verifier.analysis.arb.certified.exact_ball); two ends are equal only when they are the
same sympy expression. Whatever is not decided so - ends that are different expressions of
one number, or closer than the balls separate, a symbolic end, an ImageSet or a
ConditionSet operand - is left to sympy's own operation.

What it does not do: simplify the ends themselves, or guess: an order no ball certifies
leaves the operation to sympy (a membership it cannot order is None, "not decided").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy as sp
from flint import arb

from verifier.analysis.arb.certified import exact_ball
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo

# (low end, high end, low end included, high end included); a point is (p, p, True, True)
Part = tuple[sp.Expr, sp.Expr, bool, bool]
_NOT_FINITE = frozenset((sp.oo, -sp.oo, sp.zoo, sp.nan))
REAL_LINE = sp.Interval(-sp.oo, sp.oo)


def union(*regions: sp.Set) -> sp.Set:
    """The union of `regions` (sympy's Union where the sweep does not apply)."""
    swept = _swept(regions, any)
    return swept if swept is not None else sp.Union(*regions)


def intersect(*regions: sp.Set) -> sp.Set:
    """The intersection of `regions` (sympy's Intersection where the sweep does not apply)."""
    if len(regions) == 2:   # an interval, and an interval minus a lattice: sympy's rule,
        interval, holed = regions if isinstance(regions[1], sp.Complement) else regions[::-1]
        if isinstance(interval, sp.Interval) and isinstance(holed, sp.Complement) and \
                isinstance(holed.args[0], sp.Interval) and _is_lattice(holed.args[1]):
            # the complement taken last
            return difference(intersect(interval, holed.args[0]), holed.args[1])
    swept = _swept(regions, all)
    return swept if swept is not None else sp.Intersection(*regions)


def difference(region: sp.Set, removed: sp.Set) -> sp.Set:
    """`region` minus `removed` (sympy's Complement where the sweep does not apply)."""
    if isinstance(region, sp.Interval) and _is_lattice(removed):
        # what sympy ends with too, after 20-60 ms of subset tests on the lattices: it never
        # cuts an interval at a lattice's points
        return sp.Complement(region, removed, evaluate=False)
    swept = _swept((region, removed), lambda inside: inside[0] and not inside[1])
    return swept if swept is not None else sp.Complement(region, removed)


def contains(region: sp.Set, point: sp.Expr) -> bool | None:
    """Whether the constant `point` lies in `region` (an interval, a finite set or a union
    of them); None when the sweep does not apply or the point is not ordered."""
    parts = parts_of(region)
    if parts is None or point.free_symbols or point in _NOT_FINITE:
        return None
    ends = _ordered([point, *(end for part in parts for end in part[:2])])
    if ends is None or point not in ends:
        return None
    slot, index = 2 * ends.index(point) + 1, _indexed(ends)
    return any(first <= slot <= last for first, last in (_span(part, index) for part in parts))


def parts_of(region: sp.Set) -> list[Part] | None:
    """The intervals and points `region` is the union of, or None if it is not such a set
    with constant ends."""
    if region is sp.S.EmptySet:
        return []
    members = region.args if isinstance(region, sp.Union) else (region,)
    parts: list[Part] = []
    for member in members:
        if isinstance(member, sp.Interval):
            parts.append((member.start, member.end, not member.left_open,
                          not member.right_open))
        elif isinstance(member, sp.FiniteSet) and not _NOT_FINITE.intersection(member.args):
            parts.extend((point, point, True, True) for point in member.args)
        else:
            return None
    if any(end.free_symbols for part in parts for end in part[:2]):
        return None
    return parts


def _is_lattice(region: sp.Set) -> bool:
    """A union of sets {g(n) : n integer} with g depending on n (the zeros of sin(x) + c)."""
    members = region.args if isinstance(region, sp.Union) else (region,)
    return all(isinstance(member, sp.ImageSet) and member.base_sets == (sp.S.Integers,)
               and member.lamda.variables[0] in member.lamda.expr.free_symbols
               for member in members)


def _swept(regions: Sequence[sp.Set], combine: Callable[[list[bool]], bool]) -> sp.Set | None:
    """The set where `combine` (of whether each region holds there) is true, or None."""
    operands = [parts_of(region) for region in regions]
    if any(parts is None for parts in operands):
        return None
    ends = _ordered([end for parts in operands for part in parts for end in part[:2]])
    if ends is None:
        return None
    index = _indexed(ends)
    spans = [[_span(part, index) for part in parts] for parts in operands]
    # slot 2k: the open gap just below ends[k] (2 * len(ends): above the last); 2k + 1: ends[k]
    holds = [combine([any(first <= slot <= last for first, last in operand)
                      for operand in spans]) for slot in range(2 * len(ends) + 1)]
    if all(holds):   # sympy's R is the first operand that is R (Reals or Interval(-oo, oo))
        return next((region for region in regions if region == sp.S.Reals), REAL_LINE)
    return _rebuilt(holds, ends)


def _indexed(ends: list[sp.Expr]) -> dict[sp.Expr, int]:
    """Each end's slot, and the infinities' (outside every gap's ends)."""
    return {-sp.oo: -1, sp.oo: 2 * len(ends) + 1,
            **{end: 2 * k + 1 for k, end in enumerate(ends)}}


def _span(part: Part, index: dict[sp.Expr, int]) -> tuple[int, int]:
    """The first and last slot a part covers (an open end: the gap beside it)."""
    low, high, low_in, high_in = part
    return index[low] + (0 if low_in else 1), index[high] - (0 if high_in else 1)


def _rebuilt(holds: list[bool], ends: list[sp.Expr]) -> sp.Set:
    intervals: list[sp.Set] = []
    points: list[sp.Expr] = []
    slot = 0
    while slot < len(holds):
        if not holds[slot]:
            slot += 1
            continue
        first = slot
        while slot + 1 < len(holds) and holds[slot + 1]:
            slot += 1
        if first == slot and first % 2:
            points.append(ends[first // 2])
        else:
            intervals.append(_interval(first, slot, ends))
        slot += 1
    parts = intervals + ([sp.FiniteSet(*points)] if points else [])
    if not parts:
        return sp.S.EmptySet
    return parts[0] if len(parts) == 1 else sp.Union(*parts, evaluate=False)


def _interval(first: int, last: int, ends: list[sp.Expr]) -> sp.Interval:
    """The interval of slots first..last (first < last, or one gap): its ends are certified
    in order, so sympy's checks of them are skipped."""
    low = -sp.oo if first == 0 else ends[(first - 1) // 2]
    high = sp.oo if last == 2 * len(ends) else ends[last // 2]
    return sp.Basic.__new__(sp.Interval, low, high, sp.sympify(first % 2 == 0),
                            sp.sympify(last % 2 == 0))


def _ordered(values: list[sp.Expr]) -> list[sp.Expr] | None:
    """The distinct finite values, increasing, each consecutive pair certified in order;
    None if some pair is not (or a value has no ball)."""
    distinct = [value for value in dict.fromkeys(values) if value not in _NOT_FINITE]
    try:
        balls = {value: _ball(value) for value in distinct}
    except Undecided:
        return None
    distinct.sort(key=lambda value: float(balls[value].mid()))
    for low, high in zip(distinct, distinct[1:]):
        if not (balls[low] < balls[high]):
            return None
    return distinct


@memo(maxsize=4096)
def _ball(value: sp.Expr) -> arb:
    """A certified ball around a finite real constant (raises Undecided)."""
    ball = exact_ball(value)
    if not ball.is_finite():
        raise Undecided(f"no finite ball around {value}")
    return ball
