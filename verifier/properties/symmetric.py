"""symmetric: f is odd or even (`parity`: odd, even, neither).

Why: an even activation (x**2, x*tanh(x), exp(-x**2)) maps x and -x to the same output and
throws away the input's sign, the article's objection to the quadratic. Example: tanh is odd,
x**2 even (both proved); relu is neither (refuted with witness f(1) = 1, f(-1) = 0).

Method: refuted by certified witnesses (arb balls at mirrored exact points show f(-p) != f(p)
and f(-q) != -f(q)), or by a domain point whose mirror is outside the domain; proved when the
domain is symmetric and f(x) + f(-x) (odd) or f(x) - f(-x) (even) is exactly 0 on every piece
of its piecewise normal form. Does not detect symmetry about any point other than 0.
"""

from __future__ import annotations

import sympy as sp

from verifier import notation
from verifier.analysis.arb.certified import certainly_nonzero, enclose, exact_ball
from verifier.analysis.context import AnalysisContext
from verifier.analysis.pieces import piecewise_normal_form
from verifier.analysis.pointwise import exact_value_is_defined, recheck
from verifier.analysis.sets import set_text, value_json
from verifier.analysis.undecided import Undecided
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown

ID = "symmetric"
_PROBES = [sp.Integer(1), sp.Integer(2), sp.Rational(1, 2), sp.Integer(3), sp.Rational(1, 3),
           sp.Integer(5), sp.Rational(7, 2), sp.Integer(10), sp.Rational(1, 10)]


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        region = ctx.domain.region
        mirrored = ctx.expr.subs(ctx.x, -ctx.x)
        refutation = _asymmetric_domain(ctx, region) or _witnesses(ctx)
        if refutation:
            evidence, witness = refutation
            return result(ID, Verdict.refuted, Method.interval, evidence=evidence,
                          facts={"parity": "neither"}, witness=witness)
        if sp.imageset(sp.Lambda(ctx.x, -ctx.x), region) != region:
            return unknown(ID, "no witness found, and the domain was not shown symmetric")
        for parity, combination in (("odd", ctx.expr + mirrored), ("even", ctx.expr - mirrored)):
            if _vanishes(combination, ctx.x):
                sign = "+" if parity == "odd" else "-"
                return result(ID, Verdict.proved, Method.symbolic, evidence=[
                    f"the domain {set_text(region)} is symmetric about 0",
                    f"f(x) {sign} f(-x) = 0 on every piece of its normal form: f is {parity}"],
                    facts={"parity": parity})
    except Undecided as exc:
        return unknown(ID, f"parity not decided: {exc}")
    return unknown(ID, "no witness found, and neither f(x) + f(-x) nor f(x) - f(-x) simplified "
                       "to 0")


def _asymmetric_domain(ctx: AnalysisContext, region: sp.Set):
    for probe in _PROBES:
        for p in (probe, -probe):
            if region.contains(p) is sp.true and region.contains(-p) is sp.false:
                return ([f"x = {p} is in the domain but -x = {-p} is not: f(-x) = +-f(x) fails"],
                        {"x": value_json(p), "mirror_undefined": recheck(ctx.written, ctx.x, -p)})
    return None


def _witnesses(ctx: AnalysisContext):
    """Certified points where f is not even and where f is not odd, or None."""
    not_even = not_odd = None
    for p in _PROBES:
        try:
            if not (ctx.defined_at(p)
                    and ctx.defined_at(-p)):
                continue
            here, there = (enclose(ctx.expr, ctx.x, exact_ball(v)) for v in (p, -p))
        except Undecided:
            continue
        if not_even is None and certainly_nonzero(here - there):
            not_even = (p, here, there)
        if not_odd is None and certainly_nonzero(here + there):
            not_odd = (p, here, there)
        if not_even and not_odd:
            break
    if not (not_even and not_odd):
        return None
    evidence, witness = [], {}
    for name, relation, (p, here, there) in (("not_even", "!=", not_even),
                                             ("not_odd", "!= -", not_odd)):
        evidence.append(f"f({notation.number(-p)}) = {notation.ball(there, enclosure=True)} "
                        f"{relation} f({notation.number(p)}) = "
                        f"{notation.ball(here, enclosure=True)}: f is {name.replace('_', ' ')}")
        witness[name] = {"x": value_json(p), "f(x)": recheck(ctx.written, ctx.x, p)["value"],
                         "f(-x)": recheck(ctx.written, ctx.x, -p)["value"]}
    return evidence, witness


def _vanishes(combination: sp.Expr, x: sp.Symbol) -> bool:
    """combination is exactly 0 wherever it is defined (raises Undecided)."""
    for piece in piecewise_normal_form(combination, x):
        value = piece.expr
        if piece.is_point:
            (point,) = piece.where.args
            if not exact_value_is_defined(value, x, point):
                continue
            value = value.subs(x, point)
        if value != 0 and sp.simplify(value) != 0:
            return False
    return True
