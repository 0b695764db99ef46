"""Oracles for the pointwise claims: domain, continuity, derivatives, values at 0, parity.

Each takes the verdict and a Probe and returns a CrossCheck; limits and derivatives are
checked with one-sided difference quotients at 50 digits, steps 1e-20 relative.
"""

from __future__ import annotations

import mpmath

from verifier.crosscheck import draws
from verifier.crosscheck.claims import Claimed, claimed_set, in_any, show
from verifier.crosscheck.numeric import as_mp
from verifier.crosscheck.probe import Probe, close, conflict, every, step
from verifier.model import CrossCheck, PropertyResult

_NEAR = 1e-9      # inputs this close (relative) to a claimed point or end prove nothing
_VALUE_TOLERANCE = 1e-12
_JUMP = 1e-6      # a change this large (relative) over a step of at most 1e-10 is a jump
_SLOPE_TOLERANCE = 1e-6
_HUGE = 1e6
_FINER = mpmath.mpf("1e-20")   # the second, finer step of a quotient that missed


def _points_of(items) -> list:
    return [part.point for part in claimed_set(items)]


def _away(points: list[float], t: float) -> bool:
    return all(abs(t - p) > _NEAR * max(1.0, abs(p)) for p in points)


def domain(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    inside, outside = claimed_set(result.facts["domain"]), claimed_set(
        result.facts["undefined"])

    def defined(t: float) -> str | None:
        if in_any(t, inside, _NEAR) and n.f(t) is None:
            return f"f({show(t)}) is not a finite real, though {show(t)} is claimed in the domain"
        if in_any(t, outside, _NEAR) and n.f(t) is not None:
            return (f"f({show(t)}) = {n.f(t)} is a finite real, though {show(t)} is claimed "
                    f"undefined")
        return None
    return probe.for_all(probe.subject.line(), defined, tolerance=_NEAR,
                         claim="f is a finite real exactly on the claimed domain")


def _steep(n, t) -> bool:
    """f or f' changes by more than a millionth of its size within one probe step at t
    (sin(1/x) at 1e-300, where f' is 1e600; x*sin(1/x) there, where f'' is 1e900): too fast
    for difference tests to say anything there."""
    h = mpmath.mpf(step(t))
    pairs = ((n.f(t), n.df(t)), (n.df(t), n.d2f(t)))
    return any(value is not None and rate is not None and abs(rate) * h > 1e-6 * (
        1 + abs(value)) for value, rate in pairs)


def continuous(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    jumps = _points_of(result.facts["discontinuities"])

    def gap(t) -> float | None:
        h = step(t)
        values = [n.f(t), n.at(n.expr, as_mp(t) - h), n.at(n.expr, as_mp(t) + h)]
        if any(v is None for v in values):
            return None
        return float(max(abs(values[1] - values[0]), abs(values[2] - values[0])))

    def broken_elsewhere(t: float) -> str | None:
        if not _away(jumps, t) or n.f(t) is None:
            return None
        size = gap(t)   # a smooth change over the step stays far below 1e-6 (the step <= 1e-10)
        if size is not None and size > _JUMP * (1 + abs(float(n.f(t)))) and not _steep(n, t):
            return f"f jumps by {size:.3g} within {float(step(t)):.1g} of {show(t)}"
        return None

    def looks_continuous(p: float) -> str | None:
        size = gap(p)
        if size is not None and size <= _VALUE_TOLERANCE * (1 + abs(float(n.f(p)))) and \
                not n.jump_at(p):
            return (f"f changes by only {size:.3g} within {float(step(p)):.1g} of the claimed "
                    f"jump at {show(p)}")
        return None
    share = 2 if jumps else 1
    checks = [probe.for_all(probe.subject.line(), broken_elsewhere, tolerance=_VALUE_TOLERANCE,
                            claim="f continuous away from the claimed discontinuities",
                            share=share)]
    if jumps:
        checks.append(probe.for_all(draws.sampled_from(jumps), looks_continuous, share=share,
                                    tolerance=_VALUE_TOLERANCE, claim="claimed discontinuities"))
    return every(checks)


def _one_sided(probe: Probe, t, side: int):
    """(f(t + h) - f(t)) / h, h = side * step: the one-sided derivative as the verdicts define
    it (+-oo across a jump, where f(t) belongs to the other side)."""
    return probe.subject.numeric.quotient(t, side * step(t))


def _nears_slowly(probe: Probe, t, side: int, matches) -> bool:
    """Whether the one-sided quotient at a step 1e-20 times finer `matches`: a quotient may
    near its limit slowly (sinh(x)/(sqrt(x) + 1e-7) at 0+ is 1e7*(1 - 1e7*sqrt(h)), a
    thousandth off at h = 1e-20; 1/(x**2 + 1e-7) at 0 is h*1e21, a millionth off), while
    one that misses a wrong claim stays as far off at the finer step."""
    finer = probe.subject.numeric.quotient(t, side * step(t) * _FINER)
    return finer is not None and matches(finer)


def _matches(quotient, claimed) -> bool:
    if claimed in ("oo", "-oo"):
        return quotient > _HUGE if claimed == "oo" else quotient < -_HUGE
    return close(quotient, float(claimed), _SLOPE_TOLERANCE)


def differentiable(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    kinks = _points_of(result.facts["nondifferentiable"])
    sided = [(Claimed.of(item["x"]).point, item["left"], item["right"])
             for item in result.facts["one_sided_derivatives"]]

    def derivative_elsewhere(t: float) -> str | None:
        slope = n.df(t)
        if not _away(kinks, t) or slope is None or n.f(t) is None:
            return None
        def near(quotient) -> bool:
            return close(quotient, slope, _SLOPE_TOLERANCE)
        for side in (-1, 1):
            quotient = _one_sided(probe, t, side)
            if quotient is not None and not near(quotient) and not _steep(n, t) and not \
                    _nears_slowly(probe, t, side, near):
                return (f"the {'right' if side > 0 else 'left'} difference quotient at "
                        f"{show(t)} is {float(quotient):.10g}, f' is {float(slope):.10g}")
        return None

    def sides_wrong(index: int) -> str | None:
        point, left, right = sided[index]
        for side, claimed in ((-1, left), (1, right)):
            quotient = _one_sided(probe, point, side)
            value = None if claimed is None else claimed.get("value")
            if value is None or quotient is None or _matches(quotient, value) or (
                    value in ("oo", "-oo") and n.jump_at(point)) or _nears_slowly(
                    probe, point, side, lambda q, value=value: _matches(q, value)):
                continue
            return (f"{'right' if side > 0 else 'left'} quotient at {show(point)} is "
                    f"{float(quotient):.10g}, claimed {value}")
        return None
    share = 2 if sided else 1
    checks = [probe.for_all(probe.subject.line(), derivative_elsewhere,
                            tolerance=_SLOPE_TOLERANCE, share=share,
                            claim="f' agrees with one-sided difference quotients")]
    if sided:
        checks.append(probe.for_all(draws.sampled_from(range(len(sided))), sides_wrong,
                                    tolerance=_SLOPE_TOLERANCE, share=share,
                                    claim="claimed one-sided derivatives"))
    return every(checks)


def finite_gradient(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    poles = _points_of(result.facts["gradient_singularities"])

    def infinite_elsewhere(t: float) -> str | None:
        """A finite f' gives difference quotients that settle as the step shrinks 1e5-fold;
        at a vertical tangent (sqrt at 0) they grow by about 300x."""
        if not _away(poles, t) or n.f(t) is None:
            return None
        h = step(t)
        coarse, fine = n.quotient(t, h), n.quotient(t, h * 1e-5)
        if coarse is not None and fine is not None and abs(fine) > 100 * abs(
                coarse) + 1 and not _steep(n, t):
            return (f"difference quotients at {show(t)} grow from {float(coarse):.3g} to "
                    f"{float(fine):.3g} as the step shrinks 1e5-fold")
        return None

    def finite_at_pole(p: float) -> str | None:
        quotients = [_one_sided(probe, p, side) for side in (-1, 1)]
        if all(q is not None and abs(q) < _HUGE for q in quotients) and not n.jump_at(p):
            return f"difference quotients at {show(p)} stay finite: {[float(q) for q in quotients]}"
        return None
    share = 2 if poles else 1
    checks = [probe.for_all(probe.subject.line(), infinite_elsewhere, tolerance=None,
                            claim="f' finite away from the claimed singularities", share=share)]
    if poles:
        checks.append(probe.for_all(draws.sampled_from(poles), finite_at_pole, tolerance=None,
                                    share=share,
                                    claim="|f'| unbounded at the claimed singularities"))
    return every(checks)


def zero_centered(result: PropertyResult, probe: Probe) -> CrossCheck:
    return _at_origin(result, probe, with_slope=False)


def identity_near_origin(result: PropertyResult, probe: Probe) -> CrossCheck:
    return _at_origin(result, probe, with_slope=True)


def _at_origin(result: PropertyResult, probe: Probe, *, with_slope: bool) -> CrossCheck:
    n = probe.subject.numeric
    claimed_f0 = result.facts.get("f0")

    def wrong(_: int) -> str | None:
        value = n.f(0.0)
        if (claimed_f0 is None) != (value is None):
            return f"f(0) is {value}, claimed {claimed_f0 and claimed_f0['value']}"
        if value is not None and not close(value, float(claimed_f0["value"]), 1e-15):
            return f"f(0) is {value}, claimed {claimed_f0['value']}"
        slope = result.facts.get("df0")
        if with_slope and slope is not None:
            def near(quotient) -> bool:
                return _matches(quotient, slope["value"])
            for side in (-1, 1):
                quotient = _one_sided(probe, 0.0, side)
                if quotient is None or not near(quotient) and not _nears_slowly(
                        probe, 0.0, side, near):
                    return f"the quotient at 0 from side {side} is {quotient}, f'(0) claimed " \
                           f"{slope['value']}"
        return None
    found = probe.search(draws.just(0), wrong, examples=1)
    claim = "f(0) and f'(0) as claimed" if with_slope else "f(0) as claimed"
    if found is None:
        return CrossCheck(status="agrees", examples=1, tolerance=_SLOPE_TOLERANCE,
                          detail=f"{claim}: recomputed at 50 digits")
    return conflict(found, 1, _SLOPE_TOLERANCE, claim)


def symmetric(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    parity = result.facts.get("parity")
    signs = {"odd": [-1], "even": [1], "both": [1, -1]}.get(parity)
    if signs is None:   # "neither": the witness shows it
        return _asymmetry_witness(result, probe)

    def broken(t: float) -> str | None:
        a, b = n.f(t), n.f(-t)
        if (a is None) != (b is None):
            return f"f is defined at only one of {show(t)} and {show(-t)}"
        if a is None:
            return None
        for sign in signs:
            if not close(b, sign * a, 1e-30):
                minus = "-" if sign < 0 else ""
                return f"f({show(-t)}) = {float(b):.15g} is not {minus}f({show(t)})"
        return None
    return probe.for_all(probe.subject.line(), broken, tolerance=1e-30,
                         claim=f"f is {parity}")


def _asymmetry_witness(result: PropertyResult, probe: Probe) -> CrossCheck:
    """not_even at x: f(-x) != f(x); not_odd: f(-x) != -f(x); mirror_undefined: f(-x) is not
    a finite real while f(x) is."""
    witness = result.witness or {}
    n = probe.subject.numeric
    cases = [(Claimed.of(witness[key]["x"]).point, sign)
             for key, sign in (("not_even", 1), ("not_odd", -1)) if witness.get(key)]
    if "mirror_undefined" in witness:
        cases.append((Claimed.of(witness["x"]).point, 0))

    def symmetric_there(index: int) -> str | None:
        t, sign = cases[index]
        a, b = n.f(t), n.f(-t)
        if sign == 0:
            return None if a is not None and b is None else f"f is defined at {show(-t)} too"
        if a is not None and b is not None and close(b, sign * a, 1e-30):
            return f"f({show(-t)}) = {'-' if sign < 0 else ''}f({show(t)}): no asymmetry there"
        return None
    if not cases:
        return CrossCheck(status="skipped", detail="no asymmetry witness to re-check")
    return probe.for_all(draws.sampled_from(range(len(cases))), symmetric_there, tolerance=1e-30,
                         claim="the witness of asymmetry")
