"""Certified branch-and-bound of the sign of u over an interval (step 4 of signs.py).

Boxes are split at 0 and at +-2**k, so each spans at most a factor of 2 in magnitude and arb's
enclosures stay tight out to the float64 limit 1.8e308. They are certified from the middle of
the interval outward; where a box cannot be certified (arb cannot resolve u there even at 1024
bits), the certified part stops at that cut and the rest, out to the true end, must be proved
symbolically (assumptions on u, or u' of one sign with u's value at the cut and its limit at
the end). If the symbolic tail fails beyond the float range, the structure is `clipped`; if it
fails inside it, Undecided.
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.bounds import FLOAT_MAX, Bound
from verifier.analysis.certified import enclose, exact_ball, tighten
from verifier.analysis.endpoints import certain_sign
from verifier.analysis.limits import sign_of
from verifier.analysis.pointwise import exact_value_is_defined
from verifier.analysis.signs import (SignStructure, Stretch, assumed_sign, point_sign,
                                     refine_root)
from verifier.analysis.undecided import Undecided

TINY = sp.Rational(1, 2**1074)
_BOX_BUDGET = 60
_PRECISIONS = (128, 1024)


def certify_signs(u: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr,
                  label: str) -> SignStructure:
    slope = tighten(sp.diff(u, x))
    u = tighten(u)
    points = _split_points(_cut(u, x, lo, +1), _cut(u, x, hi, -1))
    boxes = list(zip(points, points[1:]))
    centre = min(range(len(boxes)), key=lambda i: abs(float(sum(boxes[i])) / 2))
    records: list[tuple] = []
    roots: list[Bound] = []
    used = 0
    cuts = {}
    for side, order in (("+", boxes[centre:]), ("-", boxes[:centre][::-1])):
        for a, b in order:
            kept = len(records), len(roots)
            try:
                used += _certify_box(u, slope, x, a, b, records, roots, 0)
            except Undecided:  # forget this box's partial work: the certified part ends here
                del records[kept[0]:], roots[kept[1]:]
                cuts[side] = a if side == "+" else b
                break
    if not records:
        raise Undecided(f"no box of ({lo}, {hi}) could be certified for {label}")
    stretches = _merge(u, x, records, roots)
    notes, clipped = _tails(u, x, lo, hi, points[0], points[-1], cuts, stretches)
    evidence = [f"{label}: sign certified with {used} arb boxes between "
                f"{sp.N(cuts.get('-', points[0]), 6)} and {sp.N(cuts.get('+', points[-1]), 6)};"
                f" zeros {[r.text() for r in roots]}", *notes]
    return SignStructure(stretches, "interval", clipped, evidence)


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


def _split_points(a: sp.Expr, b: sp.Expr) -> list[sp.Expr]:
    cuts = {sp.Integer(0)} | {sp.Integer(2)**k for k in range(1024)} | {
        -sp.Integer(2)**k for k in range(1024)}
    inside = [c for c in cuts if sp.Lt(a, c) is sp.true and sp.Lt(c, b) is sp.true]
    return [a, *sorted(inside), b]


def _certify_box(u, slope, x, a, b, records, roots, depth) -> int:
    """Certify [a, b], bisecting at most _BOX_BUDGET times; returns the boxes used."""
    if depth > 60:
        raise Undecided(f"the sign of {u} near {sp.N(a, 8)} was not certified")
    for precision in _PRECISIONS:
        sign = _box_sign(u, x, a, b, precision)
        if sign:
            records.append((a, b, sign))
            return 1
        direction = _box_sign(slope, x, a, b, precision)
        if direction and _monotone_box(u, x, a, b, direction, records, roots):
            return 1
    middle = (a + b) / 2 if (a + b).is_Rational else sp.nsimplify(sp.N((a + b) / 2, 40),
                                                                   rational=True)
    used = _certify_box(u, slope, x, a, middle, records, roots, depth + 1)
    if used > _BOX_BUDGET:
        raise Undecided(f"the sign of {u} near {sp.N(a, 8)} was not certified")
    return used + _certify_box(u, slope, x, middle, b, records, roots, depth + 1)


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


def _tails(u, x, lo, hi, first, last, cuts, stretches) -> tuple[list[str], bool]:
    """Extend the outer stretches from the certified part to the true ends, symbolically."""
    notes, clipped = [], False
    for side, end, index in (("-", lo, 0), ("+", hi, -1)):
        cut = cuts.get(side, first if side == "-" else last)
        if cut == end:
            continue
        stretch = stretches[index]
        reached = stretch.lo.exact if side == "-" else stretch.hi.exact
        sign = _tail_sign(u, x, end, reached, -1 if side == "-" else 1)
        if sign == stretch.sign:
            new = Bound.of(end)
            stretches[index] = (Stretch(new, stretch.hi, sign) if side == "-" else
                                Stretch(stretch.lo, new, sign))
            notes.append(f"from {sp.N(reached, 6)} to {end} the sign was proved symbolically")
        elif end in (sp.oo, -sp.oo) and abs(reached) >= FLOAT_MAX:
            clipped = True
            notes.append(f"beyond {sp.N(reached, 6)} the sign was not proved: the result holds "
                         f"on the float64 range only")
        else:
            raise Undecided(f"the sign of {u} between {sp.N(reached, 8)} and {end} was "
                            f"neither certified nor proved")
    return notes, clipped


def _tail_sign(u, x, end, cut, toward: int) -> int:
    """The sign of u strictly between the cut and the end (toward -1: end < cut), or 0."""
    low, high = (end, cut) if toward < 0 else (cut, end)
    sign = assumed_sign(u, x, low, high)
    if sign or end not in (sp.oo, -sp.oo):
        return sign
    trend = assumed_sign(sp.diff(u, x), x, low, high)
    if not trend:
        return 0
    try:
        at_cut = point_sign(u, x, cut)
        at_end = sign_of(sp.limit(u, x, end))
    except (Undecided, NotImplementedError, ValueError):
        return 0
    # toward the end, u moves strictly monotonically from u(cut) to its limit L
    if trend * toward < 0:      # decreasing toward the end: L < u < u(cut)
        return -1 if at_cut <= 0 else (1 if at_end >= 0 else 0)
    return 1 if at_cut >= 0 else (-1 if at_end <= 0 else 0)   # increasing: u(cut) < u < L
