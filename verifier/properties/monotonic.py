"""monotonic: f is monotone on its domain.

Why: a monotone activation keeps the order of its inputs, so a unit's response is easy to read
and the loss surface has no extra local minima from the activation itself. Example: relu is
nondecreasing, sigmoid/tanh/softplus/ELU increasing (proved); x**2 is none (witness f(-1) >
f(0) < f(1)); swish is none: decreasing on (-oo, -1.27846454276107], increasing after.

Method: the sign structure of f' on each analytic segment (exact zeros, sympy's assumptions,
or certified arb boxes with symbolic tails), and at every junction and domain gap the order
of f's one-sided limits and value. `increasing_on`/`decreasing_on` are where f' > 0 / f' < 0.
A refutation is a certified triple a < b < c with f(b) above or below both neighbours. When a
tail could only be certified on the float64 range, the statement says so.
"""

from __future__ import annotations

import sympy as sp

from verifier import notation
from verifier.analysis.bounds import Bound
from verifier.analysis.context import AnalysisContext
from verifier.analysis.limits import same_value
from verifier.analysis.probes import certified_values, probe_points
from verifier.analysis.pointwise import recheck
from verifier.analysis.shape import Shape
from verifier.analysis.undecided import Undecided
from verifier.analysis.values import Value, value_at
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import FLOAT_RANGE, result, unknown

ID = "monotonic"


def check(ctx: AnalysisContext) -> PropertyResult:
    try:
        if ctx.family is not None:
            return _staircase(ctx)
        if ctx.period is not None:
            return _witness_only(ctx, Undecided(f"f is periodic with period {ctx.period}"))
        try:
            shape = ctx.shape(1)
        except Undecided as exc:
            return _witness_only(ctx, exc)
        signs = {stretch.sign for _, stretch in shape.stretches()}
        sequences = junction_sequences(ctx, shape)
        up = all(_ordered(seq, +1) for seq in sequences)
        down = all(_ordered(seq, -1) for seq in sequences)
        kind = _classify(signs, up, down)
        facts = {"monotonicity": kind, "increasing_on": _runs(ctx, shape, +1),
                 "decreasing_on": _runs(ctx, shape, -1)}
        evidence = shape.evidence() + [
            *_junction_lines(sequences, up, down), f"monotonicity: {kind}"]
        method = Method.interval if shape.method == "interval" else Method.symbolic
        if kind != "none":
            outcome = result(ID, Verdict.proved, method, evidence=evidence, facts=facts)
        else:
            witness, lines = _triple(ctx, shape)
            outcome = result(ID, Verdict.refuted, Method.interval, evidence=evidence + lines,
                             facts=facts, witness=witness)
    except Undecided as exc:
        return unknown(ID, f"monotonicity not decided: {exc}")
    if shape.clipped and outcome.verdict is Verdict.proved:
        outcome.statement += FLOAT_RANGE
    return outcome


def junction_sequences(ctx: AnalysisContext, shape: Shape) -> list[list[Value]]:
    """Around each junction or domain gap, f's values in x order: left limit, f(p), right
    limit (those that exist). f is monotone across it iff the sequence is."""
    points = dict(shape.points)
    segments = sorted(shape.segments, key=lambda s: float(Bound.of(s.lo)))
    sequences = []
    for index, segment in enumerate(segments):
        before = segments[index - 1] if index else None
        sequence = []
        if before is not None:
            sequence.append(value_at(before.expr, ctx.x, Bound.of(before.hi), "-"))
        if segment.lo in points and (before is None or before.hi == segment.lo):
            sequence.append(Value(exact=points[segment.lo]))
        if sequence:
            sequence.append(value_at(segment.expr, ctx.x, Bound.of(segment.lo), "+"))
            sequences.append(sequence)
    if segments and segments[-1].hi in points:
        last = segments[-1]
        sequences.append([value_at(last.expr, ctx.x, Bound.of(last.hi), "-"),
                          Value(exact=points[last.hi])])
    return sequences


def _junction_lines(sequences: list[list[Value]], up: bool, down: bool) -> list[str]:
    """One evidence line for the values met at junctions and gaps, in x order."""
    if not sequences:
        return ["no junction or gap: the signs of f' decide"]
    order = "nondecreasing" if up and not down else "nonincreasing" if down and not up else \
        "constant" if up else "neither nondecreasing nor nonincreasing"
    runs = "; ".join(" ≤ ".join(v.text() for v in seq) if up else
                     " ≥ ".join(v.text() for v in seq) if down else
                     ", ".join(v.text() for v in seq) for seq in sequences)
    return [f"values at junctions and gaps, left to right: {runs} ({order})"]


def _ordered(sequence: list[Value], direction: int) -> bool:
    return all(b.compare(a) * direction >= 0 for a, b in zip(sequence, sequence[1:]))


