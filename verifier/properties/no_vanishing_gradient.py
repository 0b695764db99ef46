"""no_vanishing_gradient: |f'(x)| >= epsilon on the whole domain (epsilon 1e-3 by default).

Why: where |f'| is tiny, gradients shrink layer after layer and training stalls there (sigmoid
and tanh saturate). Example at epsilon = 1e-3: sigmoid vanishes on (-oo, -6.90575227229792) U
(6.90575227229792, oo), relu on (-oo, 0), swish on (-oo, -8.98506156407530) U (-1.28306993582360,
-1.27388753416169) (near its minimum, where f' crosses 0); identity is proved.

Method: the shape of f'' (verifier.analysis.levels): on each stretch where f'' has one sign f'
is strictly monotone, so `vanishing_regions` = {x : |f'(x)| < epsilon} is a union of open
intervals whose ends are stretch ends or the one crossing of f' = +-epsilon, exact or
certified; regions meeting at a point where f is differentiable with |f'| < epsilon there are
joined. `saturates_left`/`_right` say
whether f' -> 0 at -oo/+oo (limits). Points where f is not differentiable are not in the set.
What it does not say: how fast gradients vanish through depth, or anything about f' at
points outside the float range when the statement says so.
"""

from __future__ import annotations

import sympy as sp

from verifier import defaults, notation
from verifier.analysis.bounds import Bound
from verifier.analysis.arb.certified import enclose
from verifier.analysis.context import AnalysisContext
from verifier.analysis.derivatives import derivative
from verifier.analysis.limits import same_value
from verifier.analysis.pointwise import recheck
from verifier.analysis.sets import point_between, value_json
from verifier.analysis.shape import Shape
from verifier.analysis.steps import flat_steps
from verifier.analysis.undecided import Undecided
from verifier.analysis.levels import slope_within
from verifier.analysis.values import Value, value_at
from verifier.model import Method, PropertyResult, Verdict
from verifier.analysis.extremes import where_json
from verifier.properties.registry import FLOAT_RANGE, result, unknown

ID = "no_vanishing_gradient"
DEFAULT_EPSILON = sp.Rational(defaults.DEFAULT_EPSILON)   # the exact 1/1000: a run setting


def check(ctx: AnalysisContext, *, epsilon: sp.Rational = DEFAULT_EPSILON) -> PropertyResult:
    try:
        if ctx.family is not None:
            return _staircase(ctx, epsilon)
        shape = ctx.partial_shape(2)    # shared with lipschitz
        if shape.undecided():
            return _refuted_at_a_point(ctx, shape, epsilon)
        regions = _joined(ctx, shape, slope_within(shape, ctx.x, epsilon), epsilon)
        facts = {"epsilon": value_json(epsilon), **_saturation(ctx, shape),
                 "vanishing_regions": _regions_json(ctx, regions)}
        witness = _witness(ctx, regions[0], epsilon) if regions else None
    except Undecided as exc:
        return unknown(ID, f"vanishing-gradient regions not decided: {exc}")
    evidence = shape.evidence() + [
        f"|f'| < {notation.number(epsilon)} on "
        f"{' ∪ '.join(notation.interval(lo, hi) for lo, hi in regions) or 'no interval'}"]
    method = Method.interval if shape.method == "interval" else Method.symbolic
    outcome = (result(ID, Verdict.refuted, method, evidence=evidence, facts=facts,
                      witness=witness) if regions else
               result(ID, Verdict.proved, method, evidence=evidence, facts=facts))
    if shape.clipped:
        outcome.statement += FLOAT_RANGE
    return outcome


def _before(a: Bound, b: Bound) -> bool:
    """a < b, certified (raises Undecided when brackets overlap)."""
    if a == b:
        return False
    if a.infinite or b.infinite:
        return a.exact == -sp.oo or b.exact == sp.oo
    if a.exact is not None and b.exact is not None:
        return bool(sp.Lt(a.exact, b.exact) is sp.true)
    low, high = a.ball(), b.ball()
    if low < high:
        return True
    if low > high:
        return False
    raise Undecided(f"cannot order {a.text()} and {b.text()}")


def _joined(ctx: AnalysisContext, shape: Shape, regions: list[tuple[Bound, Bound]],
            epsilon: sp.Rational) -> list:
    """Regions meeting where f' exists with |f'| < epsilon there are one: at a junction (from
    the smoothness analysis) or inside a segment (f' continuous; its value certified)."""
    inside = {}
    for point in ctx.smoothness.points:
        left, right = point.left_derivative, point.right_derivative
        if left is not None and right is not None and point.continuous and \
                left not in (sp.oo, -sp.oo) and same_value(left, right):
            inside[point.point] = bool(sp.Lt(abs(left), epsilon) is sp.true)
    joined: list[list[Bound]] = []
    for lo, hi in sorted(regions, key=lambda r: float(r[0])):
        small = inside[lo.exact] if lo.exact in inside else None
        if joined and joined[-1][1] == lo and (
                small if small is not None else _small_inside(ctx, shape, lo, epsilon)):
            joined[-1][1] = hi
        else:
            joined.append([lo, hi])
    return [(lo, hi) for lo, hi in joined]


def _small_inside(ctx: AnalysisContext, shape: Shape, point: Bound,
                  epsilon: sp.Rational) -> bool:
    """|f'| < epsilon at a point strictly inside a segment (certified; False otherwise)."""
    for segment in shape.segments:
        if float(Bound.of(segment.lo)) < float(point) < float(Bound.of(segment.hi)):
            value = value_at(derivative(segment.expr, ctx.x), ctx.x, point).magnitude()
            try:
                return value.compare(Value(exact=epsilon)) < 0
            except Undecided:
                return False
    return False


