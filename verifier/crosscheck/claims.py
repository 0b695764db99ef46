"""Claimed sets: the intervals and points a verdict's facts state, read back for the
cross-check, and the inputs drawn from them.

A claimed point keeps its exact value when the verdict gives one (a jump at 1/10 is not at
the float 0.1, one at pi not at 3.141592653589793): rational literals directly, other real
constants of the vocabulary through the safe parser (never sympify). What it does not do:
read points outside the vocabulary ("-1 - LambertW(exp(-1))"): those stay floats.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from verifier.crosscheck import draws
from verifier.crosscheck.draws import Draw
from verifier.errors import VerifierError
from verifier.expr import parse_constant

FAR = 1e6            # draws on an unbounded side stay within +-FAR, plus a few far points
_FAR_POINTS = (1e8, 1e12, 1e30)


@dataclass(frozen=True)
class Claimed:
    """One interval of a claimed interval set (JSON from the verdict's facts). `point` is a
    claimed point: its exact sympy number when one is given (a jump at 1/10 is not at the
    float 0.1, one at pi not at 3.141592653589793; f there takes the branch sympy decides
    exactly), else its float."""

    lo: float
    hi: float
    lo_closed: bool
    hi_closed: bool
    point: Any = None

    @classmethod
    def of(cls, item: dict) -> Claimed:
        if "value" in item:   # a point
            value = _number(item["value"])
            return cls(value, value, True, True, _exact(item.get("exact"), value))
        lo, hi = _number(item["lo"]), _number(item["hi"])
        return cls(lo, hi, _closed_at(item, "lo", lo), _closed_at(item, "hi", hi))

    def contains(self, t: float, margin: float = 0.0) -> bool:
        """t inside, at least `margin` (relative, plus absolute 1e-300) from a finite end."""
        pad_lo = margin * max(1.0, abs(self.lo)) if math.isfinite(self.lo) else 0.0
        pad_hi = margin * max(1.0, abs(self.hi)) if math.isfinite(self.hi) else 0.0
        above = t > self.lo + pad_lo or (self.lo_closed and margin == 0 and t == self.lo)
        below = t < self.hi - pad_hi or (self.hi_closed and margin == 0 and t == self.hi)
        return above and below

    def points(self, reach: float = FAR) -> Draw:
        """Floats inside (within +-reach), ends (when closed) and points just inside them
        favoured; a claimed point that is no float is drawn as its exact value."""
        if isinstance(self.point, sp.Basic) and not _is_float(self.point, self.lo):
            return draws.just(self.point)
        lo, hi = max(self.lo, -reach), min(self.hi, reach)
        if lo > hi:
            lo, hi = (self.hi, self.hi) if self.hi < -reach else (self.lo, self.lo)
        open_lo = not self.lo_closed and lo == self.lo and lo < hi
        open_hi = not self.hi_closed and hi == self.hi and lo < hi
        inside = draws.floats(lo, hi, exclude_min=open_lo, exclude_max=open_hi)
        special = [lo if self.lo_closed or lo != self.lo else _inward(lo, hi),
                   hi if self.hi_closed or hi != self.hi else _inward(hi, lo)]
        special += [p for p in _FAR_POINTS if self.hi == math.inf] + [
            -p for p in _FAR_POINTS if self.lo == -math.inf]
        special = [p for p in special if self.contains(p)]
        spans = [(max(lo, end - max(1.0, abs(end))), min(hi, end + max(1.0, abs(end))))
                 for end in (lo, hi) if lo < hi and math.isfinite(end)]   # near the ends
        windows = [draws.floats(a, b, exclude_min=open_lo and a == lo,
                                exclude_max=open_hi and b == hi) for a, b in spans]
        parts = [inside, *windows] + ([draws.sampled_from(special)] if special else [])
        return draws.one_of(*parts)


def _closed_at(item: dict, end: str, value: float) -> bool:
    """A closed end, as far as floats can tell: one whose exact value is no float (sin(10))
    is drawn as open - its float lies on one side of it or the other."""
    text = item.get(f"{end}_exact")
    if text == repr(value):    # a float end, printed as the float it is
        return bool(item.get(f"{end}_closed"))
    exact = _exact(text, None)
    return bool(item.get(f"{end}_closed")) and (exact is None or _is_float(exact, value))


def _is_float(exact: sp.Expr, value: float) -> bool:
    return math.isfinite(value) and exact == sp.Rational(value)


def _inward(end: float, other: float) -> float:
    step = max(abs(end), 1.0) * 1e-9
    return end + step if other > end else end - step


_RATIONAL = re.compile(r"^-?\d+(/\d+)?$")


def exact_point(text: str) -> sp.Expr | None:
    """A point as we printed it, exactly, or None when it is not a constant of the vocabulary
    ("-1 - LambertW(exp(-1))" is not: LambertW is not in it)."""
    return _exact(text, None)


def _exact(text: Any, fallback: Any) -> Any:
    """A rational literal we printed ("-7/2") or a real constant in the vocabulary ("pi",
    "2 + E", "sin(10)"), read by the safe parser (never sympify); anything else: fallback."""
    if not isinstance(text, str):
        return fallback
    if _RATIONAL.match(text):
        numerator, _, denominator = text.partition("/")
        return sp.Rational(int(numerator), int(denominator or 1))
    try:
        value = parse_constant(text)
    except VerifierError:
        return fallback
    return value if value.is_number and value.is_extended_real else fallback


def _number(value: Any) -> float:
    if value in ("oo", "-oo"):
        return math.inf if value == "oo" else -math.inf
    return float(value)


class TextSet(Exception):
    """A claimed set in sympy's set notation (no finite union): not re-checked pointwise."""


def show(t: Any) -> str:
    """An input for a message: a float as Python prints it, an exact point as sympy does, a
    50-digit point to 17 digits."""
    if isinstance(t, float):
        return repr(t)
    return str(t) if isinstance(t, sp.Basic) else mpmath.nstr(t, 17)


def claimed_set(items: Any) -> list[Claimed]:
    if isinstance(items, dict):
        raise TextSet(items.get("text", ""))
    return [Claimed.of(item) for item in items or []]


def in_any(t: float, parts: list[Claimed], margin: float = 0.0) -> bool:
    return any(part.contains(t, margin) for part in parts)
