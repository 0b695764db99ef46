"""The subject of a cross-check and the hypothesis search that challenges one claim.

`Probe.for_all(draw, violation)` asks hypothesis (derandomized, no example database, no
deadline) for bytes that `draw` (verifier.crosscheck.draws) decodes into an input on which
`violation` returns a message; none among `examples` inputs
means the claim agrees, one found (then shrunk) is a conflict carrying it as counterexample.

What an `agrees` does not mean: that the claim is true - only that `examples` drawn inputs,
evaluated at 50 digits, did not contradict it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import mpmath
import sympy as sp

from verifier.properties.no_vanishing_gradient import DEFAULT_EPSILON
from verifier.crosscheck import draws
from verifier.crosscheck.claims import FAR
from verifier.crosscheck.draws import Draw
from verifier.crosscheck.numeric import DIGITS, Numeric, Unevaluable, as_mp
from verifier.crosscheck.replayed import find_bytes
from verifier.model import CrossCheck
from verifier.notation import count

Violation = Callable[[Any], "str | None"]


@dataclass
class Subject:
    """What the claims are about: f as written (what the oracles evaluate, and what floats
    compute), sympy's evaluated form (for f' and f'' only), the threshold."""

    expr: sp.Expr
    x: sp.Symbol
    written: sp.Expr | None = None   # None: the evaluated form is what was written
    epsilon: sp.Rational = DEFAULT_EPSILON
    extra_points: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.written is None:
            self.written = self.expr

    @cached_property
    def numeric(self) -> Numeric:
        return Numeric(self.expr, self.x, written=self.written)

    @cached_property
    def special(self) -> list[float]:
        """Points where activations tend to misbehave: 0, small integers and halves, and the
        constants of the formula (breakpoints are usually among them), with their negatives."""
        points = {0.0, 0.5, 1.0, 2.0, 3.0, 6.0}
        for number in self.expr.atoms(sp.Number):
            value = float(number)
            if math.isfinite(value) and abs(value) < FAR:
                points.add(abs(value))
        points |= {abs(p) for p in self.extra_points if math.isfinite(p) and abs(p) < FAR}
        return sorted(points | {-p for p in points})

    def line(self) -> Draw:
        """Any real input: uniform-ish floats, tiny and huge ones, and the special points."""
        return self._line

    @cached_property
    def _line(self) -> Draw:
        return draws.one_of(draws.floats(-FAR, FAR), draws.sampled_from(self.special),
                            draws.sampled_from([1e-300, -1e-300, 1e8, -1e8, 1e30, -1e30]))


BATCH = 25   # inputs per hypothesis example


class Probe:
    """Runs the searches for one claim and counts the inputs drawn."""

    def __init__(self, subject: Subject, examples: int) -> None:
        self.subject, self.examples = subject, examples
        self.drawn = 0
        self.unevaluable = 0   # drawn inputs where mpmath could not evaluate: no evidence

    def search(self, draw: Draw, violation: Violation, examples: int | None = None, *,
               shrink: bool = True) -> tuple[Any, str] | None:
        """An input with a violation (shrunk), or None when no drawn input has one.

        Inputs are drawn BATCH at a time: one hypothesis draw of bytes per batch, one slot
        of `draw.width` bytes per input, decoded by `draw` (see draws.py: hypothesis's cost
        per drawn value would be most of a cross-check otherwise). Shrinking works on the
        bytes; the first violating input of the shrunk batch is reported (hypothesis's
        strings are replayed where it would repeat them: verifier.crosscheck.replayed).
        `shrink=False` for searches whose find is a witness for the claim, not against it
        (any one will do).
        A draw whose values are a short list (claimed points) is checked value by value,
        each once: drawing the same few points hundreds of times would only repeat them."""
        budget = examples or self.examples
        start = self.drawn
        size = max(1, min(BATCH, budget // 8))   # at least 8 examples: the first is all zeros

        def inputs(data: bytes):
            width = draw.width
            return (draw.decode(data[i * width:(i + 1) * width], i) for i in range(size))

        def violates(value: Any) -> bool:
            try:
                return violation(value) is not None
            except Unevaluable:
                self.unevaluable += 1
                return False   # mpmath could not evaluate there: no evidence

        listed = draw.every_value()
        if listed is not None and len(listed) <= budget:   # each once, in order: no search
            for value in listed:
                self.drawn += 1
                if violates(value):
                    return _reported(value, violation)
            return None
        found = False

        def violated(data: bytes) -> bool:
            nonlocal found
            for value in inputs(data):
                if not found and self.drawn - start >= budget:
                    return False   # exactly `budget` inputs: the last batch is cut short
                self.drawn += 1    # (once one violates, shrinking replays freely)
                if violates(value):
                    found = True
                    return True
            return False
        unevaluable = self.unevaluable

        def afresh() -> None:   # as if nothing had been drawn yet
            nonlocal found
            self.drawn, self.unevaluable, found = start, unevaluable, False
        data = find_bytes(size * draw.width, -(-budget // size), shrink=shrink,
                          violated=violated, afresh=afresh)
        if data is None:
            return None
        return _reported(next(v for v in inputs(data) if violates(v)), violation)

    def for_all(self, draw: Draw, violation: Violation, *,
                tolerance: float | None, claim: str, share: int = 1) -> CrossCheck:
        """`share`: how many claims of the verdict split the examples: each draws exactly
        max(min(50, N), N // share) inputs for N = `examples` (fewer only when a
        counterexample ends the search early)."""
        before, budget = self.drawn, max(min(50, self.examples), self.examples // share)
        unevaluable_before = self.unevaluable
        found = self.search(draw, violation, budget)
        drawn, unevaluable = self.drawn - before, self.unevaluable - unevaluable_before
        if found is None:
            if unevaluable and unevaluable >= drawn:
                return CrossCheck(status="skipped", examples=drawn, tolerance=tolerance,
                                  detail=f"{claim}: not one of the {drawn} inputs could be "
                                         f"evaluated (each cancels or rounds past what "
                                         f"400 digits resolve)")
            values = draw.every_value()
            listed = values is not None and len(values) <= budget   # each checked once
            held = f"each of its {drawn} listed inputs" if listed and drawn > 1 else (
                "its 1 listed input" if listed else count(drawn, "drawn input"))
            if unevaluable:   # held only where it could be evaluated: say so
                held = f"{drawn - unevaluable} of {count(drawn, 'drawn input')} ({unevaluable} " \
                       f"more could not be compared)"
            return CrossCheck(status="agrees", examples=drawn, tolerance=tolerance,
                              detail=f"{claim}: held at {held}")
        return conflict(found, drawn, tolerance, claim)


def _reported(value: Any, violation: Violation) -> tuple[Any, str]:
    try:
        return value, violation(value) or ""
    except Unevaluable as exc:
        return value, f"(not re-evaluable: {exc})"


def conflict(found: tuple[Any, str], examples: int, tolerance: float | None,
             claim: str) -> CrossCheck:
    value, message = found
    return CrossCheck(status="conflict", examples=examples, tolerance=tolerance,
                      detail=f"{claim}: {message}", counterexample={"input": _json(value),
                                                                     "message": message})


def every(checks: list[CrossCheck]) -> CrossCheck:
    """The checks of one verdict's several claims as one: the first conflict, else agrees."""
    for check in checks:
        if check.status == "conflict":
            return check
    examples = sum(c.examples for c in checks)
    tolerances = [c.tolerance for c in checks if c.tolerance is not None]
    return CrossCheck(status="agrees", examples=examples,
                      tolerance=max(tolerances) if tolerances else None,
                      detail="; ".join(c.detail for c in checks if c.detail))


def _json(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (tuple, list)):
        return [_json(v) for v in value]
    return str(value)


RESOLUTION = 1e-40   # relative error of a 50-digit value, with margin


def close(a: Any, b: Any, relative: float) -> bool:
    """|a - b| <= relative * max(1, |a|, |b|) (mpmath or float numbers)."""
    return abs(a - b) <= relative * max(1, abs(a), abs(b))


with mpmath.workdps(DIGITS):   # read once, at the precision step() computes in
    _RELATIVE_STEP, _LONGEST_STEP = mpmath.mpf("1e-20"), mpmath.mpf("1e-10")


def step(t: Any) -> Any:
    """A step tiny next to t and resolved at 50 digits: 1e-20 |t| (1e-20 at 0), at most 1e-10
    (so it never reaches across 0 from a tiny t, nor across a period from a huge one); an
    mpmath number, since 1e-20 of a subnormal underflows as a float."""
    with mpmath.workdps(DIGITS):
        if not t:
            return _RELATIVE_STEP
        return min(abs(as_mp(t)) * _RELATIVE_STEP, _LONGEST_STEP)

