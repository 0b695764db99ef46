"""Real values (or +-oo) known exactly or as certified arb balls, and their comparisons.

Extremes of f or f' come from exact limits (0, 1, log(2), oo) and from f at certified roots
(balls of radius ~1e-18). Comparisons are exact when both sides are exact, certified with arb
otherwise; an overlap that cannot be separated raises Undecided.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from flint import arb

from verifier import notation
from verifier.analysis.bounds import Bound
from verifier.analysis.arb.certified import enclose, exact_ball
from verifier.analysis.limits import (INFINITIES, has_huge_numbers, limit, safe_simplify,
                                      same_value, side_limit, sign_of)
from verifier.analysis.roots import closed_form
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo


@dataclass(frozen=True)
class Value:
    """A real value, or with bound_only a ball known only to contain values (an envelope of
    a function over a stretch): it can bound an extreme but never be one."""

    exact: sp.Expr | None = None
    ball: arb | None = None
    bound_only: bool = False

    @property
    def infinite(self) -> bool:
        return self.exact is not None and self.exact in INFINITIES

    def interval(self) -> arb:
        if self.exact is None:
            return self.ball
        try:
            return exact_ball(self.exact)
        except Undecided:
            if not has_huge_numbers(self.exact):
                raise
            return exact_ball(_without_huge_exponentials(self.exact))

    def compare(self, other: "Value") -> int:
        """-1, 0 or 1 (raises Undecided when it cannot be told)."""
        if self is other or (self.ball is not None and self.ball is other.ball):
            return 0
        if self.exact is not None and other.exact is not None:
            if self.infinite or other.infinite:
                return 0 if self.exact == other.exact else (1 if self.exact == sp.oo or
                                                            other.exact == -sp.oo else -1)
            return 0 if same_value(self.exact, other.exact) else sign_of(self.exact - other.exact)
        if self.infinite or other.infinite:
            return (1 if self.exact == sp.oo else -1) if self.infinite else (
                -1 if other.exact == sp.oo else 1)
        difference = self.interval() - other.interval()
        if difference > 0:
            return 1
        if difference < 0:
            return -1
        raise Undecided(f"cannot order {self.text()} and {other.text()}")

    def magnitude(self) -> "Value":
        if self.infinite:
            return Value(exact=sp.oo)
        if self.exact is not None and not has_huge_numbers(self.exact):
            return Value(exact=sp.Abs(self.exact))
        # sympy's Abs would evalf a huge number
        return Value(ball=abs(self.interval()), bound_only=self.bound_only)

    def text(self) -> str:
        """For people (verifier.notation): the exact form when short, else a decimal."""
        if self.exact is not None:
            return notation.number(self.exact)
        return notation.ball(self.ball)

    def json(self) -> dict:
        if self.exact is not None:
            if self.infinite:
                word = "oo" if self.exact == sp.oo else "-oo"
                return {"value": word, "exact": word}
            exact = sp.sstr(safe_simplify(self.exact))
            return {"value": float(sp.N(self.exact, 17)), "exact": exact}
        return {"value": float(self.ball.mid()), "exact": None,
                "enclosure": self.ball.str(20, radius=True)}


def _without_huge_exponentials(value: sp.Expr) -> sp.Expr:
    """The same number with each 1/(... + exp(v)) written exp(-v)/(...*exp(-v) + 1): arb
    cannot evaluate exp(1.8e308), but exp(-1.8e308) is a tiny, usable bound."""
    def flip(power: sp.Pow) -> sp.Expr:
        base, exponent = power.args
        for term in sp.Add.make_args(base):
            if isinstance(term, sp.exp):
                scale = sp.exp(-term.args[0])
                return scale**(-exponent) * sp.expand(base * scale)**exponent
        return power
    return value.replace(lambda e: isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp < 0
                         and isinstance(e.base, sp.Add), flip)


@memo(4096)
def value_at(expr: sp.Expr, x: sp.Symbol, bound: Bound, side: str | None = None) -> Value:
    """expr at (or, approached from `side`, toward) a bound: exact, or certified at a root.
    Cached: bounded, lipschitz and injective ask for the same limits of the same stretches."""
    if bound.exact is not None:
        if bound.infinite:
            end = limit(expr, x, bound.exact)
            if not (end in INFINITIES or (end.is_number and end.is_real)):
                raise Undecided(f"limit of {expr} at {bound.exact} is {end}")
            return Value(exact=end)
        if side is None:
            return Value(exact=closed_form(expr.subs(x, bound.exact)))
        return Value(exact=side_limit(expr, x, bound.exact, side))
    return Value(ball=enclose(expr, x, bound.ball()))


def extreme(values: list[Value], largest: bool) -> tuple[Value, list[int]]:
    """The largest (or smallest) value and the indices of the values that reach it.

    A candidate provably at least (at most) every other is the answer, reached by those equal
    to it. Failing that, when a group of values cannot be separated (symmetric maxima: balls
    that agree to 1e-18) but every other value is provably below (above) one of them, the
    answer is the certified max (min) of the group's balls, reached by at least one member:
    all members are returned, and callers must not claim more than "one of them"."""
    direction = 1 if largest else -1
    order = sorted(range(len(values)), key=lambda i: -direction * _approximate(values[i]))
    for i in order:
        if values[i].bound_only:
            continue
        try:
            if all(direction * values[i].compare(other) >= 0 for other in values):
                return values[i], [j for j, other in enumerate(values) if _equal(other, values[i])]
        except Undecided:
            continue
    top = next((values[j] for j in order if not values[j].bound_only), None)
    if top is None:
        raise Undecided("only bounds, no values, to choose an extreme from")
    group = [j for j in order if not values[j].bound_only and _unseparated(values[j], top)]
    others = [v for j, v in enumerate(values) if j not in group]
    try:
        if all(direction * top.compare(other) > 0 for other in others) and not top.infinite:
            balls = [values[j].interval() for j in group]
            pick = arb.max if largest else arb.min
            hull = balls[0]
            for ball in balls[1:]:
                hull = pick(hull, ball)
            if hull.rad() <= abs(hull.mid()) * 1e-13 + 1e-300:   # 1e-12 is promised
                return Value(ball=hull), group
    except Undecided:
        pass
    raise Undecided(f"cannot tell which of {[v.text() for v in values]} is the "
                    f"{'largest' if largest else 'smallest'}")


def _equal(value: Value, other: Value) -> bool:
    try:
        return value.compare(other) == 0
    except Undecided:
        return False


def _unseparated(value: Value, other: Value) -> bool:
    try:
        return value.compare(other) == 0
    except Undecided:
        return True


def _approximate(value: Value) -> float:
    if value.exact is not None:
        if value.infinite:
            return float("inf") if value.exact == sp.oo else float("-inf")
        return float(value.interval().mid())
    return float(value.ball.mid())
