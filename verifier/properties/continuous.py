"""continuous: f is continuous at every point of its domain.

Why: back-propagation assumes small input changes give small output changes; a jump (a step,
a threshold) makes the gradient meaningless there. Example: Heaviside is refuted at 0 with
one-sided limits 0 and 1 (and f(0) = 1/2); floor at every integer; relu is proved.

Method: away from its candidate points f is analytic (verifier.analysis.points), so only those
points are checked: exact one-sided limits against f(p). floor/ceiling are decided as a family
with a symbolic integer. Does not claim continuity at points outside the domain.
"""

from __future__ import annotations


from verifier import notation
from verifier.analysis.context import AnalysisContext
from verifier.analysis.pointwise import recheck_near
from verifier.analysis.sets import optional_value_json, set_json, value_json
from verifier.analysis.steps import K
from verifier.analysis.undecided import Undecided
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown

ID = "continuous"


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        smoothness = ctx.smoothness
    except Undecided as exc:
        return unknown(ID, f"continuity not decided: {exc}")
    if smoothness.family is not None:
        family = smoothness.family
        point = family.location.subs(K, 0)
        left, right = family.limit("-", ctx.x), family.limit("+", ctx.x)
        evidence = [f"{family.atom} jumps where its argument crosses an integer k: at x = "
                    f"{family.location} the limits are {left} (left) and {right} "
                    f"(right), a jump of {family.jump(ctx.x)} for every integer k"]
        witness = {"x": value_json(point), "left_limit": value_json(left.subs(K, 0)),
                   "right_limit": value_json(right.subs(K, 0)),
                   "value": value_json(family.value.subs(K, 0)),
                   "recheck": recheck_near(ctx.written, ctx.x, point)}
        return result(ID, Verdict.refuted, Method.symbolic, evidence=evidence,
                      facts={"discontinuities": set_json(family.points)}, witness=witness)
    candidates = notation.points([p.point for p in smoothness.points])
    evidence = ctx.piece_lines() + [
        f"f is analytic away from its candidate points ({candidates})" if smoothness.points
        else "f is analytic on its domain: no candidate point (junction, kink or domain end)"]
    jumps = []
    for point in smoothness.points:
        sides = ", ".join(f"{name} limit {notation.number(limit)}" for name, limit in
                          (("left", point.left_limit), ("right", point.right_limit))
                          if limit is not None)
        evidence.append(f"x = {notation.number(point.point)}: f = "
                        f"{notation.number(point.info.value)}, {sides}"
                        f" -> {'continuous' if point.continuous else 'jump'}")
        if not point.continuous:
            jumps.append(point)
    facts = {"discontinuities": [value_json(p.point) for p in jumps]}
    if not jumps:
        return result(ID, Verdict.proved, Method.symbolic, evidence=evidence, facts=facts)
    first = jumps[0]
    witness = {"x": value_json(first.point), "value": value_json(first.info.value),
               "left_limit": optional_value_json(first.left_limit),
               "right_limit": optional_value_json(first.right_limit),
               "recheck": recheck_near(ctx.written, ctx.x, first.point)}
    return result(ID, Verdict.refuted, Method.symbolic, evidence=evidence, facts=facts,
                  witness=witness)
