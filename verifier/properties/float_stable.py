"""float_stable: the formula evaluated as written in float32 and float64 is finite wherever f
is (and representable with headroom: at most half the largest float), and so is f' as sympy
writes it.

Why: a formula right on paper can overflow in floats: naive softplus log(1 + exp(x)) is inf
above x = 88.72 in float32 and 709.78 in float64; the derivative of 1/(1 + exp(-x)) is
inf/inf = NaN below x = -88.72 in float32. Example: both refuted, with a witness input;
`softplus(x)` proved.

Shorthands (sigmoid, softplus, Phi) stand for the frameworks' stable implementations here, and
their derivatives for what autodiff computes (sigmoid*(1 - sigmoid)); what the user spells out
is checked as spelled.

Method: first a search for breaks: numpy evaluates the formula in each dtype
(verifier.analysis.floats.program) at every binade of the float range, subnormals included (two
mantissas each, both signs, plus 0); an input where the float result is not finite while x is
in the domain is a break only when the exact value there, certified with arb, is a finite real
of at most half the dtype's largest float (in the top binade two roundings overflow any
formula). Region ends are refined by bisection over the float ordering. A refutation's witness
is such an input, with its naive float value, the certified value, and a 50-digit mpmath re-
check. When no break is found, a proof: branch and bound over every float input of the domain
(verifier.analysis.floats.proof) encloses what the dtype computes, with rounding.

Every region listed has its ends bisected to the exact float, in both dtypes, for f and f',
and regions that hold no sampled float are found where the float result stops being finite
between two samples. Fact `complete`: true only when proved (no break at all); a refutation's
lists are located, not proved complete (`complete: false`).

What it does not guarantee: that a refutation lists every break (a region whose ends are both
between two samples, finite on both sides, is met only by chance; a region ends where the
search stops certifying breaks: sigmoid(x**3)*x's f' is NaN in float64 down to -1.8e308, its
listed region ends at -7.6e256); `proved`
assumes numpy's transcendental functions are within 16 ulps and sign-correct, and covers the
elementwise formula, not a framework's fused kernels or its own autodiff graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from verifier import notation
from verifier.analysis.context import AnalysisContext
from verifier.analysis.derivatives import derivative
from verifier.analysis.floats.cause import first_failure
from verifier.analysis.floats.breaks import break_regions, sample_grid, with_box_ends
from verifier.analysis.floats.domain_boxes import domain_boxes, inside_boxes
from verifier.analysis.floats.proof import Break, prove_finite, true_value
from verifier.analysis.arb.certified import PRECISION_LADDER
from verifier.analysis.floats.images import TRANSCENDENTAL_ULPS
from verifier.analysis.floats.program import DTYPES, evaluate
from verifier.analysis.pointwise import recheck
from verifier.analysis.undecided import Undecided
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown
from verifier.vocabulary import sigmoid

ID = "float_stable"


@dataclass(frozen=True)
class _Formula:
    label: str          # "f" or "f'"
    program: sp.Expr    # as floats compute it (stable shorthands kept)
    exact: sp.Expr      # the same function as mathematics


def check(ctx: AnalysisContext) -> PropertyResult:
    formulas = [_Formula("f", ctx.written, ctx.expr),
                _Formula("f'", derivative(ctx.written, ctx.x), derivative(ctx.expr, ctx.x))]
    facts: dict = {}
    witness = None
    try:
        for dtype in DTYPES:
            boxes = domain_boxes(ctx.domain.region, dtype)
            grid, inside = with_box_ends(sample_grid(dtype), boxes, dtype), inside_boxes(boxes)
            per_formula = {}
            for formula in formulas:
                breaks, untaken = break_regions(formula.program, formula.exact, ctx.x, grid, dtype,
                                                inside)
                per_formula[formula.label] = [_interval_json(lo, hi) for lo, hi in breaks]
                if untaken:
                    facts.setdefault("untaken_branch_nonfinite", {})[
                        f"{dtype} {formula.label}"] = untaken
                if breaks and witness is None:   # the end nearest 0 reads best
                    witness = _witness(formula, ctx.x, min(breaks[0], key=abs), dtype)
            facts[f"breaks_{dtype}"] = per_formula
        evidence = [f"{dtype}: breaks of {label}: {_spans_text(spans)}"
                    for dtype in DTYPES for label, spans in facts[f"breaks_{dtype}"].items()]
        if witness is None:
            proof = _prove(ctx, formulas)
            if isinstance(proof, dict):
                witness = proof
                facts[f"breaks_{witness['dtype']}"][witness["formula"]].append(
                    _interval_json(witness["x"], witness["x"]))
            else:   # no break anywhere: the (empty) lists are complete by the proof
                return result(ID, Verdict.proved, Method.interval, evidence=evidence + proof,
                              facts={**facts, "complete": True})
    except Undecided as exc:
        return unknown(ID, f"float evaluation not decided: {exc}", facts=facts)
    facts["complete"] = False   # every region found is maximal, but none is proved the last
    suggestion = _suggestion(ctx.written)
    if suggestion:
        facts["suggestion"] = suggestion
    return result(ID, Verdict.refuted, Method.numeric, evidence=evidence + [
        f"witness: {witness['formula']} at x = {notation.decimal(witness['x'])} in "
        f"{witness['dtype']} is {_naive_text(witness)}, its value is "
        f"{notation.text_number(witness['true'])}"], facts=facts, witness=witness)


def _naive_text(witness: dict) -> str:
    cause = witness.get("cause")
    word = {"nan": "NaN", "inf": "∞", "-inf": "-∞"}.get(witness["naive"], witness["naive"])
    if not cause:
        return word
    then = f", then {cause['then']} = NaN" if cause["then"] else ""
    return f"{word} ({cause['operation']} gives {cause['result']}{then})"


def _spans_text(spans: list[dict]) -> str:
    if not spans:
        return "none found"
    return notation.union([((notation.decimal(s["lo"]), s["lo"]), (notation.decimal(s["hi"]),
                            s["hi"]), True, True) for s in spans])


def _prove(ctx: AnalysisContext, formulas: list[_Formula]) -> list[str] | dict:
    """Evidence lines when every formula is finite at every float input of the domain in
    both dtypes; the witness of a break met on the way; raises Undecided otherwise."""
    lines = []
    for dtype in DTYPES:
        boxes = domain_boxes(ctx.domain.region, dtype)
        for formula in formulas:
            count = 0
            for lo, hi in boxes:
                outcome = prove_finite(formula.program, formula.exact, ctx.x, lo, hi, dtype)
                if isinstance(outcome, Break):
                    return _witness(formula, ctx.x, outcome.x, dtype)
                count += outcome.boxes
            lines.append(f"{dtype}: {formula.label} = {sp.sstr(formula.program)} is finite at "
                         f"every float input of the domain where |value| <= max/2 "
                         f"({count} certified boxes)")
    lines.append(f"assumed: numpy's transcendental functions are within "
                 f"{TRANSCENDENTAL_ULPS} ulps and sign-correct; + - * / sqrt correctly rounded")
    return lines


def _witness(formula: _Formula, x, point: float, dtype: str) -> dict:
    naive, _ = evaluate(formula.program, x, np.array([point]), dtype)
    cause = first_failure(formula.program, x, point, dtype)
    return {"x": point, "dtype": dtype, "formula": formula.label, "naive": str(naive[0]),
            "cause": cause.json() if cause else None,
            "true": _precise_value(formula.exact, x, point).str(20, radius=False),
            "recheck": recheck(formula.exact, x, sp.Rational(point))}


def _precise_value(exact: sp.Expr, x, point: float):
    """The certified value at the witness, with enough bits to show its leading digits
    (1.593092e-58, not "below 1e-54"): the top of the precision ladder when the first
    enclosure is too wide."""
    value = true_value(exact, x, point)
    if value.rel_accuracy_bits() < 24:
        try:
            value = true_value(exact, x, point, least_precision=PRECISION_LADDER[-1])
        except Undecided:
            pass
    return value


def _interval_json(lo: float, hi: float) -> dict:
    return {"lo": lo, "hi": hi, "lo_closed": True, "hi_closed": True,
            "lo_exact": repr(lo), "hi_exact": repr(hi)}


def _suggestion(expr: sp.Expr) -> str | None:
    """A stable rewrite, in the parser's vocabulary, for a known unstable pattern in the
    formula (None when there is none: the finding's explanation gives the general fix)."""
    for node in sp.preorder_traversal(expr):
        if not isinstance(node, sp.log):
            continue
        inner = node.args[0]
        if isinstance(inner, sp.Add) and len(inner.args) == 2 and 1 in inner.args:
            other = next(t for t in inner.args if t != 1)
            if isinstance(other, sp.exp):
                return f"write softplus({sp.sstr(other.args[0])}) for {sp.sstr(node)}"
        if isinstance(inner, sigmoid):
            return f"write -softplus({sp.sstr(-inner.args[0])}) for {sp.sstr(node)}"
        if isinstance(inner, sp.Pow) and inner.exp == -1 and isinstance(inner.base, sp.Add) \
                and len(inner.base.args) == 2 and 1 in inner.base.args:
            other = next(t for t in inner.base.args if t != 1)
            if isinstance(other, sp.exp):
                return f"write -softplus({sp.sstr(other.args[0])}) for {sp.sstr(node)}"
    return None
