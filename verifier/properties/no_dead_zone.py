"""no_dead_zone: there is no open interval on which f' is identically 0.

Why: where f' is exactly 0 on an interval a unit gets no gradient at all and cannot recover
(the dying-ReLU problem); a tiny gradient is a different, milder problem (no_vanishing_gradient).
Example: relu has the dead zone (-oo, 0), hard_tanh (-oo, -1) U (1, oo), floor every open
interval between integers (refuted); leaky_relu, ELU, swish, GELU, softplus and sigmoid are
proved even where f' is tiny.

Method: f is analytic on each open piece of its normal form (within the domain), so on each
connected part f' is either identically 0 (shown by simplifying f' to 0) or has only isolated
zeros (shown by one point where an arb ball of f' excludes 0). Dead parts that meet at a point
where f is continuous form one interval (f is constant across it). Says nothing about how
small f' gets elsewhere.
"""

from __future__ import annotations

import sympy as sp

from verifier import notation
from verifier.analysis.context import AnalysisContext
from verifier.analysis.derivatives import derivative
from verifier.analysis.limits import is_exactly_zero, safe_simplify
from verifier.analysis.line_sets import union
from verifier.analysis.points import analytic_parts
from verifier.analysis.pointwise import recheck
from verifier.analysis.roots import point_sign
from verifier.analysis.sets import point_between, set_json, value_json
from verifier.analysis.steps import flat_steps
from verifier.analysis.undecided import Undecided
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown

ID = "no_dead_zone"


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        if ctx.family is not None:
            return _staircase(ctx)
        dead, evidence = dead_intervals(ctx)
    except Undecided as exc:
        return unknown(ID, f"dead zones not decided: {exc}")
    zones = union(*dead) if dead else sp.S.EmptySet
    facts = {"dead_zones": set_json(zones)}
    if not dead:
        return result(ID, Verdict.proved, Method.interval, evidence=evidence, facts=facts)
    inside = point_between(dead[0].start, dead[0].end)
    return result(ID, Verdict.refuted, Method.symbolic, evidence=evidence, facts=facts,
                  witness={"x": value_json(inside), "derivative": "0",
                           "recheck": recheck(ctx.piece_slope(inside), ctx.x, inside)})


def dead_intervals(ctx: AnalysisContext) -> tuple[list[sp.Interval], list[str]]:
    """The maximal open intervals where f' = 0 identically, and the evidence (Undecided when a
    part is neither shown dead nor shown to have a point with f' != 0)."""
    dead: list[sp.Interval] = []
    evidence = []
    for piece in ctx.pieces:
        if piece.is_point:
            continue
        slope = derivative(piece.expr, ctx.x)
        for part in analytic_parts(piece, ctx.x):
            if not isinstance(part, sp.Interval):
                continue
            try:   # the cheap test first: a certified nonzero point (simplify is slow)
                witness = _nonzero_point(slope, ctx.x, part.start, part.end)
            except Undecided:
                if not is_exactly_zero(safe_simplify(slope)):
                    raise
                dead.append(sp.Interval.open(part.start, part.end))
                evidence.append(f"on {notation.interval(part.start, part.end)} f = {piece.expr}: f' = 0")
                continue
            evidence.append(f"on {notation.interval(part.start, part.end)} f' = {sp.sstr(slope)} is "
                            f"analytic "
                            f"and nonzero at x = {witness} (certified): its zeros are isolated")
    return _joined(ctx, dead), evidence


def _nonzero_point(slope: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    middle = point_between(lo, hi)
    candidates = [middle, point_between(lo, middle), point_between(middle, hi)]
    for point in candidates:
        try:
            if point_sign(slope, x, point) != 0:
                return point
        except Undecided:
            continue
    raise Undecided(f"no point of {notation.interval(lo, hi)} where f' = {slope} is certified nonzero")


def _joined(ctx: AnalysisContext, dead: list[sp.Interval]) -> list[sp.Interval]:
    """Adjacent dead intervals meeting where f is continuous are one (f constant across)."""
    continuous = {p.point for p in ctx.smoothness.points if p.continuous}
    joined: list[sp.Interval] = []
    for interval in sorted(dead, key=lambda i: float(i.start) if i.start.is_finite else -1e308):
        if joined and joined[-1].end == interval.start and interval.start in continuous:
            joined[-1] = sp.Interval.open(joined[-1].start, interval.end)
        else:
            joined.append(interval)
    return joined


def _staircase(ctx: AnalysisContext) -> PropertyResult:
    steps = flat_steps(ctx.family, ctx.expr, ctx.x)
    return result(ID, Verdict.refuted, Method.symbolic, evidence=[steps.evidence],
                  facts={"dead_zones": {"text": steps.zones}}, witness=steps.witness)
