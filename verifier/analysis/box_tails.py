"""The tails of a branch-and-bound sign structure (verifier.analysis.boxes): from where the
certified boxes stop to the true ends of the interval, by one arb half-line box with an
infinite end, sympy's assumptions on u there, or the monotone-tail rule (u' of one sign, u's
value at the cut and its limit at the end).

What it does not do: certify anything inside the float range that the boxes could not; a
tail none of the methods proves is `undecided` (partial) or raises Undecided.
"""

from __future__ import annotations

import sympy as sp
from flint import arb

from verifier import notation
from verifier.analysis.assumed_signs import assumed_sign
from verifier.analysis.bounds import FLOAT_MAX, Bound
from verifier.analysis.arb.certified import exact_ball
from verifier.analysis.arb.endpoints import half_line_sign
from verifier.analysis.derivatives import derivative
from verifier.analysis.limits import limit, sign_of
from verifier.analysis.roots import point_sign
from verifier.analysis.stretches import Stretch
from verifier.analysis.undecided import Undecided


def extend_tails(pairs, x, lo, hi, first, last, cuts, stretches,
                 undecided: list | None) -> tuple[list[str], bool]:
    """Extend the outer stretches from the certified part to the true ends, symbolically or
    by one half-line box beyond the float range; what cannot be is appended to `undecided`
    (when given) or raises Undecided."""
    u = pairs[0][0]
    notes, clipped = [], False
    for side, end, index in (("-", lo, 0), ("+", hi, -1)):
        cut = cuts.get(side, first if side == "-" else last)
        if cut == end:
            continue
        stretch = stretches[index]
        reached = stretch.lo.exact if side == "-" else stretch.hi.exact
        toward = -1 if side == "-" else 1
        infinite = end in (sp.oo, -sp.oo)
        # the certified half-line box first: it costs a few arb evaluations, sympy's
        # assumptions and limits seconds; any method that proves the stretch's sign suffices
        sign = _half_line_sign(pairs, x, reached, toward) if infinite else 0
        if sign != stretch.sign:
            sign = _tail_sign(u, x, end, reached, toward)
        inner = _inner_cut(stretch, toward) if infinite else None
        if sign != stretch.sign and inner is not None:
            sign = _tail_sign(u, x, end, inner, toward)
        if sign == stretch.sign:
            new = Bound.of(end)
            stretches[index] = (Stretch(new, stretch.hi, sign) if side == "-" else
                                Stretch(stretch.lo, new, sign))
            notes.append(f"from {notation.number(reached)} to {notation.number(end)} the sign "
                         f"was proved symbolically")
        elif infinite and abs(reached) >= FLOAT_MAX:
            clipped = True
            notes.append(f"beyond {notation.number(reached)} the sign was not proved: the "
                         f"result holds "
                         f"on the float64 range only")
        elif undecided is not None:
            region = (Bound.of(end), Bound.of(reached)) if side == "-" else (
                Bound.of(reached), Bound.of(end))
            undecided.append(region)
            notes.append(f"between {sp.N(reached, 6)} and {end} the sign was not decided")
        else:
            raise Undecided(f"the sign of {u} between {sp.N(reached, 8)} and {end} was "
                            f"neither certified nor proved")
    return notes, clipped


def _half_line_sign(pairs, x, cut, toward: int) -> int:
    """The sign of u from the cut to +-oo by one endpoint box with an infinite end (any of
    u's sign-equivalent forms), or 0."""
    infinite, near = arb("inf") * toward, exact_ball(cut)
    for _, (form, _) in pairs.each(later=False):
        sign = half_line_sign(form, x, *((near, infinite) if toward > 0 else (infinite, near)))
        if sign:
            return sign
    return 0


def _inner_cut(stretch: Stretch, toward: int) -> sp.Expr | None:
    """A small power of two inside the outer stretch: the sign proved from there to the end
    covers the tail too, and sympy need not see the huge cut 1.8e308 (exp(1.8e308 - t)
    sent to polynomials overflows)."""
    start = stretch.lo if toward > 0 else stretch.hi
    if start.infinite:
        return sp.Integer(toward)
    edge = start.exact if start.exact is not None else (start.hi if toward > 0 else start.lo)
    for k in (0, 4, 16, 64):
        candidate = toward * sp.Integer(2)**k
        if sp.Gt(toward * (candidate - edge), 0) is sp.true:
            return candidate
    return None


def _tail_sign(u, x, end, cut, toward: int) -> int:
    """The sign of u strictly between the cut and the end (toward -1: end < cut), or 0."""
    low, high = (end, cut) if toward < 0 else (cut, end)
    sign = assumed_sign(u, x, low, high)
    if sign or end not in (sp.oo, -sp.oo):
        return sign
    trend = assumed_sign(derivative(u, x), x, low, high)
    if not trend:
        return 0
    try:
        at_cut = point_sign(u, x, cut)
        at_end = sign_of(limit(u, x, end))
    except (Undecided, NotImplementedError, ValueError):
        return 0
    # toward the end, u moves strictly monotonically from u(cut) to its limit L
    if trend * toward < 0:      # decreasing toward the end: L < u < u(cut)
        return -1 if at_cut <= 0 else (1 if at_end >= 0 else 0)
    return 1 if at_cut >= 0 else (-1 if at_end <= 0 else 0)   # increasing: u(cut) < u < L
