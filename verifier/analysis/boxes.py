"""Certified branch-and-bound of the sign of u over an interval (step 4 of signs.py).

The sweep starts with coarse boxes, cut at 0, +-1 and +-2**(2**j): far from 0 one box often
certifies many binades at once (a few dozen boxes out to 1.8e308 instead of 2,000). A coarse
box that one try does not decide is halved in the exponent, down to binades (cut at +-2**k:
each spans at most a factor of 2 in magnitude, where arb's enclosures stay tight), which are
bisected. Boxes are certified from the middle of the interval outward; where a binade cannot
be certified (arb cannot resolve u there even at 1024 bits), the certified part stops at that
cut and the rest, out to the true end, must be proved
symbolically (assumptions on u, or u' of one sign with u's value at the cut and its limit at
the end). If the symbolic tail fails beyond the float range, the structure is `clipped`; if it
fails inside it, Undecided.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from verifier import notation
from verifier.analysis.bounds import FLOAT_MAX, Bound
from verifier.analysis.box_tails import extend_tails
from verifier.analysis.arb.certified import enclose, exact_ball, tighten
from verifier.analysis.arb.endpoints import certain_sign
from verifier.analysis.derivatives import derivative
from verifier.analysis.pointwise import exact_value_is_defined
from verifier.analysis.roots import point_sign, refine_root
from verifier.analysis.sign_forms import Forms
from verifier.analysis.stretches import SignStructure, Stretch
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo

TINY = sp.Rational(1, 2**1074)
_BOX_BUDGET = 60
_PRECISIONS = (128, 1024)


def certify_signs(forms: list[sp.Expr], x: sp.Symbol, lo: sp.Expr, hi: sp.Expr,
                  label: str, partial: bool = False,
                  later: Callable[[], tuple[sp.Expr, ...]] | None = None,
                  budget: int | None = None) -> SignStructure:
    """The sign structure of forms[0] on (lo, hi). The forms are the same function times
    positive factors (same signs, same zeros); each box is certified with the first form that
    works there: u itself near 0, u*exp(-x) far right, and so on. `later` (hashable) gives
    more such forms, asked for only when a box is not decided by those at hand. partial: a
    tail that is neither certified nor proved is listed as undecided instead of raising.
    budget: raise OverBudget after that many box decisions."""
    u = forms[0]
    sweep = _sweep(tuple(forms), x, lo, hi, later, budget)
    pairs, points, cuts, used = sweep.pairs, sweep.ends, sweep.cuts, sweep.used
    records, roots = list(sweep.records), list(sweep.roots)
    if not records:
        raise Undecided(f"no box of {notation.interval(lo, hi)} could be certified for {label}")
    stretches = _merge(u, x, records, roots)
    undecided: list[tuple[Bound, Bound]] = []
    notes, clipped = extend_tails(pairs, x, lo, hi, points[0], points[-1], cuts, stretches,
                                  undecided if partial else None)
    evidence = [f"{label}: sign certified with {used} arb boxes between "
                f"{notation.number(cuts.get('-', points[0]))} and "
                f"{notation.number(cuts.get('+', points[-1]))}"
                f" (each box by the first form that decides it: "
                f"{', '.join(map(str, pairs.forms))});"
                f" zeros: {notation.listing([r.text() for r in roots])}", *notes]
    return SignStructure(stretches, "interval", clipped, evidence, undecided)


@dataclass(frozen=True)
class _Sweep:
    """The certified boxes of one sweep: what certify_signs builds its structure on."""

    pairs: Forms
    ends: tuple[sp.Expr, sp.Expr]
    records: tuple[tuple, ...]
    roots: tuple[Bound, ...]
    cuts: dict[str, sp.Expr]
    used: int


@memo(16)
def _sweep(forms: tuple[sp.Expr, ...], x: sp.Symbol, lo: sp.Expr, hi: sp.Expr,
           later: Callable[[], tuple[sp.Expr, ...]] | None, budget: int | None) -> _Sweep:
    """Boxes from the middle of (lo, hi) outward, each side until a binade fails. Kept per
    (forms, interval): a sign structure that fails on its tails is asked again with
    `partial`, and the boxes are the same."""
    u = forms[0]
    pairs = Forms(forms, x, later, budget)
    points = split_points(_cut(u, x, lo, +1), _cut(u, x, hi, -1), _COARSE)
    boxes = list(zip(points, points[1:]))
    centre = min(range(len(boxes)), key=lambda i: abs(float(sum(boxes[i])) / 2))
    records: list[tuple] = []
    roots: list[Bound] = []
    used = 0
    cuts = {}
    ends = (points[0], points[-1])
    for side, order in (("+", boxes[centre:]), ("-", boxes[:centre][::-1])):
        pending = order[::-1]   # a stack, the next box outward on top
        while pending:
            a, b = pending.pop()
            inside = _middle_cut(a, b)
            if inside is not None:   # wider than a binade: one try, else its two halves
                if _decide_wide(pairs, x, a, b, records, roots):
                    used += 1
                    continue
                halves = [(a, inside), (inside, b)]
                pending.extend(halves[::-1] if side == "+" else halves)   # inner half on top
                continue
            kept = len(records), len(roots)
            try:
                used += _certify_box(pairs, x, a, b, records, roots, 0, ends)
            except Undecided:  # forget this box's partial work: the certified part ends here
                del records[kept[0]:], roots[kept[1]:]
                cuts[side] = a if side == "+" else b
                break
    return _Sweep(pairs, ends, tuple(records), tuple(roots), cuts, used)


def _cut(u, x, end: sp.Expr, direction: int) -> sp.Expr:
    """Where boxes start: the end if u is defined there, else just inside it."""
    if end in (sp.oo, -sp.oo):
        return FLOAT_MAX * (-direction)
    try:
        if exact_value_is_defined(u, x, end):
            return end
    except Undecided:
        pass
    return end + direction * TINY * max(1, abs(sp.floor(end)))


_CUTS = sorted({0} | {2**k for k in range(1024)} | {-2**k for k in range(1024)})
# the first sweep's boxes: 0, +-1 and +-2**(2**j); a box that one try does not decide is
# halved in the exponent down to the binades between consecutive _CUTS
_COARSE = sorted({0} | {s * 2**(2**j) for j in range(10) for s in (1, -1)} | {1, -1})


def split_points(a: sp.Expr, b: sp.Expr, cuts: list[int] = _CUTS) -> list[sp.Expr]:
    """a, the `cuts` (0 and +-2**k) strictly between a and b, and b, in order."""
    if a.is_Rational and b.is_Rational:    # exact and fast: Python fractions
        low, high = Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))
        return [a, *(sp.Integer(c) for c in cuts if low < c < high), b]
    inside = [sp.Integer(c) for c in cuts
              if sp.Lt(a, c) is sp.true and sp.Lt(c, b) is sp.true]
    return [a, *inside, b]


def _middle_cut(a: sp.Expr, b: sp.Expr) -> sp.Integer | None:
    """The middle one of the _CUTS strictly inside (a, b), or None: [a, b] is a binade (or
    part of one), the unit that branch and bound bisects."""
    if a.is_Rational and b.is_Rational:
        first = bisect_right(_CUTS, Fraction(int(a.p), int(a.q)))
        last = bisect_left(_CUTS, Fraction(int(b.p), int(b.q)))
        return sp.Integer(_CUTS[(first + last - 1) // 2]) if first < last else None
    inside = split_points(a, b)[1:-1]
    return inside[(len(inside) - 1) // 2] if inside else None


def _decide_wide(pairs, x, a, b, records, roots) -> bool:
    """One try at a box wider than a binade, at working precision and without bisection:
    far from 0, whole ranges of binades often have one certified sign."""
    try:
        return _decide(pairs, x, a, b, records, roots, _PRECISIONS)
    except Undecided:   # a root bracket that could not be refined: its halves will say
        return False


def _certify_box(pairs, x, a, b, records, roots, depth, ends) -> int:
    """Certify [a, b], bisecting at most _BOX_BUDGET times; returns the boxes used. A box at
    one of the `ends` where u is exactly 0 may be decided by the next derivatives."""
    if depth > 60:
        raise Undecided(f"the sign of {pairs[0][0]} near {sp.N(a, 8)} was not certified")
    if depth > 4 and (a in ends or b in ends):
        sign = _sign_next_to_zero(pairs[0][0], x, a, b, a in ends, 3)
        if sign:
            roots.append(Bound.of(a if a in ends else b))
            records.append((a, b, sign))
            return 1
    if _decide(pairs, x, a, b, records, roots, _PRECISIONS):
        return 1
    middle = (a + b) / 2 if (a + b).is_Rational else sp.nsimplify(sp.N((a + b) / 2, 40),
                                                                   rational=True)
    used = _certify_box(pairs, x, a, middle, records, roots, depth + 1, ends)
    if used > _BOX_BUDGET:
        raise Undecided(f"the sign of {pairs[0][0]} near {sp.N(a, 8)} was not certified")
    return used + _certify_box(pairs, x, middle, b, records, roots, depth + 1, ends)


def _decide(pairs, x, a, b, records, roots, precisions) -> bool:
    """Certify [a, b] as it is (no bisection): by a form's sign, or by a form's slope of one
    sign and its values at the ends; the record goes to `records` (and a root to `roots`)."""
    pairs.spend()
    for precision in precisions:
        if precision != precisions[0] and _width_limited(pairs[0][0], x, a, b, precisions[0]):
            return False
        first = pairs.preferred
        sign = _box_sign(pairs[first][0], x, a, b, precision)
        if sign:
            records.append((a, b, sign))
            return True
        for index, (u, slope) in pairs.each():
            sign = _box_sign(u, x, a, b, precision) if index != first else 0
            if sign:
                pairs.preferred = index
                records.append((a, b, sign))
                return True
            direction = _box_sign(slope, x, a, b, precision)
            if direction and _monotone_box(u, x, a, b, direction, records, roots):
                return True
    return False


def _width_limited(u, x, a, b, precision: int) -> bool:
    """u is certified nonzero at the box's midpoint at `precision`: the box failed for its
    width (or a sign change inside it), which more digits do not mend and bisection does."""
    try:
        value = enclose(u, x, exact_ball((a + b) / 2), precision)
    except Undecided:
        return False
    return value > 0 or value < 0


def _box_sign(u, x, a, b, precision: int) -> int:
    """The certified sign of u on [a, b], or 0: endpoint intervals first (they keep the ends
    of exp over wide boxes), then a ball (its cancellation-aware forms win near 0)."""
    low, high = exact_ball(a), exact_ball(b)
    try:
        sign = certain_sign(u, x, low, high, precision)
        if sign:
            return sign
    except Undecided:
        pass
    try:
        value = enclose(u, x, low.union(high), precision)
    except Undecided:
        return 0
    return 1 if value > 0 else -1 if value < 0 else 0


def _sign_next_to_zero(u, x, a, b, zero_at_a: bool, orders: int) -> int:
    """The sign of u on the box minus its end `a` (zero_at_a) or `b`, where u is exactly 0:
    u(a) = 0 and u' of sign s on (a, b] give u of sign s there (u(b) = 0: sign -s on
    [a, b)); u' is decided by a box or, if it too vanishes there, the same way (up to
    `orders` derivatives: sinc's x*cos(x) - sin(x) needs three). 0 if not decided."""
    try:
        if point_sign(u, x, a if zero_at_a else b) != 0:
            return 0
    except Undecided:
        return 0
    slope = derivative(u, x)
    direction = _box_sign(tighten(slope), x, a, b, _PRECISIONS[0])
    if not direction and orders > 1:
        direction = _sign_next_to_zero(slope, x, a, b, zero_at_a, orders - 1)
    return direction if zero_at_a else -direction


