"""gradient_accurate: f' as autodiff computes it from the formula as written is within N ulps of
the exact derivative at every float input of the domain where f is differentiable and f' is a
normal float of the dtype (the same dtypes and allowed ulps as float_accurate: the option
`ulps`).

Why: training runs the backward pass in the same dtype. Autodiff differentiates the program,
not the function: tanh' = 1 - t**2 is 0 in float16 from about x = 4.5 although f' is still a
normal float16; gelu_tanh's gradient is NaN in float16 above x = 147.8 (3*x**2 overflows and
meets tanh's zero gradient: inf*0); softplus's (z/(z + 1) with z = exp(x)) is NaN in float16
from x = 11.1. Example: tanh refuted in float16.

Method: as float_accurate (verifier.analysis.floats.dtype_accuracy), on f' by dual numbers in
the dtype with PyTorch's backward formulas (verifier.analysis.floats.autodiff; a constant
carries no gradient path, max/min ties split in halves) against an arb enclosure of sympy's
derivative of the evaluated f. Inputs where f is not differentiable (a kink: relu at 0) are
not compared; at a breakpoint where the one-sided derivatives agree, the exact f' is their
common value.

What it does not guarantee: that a framework's own backward kernels (fused, or with another
formula for a shorthand) give these results; anything float_accurate does not.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

from verifier import notation
from verifier.analysis.context import AnalysisContext
from verifier.analysis.derivatives import derivative
from verifier.analysis.floats.accuracy import slope_of
from verifier.analysis.floats.dtype_accuracy import check_accuracy, evidence_line, witness
from verifier.analysis.undecided import Undecided
from verifier.defaults import DEFAULT_ULPS
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown

ID = "gradient_accurate"


def check(ctx: AnalysisContext, *, ulps: Mapping[str, float] = DEFAULT_ULPS) -> PropertyResult:
    try:
        if ctx.family is not None:
            raise Undecided("floor/ceiling steps: f' is 0 or does not exist, nothing to round")
        slope = derivative(ctx.expr, ctx.x)
        kinks, known = float_breakpoints(ctx)
        accuracy = check_accuracy(slope_of(ctx.expr, ctx.written, ctx.x, known=known,
                                           inside_domain=True),   # the scans keep to it
                                  ctx.domain.region, ulps, excluded=kinks,
                                  breakpoints=ctx.breakpoints())
    except Undecided as exc:
        return unknown(ID, f"gradient accuracy not decided: {exc}")
    facts = accuracy.facts
    evidence = [evidence_line(each, "f' (autodiff)") for each in accuracy.checked]
    if kinks:
        evidence.append(f"not compared (f has no derivative there): x = "
                        f"{notation.listing([notation.decimal(k) for k in sorted(kinks)])}")
    if accuracy.verdict == "refuted":
        return result(ID, Verdict.refuted, Method.numeric, evidence=evidence, facts=facts,
                      witness=witness(accuracy.witness_dtype(), slope, ctx.x))
    if accuracy.verdict == "proved":
        return result(ID, Verdict.proved, Method.interval, evidence=evidence, facts=facts)
    return unknown(ID, f"no bound proved in {notation.listing(accuracy.open_dtypes())} "
                       f"(searched, or inputs not decided); no input beyond the allowed ulps "
                       f"found", evidence=evidence, facts=facts)


def float_breakpoints(ctx: AnalysisContext) -> tuple[frozenset[float], dict[float, sp.Expr]]:
    """The float breakpoints of f: those where it has no derivative (left out), and those
    where both one-sided derivatives agree, with their common value. A breakpoint that is no
    float is never an input."""
    kinks, known = set(), {}
    for point in ctx.smoothness.points:
        if not (point.point.is_Rational and sp.Rational(float(point.point)) == point.point):
            continue
        where = float(point.point)
        if point.differentiable and point.left_derivative is not None:
            known[where] = point.left_derivative
        elif point.differentiable and point.right_derivative is not None:
            known[where] = point.right_derivative
        else:
            kinks.add(where)
    return frozenset(kinks), known
