"""Exact points to look for witnesses at, and f's certified values there.

`probe_points` gives a fixed grid and, with f's shape, points inside every stretch, at its ends
and just beside every junction; `certified_values` encloses f at those where f is defined.
Used by the properties that refute with a few certified values (monotonic: a peak or dip,
injective: two equal values). Finding no witness among them proves nothing.
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.arb.certified import enclose, exact_ball
from verifier.analysis.context import AnalysisContext
from verifier.analysis.sets import point_between
from verifier.analysis.shape import Shape
from verifier.analysis.undecided import Undecided

_GRID = sorted({sp.Rational(n, 4) for n in range(-40, 41)} | {
    sp.Integer(s * m) for s in (1, -1) for m in (20, 50, 100, 1000, 10**6)})


def probe_points(shape: Shape | None) -> list[sp.Expr]:
    """Exact points to look for witnesses at: a fixed grid, and with a shape, points inside
    every stretch, at its ends, and just beside every junction."""
    probes = set(_GRID)
    if shape is not None:
        for _, stretch in shape.stretches():
            inside = point_between(stretch.lo.probe(), stretch.hi.probe())
            probes.add(inside)
            for bound, outward in ((stretch.lo, -1), (stretch.hi, 1)):
                if bound.infinite:
                    probes.update(inside + outward * k for k in (10, 1000, 10**6))
                else:
                    probes.add(bound.probe())
        for point, _ in shape.points:
            probes.update((point, point - sp.Rational(1, 2**40), point + sp.Rational(1, 2**40)))
    return sorted(probes, key=float)


def certified_values(ctx: AnalysisContext, points: list[sp.Expr]) -> dict:
    """point -> an arb ball of f there, for each point where f is certified defined."""
    values = {}
    for point in points:
        try:
            if ctx.defined_at(point):
                values[point] = enclose(ctx.expr, ctx.x, exact_ball(point))
        except Undecided:
            continue
    return values
