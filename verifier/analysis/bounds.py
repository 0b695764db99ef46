"""Points of R that are exact (sympy numbers, +-oo) or certified roots (rational brackets).

A sign structure or a range has ends of both kinds: 0, log(2), -1 - LambertW(exp(-1)) are
exact; a zero of GELU's derivative is only known inside a bracket of width below 1e-18
relative. `Bound` gives both a float for reports and an arb ball for certified arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from flint import arb

from verifier import notation
from verifier.analysis.arb.certified import exact_ball

FLOAT_MAX = sp.Integer(int(1.7976931348623157e308))  # the float64 range is [-FLOAT_MAX, FLOAT_MAX]


@dataclass(frozen=True)
class Bound:
    """An exact point (`exact` set) or a certified root in the bracket [lo, hi]."""

    exact: sp.Expr | None = None
    lo: sp.Rational | None = None
    hi: sp.Rational | None = None

    @staticmethod
    def of(value: sp.Expr) -> "Bound":
        return Bound(exact=value)

    @property
    def infinite(self) -> bool:
        return self.exact is not None and self.exact in (sp.oo, -sp.oo)

    def ball(self) -> arb:
        if self.exact is not None:
            return exact_ball(self.exact)
        return exact_ball(self.lo).union(exact_ball(self.hi))

    def __float__(self) -> float:
        if self.exact is not None:
            return float("inf") if self.exact == sp.oo else float("-inf") if (
                self.exact == -sp.oo) else float(sp.N(self.exact, 20))
        return float(sp.N((self.lo + self.hi) / 2, 20))

    def text(self, *, enclosure: bool = True) -> str:
        """For people (verifier.notation): the exact form, or the root's decimal with its
        certified bracket (`enclosure`)."""
        if self.exact is not None:
            return notation.number(self.exact)
        return notation.root(self.lo, self.hi, enclosure=enclosure)

    def json(self) -> dict:
        """{"value", "exact"} with exact null for a certified root."""
        value = float(self)
        number = "oo" if value == float("inf") else "-oo" if value == float("-inf") else value
        return {"value": number, "exact": None if self.exact is None else exact_text(self.exact)}

    def probe(self) -> sp.Expr:
        """An exact point at (or, for a root, inside the bracket of) this bound."""
        return self.exact if self.exact is not None else (self.lo + self.hi) / 2


def exact_text(value: sp.Expr) -> str:
    """sympy text of an exact number; the float64 limit (a 309-digit integer) as
    (2 - 2**-52)*2**1023, which it is exactly."""
    if value in (FLOAT_MAX, -FLOAT_MAX):
        return ("-" if value < 0 else "") + "(2 - 2**-52)*2**1023"
    return sp.sstr(value)
