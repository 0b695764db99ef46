"""What float_accurate and gradient_accurate take as given: the error of each elementary
function of the float program (numpy's ufuncs; erf, erfc and Phi through float64 math; the
stable shorthands as the frameworks compute them), measured once on this machine against arb.

float16 and bfloat16: every input (exhaustive, certified maxima). float32: 65,536 inputs, one
every 65,536 bit patterns, so every binade is met (a sample: its maximum is a lower bound).
Prints one row per function: the maximal error in ulps of the exact value's binade where the
exact value is a normal float of the dtype, the input where it is reached, and the seconds.

Usage: python benchmarks/numpy_ulps.py [--only exp,tanh,...]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sympy as sp

from verifier.analysis.floats.accuracy import (SIXTEEN_BIT, scan_inputs, scan_sixteen_bit,
                                                value_of)
from verifier.analysis.floats.domain_boxes import domain_boxes, inside_boxes
from verifier.analysis.domain import compute_domain
from verifier.expr import parse_expression
from verifier.seeded import fix_hashing
from verifier.vocabulary import variable_symbol

# tan is left out: its domain (R without the odd multiples of pi/2) has no float boxes
FUNCTIONS = ("exp", "expm1", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sinh",
             "cosh", "atan", "asinh", "erf", "erfc", "Phi", "sigmoid", "softplus")


def float32_sample() -> np.ndarray:
    bits = np.arange(0, 2 ** 32, 2 ** 16, dtype=np.uint64).astype(np.uint32)
    with np.errstate(invalid="ignore"):   # the NaN patterns, dropped
        sample = bits.view(np.float32)
        return sample[np.isfinite(sample)]


def main() -> None:
    fix_hashing()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated function names")
    options = parser.parse_args()
    chosen = options.only.split(",") if options.only else FUNCTIONS
    x = variable_symbol()
    print(f"numpy {np.__version__}")
    print(f"{'function':<10}" + "".join(f"{d:>26}" for d in (*SIXTEEN_BIT, "float32 (sample)")))
    for name in chosen:
        written = parse_expression(f"{name}(x)", as_written=True)
        expr = parse_expression(f"{name}(x)")
        region = compute_domain(expr, x).region
        quantity = value_of(written, x)
        cells = []
        for dtype in (*SIXTEEN_BIT, "float32"):
            started = time.perf_counter()
            inside = inside_boxes(domain_boxes(region, dtype))
            if dtype in SIXTEEN_BIT:
                scan = scan_sixteen_bit(quantity, dtype, inside=inside)
            else:
                sample = float32_sample()
                scan = scan_inputs(quantity, dtype, sample[inside(sample.astype(np.float64))])
            seconds = time.perf_counter() - started
            at = f"{scan.worst.x:.4g}" if scan.worst else "-"
            cells.append(f"{scan.max_ulps:>9.4g} at {at:<10} {seconds:4.1f}s")
        print(f"{name:<10}" + "".join(f"{c:>26}" for c in cells))


if __name__ == "__main__":
    main()
