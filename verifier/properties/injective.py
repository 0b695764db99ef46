"""injective: distinct inputs in the domain give distinct outputs.

Why: an injective activation loses no information about its input; a non-injective one maps
different pre-activations to the same output (relu on x < 0, x**2 on +-x). Example: tanh is
proved; relu is refuted with the pair (-1, -2), x**2 with (-2, 2), swish with a pair either
side of its minimum found by certified root finding; 1/x is proved although not monotone
(its two branches have disjoint images).

Method: f is injective when every stretch of the shape is strictly monotone (f' of one sign)
and the images of the stretches (open intervals between their end limits) and the values at
junction points are pairwise disjoint, compared exactly or with certified arb balls. A
refutation is an exact pair, or a pair (a, b) with b exact and a a certified root of
f(x) - f(b) on another stretch (its existence proved by a sign change on a strictly monotone
stretch), re-checked at 50 digits.
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.arb.certified import constant_certainly_nonzero
from verifier.analysis.bounds import Bound
from verifier.analysis.context import AnalysisContext
from verifier.analysis.pointwise import recheck
from verifier.analysis.sets import value_json
from verifier.analysis.shape import Shape
from verifier.analysis.roots import point_sign, refine_root
from verifier.analysis.steps import K
from verifier.analysis.undecided import Undecided
from verifier.analysis.values import Value, value_at
from verifier.model import Method, PropertyResult, Verdict
from verifier.analysis.probes import probe_points
from verifier.analysis.sets import point_between
from verifier.properties.registry import FLOAT_RANGE, result, unknown

ID = "injective"
_MIRRORS = [sp.Integer(2), sp.Integer(1), sp.Rational(1, 2), sp.Integer(3)]


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        if ctx.family is not None:
            return _staircase(ctx)
        mirrored = _mirror_pair(ctx)
        if mirrored:
            return mirrored
        if ctx.period is not None:
            return _exact_pair(ctx, sp.Integer(0), ctx.period, f"f has period {ctx.period}")
        shape = ctx.shape(1)
        pieces = _images(ctx, shape)
        flat = next((stretch for _, stretch, _ in pieces if stretch.sign == 0), None)
        if flat is not None:
            a, b = _two_inside(flat)
            return _exact_pair(ctx, a, b, "f is constant on a stretch")
        overlap = _first_overlap(pieces, shape)
        if overlap is None:
            outcome = result(ID, Verdict.proved, Method.interval if shape.method == "interval"
                             else Method.symbolic, evidence=shape.evidence() + [
                                 "every stretch is strictly monotone and their images and the "
                                 "junction values are pairwise disjoint"])
            if shape.clipped:
                outcome.statement += FLOAT_RANGE
            return outcome
        return _partner(ctx, shape, overlap)
    except Undecided as exc:
        return unknown(ID, f"injectivity not decided: {exc}")


def _images(ctx: AnalysisContext, shape: Shape):
    """(segment, stretch, (low, high)) with the stretch's image strictly between low and high."""
    found = []
    for segment, stretch in shape.stretches():
        ends = (value_at(segment.expr, ctx.x, stretch.lo, "+" if stretch.lo.exact is not None
                         else None),
                value_at(segment.expr, ctx.x, stretch.hi, "-" if stretch.hi.exact is not None
                         else None))
        low, high = ends if stretch.sign >= 0 else ends[::-1]
        found.append((segment, stretch, (low, high)))
    return found


def _first_overlap(pieces, shape: Shape):
    """Two stretches (or a stretch and a junction value) whose images intersect, or None."""
    images = [(low, high, i) for i, (_, _, (low, high)) in enumerate(pieces)]
    for i, (low_i, high_i, _) in enumerate(images):
        for low_j, high_j, j in images[i + 1:]:
            if high_i.compare(low_j) > 0 and high_j.compare(low_i) > 0:
                return (i, j)
        for point, value in shape.points:
            v = Value(exact=value)
            if v.compare(low_i) > 0 and high_i.compare(v) > 0:
                return (i, point)
    values = [Value(exact=v) for _, v in shape.points]
    for i, v in enumerate(values):
        if any(v.compare(w) == 0 for w in values[i + 1:]):
            return ("points", i)
    return None


