"""The candidates for the extremes of f (or f') over its shape, shared by bounded and lipschitz.

On a stretch where the next derivative has one sign the function is strictly monotone, so its
extremes over the stretch are its limits at the stretch's ends (not attained) or its values at
critical points and junctions (attained); a stretch where it is constant attains its value on
the whole stretch.
"""

from __future__ import annotations

from verifier import notation
from verifier.analysis.bounds import FLOAT_MAX, Bound
from verifier.analysis.derivatives import derivative
from verifier.analysis.sets import point_between
from verifier.analysis.context import AnalysisContext
from verifier.analysis.arb.envelope import enclose_values
from verifier.analysis.shape import Shape
from verifier.analysis.undecided import Undecided
from verifier.analysis.values import Value, extreme, value_at


def extreme_reached(candidates: list[tuple[Value, Bound | None]],
                    largest: bool) -> tuple[Value, list]:
    """The largest (smallest) candidate value and where it is attained ([] if it is only a
    limit). When the top candidates could not be separated (values.extreme), the extreme is
    attained at one of the listed places, which is all that is claimed: a group that mixes
    attained values and limits leaves attainment undecided (raises Undecided)."""
    value, reached = extreme([v for v, _ in candidates], largest)
    where = [candidates[i][1] for i in reached]
    if any(w is None for w in where) and any(w is not None for w in where) and not any(
            value is candidates[i][0] for i in reached):
        raise Undecided(f"whether {value.text()} is attained is not decided")
    return value, [w for w in where if w is not None]


def extreme_candidates(ctx: AnalysisContext, shape: Shape,
                       order: int) -> list[tuple[Value, Bound | None]]:
    """Values of f (order 0) or f' (order 1, from the shape of f'') that bound its range:
    (value, where attained) at junctions, critical points and constant stretches,
    (limit, None) at the open ends of stretches, and (envelope, None) where the shape left the
    sign undecided: a bound_only ball holding every value there."""
    attained: dict = {}   # Bound, or (lo, hi) of a constant stretch -> its one value
    limits: list[tuple[Value, Bound | None]] = []
    for segment, stretch in shape.stretches():
        function = derivative(segment.expr, ctx.x, order)
        if stretch.sign == 0:  # attained on the whole stretch: keyed by the stretch itself
            inside = Bound.of(point_between(stretch.lo.probe(), stretch.hi.probe()))
            attained[(stretch.lo, stretch.hi)] = value_at(function, ctx.x, inside)
            continue
        for bound, side, end in ((stretch.lo, "+", segment.lo), (stretch.hi, "-", segment.hi)):
            if bound.exact is not None and bound.exact == end:
                limits.append((value_at(function, ctx.x, bound, side), None))
                continue
            if bound not in attained:
                attained[bound] = value_at(function, ctx.x, bound)
            if bound.exact is not None and abs(bound.exact) == FLOAT_MAX:
                # a cut at the float64 limit: f beyond it is unknown, but its limit at the
                # true end still bounds the range from one side (and refutes boundedness)
                limits.append((value_at(function, ctx.x, Bound.of(end)), None))
    for segment, lo, hi in shape.undecided():   # values enclosed, extremes not found
        function = derivative(segment.expr, ctx.x, order)
        limits.append((Value(ball=enclose_values(function, ctx.x, lo, hi), bound_only=True),
                       None))
    candidates = [*((value, bound) for bound, value in attained.items()), *limits]
    if order == 0:
        candidates.extend((Value(exact=v), Bound.of(p)) for p, v in shape.points)
    return candidates


def where_text(where) -> str | None:
    if where is None or isinstance(where, Bound):
        return None if where is None else where.text(enclosure=False)
    return notation.interval(where[0], where[1], True, True)


def candidate_text(candidates) -> str:
    """(value, where) pairs for an evidence line: "0 at x = 0, 1 as x → ∞"."""
    texts = []
    for value, where in candidates:
        place = where_text(where)
        texts.append(value.text() if place is None else
                     f"{value.text()} at x = {place}" if isinstance(where, Bound) else
                     f"{value.text()} on {place}")
    return notation.listing(texts)


def where_json(where) -> dict:
    if isinstance(where, Bound):
        return where.json()
    lo, hi = (bound.json() for bound in where)
    # an open stretch: its ends are attained only if listed as points themselves
    return {"lo": lo["value"], "hi": hi["value"], "lo_closed": False, "hi_closed": False,
            "lo_exact": lo["exact"], "hi_exact": hi["exact"]}
