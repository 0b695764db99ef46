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

from verifier import notation
from verifier.analysis.context import AnalysisContext
from verifier.analysis.floats.accuracy import value_of
from verifier.analysis.floats.dtype_accuracy import (DtypeCheck, check_accuracy,
                                                      evidence_line, number,
                                                      witness)
from verifier.analysis.rewrites import proved_equal, rewritten
from verifier.analysis.undecided import Undecided
from verifier.defaults import DEFAULT_ULPS
from verifier.expr import parse_both
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown

ID = "float_accurate"


def check(ctx: AnalysisContext, *, ulps: Mapping[str, float] = DEFAULT_ULPS) -> PropertyResult:
    try:
        accuracy = check_accuracy(value_of(ctx.written, ctx.x), ctx.domain.region, ulps,
                                  breakpoints=ctx.breakpoints())
    except Undecided as exc:
        return unknown(ID, f"accuracy not decided: {exc}")
    facts, evidence = accuracy.facts, [evidence_line(each, "f") for each in accuracy.checked]
    if accuracy.verdict == "refuted":
        fix = _proved_fix(ctx, accuracy.checked)
        if fix is not None:
            facts["rewrite"], line = fix
            evidence.append(line)
        return result(ID, Verdict.refuted, Method.numeric, evidence=evidence, facts=facts,
                      witness=witness(accuracy.witness_dtype(), ctx.written, ctx.x))
    if accuracy.verdict == "proved":
        return result(ID, Verdict.proved, Method.interval, evidence=evidence, facts=facts)
    return unknown(ID, f"no bound proved in {notation.listing(accuracy.open_dtypes())} "
                       f"(searched, or inputs not decided); no input beyond the allowed ulps "
                       f"found", evidence=evidence, facts=facts)


def _proved_fix(ctx: AnalysisContext, checked: list[DtypeCheck]) -> tuple[dict, str] | None:
    """The stable rewrite of the formula (verifier.analysis.rewrites), when it is proved equal
    to f and measured better: some refuted dtype no longer refuted or at least twice as
    accurate, and no dtype newly refuted. None otherwise."""
    rewrite = rewritten(ctx.written)
    if rewrite is None:
        return None
    try:
        proof = proved_equal(ctx, rewrite)
        quantity = value_of(parse_both(rewrite.text, variable=ctx.x.name)[1], ctx.x)
        after = check_accuracy(quantity, ctx.domain.region, {
            each.scan.dtype: each.allowed for each in checked},
            breakpoints=ctx.breakpoints()).checked
    except Undecided:
        return None
    pairs = list(zip(checked, after))
    if any(new.verdict == "refuted" and old.verdict != "refuted" for old, new in pairs) or \
            not any(old.verdict == "refuted" and (new.verdict != "refuted" or
                                                  2 * new.scan.max_ulps <= old.scan.max_ulps)
                    for old, new in pairs):
        return None
    gains = ", ".join(f"{old.scan.dtype} {notation.ulps(old.scan.max_ulps)} -> "
                      f"{notation.ulps(new.scan.max_ulps)}" for old, new in pairs)
    facts = {"formula": rewrite.text, "rules": list(rewrite.applied), "proof": proof,
             "accuracy": [{"dtype": new.scan.dtype, "max_ulps": number(new.scan.max_ulps),
                           "verdict": new.verdict,
                           "collapse_inputs": new.facts["collapse_inputs"]} for new in after]}
    return facts, (f"fix: {rewrite.text} ({proof[0]}); max error {gains}; why: "
                   f"{'; '.join(rewrite.reasons())}")