def _monotone_box(u, x, a, b, direction: int, records, roots) -> bool:
    """u is strictly monotone on [a, b]: decided by the signs at the ends."""
    try:
        sign_a, sign_b = point_sign(u, x, a), point_sign(u, x, b)
    except Undecided:
        return False
    if sign_a * sign_b < 0:
        root = refine_root(u, x, a, b)
        roots.append(root)
        records.extend([(a, root, sign_a), (root, b, sign_b)])
    elif sign_a == 0 or sign_b == 0:  # a zero exactly at an end; the rest has one sign
        roots.append(Bound.of(a if sign_a == 0 else b))
        records.append((a, b, direction if sign_a == 0 else -direction))
    else:
        records.append((a, b, sign_a))
    return True


def _merge(u, x, records, roots) -> list[Stretch]:
    bounds = [tuple(r if isinstance(r, Bound) else Bound.of(r) for r in rec[:2]) + (rec[2],)
              for rec in records]
    bounds.sort(key=lambda r: float(r[0]))
    stretches: list[Stretch] = []
    for a, b, sign in bounds:
        if stretches and stretches[-1].sign == sign and stretches[-1].hi == a:
            stretches[-1] = Stretch(stretches[-1].lo, b, sign)
            continue
        if stretches and stretches[-1].hi != a:
            raise Undecided("certified boxes do not join")
        if stretches and a not in roots:
            if point_sign(u, x, a.exact) != 0:
                raise Undecided(f"{u} changes sign at {a.exact} without vanishing there")
            roots.append(a)
        stretches.append(Stretch(a, b, sign))
    return stretches