def _classify(signs: set[int], up: bool, down: bool) -> str:
    if signs == {0} and up and down:
        return "constant"
    if signs <= {1} and up:
        return "increasing"
    if signs <= {1, 0} and up:
        return "nondecreasing"
    if signs <= {-1} and down:
        return "decreasing"
    if signs <= {-1, 0} and down:
        return "nonincreasing"
    return "none"


def _runs(ctx: AnalysisContext, shape: Shape, sign: int) -> list[dict]:
    """Maximal intervals where f' has this sign, joined across continuous junctions."""
    continuous = {p.point for p in ctx.smoothness.points if p.continuous}
    runs: list[list[Bound]] = []
    for _, stretch in shape.stretches():
        if stretch.sign != sign:
            continue
        joins = runs and runs[-1][1] == stretch.lo and (
            stretch.lo.exact is None or stretch.lo.exact in continuous or (
                not any(stretch.lo.exact == p for p, _ in shape.points) and
                ctx.domain.region.contains(stretch.lo.exact) is sp.true))   # never over a gap
        if joins:
            runs[-1][1] = stretch.hi
        else:
            runs.append([stretch.lo, stretch.hi])
    return [_interval(ctx, lo, hi) for lo, hi in runs]


def _interval(ctx: AnalysisContext, lo: Bound, hi: Bound) -> dict:
    """The run as an interval; an end is closed when it is in the domain and f there joins
    the run (at a jump, f(p) belongs to the side it is continuous from, if any)."""
    def closed(bound: Bound, side: str) -> bool:
        if bound.infinite:
            return False
        if bound.exact is None:
            return True
        if ctx.domain.region.contains(bound.exact) is not sp.true:
            return False
        for point in ctx.smoothness.points:
            if point.point == bound.exact and not point.continuous:
                limit = point.right_limit if side == "right" else point.left_limit
                return limit is not None and same_value(limit, point.info.value)
        return True
    low, high = lo.json(), hi.json()
    return {"lo": low["value"], "hi": high["value"], "lo_closed": closed(lo, "right"),
            "hi_closed": closed(hi, "left"), "lo_exact": low["exact"], "hi_exact": high["exact"]}


def _triple(ctx: AnalysisContext, shape: Shape | None) -> tuple[dict, list[str]]:
    """Three points a < b < c with f(b) certified above (or below) both f(a) and f(c)."""
    values = certified_values(ctx, probe_points(shape))
    ordered = list(values)
    # the middle point nearest 0 first, its neighbours nearest to it: a readable witness
    for j in sorted(range(len(ordered)), key=lambda i: abs(float(ordered[i]))):
        b = ordered[j]
        for sign in (1, -1):  # 1: a peak at b, -1: a dip at b
            a = next((p for p in reversed(ordered[:j]) if sign * (values[b] - values[p]) > 0),
                     None)
            c = next((p for p in ordered[j + 1:] if sign * (values[b] - values[p]) > 0), None)
            if a is not None and c is not None:
                witness = {"points": [sp.sstr(p) for p in (a, b, c)],
                           "values": [recheck(ctx.written, ctx.x, p)["value"] for p in (a, b, c)]}
                shown = {p: f"f({notation.number(p)}) = {notation.ball(values[p])}"
                         for p in (a, b, c)}
                mark, moves = ("<", "rises, then falls") if sign > 0 else (">", "falls, then rises")
                back = ">" if mark == "<" else "<"
                return witness, [f"{shown[a]} {mark} {shown[b]} {back} {shown[c]} (certified): "
                                 f"f {moves}, so it is not monotone"]
    raise Undecided("no certified witness triple was found")


def _witness_only(ctx: AnalysisContext, why: Undecided) -> PropertyResult:
    """The sign structure of f' is not known, but a certified triple still refutes."""
    try:
        witness, lines = _triple(ctx, None)
    except Undecided:
        raise why from None
    return result(ID, Verdict.refuted, Method.interval,
                  evidence=[f"no sign structure of f' over the whole line ({why})", *lines],
                  facts={"monotonicity": "none", "increasing_on": None, "decreasing_on": None},
                  witness=witness)


def _staircase(ctx: AnalysisContext) -> PropertyResult:
    family = ctx.family
    jump = family.jump(ctx.x)
    if not family.flat(ctx.x) or not (jump.is_positive or jump.is_negative):
        raise Undecided(f"the steps of {family.atom} are not flat with a jump of one sign")
    kind = "nondecreasing" if jump.is_positive else "nonincreasing"
    return result(ID, Verdict.proved, Method.symbolic, evidence=[
        f"{family.atom} is constant between steps and jumps by {jump} at every step"],
        facts={"monotonicity": kind, "increasing_on": [], "decreasing_on": []})
