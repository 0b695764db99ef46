"""finite_gradient: f' is finite wherever f is defined (one-sided at domain ends).

Why: an infinite slope makes one gradient step explode; the article's extended square root
sign(x)*sqrt(|x|) has one at 0. Example: sqrt(x) is refuted at 0 (right derivative oo); relu
is proved (its one-sided derivatives 0 and 1 are finite); log(x) is proved (its domain is
open, so 0 is not a point of it).

Method: the one-sided derivatives at every candidate point (difference-quotient sense, so a
jump counts as an infinite slope); elsewhere f is analytic, so f' is finite. Does not bound f'
by any number: that is `lipschitz`.
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

ID = "finite_gradient"


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        smoothness = ctx.smoothness
    except Undecided as exc:
        return unknown(ID, f"gradient not decided: {exc}")
    if smoothness.family is not None:
        family = smoothness.family
        slopes = family_slopes(family, ctx.x)
        point = family.location.subs(K, 0)
        return result(ID, Verdict.refuted, Method.symbolic, evidence=[
            f"{family.atom} jumps at every x = {family.location} (k integer): the difference "
            f"quotient there tends to {slopes['-']} (left) and {slopes['+']} (right)"],
            facts={"gradient_singularities": set_json(family.points)},
            witness={"x": value_json(point), "left": value_json(slopes["-"]),
                     "right": value_json(slopes["+"]),
                     "recheck": recheck_near(ctx.written, ctx.x, point, ("-1e-20", "0", "1e-20"))})
    try:
        singular = [p for p in smoothness.points if p.infinite_slope]
    except Undecided as exc:   # e.g. a one-sided limit of f' that sympy gives as AccumBounds
        return unknown(ID, f"gradient not decided: {exc}")
    evidence = [f"x = {sp.sstr(p.point)}: one-sided derivatives {side_text(p.left_derivative)} and "
                f"{side_text(p.right_derivative)}" for p in smoothness.points]
    evidence.append("away from these points f is analytic, so f' is finite there")
    facts = {"gradient_singularities": [value_json(p.point) for p in singular]}
    if not singular:
        return result(ID, Verdict.proved, Method.symbolic, evidence=evidence, facts=facts)
    first = singular[0]
    evidence.append(f"|f'| is unbounded at x = {', '.join(sp.sstr(p.point) for p in singular)}")
    witness = {"x": value_json(first.point),
               "left": optional_value_json(first.left_derivative),
               "right": optional_value_json(first.right_derivative),
               "recheck": recheck_near(ctx.written, ctx.x, first.point, ("-1e-20", "0", "1e-20"))}
    return result(ID, Verdict.refuted, Method.symbolic, evidence=evidence, facts=facts,
                  witness=witness)

