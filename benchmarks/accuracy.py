"""The accuracy scans (issue 19) on the built-in catalog: per activation and dtype, the seconds,
the inputs compared, the max ulps with where it is reached, the collapses and the unresolved
inputs. float16 and bfloat16 are exhaustive (a certified maximum; target <= 2 s per activation
and dtype); float32 and float64 are searched (the worst found, certified at its input), and
with --bound the branch and bound over every input runs too (its seconds, its proved bound or
why not; target <= 5 s), of f or, with --gradient, of f' (kinks left out).

Usage: python benchmarks/accuracy.py [--only NAME[,NAME...]] [--gradient] [--bound]
                                     [--dtypes float16,bfloat16,float32,float64]
(--gradient: f' as autodiff computes it, against the exact derivative, instead of f)
"""

from __future__ import annotations

import argparse
import statistics
import time

from verifier.analysis.floats.accuracy import (SIXTEEN_BIT, Quantity, scan_sixteen_bit,
                                                search_worst, slope_of, value_of)
from verifier.analysis.context import AnalysisContext
from verifier.analysis.floats.domain_boxes import domain_boxes
from verifier.analysis.floats.error_bound import prove_bound
from verifier.analysis.undecided import Undecided
from verifier.functions import build_expression, load_catalog
from verifier.properties.gradient_accurate import float_breakpoints
from verifier.seeded import fix_hashing
from verifier.vocabulary import variable_symbol


def main() -> None:
    fix_hashing()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated catalog names")
    parser.add_argument("--dtypes", default=",".join([*SIXTEEN_BIT, "float32", "float64"]))
    parser.add_argument("--gradient", action="store_true", help="f' instead of f")
    parser.add_argument("--bound", action="store_true",
                        help="float32/float64: the proof over every input too")
    options = parser.parse_args()
    chosen = set(options.only.split(",")) if options.only else None
    print(f"{'activation':<22}{'dtype':<10}{'s':>6}{'compared':>10}{'max ulps':>12}"
          f"{'at x':>14}{'collapses':>11}{'unresolved':>11}")
    seconds = []
    for activation in load_catalog():
        if chosen is not None and activation.name not in chosen:
            continue
        written = build_expression(activation, as_written=True)
        x = variable_symbol(activation.variable)
        context = AnalysisContext(build_expression(activation), x, written=written)
        for dtype in options.dtypes.split(","):
            started = time.perf_counter()
            try:
                kinks, known = float_breakpoints(context) if options.gradient else (frozenset(), {})
                quantity = slope_of(context.expr, written, x, known=known) \
                    if options.gradient else value_of(written, x)
                scan = scan_sixteen_bit(quantity, dtype) if dtype in SIXTEEN_BIT else \
                    search_worst(quantity, dtype)
            except Undecided as exc:
                print(f"{activation.name:<22}{dtype:<10}  no float program: {exc}")
                continue
            seconds.append(time.perf_counter() - started)
            at = f"{scan.worst.x:.6g}" if scan.worst else "-"
            print(f"{activation.name:<22}{dtype:<10}{seconds[-1]:>6.2f}{scan.compared:>10}"
                  f"{scan.max_ulps:>12.4g}{at:>14}{len(scan.collapses):>11}"
                  f"{len(scan.unresolved):>11}"
                  + (_bound(quantity, context, kinks, dtype) if options.bound
                     and dtype not in SIXTEEN_BIT else ""))
    if seconds:
        print(f"median {statistics.median(seconds):.2f} s, slowest {max(seconds):.2f} s, "
              f"{len(seconds)} scans")


def _bound(quantity: Quantity, context: AnalysisContext, kinks: frozenset[float],
           dtype: str) -> str:
    """The proof over every input: seconds, and its bound or where it stopped."""
    started = time.perf_counter()
    try:
        bound = prove_bound(quantity.bound(dtype), dtype,
                            domain_boxes(context.domain.region, dtype), 4.0, skip=kinks)
    except Undecided as exc:
        return f"   bound: not decided ({exc})"
    outcome = f"<= {bound.ulps:.4g} ulps" if bound.proved else bound.reason[:60]
    return f"   bound {time.perf_counter() - started:.2f} s, {bound.boxes} boxes: {outcome}"

if __name__ == "__main__":
    main()
