"""Oracles for the gradient-health claims: vanishing regions, dead zones, float breaks."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

from verifier.analysis.floats.program import DTYPES, evaluate
from verifier.crosscheck import draws
from verifier.crosscheck.claims import Claimed, claimed_set, in_any
from verifier.crosscheck.probe import RESOLUTION, Probe, every
from verifier.model import CrossCheck, PropertyResult

_NEAR = 1e-9
_DEAD_REACH = 20.0
# the extremes, both signs, favoured in every float draw
_EXTREMES = [1e-30, 1.0, 88.7, 709.7, 1e30, 3.4028234663852886e38, 1.7976931348623157e308]


def _kink(n, t: float, epsilon: float) -> bool:
    """f has no derivative at t but steep one-sided slopes (abs at 0, where the formula's
    sign(0) = 0 is no vanishing gradient): both one-sided quotients are at least epsilon."""
    h = 1e-20 * max(1.0, abs(t))
    sides = [n.quotient(t, h), n.quotient(t, -h)]
    return all(q is not None and abs(q) >= epsilon for q in sides)


def no_vanishing_gradient(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    epsilon = float(probe.subject.epsilon)
    if result.facts.get("vanishing_regions") is None:
        return _witness_slope(result, probe, epsilon)
    regions = claimed_set(result.facts["vanishing_regions"])
    ends = [e for part in regions for e in (part.lo, part.hi) if math.isfinite(e)]

    def wrong(t: float) -> str | None:
        slope = n.df(t)
        if slope is None or n.f(t) is None or any(
                abs(t - e) <= _NEAR * max(1.0, abs(e)) for e in ends):
            return None
        inside = in_any(t, regions)
        if inside and abs(slope) >= epsilon:
            return f"|f'({t!r})| = {float(abs(slope)):.6g} >= {epsilon} inside a claimed region"
        if not inside and abs(slope) < epsilon and not _kink(n, t, epsilon):
            return f"|f'({t!r})| = {float(abs(slope)):.6g} < {epsilon} outside the regions"
        return None
    region_points = [part.points() for part in regions]
    strategy = draws.one_of(probe.subject.line(), *region_points)
    return probe.for_all(strategy, wrong, tolerance=_NEAR,
                         claim=f"|f'| < {epsilon} exactly on the claimed regions")


def _witness_slope(result: PropertyResult, probe: Probe, epsilon: float) -> CrossCheck:
    witness = result.witness or {}
    if "x" not in witness:
        return CrossCheck(status="skipped", detail="no regions and no witness to re-check")
    t = Claimed.of(witness["x"]).point
    slope = probe.subject.numeric.df(t)
    if slope is None or abs(slope) >= epsilon:
        return CrossCheck(status="conflict", examples=1, detail=(
            f"f'({t!r}) = {slope}, claimed |f'| < {epsilon} there"),
            counterexample={"input": t, "message": "witness slope not small"})
    return CrossCheck(status="agrees", examples=1, detail=(
        f"witness re-checked: f'({t!r}) = {float(slope):.6g} (regions not enumerated)"))


def no_dead_zone(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    zones = claimed_set(result.facts.get("dead_zones"))

    def alive_inside(t: float) -> str | None:
        slope = n.df(t)
        if slope is not None and abs(slope) > RESOLUTION and in_any(t, zones, _NEAR):
            return f"f'({t!r}) = {float(slope):.6g} inside a claimed dead zone"
        return None

    def dead_outside(span: tuple[float, float]) -> str | None:
        start, width = span
        points = [start + width * k / 4 for k in range(5)]
        if any(in_any(p, zones) for p in points):
            return None
        for p in points:   # point by point: most spans are alive at their first point
            if n.f(p) is None or n.df(p) != 0:
                return None
        return f"f' = 0 at 5 points of [{points[0]!r}, {points[-1]!r}], outside the zones"
    # near the origin, where dead zones begin; far out f' underflows past 400 digits (tanh')
    spans = draws.tuples(draws.one_of(draws.floats(-_DEAD_REACH, _DEAD_REACH),
                                      draws.sampled_from(probe.subject.special)),
                         draws.floats(1e-6, 1.0))
    share = 2 if zones else 1
    checks = [probe.for_all(spans, dead_outside, tolerance=0.0, share=share,
                            claim="f' not identically 0 outside the claimed dead zones")]
    if zones:
        inside = draws.one_of(*[part.points() for part in zones])
        checks.append(probe.for_all(inside, alive_inside, tolerance=RESOLUTION, share=share,
                                    claim="f' = 0 in the claimed dead zones"))
    return every(checks)


def float_stable(result: PropertyResult, probe: Probe) -> CrossCheck:
    """Each claimed break is one; with `complete`, there is no other. A refutation's lists
    are located, not proved complete (`complete: false`): a break outside them contradicts
    nothing (sigmoid(x**3)*x: f' is also NaN at -1.8e308, beyond the last float64 region
    the search certified)."""
    subject = probe.subject
    program = subject.written
    listed_only = result.facts.get("complete") is False
    formulas = {"f": (program, subject.numeric.expr),
                "f'": (sp.diff(program, subject.x), subject.numeric.slope)}
    checks = []
    for dtype in DTYPES:
        largest = float(np.finfo(DTYPES[dtype]).max)
        headroom = mpmath.mpf(largest) / 2 * (1 - mpmath.mpf(RESOLUTION))
        claimed = result.facts.get(f"breaks_{dtype}") or {}
        for label, (formula, exact) in formulas.items():
            breaks = claimed_set(claimed.get(label))

            def wrong(t: float, formula=formula, exact=exact, breaks=breaks,
                      dtype=dtype, headroom=headroom) -> str | None:
                naive, _ = evaluate(formula, subject.x, np.array([t]), dtype)
                broken, claimed_broken = not np.isfinite(naive[0]), in_any(t, breaks)
                if broken == claimed_broken or (broken and listed_only):
                    return None   # as claimed, whatever the true value (no need to compute it)
                point = float(DTYPES[dtype](t))   # f' counts only where f is defined
                true = None if subject.numeric.f(point) is None else subject.numeric.at(
                    exact, point)
                # clearly within the headroom: a value at half the largest float to 50
                # digits (bent_identity at -1.8e308: 8.988e307 + 0.5) is no evidence
                fits = true is not None and abs(true) <= headroom
                if claimed_broken and fits:
                    return f"{dtype} {label}({t!r}) = {naive[0]} is finite in a claimed break"
                if fits:
                    return (f"{dtype} {label}({t!r}) = {naive[0]}, true value "
                            f"{float(true):.6g}, outside the claimed breaks")
                return None
            width = 32 if dtype == "float32" else 64
            extremes = [e for e in _EXTREMES if e <= largest]
            strategy = draws.one_of(draws.any_float(width),
                                    draws.sampled_from(extremes + [-e for e in extremes]),
                                    *[part.points(reach=largest) for part in breaks])
            checks.append(probe.for_all(strategy, wrong, tolerance=None, share=4,
                                        claim=f"{dtype} breaks of {label} as claimed"))
    return every(checks)
