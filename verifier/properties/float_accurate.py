"""float_accurate: evaluated as written in float16, bfloat16, float32 and float64, f is within
N ulps of its exact value at every float input of the domain whose exact value is a normal
float of that dtype (N per dtype, the option `ulps`: 2 for the 16-bit types and 4 for float32
and float64 unless the rule set says otherwise; its keys are the dtypes checked).

Why: a formula can be finite and still badly wrong. ELU's alpha*(exp(x) - 1) is 0 in float32
at x = -1e-8, where the value is -1e-8 (every digit lost; expm1 fixes it); tanhshrink
x - tanh(x) is off by thousands of ulps near 0; log(sigmoid(x)) is -inf in float32 below
about -104, where the value is about x. Example: elu refuted with a collapse; softplus(x)
within 1 ulp in every 16-bit input.

Method, per dtype (the facts and the evidence say which): float16 and bfloat16 are
exhaustive: the program as written runs on all 65,536 inputs (numpy; ml_dtypes for bfloat16)
and each result is compared with an arb enclosure of the exact value, so `max_ulps` bounds
every input and the dtype's verdict is complete for this numpy build. float32 and float64 are
searched (every binade, then the float neighbours of the worst inputs found): an input whose
certified error exceeds N refutes; no bound is proved for them yet, so they are `unknown`
unless refuted. The verdict: refuted when one dtype is, proved when every dtype is.

A collapse is a result 0, of the wrong sign, not finite, or off by more than 2**20 ulps where
the exact value is a normal float (fact `collapse`: "found" or "none"). Where the exact value
is below the smallest normal, a flushed or subnormal result is no error; beyond the largest
float, float_stable's rules apply.

What it does not guarantee: anything about another numpy or ml_dtypes build (their results
are assumed deterministic on one platform), fused kernels, or inputs whose exact value could
not be enclosed (`unresolved_inputs`: never counted as accurate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import math

import sympy as sp

from verifier import notation
from verifier.analysis.context import AnalysisContext
from verifier.analysis.floats.accuracy import (SIXTEEN_BIT, Scan, float_runs,
                                                scan_sixteen_bit, search_worst, value_of)
from verifier.analysis.floats.domain_boxes import domain_boxes, inside_boxes
from verifier.analysis.pointwise import recheck
from verifier.analysis.rewrites import proved_equal, rewritten
from verifier.analysis.undecided import Undecided
from verifier.defaults import DEFAULT_ULPS
from verifier.expr import parse_both
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown

ID = "float_accurate"
DTYPE_ORDER = tuple(DEFAULT_ULPS)
_WITNESS_ORDER = ("float32", "float64", "float16", "bfloat16")   # the one most people run
_RUNS_SHOWN = 8


@dataclass(frozen=True)
class _Dtype:
    scan: Scan
    allowed: float
    verdict: str
    facts: dict


def check(ctx: AnalysisContext, *, ulps: Mapping[str, float] = DEFAULT_ULPS) -> PropertyResult:
    try:
        region = ctx.domain.region
        quantity = value_of(ctx.written, ctx.x)
        checked = [_dtype(quantity, region, dtype, float(ulps[dtype]))
                   for dtype in DTYPE_ORDER if dtype in ulps]
    except Undecided as exc:
        return unknown(ID, f"accuracy not decided: {exc}")
    facts = {"accuracy": [each.facts for each in checked],
             "collapse": "found" if any(each.scan.collapses for each in checked) else "none"}
    evidence = [_line(each) for each in checked]
    refuted = [each for each in checked if each.verdict == "refuted"]
    if refuted:
        fix = _proved_fix(ctx, checked)
        if fix is not None:
            facts["rewrite"], line = fix
            evidence.append(line)
        chosen = min(refuted, key=lambda each: _WITNESS_ORDER.index(each.scan.dtype))
        return result(ID, Verdict.refuted, Method.numeric, evidence=evidence, facts=facts,
                      witness=_witness(ctx, chosen))
    if all(each.verdict == "proved" for each in checked):
        return result(ID, Verdict.proved, Method.interval, evidence=evidence, facts=facts)
    open_ = [each.scan.dtype for each in checked if each.verdict != "proved"]
    return unknown(ID, f"no bound proved in {notation.listing(open_)} (searched, or inputs "
                       f"not decided); no input beyond the allowed ulps found",
                   evidence=evidence, facts=facts)


def _dtype(quantity, region: sp.Set, dtype: str, allowed: float) -> _Dtype:
    inside = inside_boxes(domain_boxes(region, dtype))
    scan = scan_sixteen_bit(quantity, dtype, inside=inside) if dtype in SIXTEEN_BIT else \
        search_worst(quantity, dtype, inside=inside)
    over = {x for x, (low, _) in scan.errors.items() if low > allowed}
    undecided = sum(1 for low, high in scan.errors.values() if low <= allowed < high)
    if over:
        verdict = "refuted"
    elif scan.exhaustive and not scan.unresolved and not undecided:
        verdict = "proved"
    else:
        verdict = "unknown"
    ordered = sorted(scan.errors)
    collapsed = {entry.x for entry in scan.collapses}
    over_runs, collapse_runs = float_runs(ordered, over), float_runs(ordered, collapsed)
    facts = {"dtype": dtype, "method": "exhaustive" if scan.exhaustive else "search",
             "allowed_ulps": allowed, "verdict": verdict, "compared": scan.compared,
             "max_ulps": _number(scan.max_ulps), "worst": _input(scan),
             "over": over_runs[:_RUNS_SHOWN], "over_inputs": len(over),
             "collapses": collapse_runs[:_RUNS_SHOWN], "collapse_inputs": len(collapsed),
             "undecided_inputs": undecided, "unresolved_inputs": len(scan.unresolved)}
    return _Dtype(scan, allowed, verdict, facts)


def _proved_fix(ctx: AnalysisContext, checked: list[_Dtype]) -> tuple[dict, str] | None:
    """The stable rewrite of the formula (verifier.analysis.rewrites), when it is proved equal
    to f and measured better: some refuted dtype no longer refuted or at least twice as
    accurate, and no dtype newly refuted. None otherwise."""
    rewrite = rewritten(ctx.written)
    if rewrite is None:
        return None
    try:
        proof = proved_equal(ctx, rewrite)
        quantity = value_of(parse_both(rewrite.text, variable=ctx.x.name)[1], ctx.x)
        after = [_dtype(quantity, ctx.domain.region, each.scan.dtype, each.allowed)
                 for each in checked]
    except Undecided:
        return None
    pairs = list(zip(checked, after))
    if any(new.verdict == "refuted" and old.verdict != "refuted" for old, new in pairs) or \
            not any(old.verdict == "refuted" and (new.verdict != "refuted" or
                                                  2 * new.scan.max_ulps <= old.scan.max_ulps)
                    for old, new in pairs):
        return None
    gains = ", ".join(f"{old.scan.dtype} {_ulps(old.scan.max_ulps)} -> "
                      f"{_ulps(new.scan.max_ulps)}" for old, new in pairs)
    facts = {"formula": rewrite.text, "rules": list(rewrite.applied), "proof": proof,
             "accuracy": [{"dtype": new.scan.dtype, "max_ulps": _number(new.scan.max_ulps),
                           "verdict": new.verdict,
                           "collapse_inputs": new.facts["collapse_inputs"]} for new in after]}
    return facts, f"fix: {rewrite.text} ({proof[0]}); max error {gains}"


def _input(scan: Scan) -> dict | None:
    worst = scan.worst
    if worst is None:
        return None
    computed = worst.computed if math.isfinite(worst.computed) else \
        ("nan" if math.isnan(worst.computed) else "oo" if worst.computed > 0 else "-oo")
    return {"x": worst.x, "computed": computed, "exact": worst.exact,
            "ulps_low": _number(worst.ulps_low), "ulps_high": _number(worst.ulps_high)}


def _number(value: float) -> float | str:
    return "oo" if math.isinf(value) else value


def _line(each: _Dtype) -> str:
    facts, scan = each.facts, each.scan
    how = f"all {scan.compared:,} inputs whose value is a normal float" if scan.exhaustive \
        else f"{scan.compared:,} inputs searched"
    parts = [f"{scan.dtype} ({how}): "]
    worst = facts["worst"]
    if worst is None:
        parts.append("no input compared")
    else:
        bound = "" if math.isinf(scan.max_ulps) else "at most " if scan.exhaustive and \
            not facts["unresolved_inputs"] else "found "
        parts.append(f"max error {bound}{_ulps(scan.max_ulps)} (allowed "
                     f"{_ulps(each.allowed)}); worst x = {notation.decimal(worst['x'])}: "
                     f"computed {notation.decimal(scan.worst.computed)}, exact "
                     f"{notation.text_number(worst['exact'])}")
    if facts["over_inputs"]:
        parts.append(f"; {notation.count(facts['over_inputs'], 'input')} beyond the allowed")
    if facts["collapse_inputs"]:
        parts.append(f"; {notation.count(facts['collapse_inputs'], 'input')} collapse "
                     f"(0, wrong sign, not finite or > 2^20 ulps)")
    if facts["unresolved_inputs"]:
        parts.append(f"; {facts['unresolved_inputs']} not decided")
    return "".join(parts)


def _ulps(value: float) -> str:
    if math.isinf(value):
        return "∞ ulps"
    return f"{notation.decimal(value, 4)} ulp" + ("" if value == 1 else "s")


def _witness(ctx: AnalysisContext, chosen: _Dtype) -> dict:
    worst = chosen.scan.worst
    return {"x": worst.x, "dtype": chosen.scan.dtype, "computed": chosen.facts["worst"][
        "computed"], "exact": worst.exact, "ulps": _number(worst.ulps_low),
        "allowed_ulps": chosen.allowed,
        "recheck": recheck(ctx.written, ctx.x, sp.Rational(worst.x))}
