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

from verifier.analysis.bounds import Bound
from verifier.analysis.context import AnalysisContext
from verifier.analysis.derivatives import derivative
from verifier.analysis.pointwise import recheck
from verifier.analysis.sets import components
from verifier.analysis.shape import Shape
from verifier.analysis.steps import K
from verifier.analysis.undecided import Undecided
from verifier.analysis.values import Value, value_at
from verifier.model import Method, PropertyResult, Verdict
from verifier.analysis.extremes import (candidate_text, extreme_candidates, extreme_reached,
                                          where_json)
from verifier.properties.registry import FLOAT_RANGE, result, unknown

ID = "bounded"


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        if ctx.family is not None:
            return _staircase(ctx)
        shape = ctx.partial_shape(1)
        candidates = extreme_candidates(ctx, shape, order=0)
        low, min_at = extreme_reached(candidates, largest=False)
        high, max_at = extreme_reached(candidates, largest=True)
    except Undecided as exc:
        return unknown(ID, f"range not decided: {exc}")
    facts = {"range": [_range_json(low, high, bool(min_at), bool(max_at))],
             "infimum": low.json(), "supremum": high.json(),
             "bounded_below": not low.infinite, "bounded_above": not high.infinite,
             "min_at": [where_json(b) for b in min_at] or None,
             "max_at": [where_json(b) for b in max_at] or None}
    connected = _connected(ctx)
    if not connected:
        facts["range_is_hull"] = True
    if ctx.period is not None:
        evidence_period = [f"f has period {ctx.period} (f(x + P) - f(x) simplifies to 0): its "
                           f"values over [0, {ctx.period}] are all its values"]
    else:
        evidence_period = []
    evidence = evidence_period + shape.evidence() + [
        f"candidate values: {candidate_text(candidates)}",
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
        "recheck": recheck(ctx.written, ctx.x, _near(toward))})


def _limits(ctx: AnalysisContext, shape: Shape) -> list[tuple[Value, Bound]]:
    found = []
    for segment in shape.segments:
        for end, side in ((segment.lo, "+"), (segment.hi, "-")):
            found.append((value_at(segment.expr, ctx.x, Bound.of(end), side), Bound.of(end)))
    return found


def _near(bound: Bound) -> sp.Expr:
    if bound.infinite:
        return sp.Integer(10**6) * (1 if bound.exact == sp.oo else -1)
    return bound.probe() + sp.Rational(1, 10**12)


def _connected(ctx: AnalysisContext) -> bool:
    region = ctx.domain.region
    interval = region is sp.S.Reals or isinstance(region, sp.Interval)
    return interval and all(p.continuous for p in ctx.smoothness.points)


def _range_json(low: Value, high: Value, low_attained: bool, high_attained: bool) -> dict:
    lo, hi = low.json(), high.json()
    return {"lo": lo["value"], "hi": hi["value"], "lo_closed": low_attained,
            "hi_closed": high_attained, "lo_exact": lo["exact"], "hi_exact": hi["exact"]}


def _staircase(ctx: AnalysisContext) -> PropertyResult:
    """f at its steps x_k takes the values v(k), k integer. A side is unbounded when v is a
    polynomial in k whose leading term drives it to +-oo as k runs toward a half-line the
    domain contains (floor(x)**2 only above; floor(x)*sqrt(x) undecided: not a polynomial)."""
    family = ctx.family
    values = sp.ImageSet(sp.Lambda(K, family.value), sp.S.Integers)
    if not family.value.has(K):
        raise Undecided("a staircase whose value does not change")
    below, above = _unbounded_sides(ctx)
    flat = family.flat(ctx.x)   # only then are the values at the steps the whole range
    toward = sp.oo if above[0] else -sp.oo
    side = above if above[0] else below
    proved = [f"f -> {limit} as k -> {found[1]}" for found, limit in ((above, "oo"),
                                                                    (below, "-oo")) if found[0]]
    return result(ID, Verdict.refuted, Method.symbolic, evidence=[
        f"at the steps x = {family.location} (k integer), f = {family.value}, a polynomial "
        f"in k: {' and '.join(proved)}, the steps staying in the domain"],
        facts={"range": {"text": sp.sstr(values)} if flat and below[0] and above[0] else None,
               "infimum": {"value": "-oo", "exact": "-oo"} if below[0] else None,
               "supremum": {"value": "oo", "exact": "oo"} if above[0] else None,
               "bounded_below": False if below[0] else None,
               "bounded_above": False if above[0] else None, "min_at": None, "max_at": None},
        witness={"toward": {"value": "oo" if side[2] > 0 else "-oo",
                            "exact": "oo" if side[2] > 0 else "-oo"},
                 "limit": {"value": "oo" if toward == sp.oo else "-oo",
                           "exact": "oo" if toward == sp.oo else "-oo"},
                 "recheck": recheck(ctx.written, ctx.x, sp.Integer(10**6) * side[2])})


def _unbounded_sides(ctx: AnalysisContext) -> tuple[tuple, tuple]:
    """((below?, k direction, x direction), (above?, ...)) proved from the steps' values."""
    family = ctx.family
    try:
        poly = sp.Poly(family.value, K)
    except sp.PolynomialError:
        raise Undecided(f"the step values {family.value} are no polynomial in k") from None
    slope = derivative(family.location, K)
    if poly.degree() < 1 or not all(c.is_real for c in poly.all_coeffs()) or \
            not (slope.is_positive or slope.is_negative) or slope.has(K):
        raise Undecided(f"how the step values {family.value} grow is not decided")
    parts = components(ctx.domain.region)
    found = {"below": (False, None, 0), "above": (False, None, 0)}
    for k_end in (sp.oo, -sp.oo):
        x_sign = 1 if (slope.is_positive == (k_end == sp.oo)) else -1
        reaches = parts and (parts[-1].end == sp.oo if x_sign > 0 else parts[0].start == -sp.oo)
        if not reaches or isinstance(parts[-1 if x_sign > 0 else 0], sp.FiniteSet):
            continue
        grows = sp.sign(poly.LC()) * (1 if k_end == sp.oo else (-1) ** poly.degree())
        found["above" if grows > 0 else "below"] = (True, k_end, x_sign)
    if not (found["below"][0] or found["above"][0]):
        raise Undecided("no side of the staircase is proved unbounded inside the domain")
    return found["below"], found["above"]
