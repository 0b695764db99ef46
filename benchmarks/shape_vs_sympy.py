"""actverify's monotonic/bounded/lipschitz/injective against plain sympy calls, same time limit.

sympy side, per activation (each call in its own killable process):
  monotonic  sympy.is_monotonic(f, Reals)
  bounded    sympy.calculus.util.function_range(f, x, Reals), bounded iff both ends finite
  lipschitz  sympy.calculus.util.maximum(Abs(f'), x, Reals)
  injective  is_strictly_increasing or is_strictly_decreasing (True), else undecided
A sympy answer is "wrong" when it contradicts actverify's decided verdict (whose values are
pinned by tests/properties/test_shape_catalog.py); where actverify is unknown it is not judged.
Usage: python benchmarks/shape_vs_sympy.py [--timeout S]   (prints one table)
"""

from __future__ import annotations

import argparse
import multiprocessing
import time

import sympy as sp

from verifier.engine import check_activations
from verifier.functions import build_expression, load_catalog
from verifier.vocabulary import variable_symbol

PROPERTIES = ("monotonic", "bounded", "lipschitz", "injective")


def _sympy_answer(property_id: str, expr: sp.Expr, x: sp.Symbol, queue) -> None:
    from sympy.calculus.util import function_range, maximum

    try:
        if property_id == "monotonic":
            answer = sp.is_monotonic(expr, sp.S.Reals)
        elif property_id == "bounded":
            found = function_range(expr, x, sp.S.Reals)
            answer = bool(found.inf.is_finite and found.sup.is_finite)
        elif property_id == "lipschitz":
            answer = bool(maximum(sp.Abs(sp.diff(expr, x)), x, sp.S.Reals).is_finite)
        else:
            strict = sp.is_strictly_increasing(expr, sp.S.Reals) or sp.is_strictly_decreasing(
                expr, sp.S.Reals)
            answer = True if strict else None
        queue.put(None if answer is None else bool(answer))
    except Exception:  # noqa: BLE001 - sympy raising means "not decided"
        queue.put(None)


def sympy_side(property_id: str, expr: sp.Expr, x: sp.Symbol, timeout: float):
    queue = multiprocessing.get_context("fork").Queue()
    worker = multiprocessing.get_context("fork").Process(
        target=_sympy_answer, args=(property_id, expr, x, queue), daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        worker.kill()
        worker.join()
        return None
    return queue.get() if not queue.empty() else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=10.0)
    timeout = parser.parse_args().timeout
    catalog = load_catalog()
    x = variable_symbol()
    started = time.perf_counter()
    ours = check_activations(catalog, properties=PROPERTIES, timeout=timeout)
    our_seconds = time.perf_counter() - started
    rows = {p: {"ours": 0, "sympy": 0, "sympy_wrong": 0} for p in PROPERTIES}
    sympy_seconds = 0.0
    for activation in catalog:
        expr = build_expression(activation)
        for property_id in PROPERTIES:
            verdict = ours[activation.name][property_id].verdict.value
            decided = verdict != "unknown"
            rows[property_id]["ours"] += decided
            t = time.perf_counter()
            answer = sympy_side(property_id, expr, x, timeout)
            sympy_seconds += time.perf_counter() - t
            if answer is None:
                continue
            rows[property_id]["sympy"] += 1
            if decided and answer != (verdict == "proved"):
                rows[property_id]["sympy_wrong"] += 1
    print(f"{len(catalog)} activations, time limit {timeout:g} s per property")
    print(f"{'property':<12}{'actverify decided':>18}{'sympy decided':>15}{'sympy wrong':>13}")
    for property_id, row in rows.items():
        print(f"{property_id:<12}{row['ours']:>18}{row['sympy']:>15}{row['sympy_wrong']:>13}")
    print(f"{'seconds':<12}{our_seconds:>18.1f}{sympy_seconds:>15.1f}")
    print("(actverify wrong: 0 by construction of the reference; its values are pinned by tests)")


if __name__ == "__main__":
    main()
