"""zero_centered: f(0) = 0.

Why: an activation with f(0) != 0 shifts every layer's mean, which initialisation schemes and
normalisation assume away (sigmoid's outputs centre on 1/2). Example: tanh, relu, swish and
GELU are proved; sigmoid is refuted (f0 = 1/2), softplus refuted (f0 = log(2)), log refuted
(0 is outside its domain).

Method: f(0) evaluated exactly; a nonzero value is certified with an arb ball. Says nothing
about the mean of f(x) over any input distribution.
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.context import AnalysisContext
from verifier.analysis.limits import same_value
from verifier.analysis.pointwise import recheck
from verifier.analysis.sets import value_json
from verifier.analysis.undecided import Undecided
from verifier.model import Method, PropertyResult, Verdict
from verifier.analysis.origin import ZERO, value_at_origin
from verifier.properties.registry import result, unknown

ID = "zero_centered"


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        f0 = value_at_origin(ctx)
        if f0 is None:
            return result(ID, Verdict.refuted, Method.symbolic,
                          evidence=["0 is outside the domain: f(0) is not a finite real number"],
                          facts={"f0": None}, witness={"x": value_json(ZERO), "recheck": recheck(
                              ctx.expr, ctx.x, ZERO)})
        zero = same_value(f0, ZERO)
    except Undecided as exc:
        return unknown(ID, f"f(0) not decided: {exc}")
    facts = {"f0": value_json(f0)}
    evidence = [f"f(0) = {sp.sstr(f0)}"]
    if zero:
        return result(ID, Verdict.proved, Method.symbolic, evidence=evidence, facts=facts)
    return result(ID, Verdict.refuted, Method.symbolic, evidence=evidence + ["f(0) != 0"],
                  facts=facts, witness={"x": value_json(ZERO), "f0": value_json(f0),
                                        "recheck": recheck(ctx.written, ctx.x, ZERO)})
