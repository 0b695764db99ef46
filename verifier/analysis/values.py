"""Real values (or +-oo) known exactly or as certified arb balls, and their comparisons.

Extremes of f or f' come from exact limits (0, 1, log(2), oo) and from f at certified roots
(balls of radius ~1e-18). Comparisons are exact when both sides are exact, certified with arb
otherwise; an overlap that cannot be separated raises Undecided.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp
from flint import arb

from verifier.analysis.bounds import Bound
from verifier.analysis.certified import enclose, exact_ball
from verifier.analysis.limits import (INFINITIES, has_huge_numbers, safe_simplify, same_value,
                                      side_limit, sign_of)
from verifier.analysis.signs import closed_form
from verifier.analysis.undecided import Undecided


@dataclass(frozen=True)
class Value:
    exact: sp.Expr | None = None
    ball: arb | None = None

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
        return Value(ball=abs(self.interval()))  # sympy's Abs would evalf a huge number

    def text(self) -> str:
        if self.exact is not None:
            return sp.sstr(self.exact)
        return self.ball.str(15, radius=False)

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


@lru_cache(maxsize=4096)
def value_at(expr: sp.Expr, x: sp.Symbol, bound: Bound, side: str | None = None) -> Value:
    """expr at (or, approached from `side`, toward) a bound: exact, or certified at a root.
    Cached: bounded, lipschitz and injective ask for the same limits of the same stretches."""
    if bound.exact is not None:
        if bound.infinite:
            limit = sp.limit(expr, x, bound.exact)
            if not (limit in INFINITIES or (limit.is_number and limit.is_real)):
                raise Undecided(f"limit of {expr} at {bound.exact} is {limit}")
            return Value(exact=limit)
        if side is None:
            return Value(exact=closed_form(expr.subs(x, bound.exact)))
        return Value(exact=side_limit(expr, x, bound.exact, side))
    return Value(ball=enclose(expr, x, bound.ball()))


def extreme(values: list[Value], largest: bool) -> Value:
    """The largest (or smallest) value: a candidate provably at least (at most) every other.
    Pairs that cannot be ordered only matter when they involve the answer itself."""
    direction = 1 if largest else -1
    ordered = sorted(values, key=lambda v: -direction * _approximate(v))
    for candidate in ordered:
        try:
            if all(direction * candidate.compare(other) >= 0 for other in values):
                return candidate
        except Undecided:
            continue
    raise Undecided(f"cannot tell which of {[v.text() for v in values]} is the "
                    f"{'largest' if largest else 'smallest'}")


def _approximate(value: Value) -> float:
    if value.exact is not None:
        if value.infinite:
            return float("inf") if value.exact == sp.oo else float("-inf")
        return float(value.interval().mid())
    return float(value.ball.mid())
