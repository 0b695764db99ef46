"""Whether an exact point lies in a sympy set, decided by the set's structure first.

sympy's `Set.contains` solves an equation over the integers for each ImageSet it meets (70 ms
for {2*n*pi + acos(-1/10**7)}, a zero set of cos(x) + 1/10**7), and the analysis asks it for
every sample point of every domain. Unions, intersections and complements are decided part by
part, an interval or a finite set by the point's certified order among its ends
(verifier.analysis.line_sets), and a point of a lattice {a*n + b : n integer} by
(point - b)/a: exactly an integer, or certified (arb) strictly between two. Anything else
goes to sympy.

What it does not do: guess (None is "not decided").
"""

from __future__ import annotations

import sympy as sp

from verifier.analysis.arb.certified import exact_ball
from verifier.analysis.line_sets import contains
from verifier.analysis.undecided import Undecided


def membership(region: sp.Set, point: sp.Expr) -> bool | None:
    """True or False when decided, else None."""
    if isinstance(region, (sp.Union, sp.Intersection)):
        wanted = isinstance(region, sp.Union)   # any part decides a union, all an intersection
        verdicts = []
        for part in region.args:
            verdict = membership(part, point)
            if verdict is wanted:
                return wanted
            verdicts.append(verdict)
        return None if None in verdicts else not wanted
    if isinstance(region, sp.Complement):
        inside = membership(region.args[0], point)
        if inside is False:
            return False
        hole = membership(region.args[1], point)
        if hole is True:
            return False
        return None if inside is None or hole is None else True
    if isinstance(region, sp.ImageSet):
        verdict = _lattice_membership(region, point)
        if verdict is not None:
            return verdict
    verdict = contains(region, point)
    if verdict is not None:
        return verdict
    answer = region.contains(point)
    return True if answer is sp.true else False if answer is sp.false else None


def _lattice_membership(region: sp.ImageSet, point: sp.Expr) -> bool | None:
    if region.base_sets != (sp.S.Integers,) or len(region.lamda.variables) != 1:
        return None
    (n,), image = region.lamda.variables, region.lamda.expr
    step, offset = image.diff(n), image.subs(n, 0)
    if step.free_symbols or offset.free_symbols or step == 0 or \
            sp.expand(image - (step * n + offset)) != 0:
        return None
    index = (point - offset) / step
    if index.is_Integer:
        return True
    try:
        ball = exact_ball(index)
    except Undecided:
        return None
    return False if ball.upper().floor() < ball.lower().ceil() else None
