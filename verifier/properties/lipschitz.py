"""lipschitz: sup |f'| over the domain is finite.

Why: the Lipschitz constant bounds how much one layer can amplify a perturbation (and a
gradient); a constant of 1 or less keeps deep stacks stable. Example: sigmoid 1/4, tanh 1,
relu 1, softplus 1 (not attained), swish 1.09983932012887 (at 2.39935728051547), GELU
1.12890414518515 (at sqrt(2)) are proved; exp(x) (f' unbounded) and sign(x)*sqrt(abs(x))
(infinite slope at 0) are refuted with "oo".

Method: f must be continuous with finite one-sided derivatives (else "oo" at that point); then
on each stretch where f'' has one sign f' is monotone, so sup |f'| comes from f' at critical
points of f' (attained), on stretches where f' is constant (attained), and from the limits of
f' at the stretches' open ends (not attained), all exact or certified with arb.
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.bounds import Bound
from verifier.analysis.context import AnalysisContext
from verifier.analysis.derivatives import derivative
from verifier.analysis.pointwise import recheck_near
from verifier.analysis.sets import value_json
from verifier.analysis.undecided import Undecided
from verifier.analysis.values import value_at
from verifier.model import Method, PropertyResult, Verdict
from verifier.analysis.extremes import (candidate_text, extreme_candidates, extreme_reached,
                                          where_json)
from verifier.properties.registry import FLOAT_RANGE, result, unknown

ID = "lipschitz"


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        blocked = _not_lipschitz_at(ctx)
        if blocked is not None:
            return blocked
        shape = ctx.partial_shape(2)
        candidates = [(value.magnitude(), where) for value, where in
                      extreme_candidates(ctx, shape, order=1)]
        constant, attained = extreme_reached(candidates, largest=True)
    except Undecided as exc:
        return unknown(ID, f"Lipschitz constant not decided: {exc}")
    facts = {"lipschitz_constant": "oo" if constant.infinite else constant.json(),
             "attained_at": [where_json(w) for w in attained] or None}
    periodic = [] if ctx.period is None else [
        f"f has period {ctx.period}: sup |f'| over one period is sup |f'| over R"]
    evidence = periodic + shape.evidence() + [
        f"|f'| candidates: {candidate_text(candidates)}",
        f"sup |f'| = {constant.text()} ({'attained' if attained else 'not attained'})"]
    method = Method.interval if shape.method == "interval" else Method.symbolic
    if constant.infinite:
        pole = _steep_end(ctx, shape)
        witness = {"sup_abs_derivative": "oo"} | ({"x": pole.json()} if pole else {})
        return result(ID, Verdict.refuted, method, evidence=evidence, facts=facts,
                      witness=witness)
    outcome = result(ID, Verdict.proved, method, evidence=evidence, facts=facts)
    if shape.clipped:
        outcome.statement += FLOAT_RANGE
    return outcome


def _steep_end(ctx: AnalysisContext, shape) -> Bound | None:
    """A finite end of a stretch where f' has an infinite one-sided limit (the pole of
    1/(x - pi)): where the witness says |f'| is unbounded. The limits are the ones
    extreme_candidates just computed (value_at is cached)."""
    for segment, stretch in shape.stretches():
        slope = derivative(segment.expr, ctx.x)
        for bound, side, end in ((stretch.lo, "+", segment.lo), (stretch.hi, "-", segment.hi)):
            if bound.exact is None or bound.infinite or bound.exact != end:
                continue
            try:
                if value_at(slope, ctx.x, bound, side).infinite:
                    return bound
            except Undecided:
                continue
    return None


def _not_lipschitz_at(ctx: AnalysisContext) -> PropertyResult | None:
    """A jump or an infinite one-sided derivative: no Lipschitz constant, at that point."""
    if ctx.family is not None:
        point = ctx.family.location.subs(sp.Symbol("k", integer=True), 0)
        return _infinite(ctx, point, f"{ctx.family.atom} jumps at every step")
    for point in ctx.smoothness.points:
        if not point.continuous:
            return _infinite(ctx, point.point, f"f jumps at x = {point.point}")
        if point.infinite_slope:
            return _infinite(ctx, point.point, f"a one-sided derivative at x = {point.point} "
                                               f"is infinite")
    return None


def _infinite(ctx: AnalysisContext, point: sp.Expr, why: str) -> PropertyResult:
    return result(ID, Verdict.refuted, Method.symbolic, evidence=[why + ": sup |f'| = oo"],
                  facts={"lipschitz_constant": "oo", "attained_at": [value_json(point)]},
                  witness={"x": value_json(point), "recheck": recheck_near(
                      ctx.expr, ctx.x, point, ("-1e-20", "0", "1e-20"))})
