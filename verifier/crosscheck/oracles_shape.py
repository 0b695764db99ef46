"""Oracles for the shape claims: monotonic intervals, range, Lipschitz constant, injectivity,
non-linearity. Values at 50 digits; claimed ends are 16-digit floats of exact values, hence
the relative tolerance _END_TOLERANCE on every comparison with them.
"""

from __future__ import annotations

import math

import mpmath
from flint import arb

from verifier.analysis.arb.certified import enclose, working_precision
from verifier.analysis.undecided import Undecided
from verifier.crosscheck import draws
from verifier.crosscheck.claims import FAR, Claimed, claimed_set, exact_point, show
from verifier.crosscheck.draws import Draw
from verifier.crosscheck.numeric import Unevaluable, as_mp
from verifier.crosscheck.probe import RESOLUTION, Probe, Subject, close, every, step
from verifier.model import CrossCheck, PropertyResult
from verifier.notation import count

_END_TOLERANCE = 1e-12
_ORDER_TOLERANCE = 1e-30
_FAR_DECADES = (10, 30, 100, 300)   # where |f'| is read for a growth toward +-oo
_INJECTIVE_REACH = 50.0   # beyond it, saturating values differ past 1200 digits
_EQUALITY_DIGITS = (120, 400, 1200)
_APART_BITS = (4096, 16384, 65536)   # arb's last word on values equal to 1,180 digits
_SCALES = [10.0**k for k in range(-6, 7)]   # nonlinear's zoomed triples (spans >= 1e-6)


def _pairs(part: Claimed) -> Draw:
    """Independent pairs, and close pairs (a, a + d) that catch a short wrong stretch (a + d
    beyond the part: the midpoint of a and its end instead)."""
    def close_pair(drawn: tuple[float, float]) -> tuple[float, float]:
        a, d = drawn
        b = a + d * max(1.0, abs(a))
        if not part.contains(b) and math.isfinite(part.hi):
            b = (a + part.hi) / 2
        return (a, b) if part.contains(b) else (a, a)
    return draws.one_of(draws.tuples(part.points(), part.points()).map(sorted).map(tuple),
                        draws.tuples(part.points(), draws.floats(1e-6, 1.0)).map(close_pair))


