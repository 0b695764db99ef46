"""Per-activation analysis and cross-check time, decided fraction and cross-check outcomes on
the built-in catalog.

Runs every property in-process (no worker processes, no time limit) so the numbers are the
analysis itself, then the numeric cross-check of each verdict (200 examples, the default).
Usage: python benchmarks/catalog_analysis.py [--no-crosscheck]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter

from verifier.analysis.context import AnalysisContext
from verifier.crosscheck import DEFAULT_EXAMPLES, Subject, crosscheck
from verifier.functions import build_expression, load_catalog
from verifier.model import Verdict
from verifier.properties.registry import PROPERTY_IDS, checker
from verifier.vocabulary import variable_symbol


def main(with_crosscheck: bool) -> None:
    x = variable_symbol()
    analysis: list[tuple[float, str]] = []
    checking: list[tuple[float, str]] = []
    decided = total = 0
    outcomes: Counter[str] = Counter()
    for activation in load_catalog():
        started = time.perf_counter()
        expr = build_expression(activation)
        program = build_expression(activation, as_written=True)
        context = AnalysisContext(expr, x, written=program)
        results = {pid: checker(pid)(context) for pid in PROPERTY_IDS}
        analysis.append((time.perf_counter() - started, activation.name))
        decided += sum(r.verdict is not Verdict.unknown for r in results.values())
        total += len(results)
        if with_crosscheck:
            started = time.perf_counter()
            subject = Subject(expr, x, written=program, epsilon=context.epsilon)
            for pid, result in results.items():
                check = crosscheck(pid, result, subject, examples=DEFAULT_EXAMPLES)
                outcomes[check.status] += 1
                if check.status == "conflict":
                    print(f"CONFLICT {activation.name} {pid}: {check.detail}")
            checking.append((time.perf_counter() - started, activation.name))
    _row("activations", len(analysis))
    _times("analysis", analysis)
    if with_crosscheck:
        _times("cross-check", checking)
        _row("cross-check outcomes", dict(outcomes))
    _row("decided", f"{decided}/{total} ({decided / total:.1%}) of verdicts")


def _times(label: str, timings: list[tuple[float, str]]) -> None:
    seconds = sorted(t for t, _ in timings)
    slowest = max(timings)
    _row(f"{label} total s", f"{sum(seconds):.2f}")
    _row(f"{label} median s", f"{statistics.median(seconds):.3f}")
    _row(f"{label} slowest", f"{slowest[1]} {slowest[0]:.3f} s")


def _row(label: str, value: object) -> None:
    print(f"{label:<26}{value}")


if __name__ == "__main__":
    main(with_crosscheck="--no-crosscheck" not in sys.argv[1:])
