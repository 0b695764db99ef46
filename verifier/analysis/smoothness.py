"""Continuity, one-sided derivatives and the smoothness order of f, at its candidate points.

At each candidate point p (verifier.analysis.points) with value f(p):
- continuity: each side's limit equals f(p);
- one-sided derivative (difference-quotient sense): where f is continuous from a side, the
  limit of that side's f' (mean value theorem); across a jump, +-oo;
- smoothness order k_p: "inf" when p is an analytic point of a single expression (the same
  expression on both sides, defined at p and not a zero of a fractional-power base, or a
  removable singularity of a quotient of entire functions); else the first order n <= MAX_ORDER
  at which the sides' n-th derivative limits differ or are infinite gives k_p = n - 1; sides
  that are polynomials whose derivatives have vanished give "inf". The order of f is the least
  k_p; with no candidate point, f is analytic on its (open) domain: "inf".

The orders are worked out on first use (only `differentiable` reads them; they were 8%
of an activation-search screen's analysis): continuity and the one-sided derivatives do not
wait for them, and a point whose order is not decided still has its derivatives.

What it does not guarantee: orders above MAX_ORDER (reported as None with a reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from verifier.analysis.arb.certified import certainly_nonzero, enclose, exact_ball
from verifier.analysis.derivatives import derivative
from verifier.analysis.limits import is_finite_number, same_value, side_limit, sign_of
from verifier.analysis.points import PointInfo, fractional_power_zeros
from verifier.analysis.steps import StepFamily
from verifier.analysis.undecided import Undecided

MAX_ORDER = 8
INF = "inf"
_ENTIRE = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.erf, sp.erfc, sp.Add, sp.Mul)


@dataclass
class PointSmoothness:
    info: PointInfo
    left_limit: sp.Expr | None
    right_limit: sp.Expr | None
    continuous: bool
    left_derivative: sp.Expr | None
    right_derivative: sp.Expr | None
    sides: list[tuple[sp.Expr, str]]   # (the side's expression, "-" or "+")
    x: sp.Symbol
    undecided: str | None = None  # why the derivatives at this point are not known

    @property
    def point(self) -> sp.Expr:
        return self.info.point

    def _derivatives_known(self) -> None:
        if self.undecided:
            raise Undecided(self.undecided)

    @property
    def differentiable(self) -> bool:
        """Whether f has one finite derivative at the point (raises Undecided); its smoothness
        order need not be known."""
        self._derivatives_known()
        slopes = [d for d in (self.left_derivative, self.right_derivative) if d is not None]
        if not slopes:
            raise Undecided(f"x = {self.point} is an isolated point of the domain")
        return all(map(is_finite_number, slopes)) and (
            len(slopes) == 1 or same_value(slopes[0], slopes[1]))

    @property
    def infinite_slope(self) -> bool:
        self._derivatives_known()
        return any(d is not None and not is_finite_number(d)
                   for d in (self.left_derivative, self.right_derivative))

    @property
    def order(self) -> int | str | None:
        """k with f in C^k at the point: -1 across a jump, "inf" where analytic, None when
        not decided (`order_undecided` says why, unless the derivatives already were not)."""
        return self._smoothness_order[0]

    @property
    def order_undecided(self) -> str | None:
        return self._smoothness_order[1]

    @property
    def notes(self) -> list[str]:
        return self._smoothness_order[2]

    @cached_property
    def _smoothness_order(self) -> tuple[int | str | None, str | None, list[str]]:
        if not self.continuous:
            return -1, None, []
        if self.undecided:
            return None, None, []
        try:
            if _analytic_at(self.info, self.sides, self.x):
                return INF, None, [f"x = {self.point}: the same analytic expression on both "
                                   f"sides"]
            return _order_by_derivatives(self.point, self.sides, self.x), None, []
        except Undecided as exc:
            return None, str(exc), []


@dataclass
class Smoothness:
    points: list[PointSmoothness]
    family: StepFamily | None
    given_order: int | str | None = None   # a staircase's, known without the points

    @property
    def order(self) -> int | str | None:
        return self._least_order[0] if self.family is None else self.given_order

    @property
    def reason(self) -> str | None:
        """Why `order` is None."""
        return self._least_order[1] if self.family is None else None

    @cached_property
    def _least_order(self) -> tuple[int | str | None, str | None]:
        """The order of f is the least order over its candidate points; an undecided point
        only bounds it from below (by MAX_ORDER, or by 0 when only its derivatives are
        unknown)."""
        known = [p.order for p in self.points if isinstance(p.order, int)]
        open_points = [p for p in self.points if p.order is None]
        if not open_points:
            return (min(known) if known else INF), None
        floor = min(0 if p.undecided or p.order_undecided else MAX_ORDER
                    for p in open_points)
        if known and min(known) <= floor:
            return min(known), None
        first = open_points[0]
        if first.undecided:
            return None, f"derivatives not decided: {first.undecided}"
        return None, (f"smoothness order not decided: {first.order_undecided}"
                      if first.order_undecided else
                      f"C^{MAX_ORDER} at least; higher orders were not decided")


def analyse_points(infos: list[PointInfo], x: sp.Symbol) -> Smoothness:
    """Continuity and one-sided derivatives at each candidate point (the orders on first
    use)."""
    return Smoothness([_analyse(info, x) for info in infos], None)


def analyse_family(family: StepFamily, x: sp.Symbol) -> Smoothness:
    """A floor/ceiling staircase: discontinuous at every step unless the jump is 0."""
    jump = family.jump(x)
    if jump.is_zero is False or (jump.is_number and jump != 0):
        return Smoothness([], family, -1)
    raise Undecided(f"the steps of {family.atom} cancel (jump {jump}): not analysed")


def family_slopes(family: StepFamily, x: sp.Symbol, k: int = 0) -> dict[str, sp.Expr]:
    """One-sided derivatives of f at the k-th step point (difference-quotient sense)."""
    from verifier.analysis.steps import K

    point, value = family.location.subs(K, k), family.value.subs(K, k)
    slopes = {}
    for side, expr in (("-", family.left_expr), ("+", family.right_expr)):
        expr = expr.subs(K, k)
        slopes[side] = one_sided_slope(expr, x, point, side, expr.subs(x, point), value)
    return slopes


def one_sided_slope(side_expr: sp.Expr, x: sp.Symbol, point: sp.Expr, side: str,
                    limit: sp.Expr, value: sp.Expr) -> sp.Expr:
    """lim (f(p + h) - f(p)) / h from `side`: the side's f' limit where f is continuous from
    that side (mean value theorem), else +-oo by the sign of the jump."""
    if same_value(limit, value):
        return side_limit(derivative(side_expr, x), x, point, side)
    jump_sign = sign_of(limit - value) if is_finite_number(limit) else sign_of(limit)
    return (jump_sign if side == "+" else -jump_sign) * sp.oo


def _analyse(info: PointInfo, x: sp.Symbol) -> PointSmoothness:
    p = info.point
    sides = [(g, d) for g, d in ((info.left, "-"), (info.right, "+")) if g is not None]
    limits = {d: side_limit(g, x, p, d) for g, d in sides}
    continuous = all(same_value(limit, info.value) for limit in limits.values())
    result = PointSmoothness(info, limits.get("-"), limits.get("+"), continuous, None, None,
                             sides, x)
    try:
        slopes = {d: one_sided_slope(g, x, p, d, limits[d], info.value) for g, d in sides}
        result.left_derivative, result.right_derivative = slopes.get("-"), slopes.get("+")
    except Undecided as exc:
        result.undecided = str(exc)
    return result


def _analytic_at(info: PointInfo, sides: list, x: sp.Symbol) -> bool:
    expressions = [g for g, _ in sides]
    if len(expressions) == 2 and not _identical(*expressions, x, info.point):
        return False
    g = expressions[0]
    if fractional_power_zeros(g, x).contains(info.point) is not sp.false:
        return False
    if g.subs(x, info.point).is_finite and g.subs(x, info.point).is_real:
        return True  # defined at p, no vanishing fractional-power base: analytic at p
    numerator, denominator = sp.fraction(sp.together(g))
    return len(sides) == 2 and _entire(numerator, x) and _entire(denominator, x)  # removable


def _identical(left: sp.Expr, right: sp.Expr, x: sp.Symbol, p: sp.Expr) -> bool:
    """left - right simplifies to 0; a certified nonzero value of it near p says no first
    (simplify is the slow part of a junction)."""
    difference = left - right
    try:
        if certainly_nonzero(enclose(difference, x, exact_ball(p + sp.Rational(1, 2)))):
            return False
    except Undecided:
        pass
    return sp.simplify(difference) == 0


def _entire(expr: sp.Expr, x: sp.Symbol) -> bool:
    if x not in expr.free_symbols or expr == x:
        return True
    if isinstance(expr, sp.Pow):
        return expr.args[1].is_Integer and expr.args[1] >= 0 and _entire(expr.args[0], x)
    return isinstance(expr, _ENTIRE) and all(_entire(a, x) for a in expr.args)


def _order_by_derivatives(p: sp.Expr, sides: list, x: sp.Symbol) -> int | str | None:
    for n in range(1, MAX_ORDER + 1):
        derivatives = [(derivative(g, x, n), d) for g, d in sides]
        limits = [side_limit(g_n, x, p, d) for g_n, d in derivatives]
        if not all(map(is_finite_number, limits)):
            return n - 1
        if len(limits) == 2 and not same_value(*limits):
            return n - 1
        if all(g_n == 0 for g_n, _ in derivatives):
            return INF  # polynomial sides: every higher derivative is 0 as well
    return None