def _regions_json(ctx: AnalysisContext, regions) -> list[dict] | dict:
    parts = [where_json(region) for region in regions]
    if ctx.period is None:
        return parts
    text = " ∪ ".join(notation.interval(lo, hi) for lo, hi in regions) or "no point"
    return {"text": f"({text}) + k*{ctx.period}, k integer (f' has period {ctx.period})"}


def _saturation(ctx: AnalysisContext, shape: Shape) -> dict:
    """f' -> 0 at -oo / +oo (None where the domain does not reach that end)."""
    segments = sorted(shape.segments, key=lambda s: float(Bound.of(s.lo)))
    facts = {}
    for key, segment, end in (("saturates_left", segments[0], segments[0].lo),
                              ("saturates_right", segments[-1], segments[-1].hi)):
        if end not in (sp.oo, -sp.oo) or ctx.period is not None:
            facts[key] = None if ctx.period is None else False
            continue
        limit = value_at(derivative(segment.expr, ctx.x), ctx.x, Bound.of(end))
        facts[key] = limit.exact is not None and limit.exact == 0
    return facts


def _witness(ctx: AnalysisContext, region: tuple[Bound, Bound], epsilon: sp.Rational) -> dict:
    """A point of the region, near its finite end, with |f'| < epsilon certified there."""
    lo, hi = region
    points = [] if hi.infinite else [hi.probe() - step for step in (1, sp.Rational(1, 8))]
    points += [] if lo.infinite else [lo.probe() + step for step in (1, sp.Rational(1, 8))]
    points.append(point_between(lo.probe(), hi.probe()))
    inside = [p for p in points if _before(lo, Bound.of(p)) and _before(Bound.of(p), hi)]
    for point in sorted(inside, key=abs):
        slope = ctx.piece_slope(point)
        try:
            ball = enclose(slope, ctx.x, Bound.of(point).ball())
        except Undecided:
            continue
        if abs(ball) < enclose(epsilon, ctx.x, ball):
            return {"x": value_json(point), "derivative": ball.str(15, radius=True),
                    "recheck": recheck(slope, ctx.x, point)}
    raise Undecided(f"no point of the region {notation.interval(lo, hi)} with |f'| < "
                    f"{epsilon} certified")


def _refuted_at_a_point(ctx: AnalysisContext, shape: Shape,
                        epsilon: sp.Rational) -> PropertyResult:
    """Where the sign of f'' is not decided everywhere (sinc: f' oscillates forever), the
    regions are not enumerated, but one point with |f'| < epsilon, certified, refutes: a
    point where f' is exactly known (smoothness analysis), else x = +-2**k."""
    tails = " ∪ ".join(notation.interval(lo, hi) for _, lo, hi in shape.undecided())
    facts = {"epsilon": value_json(epsilon), "saturates_left": None,
             "saturates_right": None, "vanishing_regions": None,
             "vanishing_regions_note": f"not enumerated: the sign of f'' is not decided on "
                                       f"{tails}"}
    for point in ctx.smoothness.points:
        slope = point.left_derivative
        if point.continuous and slope is not None and slope not in (sp.oo, -sp.oo) and \
                same_value(slope, point.right_derivative) and \
                sp.Lt(abs(slope), epsilon) is sp.true:
            witness = {"x": value_json(point.point), "derivative": sp.sstr(slope),
                       "recheck": recheck(derivative(ctx.expr, ctx.x), ctx.x, point.point)}
            return result(ID, Verdict.refuted, Method.symbolic, facts=facts, witness=witness,
                          evidence=[f"f'({point.point}) = {slope} from both sides, "
                                    f"|f'| < {epsilon}", facts["vanishing_regions_note"]])
    for k in range(12):
        for point in (sp.Integer(2) ** k, -sp.Integer(2) ** k):
            if not ctx.domain.region.contains(point) is sp.true:
                continue
            try:
                ball = enclose(ctx.piece_slope(point), ctx.x, Bound.of(point).ball())
            except Undecided:
                continue
            if abs(ball) < enclose(epsilon, ctx.x, ball):
                witness = {"x": value_json(point), "derivative": ball.str(15, radius=True),
                           "recheck": recheck(ctx.piece_slope(point), ctx.x, point)}
                return result(ID, Verdict.refuted, Method.interval, facts=facts,
                              witness=witness, evidence=[
                                  f"f'({notation.number(point)}) = "
                                  f"{notation.ball(ball, enclosure=True)}, |f'| < "
                                  f"{notation.number(epsilon)}", facts["vanishing_regions_note"]])
    raise Undecided(f"f'' undecided on {tails} and no point with |f'| < {epsilon} found")


def _staircase(ctx: AnalysisContext, epsilon: sp.Rational) -> PropertyResult:
    """f' = 0 wherever it exists: vanishing is dead there."""
    try:
        steps = flat_steps(ctx.family, ctx.expr, ctx.x)
    except Undecided as exc:
        raise Undecided(f"a staircase whose f' between steps is not 0: dead zones not "
                        f"decided: {exc}") from None
    return result(ID, Verdict.refuted, Method.symbolic, evidence=[steps.evidence],
                  facts={"epsilon": value_json(epsilon), "saturates_left": None,
                         "saturates_right": None,
                         "vanishing_regions": {"text": steps.zones}},
                  witness=steps.witness)
