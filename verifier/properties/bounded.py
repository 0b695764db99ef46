"""bounded: f is bounded on its domain.

Why: a bounded activation cannot blow up activations layer after layer (sigmoid and tanh are
bounded); an unbounded one (relu) relies on normalisation instead. Example: sigmoid has range
(0, 1) (proved); relu [0, oo) and swish [-LambertW(exp(-1)), oo) = [-0.278464542761074, oo)
(refuted: unbounded above, with their exact lower bounds).

Method: on each stretch where f' has one sign, f is strictly monotone, so its values lie
strictly between its limits at the stretch's ends; the range is assembled from those limits
(exact, or certified arb balls at certified critical points) and from f at junction points
and critical points, where values are attained. `infimum`/`supremum` and `min_at`/`max_at`
(where attained) follow. A result certified on the float64 range only says so.
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.bounds import FLOAT_MAX, Bound
from verifier.analysis.context import AnalysisContext
from verifier.analysis.pointwise import recheck
from verifier.analysis.shape import Shape
from verifier.analysis.steps import K
from verifier.analysis.undecided import Undecided
from verifier.analysis.values import Value, extreme, value_at
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.monotonic import FLOAT_RANGE
from verifier.properties.registry import result, unknown

ID = "bounded"


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        if ctx.family is not None:
            return _staircase(ctx)
        shape = ctx.shape(1)
        candidates = extreme_candidates(ctx, shape, ctx.expr, order=0)
        low = extreme([v for v, _ in candidates], largest=False)
        high = extreme([v for v, _ in candidates], largest=True)
        min_at = [b for v, b in candidates if b is not None and _equal(v, low)]
        max_at = [b for v, b in candidates if b is not None and _equal(v, high)]
    except Undecided as exc:
        return unknown(ID, f"range not decided: {exc}")
    facts = {"range": [_range_json(low, high, bool(min_at), bool(max_at))],
             "infimum": low.json(), "supremum": high.json(),
             "bounded_below": not low.infinite, "bounded_above": not high.infinite,
             "min_at": [_where_json(b) for b in min_at] or None,
             "max_at": [_where_json(b) for b in max_at] or None}
    connected = _connected(ctx)
    if not connected:
        facts["range_is_hull"] = True
    evidence = shape.evidence() + [
        f"candidate values: {[(v.text(), _where_text(b)) for v, b in candidates]}",
        f"infimum {low.text()} ({'attained' if min_at else 'not attained'}), supremum "
        f"{high.text()} ({'attained' if max_at else 'not attained'})"]
    if not connected:
        evidence.append("f is discontinuous or its domain is not connected: the range is given "
                        "as its hull [infimum, supremum]")
    method = Method.interval if shape.method == "interval" else Method.symbolic
    if not (low.infinite or high.infinite):
        outcome = result(ID, Verdict.proved, method, evidence=evidence, facts=facts)
        if shape.clipped:
            outcome.statement += FLOAT_RANGE
        return outcome
    toward = next(b for v, b in _limits(ctx, shape) if v.infinite)
    return result(ID, Verdict.refuted, method, evidence=evidence, facts=facts, witness={
        "toward": toward.json(), "limit": (low if low.infinite else high).json(),
        "recheck": recheck(ctx.expr, ctx.x, _near(toward))})


def _equal(value: Value, extreme_value: Value) -> bool:
    """value equals the extreme (a value that cannot be ordered against it is not counted as
    attaining it: the extreme was chosen as provably beyond every other candidate)."""
    try:
        return value.compare(extreme_value) == 0
    except Undecided:
        return False


def extreme_candidates(ctx: AnalysisContext, shape: Shape, expr_of_order: sp.Expr | None,
                       order: int) -> list[tuple[Value, Bound | None]]:
    """Values of f (order 0) or f' (order 1, from the shape of f'') that bound its range:
    (value, where attained) at junctions, critical points and constant stretches, and
    (limit, None) at the open ends of stretches."""
    attained: dict = {}   # Bound, or (lo, hi) of a constant stretch -> its one value
    limits: list[tuple[Value, Bound | None]] = []
    for segment, stretch in shape.stretches():
        function = sp.diff(segment.expr, ctx.x, order)
        if stretch.sign == 0:  # attained on the whole stretch: keyed by the stretch itself
            attained[(stretch.lo, stretch.hi)] = value_at(function, ctx.x,
                                                          Bound.of(_inside(stretch)))
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
    candidates = [*((value, bound) for bound, value in attained.items()), *limits]
    if order == 0:
        candidates.extend((Value(exact=v), Bound.of(p)) for p, v in shape.points)
    return candidates


def _limits(ctx: AnalysisContext, shape: Shape) -> list[tuple[Value, Bound]]:
    found = []
    for segment in shape.segments:
        for end, side in ((segment.lo, "+"), (segment.hi, "-")):
            found.append((value_at(segment.expr, ctx.x, Bound.of(end), side), Bound.of(end)))
    return found


def _inside(stretch) -> sp.Expr:
    from verifier.properties.monotonic import _inside as inside

    return inside(stretch.lo, stretch.hi)


def _near(bound: Bound) -> sp.Expr:
    if bound.infinite:
        return sp.Integer(10**6) * (1 if bound.exact == sp.oo else -1)
    return bound.probe() + sp.Rational(1, 10**12)


def _connected(ctx: AnalysisContext) -> bool:
    region = ctx.domain.region
    interval = region is sp.S.Reals or isinstance(region, sp.Interval)
    return interval and all(p.continuous for p in ctx.smoothness.points)


def _where_text(where) -> str | None:
    if where is None or isinstance(where, Bound):
        return None if where is None else where.text()
    return f"[{where[0].text()}, {where[1].text()}]"


def _where_json(where) -> dict:
    if isinstance(where, Bound):
        return where.json()
    lo, hi = (bound.json() for bound in where)
    # an open stretch: its ends are attained only if listed as points themselves
    return {"lo": lo["value"], "hi": hi["value"], "lo_closed": False, "hi_closed": False,
            "lo_exact": lo["exact"], "hi_exact": hi["exact"]}


def _range_json(low: Value, high: Value, low_attained: bool, high_attained: bool) -> dict:
    lo, hi = low.json(), high.json()
    return {"lo": lo["value"], "hi": hi["value"], "lo_closed": low_attained,
            "hi_closed": high_attained, "lo_exact": lo["exact"], "hi_exact": hi["exact"]}


def _staircase(ctx: AnalysisContext) -> PropertyResult:
    family = ctx.family
    values = sp.ImageSet(sp.Lambda(K, family.value), sp.S.Integers)
    if not family.value.has(K):
        raise Undecided("a staircase whose value does not change")
    return result(ID, Verdict.refuted, Method.symbolic, evidence=[
        f"at the steps x = {family.location}, f = {family.value} takes every value of "
        f"{sp.sstr(values)} (k integer): unbounded both ways"],
        facts={"range": {"text": sp.sstr(values)}, "infimum": {"value": "-oo", "exact": "-oo"},
               "supremum": {"value": "oo", "exact": "oo"}, "bounded_below": False,
               "bounded_above": False, "min_at": None, "max_at": None},
        witness={"toward": {"value": "oo", "exact": "oo"}, "limit": {"value": "oo", "exact": "oo"},
                 "recheck": recheck(ctx.expr, ctx.x, sp.Integer(10**6))})
