"""Proof that a formula evaluated in float32/float64 is finite wherever its true value is
(a finite real of at most half the largest float: the top binade is the number's business).

Branch and bound over the float inputs of an interval: a box whose Span (floats.spans) is
finite is done; a box whose true values are certainly beyond the largest float (arb bounds of
the exact formula) is excused, since no formula can represent them; any other box is halved in
the float ordering (so boxes halve in binades far from 0 and in ulps near it). A box of one
float is decided by evaluating it: finite, or excused by its certified true value, or a break.

What it does not guarantee: the assumption of floats.spans (libm within its ulp bound) is
inherited; a budget of boxes may run out (Undecided), which says nothing either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from flint import arb

from verifier.analysis.arb.certified import (PRECISION_LADDER, enclose, exact_ball,
                                         working_precision)
from verifier.analysis.arb.endpoints import bounds
from verifier.analysis.floats.spans import span_of
from verifier.analysis.floats.program import DTYPES, evaluate
from verifier.analysis.pointwise import is_finite_real
from verifier.analysis.undecided import Undecided

BOX_BUDGET = 3000


@dataclass(frozen=True)
class FiniteProof:
    """Every float input was covered: `boxes` spans were finite or excused."""

    boxes: int


@dataclass(frozen=True)
class Break:
    """A float input where the dtype result is not finite though the true value fits."""

    x: float


def prove_finite(program: sp.Expr, exact: sp.Expr, x: sp.Symbol, lo: float, hi: float,
                 dtype: str, *, budget: int = BOX_BUDGET) -> FiniteProof | Break:
    """`program` (as floats compute it) is finite at every `dtype` input in [lo, hi] where
    `exact` (the same function as mathematics) is a finite value within half the dtype's
    largest float."""
    kind = DTYPES[dtype]
    as_int = np.int32 if kind is np.float32 else np.int64
    pending = [(ordered_int(kind(lo), as_int), ordered_int(kind(hi), as_int))]
    boxes = 0
    while pending:
        a, b = pending.pop()
        boxes += 1
        if boxes > budget:
            raise Undecided(f"{dtype}: {program} not decided near x = "
                            f"{float(from_ordered_int(as_int(a), kind))} within {budget} boxes")
        left, right = from_ordered_int(as_int(a), kind), from_ordered_int(as_int(b), kind)
        if a == b:
            values, _ = evaluate(program, x, np.array([left]), dtype)
            if np.isfinite(values[0]):
                continue
            fits = true_value_fits(exact, x, float(left), dtype)
            if fits is None:
                raise Undecided(f"{dtype}: {program} is not finite at x = {float(left)!r} and "
                                f"whether its true value is a representable real is not decided")
            if fits:
                return Break(float(left))
            continue
        if span_of(program, x, float(left), float(right), dtype).finite() or \
                _beyond_range(exact, x, float(left), float(right), dtype):
            continue
        middle = (int(a) + int(b)) // 2
        pending += [(middle + 1, b), (a, middle)]
    return FiniteProof(boxes)


def _beyond_range(exact: sp.Expr, x: sp.Symbol, lo: float, hi: float, dtype: str) -> bool:
    """Every true value on [lo, hi] is certainly beyond half the dtype's largest float."""
    limit = _range_limit(dtype)
    for precision in PRECISION_LADDER:
        try:
            low, high = bounds(exact, x, arb(lo), arb(hi), precision)
        except Undecided:
            continue
        with working_precision(precision):
            return bool(low > limit or high < -limit)
    return False


def _range_limit(dtype: str) -> arb:
    """Half the dtype's largest float, exactly. A true value above it is left to the number:
    in the top binade two roundings can overflow any formula (3*x**2 at the float64 edge),
    so no formula is blamed there."""
    return exact_ball(sp.Rational(float(np.finfo(DTYPES[dtype]).max)) / 2)


def true_value(exact: sp.Expr, x: sp.Symbol, point: float, *,
               least_precision: int = PRECISION_LADDER[0]) -> arb:
    """The exact value at a float input, certified with arb (raises Undecided). The formula
    is enclosed at the point directly; sympy's substitution (which factors integers under
    roots: slow) only when that fails."""
    for precision in (p for p in PRECISION_LADDER if p >= least_precision):
        try:
            return enclose(exact, x, arb(point), precision)
        except Undecided:
            continue
    return exact_ball(exact.subs(x, sp.Rational(point)), least_precision=least_precision)


def true_value_fits(exact: sp.Expr, x: sp.Symbol, point: float, dtype: str) -> bool | None:
    """True: the value is a finite real of at most half the dtype's largest float (certified),
    so a non-finite float result there is the formula's fault, not the number's. False:
    certainly beyond that, or not a finite real at all. None: not decided."""
    try:
        value = true_value(exact, x, point)
    except Undecided:
        return False if is_finite_real(exact.subs(x, sp.Rational(point))) is False else None
    limit = _range_limit(dtype)
    with working_precision(PRECISION_LADDER[-1]):
        if not (abs(value) < limit or abs(value) > limit):   # at the edge: more bits
            value = true_value(exact, x, point, least_precision=PRECISION_LADDER[-1])
        if abs(value) < limit:
            return True
        return False if abs(value) > limit else None


def ordered_int(value, as_int):
    """The float's position in the float ordering (-0.0 and 0.0 both at 0)."""
    bits = np.array([value]).view(as_int)[0]
    return bits if bits >= 0 else as_int(np.iinfo(as_int).min) - bits


def from_ordered_int(ordered, kind):
    as_int = type(ordered)
    bits = ordered if ordered >= 0 else as_int(np.iinfo(as_int).min) - ordered
    return np.array([bits], dtype=as_int).view(kind)[0]
