"""identity_near_origin: f(0) = 0 and f'(0) = 1 (f' two-sided).

Why: f(x) ~ x near 0 keeps small signals and their gradients unchanged through deep stacks at
initialisation (the property that makes tanh-like activations easy to initialise). Example:
tanh, ELU (alpha = 1), softsign, arctan and bent identity are proved; relu is refuted (no
derivative at 0); sigmoid, swish and GELU are refuted (f(0) = 1/2 or f'(0) = 1/2).

Method: f(0) exactly; f'(0) from the one-sided derivatives at 0 when 0 is a candidate point,
else the exact derivative of the analytic piece containing 0.
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.sets import side_text
from verifier.analysis.context import AnalysisContext
from verifier.analysis.limits import same_value
from verifier.analysis.pointwise import recheck_near
from verifier.analysis.sets import optional_value_json, value_json
from verifier.analysis.undecided import Undecided
from verifier.model import Method, PropertyResult, Verdict
from verifier.analysis.origin import ZERO, slopes_at_origin, two_sided_slope, value_at_origin
from verifier.properties.registry import result, unknown

ID = "identity_near_origin"


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        f0 = value_at_origin(ctx)
        if f0 is None:
            return result(ID, Verdict.refuted, Method.symbolic,
                          evidence=["0 is outside the domain"], facts={"f0": None, "df0": None},
                          witness={"x": value_json(ZERO)})
        left, right = slopes_at_origin(ctx)
        df0 = two_sided_slope(left, right)
        facts = {"f0": value_json(f0), "df0": optional_value_json(df0)}
        evidence = [f"f(0) = {sp.sstr(f0)}",
                    f"one-sided derivatives at 0: {side_text(left)} and {side_text(right)}"]
        holds = same_value(f0, ZERO) and df0 is not None and same_value(df0, sp.Integer(1))
    except Undecided as exc:
        return unknown(ID, f"f(0) or f'(0) not decided: {exc}")
    if holds:
        return result(ID, Verdict.proved, Method.symbolic,
                      evidence=evidence + ["f(0) = 0 and f'(0) = 1"], facts=facts)
    failure = ("f(0) != 0" if not same_value(f0, ZERO) else
               "f has no two-sided derivative at 0" if df0 is None else f"f'(0) = {df0} != 1")
    return result(ID, Verdict.refuted, Method.symbolic, evidence=evidence + [failure],
                  facts=facts, witness={"x": value_json(ZERO), "f0": value_json(f0),
                                        "left": optional_value_json(left),
                                        "right": optional_value_json(right),
                                        "recheck": recheck_near(ctx.written, ctx.x, ZERO,
                                                                ("-1e-20", "0", "1e-20"))})