def _partner(ctx: AnalysisContext, shape: Shape, overlap) -> PropertyResult:
    """Find b exact in one stretch and a in another with f(a) = f(b)."""
    pieces = _images(ctx, shape)
    first, second = overlap
    if first == "points":
        raise Undecided("two junctions share a value; no pair built")
    targets = [second] if isinstance(second, int) else []
    segment_a, stretch_a, (low_a, high_a) = pieces[first]
    candidates = []
    for index in targets:
        segment_b, stretch_b, _ = pieces[index]
        candidates += [p for p in probe_points(shape) if stretch_b.lo.probe() < p <
                       stretch_b.hi.probe()] if not (stretch_b.lo.infinite or
                                                     stretch_b.hi.infinite) else \
            [p for p in probe_points(shape) if _within(p, stretch_b)]
    if not isinstance(second, int):
        candidates = [second]
    for b in sorted(candidates, key=lambda p: abs(float(p))):
        if not ctx.defined_at(b):
            continue
        target = Value(exact=sp.simplify(ctx.expr.subs(ctx.x, b)))
        try:
            if not (target.compare(low_a) > 0 and high_a.compare(target) > 0):
                continue
        except Undecided:
            continue
        gap = segment_a.expr - target.exact
        a = _root_in(gap, ctx.x, stretch_a)
        if a is not None:
            return _found(ctx, a, b, target)
    raise Undecided("the images of two stretches overlap, but no witness pair was built")


def _within(point: sp.Expr, stretch) -> bool:
    lo, hi = stretch.lo, stretch.hi
    return (lo.infinite or float(lo) < float(point)) and (hi.infinite or float(point) < float(hi))


def _root_in(gap: sp.Expr, x: sp.Symbol, stretch) -> Bound | None:
    """A certified root of gap on the stretch (gap is strictly monotone there), or None."""
    points = [p for p in probe_points(None) if _within(p, stretch)]
    if not stretch.lo.infinite:
        points.append(stretch.lo.probe())
    if not stretch.hi.infinite:
        points.append(stretch.hi.probe())
    signed = []
    for point in sorted(set(points), key=float):
        try:
            signed.append((point, point_sign(gap, x, point)))
        except Undecided:
            continue
    for (p, sp_), (q, sq) in zip(signed, signed[1:]):
        if sp_ == 0:
            return Bound.of(p)
        if sp_ * sq < 0:
            return refine_root(gap, x, p, q)
    return None


def _found(ctx: AnalysisContext, a: Bound, b: sp.Expr, value: Value) -> PropertyResult:
    return result(ID, Verdict.refuted, Method.interval, evidence=[
        f"f({b}) = {value.text()}, and f(x) = {value.text()} also at x = {a.text()} "
        f"(a certified root of f(x) - f({b}): a sign change on a strictly monotone stretch)"],
        witness={"a": a.json(), "b": value_json(b), "f(a)": recheck(ctx.written, ctx.x, a.probe())[
            "value"], "f(b)": recheck(ctx.written, ctx.x, b)["value"]})


def _mirror_pair(ctx: AnalysisContext) -> PropertyResult | None:
    """An exact pair (-b, b) with f(-b) = f(b), the quickest refutation for even parts."""
    for b in _MIRRORS:
        try:
            if not (ctx.defined_at(b) and
                    ctx.defined_at(-b)):
                continue
        except Undecided:
            continue
        difference = ctx.expr.subs(ctx.x, b) - ctx.expr.subs(ctx.x, -b)
        if constant_certainly_nonzero(difference):   # before simplify (see its docstring)
            continue
        if sp.simplify(difference) == 0:
            return _exact_pair(ctx, -b, b, "f(-b) = f(b) exactly")
    return None


def _exact_pair(ctx: AnalysisContext, a: sp.Expr, b: sp.Expr, why: str) -> PropertyResult:
    value = sp.simplify(ctx.expr.subs(ctx.x, a))
    if sp.simplify(ctx.expr.subs(ctx.x, b) - value) != 0:
        raise Undecided(f"the pair {a}, {b} does not give equal values")
    return result(ID, Verdict.refuted, Method.symbolic,
                  evidence=[f"{why}: f({a}) = f({b}) = {sp.sstr(value)}"],
                  witness={"a": value_json(a), "b": value_json(b),
                           "f(a)": recheck(ctx.written, ctx.x, a)["value"],
                           "f(b)": recheck(ctx.written, ctx.x, b)["value"]})


def _two_inside(stretch) -> tuple[sp.Expr, sp.Expr]:
    middle = point_between(stretch.lo.probe(), stretch.hi.probe())
    if stretch.lo.infinite:
        return middle, middle - 1
    if stretch.hi.infinite:
        return middle, middle + 1
    return middle, (middle + stretch.lo.probe()) / 2


def _staircase(ctx: AnalysisContext) -> PropertyResult:
    family = ctx.family
    start = family.location.subs(K, 0)
    nxt = family.location.subs(K, 1)
    a, b = (3 * start + nxt) / 4, (start + 3 * nxt) / 4
    return _exact_pair(ctx, a, b, f"{family.atom} is constant between two steps")
