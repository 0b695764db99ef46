"""differentiable: f is differentiable at every point of its domain (one-sided at closed ends).

Why: gradient descent needs f'; at a kink frameworks pick a subgradient silently, and at a
point of infinite slope (sqrt at 0) the gradient blows up. Example: relu is refuted at 0 with
one-sided derivatives 0 and 1, smoothness 0; softplus is proved, smoothness "inf".

Method: one-sided derivatives at every candidate point (limits of the sides' f', or +-oo across
a jump); elsewhere f is analytic. Facts: `nondifferentiable`, `one_sided_derivatives` at every
candidate point, and `smoothness` = largest k with f in C^k on its domain ("inf", or -1 when
discontinuous). `smoothness` is null when only "C^8 at least" could be shown, or when a higher
derivative's limit at a point is not decided (the one-sided derivatives still decide the
verdict: x**3*sin(1/x) right of 0 is differentiable, its order not decided).
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.context import AnalysisContext
from verifier.analysis.pointwise import recheck_near
from verifier.analysis.sets import optional_value_json, set_json, side_text, value_json
from verifier.analysis.smoothness import family_slopes
from verifier.analysis.steps import K
from verifier.analysis.undecided import Undecided
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown

ID = "differentiable"


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        smoothness = ctx.smoothness
        if smoothness.family is not None:
            return _staircase(ctx)
        kinks = [p for p in smoothness.points if not p.differentiable]
    except Undecided as exc:
        return unknown(ID, f"differentiability not decided: {exc}")
    derivatives = [{"x": value_json(p.point),
                    "left": optional_value_json(p.left_derivative),
                    "right": optional_value_json(p.right_derivative)}
                   for p in smoothness.points]
    facts = {"nondifferentiable": [value_json(p.point) for p in kinks],
             "one_sided_derivatives": derivatives, "smoothness": smoothness.order}
    evidence = ctx.piece_lines(with_derivative=True) + [
        f"x = {sp.sstr(p.point)}: left derivative {side_text(p.left_derivative)}, right "
        f"derivative {side_text(p.right_derivative)}, {_order_text(p.order)} there"
        + (f" ({p.notes[0]})" if p.notes else "") for p in smoothness.points]
    evidence.append("away from these points f is analytic" if smoothness.points else
                    "f has no breakpoint, no closed domain end and no vanishing fractional-power "
                    "base: it is analytic on its domain")
    if smoothness.reason:
        evidence.append(smoothness.reason)
    evidence.append(f"smoothness: {_order_text(smoothness.order)}")
    if not kinks:
        return result(ID, Verdict.proved, Method.symbolic, evidence=evidence, facts=facts)
    first = kinks[0]
    witness = {"x": value_json(first.point), "one_sided_derivatives": derivatives[
        smoothness.points.index(first)], "recheck": recheck_near(
        ctx.expr, ctx.x, first.point, ("-1e-20", "0", "1e-20"))}
    return result(ID, Verdict.refuted, Method.symbolic, evidence=evidence, facts=facts,
                  witness=witness)


def _order_text(order: int | str | None) -> str:
    return "order not decided" if order is None else f"C^{order}"


def _staircase(ctx: AnalysisContext) -> PropertyResult:
    family = ctx.smoothness.family
    slopes = family_slopes(family, ctx.x)
    evidence = [f"{family.atom} jumps by {family.jump(ctx.x)} at every x = {family.location} "
                f"(k integer): not continuous there, so not differentiable; at k = 0 the "
                f"one-sided derivatives are {slopes['-']} and {slopes['+']}"]
    facts = {"nondifferentiable": set_json(family.points), "one_sided_derivatives": [
        {"x": value_json(family.location.subs(K, 0)), "left": value_json(slopes["-"]),
         "right": value_json(slopes["+"])}], "smoothness": -1}
    return result(ID, Verdict.refuted, Method.symbolic, evidence=evidence, facts=facts,
                  witness={"x": value_json(family.location.subs(K, 0))})

