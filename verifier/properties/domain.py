"""domain: f(x) is real and finite for every real x.

Why: a network feeds its activation every real number; sqrt and log are undefined for x < 0
and x <= 0, 1/x at 0. Example: sqrt(x) is refuted with domain [0, oo), undefined (-oo, 0)
and witness x = -1 (f(-1) = I).

Method: the exact domain from the piecewise normal form and each piece's definedness
conditions (verifier.analysis.domain); a refutation's witness point is evaluated exactly and
re-checked at 50 digits. Does not guarantee anything where a condition has no explicit
solution: that is `unknown`.
"""

from __future__ import annotations

import sympy as sp

from verifier import notation
from verifier.analysis.context import AnalysisContext
from verifier.analysis.pointwise import recheck
from verifier.analysis.sets import complement, sample_points, set_json, set_text
from verifier.analysis.undecided import Undecided
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown

ID = "domain"
_UNDEFINED_KINDS = {"complex", "infinite", "nan", "error", "huge"}


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        domain = ctx.domain
    except Undecided as exc:
        return unknown(ID, f"domain not decided exactly: {exc}")
    region = domain.region
    undefined = complement(region)
    facts = {"domain": set_json(region), "undefined": set_json(undefined)}
    evidence = [*domain.steps, f"domain: {set_text(region)}"]
    inconsistency = _self_check(ctx, region, undefined)
    if inconsistency:
        return unknown(ID, inconsistency, evidence=evidence, facts=facts)
    if region == sp.S.Reals:
        return result(ID, Verdict.proved, Method.symbolic, evidence=evidence, facts=facts)
    for point in sample_points(undefined):
        witness = _witness(ctx, point)
        if witness:
            evidence.append(f"witness x = {notation.number(point)}: f is "
                            f"{notation.number(ctx.value_at(point))} (50-digit "
                            f"re-check: {witness['recheck']['kind']})")
            return result(ID, Verdict.refuted, Method.symbolic, evidence=evidence, facts=facts,
                          witness=witness)
    return unknown(ID, "the domain is not R, but no witness point could be re-checked",
                   evidence=evidence, facts=facts)


def _witness(ctx: AnalysisContext, point: sp.Expr) -> dict | None:
    try:
        if ctx.defined_at(point):
            return None
    except Undecided:
        return None
    again = recheck(ctx.written, ctx.x, point)
    if again["kind"] not in _UNDEFINED_KINDS:
        return None
    return {"x": float(sp.N(point, 17)), "x_exact": sp.sstr(point),
            "exact_value": sp.sstr(ctx.value_at(point)), "recheck": again}


def _self_check(ctx: AnalysisContext, region: sp.Set, undefined: sp.Set) -> str | None:
    """Exact spot checks of the computed sets (guards against a wrong solver answer)."""
    for inside, points in ((True, sample_points(region, 4)), (False, sample_points(undefined, 4))):
        for point in points:
            try:
                defined = ctx.defined_at(point)
            except Undecided:
                continue
            if defined is not inside:
                value = ctx.value_at(point)
                return (f"internal inconsistency: x = {point} is {'in' if inside else 'outside'}"
                        f" the computed domain but f there is {value}")
    return None
