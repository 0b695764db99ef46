"""One dtype's accuracy check, shared by the accuracy properties: the scan (exhaustive for the
16-bit types, a search for float32 and float64; verifier.analysis.floats.accuracy) turned into
a verdict against the allowed ulps, the facts of the JSON contract (verifier.facts's
DtypeAccuracy) and an evidence line.

A dtype is `refuted` when one input's certified error exceeds the allowed ulps, `proved` when
every input of an exhaustive scan is certainly within them (none unresolved), else `unknown`.
What it does not guarantee: anything about a dtype that was searched beyond the inputs
examined.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from verifier import notation
from verifier.analysis.floats.accuracy import (SIXTEEN_BIT, Quantity, Scan, float_runs, measure,
                                                scan_sixteen_bit, search_further, search_worst)
from verifier.analysis.floats.domain_boxes import domain_boxes, inside_boxes
from verifier.analysis.floats.error_bound import LIBM_ULPS, Bound, prove_bound
from verifier.analysis.floats.program import numeric_type
from verifier.analysis.pointwise import recheck

RUNS_SHOWN = 8   # runs of inputs beyond the allowed, or collapsing, listed in the facts


@dataclass(frozen=True)
class DtypeCheck:
    """One dtype checked: its scan, the allowed ulps, the verdict ("proved", "refuted" or
    "unknown") and the facts (verifier.facts.DtypeAccuracy)."""

    scan: Scan
    allowed: float
    verdict: str
    facts: dict


def check_dtype(quantity: Quantity, region: sp.Set, dtype: str, allowed: float, *,
                excluded: frozenset[float] = frozenset(),
                seeds: tuple[float, ...] = ()) -> DtypeCheck:
    """`quantity` in `dtype` at every input of the domain `region` (16-bit types) or at the
    inputs a search picks (float32, float64; also around the `seeds`, f's breakpoints),
    `excluded` inputs left out (where the quantity has no value, a kink for f'): its
    verdict against `allowed` ulps, and its facts. A searched dtype with nothing found
    beyond the allowance gets a proof over every input (verifier.analysis.floats.error_bound);
    where that stops at a float, the search goes on around it."""
    domain = domain_boxes(region, dtype)
    boxes = inside_boxes(domain)

    def inside(points: np.ndarray) -> np.ndarray:
        kept = boxes(points)
        return kept & ~np.isin(points, list(excluded)) if excluded else kept
    scan = scan_sixteen_bit(quantity, dtype, inside=inside) if dtype in SIXTEEN_BIT else \
        search_worst(quantity, dtype, inside=inside, seeds=seeds)
    bound = None
    over, undecided = _judged(scan, allowed)
    if not over and not scan.exhaustive and quantity.bound is not None:
        bound = prove_bound(quantity.bound(dtype), dtype, domain, allowed, skip=excluded)
        measure(scan, quantity, bound.measured, inside=inside)
        if bound.at is not None:   # where the proof stops, the error may truly be large
            search_further(scan, quantity, (bound.at,), inside=inside)
        over, undecided = _judged(scan, allowed)
    if over:
        verdict = "refuted"
    elif (scan.exhaustive and not scan.unresolved and not undecided) or (
            bound is not None and bound.proved and _measured_within(scan, bound, allowed)):
        verdict = "proved"
    else:
        verdict = "unknown"
    ordered = sorted(scan.errors)
    collapsed = {entry.x for entry in scan.collapses}
    over_runs, collapse_runs = float_runs(ordered, over), float_runs(ordered, collapsed)
    facts = {"dtype": dtype, "method": "exhaustive" if scan.exhaustive else "search",
             "allowed_ulps": allowed, "verdict": verdict, "compared": scan.compared,
             "max_ulps": number(scan.max_ulps), "worst": _input(scan),
             "over": over_runs[:RUNS_SHOWN], "over_inputs": len(over),
             "collapses": collapse_runs[:RUNS_SHOWN], "collapse_inputs": len(collapsed),
             "undecided_inputs": undecided, "unresolved_inputs": len(scan.unresolved),
             **(_bound_facts(bound) if verdict != "refuted" else {})}
    return DtypeCheck(scan, allowed, verdict, facts)


def _measured_within(scan: Scan, bound: Bound, allowed: float) -> bool:
    """Whether each float the proof left to be measured is within `allowed` ulps, or not
    counted (its exact value no normal float, or not an input: outside the domain, a
    kink)."""
    unresolved = set(scan.unresolved)
    return all(scan.errors[p][1] <= allowed if p in scan.errors else p not in unresolved
               for p in bound.measured)


def _judged(scan: Scan, allowed: float) -> tuple[set[float], int]:
    """The inputs certainly beyond `allowed` ulps, and how many straddle it."""
    over = {x for x, (low, _) in scan.errors.items() if low > allowed}
    return over, sum(1 for low, high in scan.errors.values() if low <= allowed < high)


def _bound_facts(bound: Bound | None) -> dict:
    """What the proof over every input gave: its bound and assumption, or why it failed."""
    if bound is None:
        return {}
    if not bound.proved:
        return {"bound_failure": bound.reason}
    return {"bound_ulps": bound.ulps, "bound_boxes": bound.boxes,
            "bound_measured": len(bound.measured),
            "assumed_libm_ulps": LIBM_ULPS if bound.assumed else None}


def _input(scan: Scan) -> dict | None:
    worst = scan.worst
    if worst is None:
        return None
    computed = worst.computed if math.isfinite(worst.computed) else \
        ("nan" if math.isnan(worst.computed) else "oo" if worst.computed > 0 else "-oo")
    return {"x": worst.x, "x_text": input_text(worst.x, scan.dtype), "computed": computed,
            "exact": worst.exact, "ulps_low": number(worst.ulps_low),
            "ulps_high": number(worst.ulps_high)}


def input_text(x: float, dtype: str) -> str:
    """The shortest decimal that reads back as the same `dtype` float: -2.4999998 for the
    float32 next to -2.5, where seven rounded digits would say -2.5."""
    kind = numeric_type(dtype)
    with np.errstate(over="ignore"):   # a short text past the largest float: inf, no match
        for digits in range(1, 18):
            text = f"{x:.{digits}g}"
            if kind(float(text)) == kind(x):
                return text
    return repr(x)


def number(value: float) -> float | str:
    """A float for JSON: "oo" for an infinite error."""
    return "oo" if math.isinf(value) else value


def evidence_line(each: DtypeCheck, label: str) -> str:
    """One evidence line: the dtype, how many inputs, the max error and where, the counts."""
    facts, scan = each.facts, each.scan
    how = f"all {scan.compared:,} inputs whose value is a normal float" if scan.exhaustive \
        else f"{scan.compared:,} inputs searched"
    parts = [f"{label} in {scan.dtype} ({how}): "]
    worst = facts["worst"]
    if worst is None:
        parts.append("no input compared")
    else:
        bound = "" if math.isinf(scan.max_ulps) else "at most " if scan.exhaustive and \
            not facts["unresolved_inputs"] else "found "
        parts.append(f"max error {bound}{notation.ulps(scan.max_ulps)} (allowed "
                     f"{notation.ulps(each.allowed)}); worst x = {worst['x_text']}: "
                     f"computed {notation.decimal(scan.worst.computed)}, exact "
                     f"{notation.text_number(worst['exact'])}")
    if facts["over_inputs"]:
        parts.append(f"; {notation.count(facts['over_inputs'], 'input')} beyond the allowed")
    if facts["collapse_inputs"]:
        parts.append(f"; {notation.count(facts['collapse_inputs'], 'input')} collapse "
                     f"(0, wrong sign, not finite or > 2^20 ulps)")
    if facts["unresolved_inputs"]:
        parts.append(f"; {facts['unresolved_inputs']} not decided")
    if facts.get("bound_ulps") is not None:
        assumed = facts["assumed_libm_ulps"]
        parts.append(f"; proved at most {notation.ulps(facts['bound_ulps'])} at every input "
                     f"whose value is a normal float (rounding errors bounded over "
                     f"{facts['bound_boxes']:,} float boxes"
                     + (f", {notation.count(facts['bound_measured'], 'input')} measured "
                        f"one by one" if facts["bound_measured"] else "")
                     + (f", assuming numpy's transcendental functions within "
                        f"{notation.ulps(assumed)}" if assumed is not None else "") + ")")
    elif facts.get("bound_failure"):
        parts.append(f"; no bound proved over every input: {facts['bound_failure']}")
    return "".join(parts)


DTYPE_ORDER = ("float16", "bfloat16", "float32", "float64")
WITNESS_ORDER = ("float32", "float64", "float16", "bfloat16")   # the one most people run


@dataclass(frozen=True)
class Accuracy:
    """Every dtype asked for, checked: the overall verdict and what a result reports."""

    checked: list[DtypeCheck]

    @property
    def verdict(self) -> str:
        """refuted when one dtype is, proved when every dtype is, else unknown."""
        verdicts = {each.verdict for each in self.checked}
        return "refuted" if "refuted" in verdicts else \
            "proved" if verdicts == {"proved"} else "unknown"

    @property
    def facts(self) -> dict:
        return {"accuracy": [each.facts for each in self.checked],
                "collapse": "found" if any(each.scan.collapses for each in self.checked)
                else "none"}

    def witness_dtype(self) -> DtypeCheck:
        """The refuted dtype whose worst input is the witness (float32 first)."""
        refuted = [each for each in self.checked if each.verdict == "refuted"]
        return min(refuted, key=lambda each: WITNESS_ORDER.index(each.scan.dtype))

    def open_dtypes(self) -> list[str]:
        return [each.scan.dtype for each in self.checked if each.verdict != "proved"]


def check_accuracy(quantity: Quantity, region: sp.Set, ulps: dict[str, float], *,
                   excluded: frozenset[float] = frozenset(),
                   breakpoints: list[sp.Expr] | None = None) -> Accuracy:
    """check_dtype for each dtype `ulps` names, in DTYPE_ORDER; the searches also look
    around the `breakpoints` (exact real points of f)."""
    seeds = tuple(float(sp.N(point, 20)) for point in breakpoints or [] if point.is_real)
    return Accuracy([check_dtype(quantity, region, dtype, float(ulps[dtype]),
                                 excluded=excluded, seeds=seeds)
                     for dtype in DTYPE_ORDER if dtype in ulps])


def witness(chosen: DtypeCheck, expr: sp.Expr, x: sp.Symbol) -> dict:
    """The worst input of a refuted dtype as a result's witness, `expr` (the exact quantity)
    re-evaluated there at 50 digits."""
    worst = chosen.scan.worst
    return {"x": worst.x, "x_text": chosen.facts["worst"]["x_text"],
        "dtype": chosen.scan.dtype, "computed": chosen.facts["worst"]["computed"],
        "exact": worst.exact, "ulps": number(worst.ulps_low),
        "allowed_ulps": chosen.allowed, "recheck": recheck(expr, x, sp.Rational(worst.x))}
