"""Per-activation analysis time and decided fraction on the built-in catalog.

Runs every property in-process (no worker processes, no time limit) so the numbers
are the analysis itself. Usage: python benchmarks/catalog_analysis.py
"""

from __future__ import annotations

import statistics
import time

from verifier.analysis.context import AnalysisContext
from verifier.functions import build_expression, load_catalog
from verifier.model import Verdict
from verifier.properties.registry import PROPERTY_IDS, checker
from verifier.vocabulary import variable_symbol


def main() -> None:
    x = variable_symbol()
    timings: list[tuple[float, str]] = []
    decided = total = 0
    for activation in load_catalog():
        started = time.perf_counter()
        context = AnalysisContext(build_expression(activation), x)
        for property_id in PROPERTY_IDS:
            outcome = checker(property_id)(context)
            total += 1
            decided += outcome.verdict is not Verdict.unknown
        timings.append((time.perf_counter() - started, activation.name))
    seconds = sorted(t for t, _ in timings)
    slowest = max(timings)
    print(f"{'activations':<22}{len(timings)}")
    print(f"{'total seconds':<22}{sum(seconds):.2f}")
    print(f"{'median seconds':<22}{statistics.median(seconds):.3f}")
    print(f"{'slowest':<22}{slowest[1]} {slowest[0]:.3f} s")
    print(f"{'decided':<22}{decided}/{total} ({decided / total:.1%}) of verdicts")


if __name__ == "__main__":
    main()