def monotonic(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    checks = []
    share = len(claimed_set(result.facts.get("increasing_on"))) + len(
        claimed_set(result.facts.get("decreasing_on")))
    for key, sign in (("increasing_on", 1), ("decreasing_on", -1)):
        for part in claimed_set(result.facts.get(key)):
            def against(pair: tuple[float, float], sign: int = sign) -> str | None:
                a, b = pair
                fa, fb = n.f(a), n.f(b)
                if a == b or fa is None or fb is None:
                    return None
                if sign * (fb - fa) < -_ORDER_TOLERANCE * max(1, abs(fa)):
                    return f"f({a!r}) = {float(fa):.15g} but f({b!r}) = {float(fb):.15g}"
                return None
            checks.append(probe.for_all(_pairs(part), against, tolerance=_ORDER_TOLERANCE,
                                        share=share,
                                        claim=f"f {'in' if sign > 0 else 'de'}creasing on "
                                              f"[{part.lo}, {part.hi}]"))
    if result.witness and result.witness.get("points"):
        checks.append(_turn(result.witness["points"], probe))
    if not checks:
        return CrossCheck(status="skipped", detail="no monotone interval and no witness claimed")
    return every(checks)


def _turn(points: list[str], probe: Probe) -> CrossCheck:
    """A refutation's witness a < b < c: f rises then falls (or falls then rises) on it."""
    exact = [exact_point(text) for text in points]
    values = [None if p is None else probe.subject.numeric.f(p) for p in exact]
    if None in values or len(values) != 3:
        return CrossCheck(status="skipped", detail="the monotonicity witness is not evaluable")
    rise, fall = values[1] - values[0], values[2] - values[1]
    if rise * fall < 0:
        return CrossCheck(status="agrees", examples=1, detail=(
            f"witness re-checked: f at {points} is {[float(v) for v in values]}"))
    return CrossCheck(status="conflict", examples=1, detail=(
        f"the witness points {points} give values {[float(v) for v in values]}, which do not "
        f"turn"), counterexample={"input": points, "message": "witness values monotone"})


def bounded(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    ranges = claimed_set(result.facts.get("range"))

    def outside(t: float) -> str | None:
        value = n.f(t)
        if value is None or not ranges:
            return None
        for part in ranges:
            below = part.lo - _END_TOLERANCE * max(1.0, abs(part.lo))
            above = part.hi + _END_TOLERANCE * max(1.0, abs(part.hi))
            if below <= value <= above:
                return None
        return f"f({t!r}) = {float(value):.15g} lies outside the claimed range"
    places = claimed_set(result.facts.get("min_at")) + claimed_set(result.facts.get("max_at"))
    share = 1 + len(places)
    checks = [probe.for_all(probe.subject.line(), outside, tolerance=_END_TOLERANCE,
                            claim="every value in the claimed range", share=share)]
    for key, bound in (("min_at", "infimum"), ("max_at", "supremum")):
        places = result.facts.get(key) or []
        target = (result.facts.get(bound) or {}).get("value")
        for part in claimed_set(places):
            def missed(t: float) -> str | None:
                value = n.f(t)
                if value is None or target in (None, "oo", "-oo"):
                    return None
                if not close(value, float(target), _END_TOLERANCE):
                    return f"f({t!r}) = {float(value):.15g}, claimed {bound} {target}"
                return None
            checks.append(probe.for_all(part.points(), missed, tolerance=_END_TOLERANCE,
                                        share=share,
                                        claim=f"the {bound} is attained where claimed"))
    return every(checks)


def lipschitz(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    constant = result.facts.get("lipschitz_constant")
    if constant == "oo":
        return _unbounded_slope(result, probe)
    bound = float(constant["value"])

    def steeper(pair: tuple[float, float]) -> str | None:
        a, b = pair
        fa, fb = n.f(a), n.f(b)
        if a == b or fa is None or fb is None:
            return None
        rise = abs(fb - fa) - RESOLUTION * (abs(fa) + abs(fb))   # beyond rounding only
        slope = rise / abs(mpmath.mpf(b) - mpmath.mpf(a))
        if slope > bound * (1 + _END_TOLERANCE):
            return _steep_inside(n, a, b, bound * (1 + _END_TOLERANCE))
        return None
    near = draws.tuples(probe.subject.line(), draws.floats(1e-9, 1.0)).map(
        lambda p: (p[0], p[0] + p[1] * max(1.0, abs(p[0]))))
    pairs = draws.one_of(draws.tuples(probe.subject.line(), probe.subject.line()), near)
    attained = claimed_set(result.facts.get("attained_at"))
    share = 1 + len(attained)
    checks = [probe.for_all(pairs, steeper, tolerance=_END_TOLERANCE, share=share,
                            claim=f"|f(x) - f(y)| <= {bound} |x - y|")]
    for part in attained:
        def short(t: float) -> str | None:
            slope = n.df(t)
            if slope is not None and not close(abs(slope), bound, 1e-9):
                return f"|f'({t!r})| = {float(abs(slope)):.15g}, claimed L = {bound} there"
            return None
        checks.append(probe.for_all(part.points(), short, tolerance=1e-9, share=share,
                                    claim="L is attained where claimed"))
    return every(checks)


def _steep_inside(n, a: float, b: float, bound: float) -> str | None:
    """A point between a and b where |f'| itself exceeds `bound`, found by halving toward the
    steeper half (the mean value theorem puts one there when f is continuous on [a, b]). None
    when the steepness shrinks into a hole or a jump instead: L bounds |f'| on the domain,
    and a quotient across a gap of the domain is no evidence against it."""
    with mpmath.workdps(60):
        lo, hi = mpmath.mpf(a), mpmath.mpf(b)
        values = {lo: n.f(lo), hi: n.f(hi)}
        for _ in range(200):
            mid = (lo + hi) / 2
            slope = n.df(mid)
            if slope is not None and abs(slope) > bound:
                return f"|f'({float(mid)!r})| = {float(abs(slope)):.15g} > L = {bound}"
            values[mid] = n.f(mid)
            if values[mid] is None or mid in (lo, hi):
                return None
            left = abs(values[mid] - values[lo]) / (mid - lo)
            right = abs(values[hi] - values[mid]) / (hi - mid)
            lo, hi = (lo, mid) if left >= right else (mid, hi)
    return None


# tried for L = oo before any draw: tiny and huge inputs, then moderate ones, where exp-like
# growth is steep and log(1 + exp(-x)) still has a value (it has none left of -921)
_STEEP_CANDIDATES = [s * m for m in (1e-300, 1e-100, 1e-30, 1e-10, 1e8, 1e30, 20.0, 50.0, 200.0,
                                     700.0) for s in (1, -1)]


_APPROACH = (8, 16, 32, 64, 128, 256)   # f' at point +- 10**-k


def _growing(n, inputs) -> list | None:
    """|f'| at the `inputs`, in order, when it grows at every one and at least fourfold over
    them; else None (also where f' has no value at one of them)."""
    try:
        slopes = [n.df(t) for t in inputs]
    except Unevaluable:
        return None
    if any(s is None for s in slopes):
        return None
    sizes = [abs(s) for s in slopes]
    grows = all(b > a for a, b in zip(sizes, sizes[1:])) and sizes[-1] >= 4 * sizes[0]
    return sizes if grows else None


def _diverging_slope(n, point) -> str | None:
    """How |f'| grows toward `point` from one side, if it grows at every step of the approach
    and at least fourfold over it (a logarithmic singularity such as x*log(x) at 0 has no
    difference quotient beyond 1e6 at any float, but |f'| keeps doubling here); else None."""
    with mpmath.workdps(300):
        centre = as_mp(point)
        for side in (1, -1):
            sizes = _growing(n, [centre + side * mpmath.mpf(10) ** -k for k in _APPROACH])
            if sizes:
                return (f"|f'| grows toward {float(centre)!r} from the "
                        f"{'right' if side > 0 else 'left'}: {float(sizes[0]):.4g} at distance "
                        f"1e-{_APPROACH[0]}, {float(sizes[-1]):.4g} at 1e-{_APPROACH[-1]}")
    return None


def _diverging_at_infinity(n) -> str | None:
    """How |f'| grows toward +-oo, if it grows at every decade in _FAR_DECADES and at least
    fourfold over them (x*asinh(x) has f' ~ log(2x): 25 at 1e10, 692 at 1e300, and no
    difference quotient beyond 1e6 at any float); else None."""
    for sign in ("", "-"):
        sizes = _growing(n, [float(f"{sign}1e{k}") for k in _FAR_DECADES])
        if sizes:
            return (f"|f'| grows toward {sign}oo: {float(sizes[0]):.4g} at "
                    f"{sign}1e{_FAR_DECADES[0]}, {float(sizes[-1]):.4g} at "
                    f"{sign}1e{_FAR_DECADES[-1]}")
    return None


def _unbounded_slope(result: PropertyResult, probe: Probe) -> CrossCheck:
    """L = oo: some drawn or witnessed input has |f'| (or a difference quotient) > 1e6."""
    n = probe.subject.numeric
    witness = (result.witness or {}).get("x")
    points = [Claimed.of(witness).point] if witness else []

    def steep(t) -> bool:
        if n.f(t) is None:
            return False   # a quotient across a hole of the domain is no evidence
        h = step(t)   # straddling t: a jump at t shows as well as a vertical tangent; one
        slopes = (n.quotient(as_mp(t) - h, 2 * h), n.quotient(t, h), n.quotient(t, -h))
        return any(s is not None and abs(s) > 1e6 for s in slopes)   # side: sqrt at 0
    for point in points:
        growth = _diverging_slope(n, point)
        if growth:
            return CrossCheck(status="agrees", examples=1, tolerance=None,
                              detail=f"L = oo: {growth}")
    listed = [*points, *probe.subject.special, *_STEEP_CANDIDATES]   # tried first, in order
    unevaluable = probe.unevaluable

    def listed_steep(t) -> bool:
        try:
            return steep(t)
        except Unevaluable:
            probe.unevaluable += 1
            return False
    found = next(((t, "steep") for t in listed if listed_steep(t)), None) or probe.search(
        probe.subject.line(), lambda t: "steep" if steep(t) else None, shrink=False)
    if found is not None:
        return CrossCheck(status="agrees", examples=probe.examples, tolerance=None,
                          detail=f"L = oo: difference quotient beyond 1e6 at {found[0]!r}")
    jump = next((p for p in points if n.jump_at(p)), None)   # too small for any quotient
    if jump is not None:
        return CrossCheck(status="agrees", examples=probe.examples, tolerance=None,
                          detail=f"L = oo: f jumps at {show(jump)}")
    growth = None if points else _diverging_at_infinity(n)   # sup |f'| reached at +-oo
    if growth:
        return CrossCheck(status="agrees", examples=probe.examples, tolerance=None,
                          detail=f"L = oo: {growth}")
    if probe.unevaluable > unevaluable:   # softplus(x) + exp(-x) left of -921: no value
        return CrossCheck(status="skipped", examples=probe.examples, detail=(
            f"L = oo claimed: no drawn input has a difference quotient beyond 1e6, and "
            f"{count(probe.unevaluable - unevaluable, 'drawn input')} could not be evaluated"))
    return CrossCheck(status="conflict", examples=probe.examples, detail=(
        "L = oo claimed, but no drawn input has a difference quotient beyond 1e6"),
        counterexample={"input": None, "message": "no steep point found"})


def _certainly_apart(subject: Subject, a: float, b: float) -> bool:
    """f(a) != f(b), shown by arb balls of the written formula that do not overlap, at up to
    65,536 bits (about 19,700 digits); False when they do not show it."""
    for bits in _APART_BITS:
        try:
            fa, fb = (enclose(subject.written, subject.x, arb(t), precision=bits)
                      for t in (a, b))
        except Undecided:
            return False
        with working_precision(bits):   # arb rounds its comparisons to the precision
            if fa < fb or fa > fb:
                return True
    return False


def injective(result: PropertyResult, probe: Probe) -> CrossCheck:
    n = probe.subject.numeric
    if result.witness:
        a, b = (Claimed.of(result.witness[key]).point for key in ("a", "b"))
        fa, fb = n.f(a), n.f(b)
        if fa is None or fb is None or not close(fa, fb, 1e-9):
            return CrossCheck(status="conflict", examples=1, tolerance=1e-9, detail=(
                f"witness pair: f({a!r}) = {fa} and f({b!r}) = {fb} differ"),
                counterexample={"input": [a, b], "message": "witness values differ"})
        return CrossCheck(status="agrees", examples=1, tolerance=1e-9,
                          detail=f"witness pair re-checked: f({a!r}) = f({b!r}) = {float(fa):.12g}")
    reach = draws.floats(-_INJECTIVE_REACH, _INJECTIVE_REACH)

    def equal(pair: tuple[float, float]) -> str | None:
        """Equal values, relatively, at every rung of the ladder (saturating functions such
        as Phi at 22 and 23 differ only in the 107th digit)."""
        a, b = pair
        if abs(a - b) <= 1e-9 * max(1.0, abs(a)):
            return None
        for digits in _EQUALITY_DIGITS:
            with mpmath.workdps(digits):
                fa, fb = n.f(a), n.f(b)
                if fa is None or fb is None or abs(fa - fb) > mpmath.mpf(10) ** (
                        20 - digits) * max(abs(fa), abs(fb)):
                    return None
        if _certainly_apart(probe.subject, a, b):
            return None   # equal to 1,180 digits, yet different (erfc(-100) = 2 - 6e-4346)
        slopes = n.df(a), n.df(b)
        if all(slope for slope in slopes) and (slopes[0] > 0) == (slopes[1] > 0):
            # saturated past what arb resolves, still moving the same way at both:
            # sigmoid(exp(-x)) at -50 is 1 - exp(-5.2e21); no evidence either way
            raise Unevaluable(f"f({a!r}) and f({b!r}) agree past {_EQUALITY_DIGITS[-1] - 20} "
                              f"digits where f' has one sign at both")
        return (f"f({a!r}) = f({b!r}) = {float(fa):.15g} to "
                f"{_EQUALITY_DIGITS[-1] - 20} digits")
    return probe.for_all(draws.tuples(reach, reach), equal, tolerance=1e-100,
                         claim="distinct inputs give distinct values")


def _half_span(point: float) -> float:
    return max(1.0, abs(point)) / 2


def nonlinear(result: PropertyResult, probe: Probe) -> CrossCheck:
    """proved: some triple is not collinear; refuted (affine): none is. The triples centred
    on the special points (0, small numbers, the formula's constants: where kinks usually
    are) are checked first, each once; then the drawn ones. Without the first, a kink away
    from 0 (max(11, x)) was found or missed by luck at small budgets."""
    n = probe.subject.numeric
    line, unit = probe.subject.line(), draws.floats(-1.0, 1.0)
    # and triples at one scale 10**k: f may bend only within 1e-3 of 0 (x*exp(-x**2/1e-6))
    zoomed = draws.tuples(unit, unit, unit, draws.sampled_from(_SCALES)).map(
        lambda t: (t[0] * t[3], t[1] * t[3], t[2] * t[3]))
    triples = draws.one_of(draws.tuples(line, line, line), zoomed)
    evaluable, unevaluable = [], []

    def bent(triple: tuple[float, float, float]) -> str | None:
        a, b, c = sorted(triple)
        apart = 1e-6 * max(1.0, abs(b))   # slopes over shorter spans are rounding noise
        if b - a < apart or c - b < apart or abs(c) > FAR:
            return None
        try:
            fa, fb, fc = n.f(a), n.f(b), n.f(c)
        except Unevaluable:
            unevaluable.append(triple)
            raise
        if fa is None or fb is None or fc is None:
            return None
        evaluable.append(triple)
        left = (fb - fa) / (mpmath.mpf(b) - a)
        right = (fc - fb) / (mpmath.mpf(c) - b)
        if not close(left, right, 1e-20):
            return f"slopes {float(left):.10g} on [{a!r}, {b!r}] and {float(right):.10g} " \
                   f"on [{b!r}, {c!r}] differ"
        return None
    centred = [(s - _half_span(s), s, s + _half_span(s)) for s in probe.subject.special]
    found = probe.search(draws.sampled_from(centred), bent, examples=len(centred),
                         shrink=False) or probe.search(triples, bent, shrink=False)
    claimed_linear = result.verdict.value == "refuted"
    if found is None and len(evaluable) < 10:
        return CrossCheck(status="skipped", examples=probe.examples, detail=(
            f"only {len(evaluable)} drawn triples lie in the domain and could be evaluated: "
            f"too few to say"))
    if found is None and not claimed_linear and unevaluable:
        # a bend may lie just where the values could not be told from 0 (x - x*sign(x) is
        # 0 for x > 0 by steps the walk may not show exact): no evidence of an affine f
        return CrossCheck(status="skipped", examples=probe.examples, detail=(
            f"no drawn triple is bent, but {len(unevaluable)} could not be evaluated: "
            f"too few to say"))
    if (found is not None) == claimed_linear:
        message = found[1] if found else "every drawn triple is collinear"
        return CrossCheck(status="conflict", examples=probe.examples, tolerance=1e-20,
                          detail=("f claimed affine but " if claimed_linear else
                                  "f claimed non-linear but ") + message,
                          counterexample={"input": list(found[0]) if found else None,
                                          "message": message})
    # which triple the shrinker ends on can vary from run to run: not named when agreeing
    detail = "a drawn triple is not collinear" if found else \
        f"{probe.examples} drawn triples collinear"
    return CrossCheck(status="agrees", examples=probe.examples, tolerance=1e-20, detail=detail)

