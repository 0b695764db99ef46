"""The float32/float64 error bound: proved where the rounding errors stay small, refused with
a reason where they do not, and never below the error numpy actually makes (measured here at
sampled inputs against mpmath, independently of the bound's arb arithmetic)."""

import math

import pytest

from verifier.analysis.floats.domain_boxes import domain_boxes
from verifier.analysis.floats.error_bound import prove_bound, value_bound
from verifier.analysis.floats.program import evaluate
from verifier.expr import parse_expression
from verifier.analysis.context import AnalysisContext
from tests.conftest import X
from tests.measured_ulps import spread_inputs, worst_ulps

PROVED = [   # (formula, dtype, bound): first-order rounding bounds, exact where no rounding
    ("Max(x, 0)", "float32", 0.0),
    ("Min(Max(x, -1), 1)", "float64", 0.0),
    ("Max(x, x/100)", "float32", 1.0),
    ("x/(1 + abs(x))", "float32", 4.0),
    ("x/(1 + abs(x))", "float64", 4.0),
    ("Min(Max(0, x + 3), 6)/6", "float32", 1.667),
    ("0.5*x + 0.25", "float64", 2.0),
    ("sqrt(x)", "float32", 1.0),
    ("Piecewise((x, x > 0), (x/10 - x/1000, True))", "float32", 2.5),
]
REFUSED = [   # (formula, dtype, words of the reason)
    ("x - tanh(x)", "float32", "no bound within 4 ulps"),
    ("log(1 + exp(x))", "float32", "no bound within 4 ulps"),
    ("x/(1 + x**2)", "float32", "may overflow"),
    ("x*sigmoid(x)", "float64", "no bound within 4 ulps"),
    ("erf(x)", "float64", "the bound there is 32 ulps"),   # 16 assumed ulps, binade top
    ("x*Phi(x)", "float32", "no bound within 4 ulps"),     # Phi(x) subnormal near -13.1
]


def _bound(text: str, dtype: str):
    written = parse_expression(text, as_written=True, stable_shorthands=True)
    context = AnalysisContext(parse_expression(text), X, written=written)
    return written, prove_bound(value_bound(written, X, dtype), dtype,
                                domain_boxes(context.domain.region, dtype), 4.0)


def _measured(written, dtype: str, count: int = 1500) -> float:
    """The largest error numpy makes at `count` inputs spread over every binade."""
    points = spread_inputs(dtype, count, seed=7)
    return worst_ulps(written, points, evaluate(written, X, points, dtype)[0], dtype)


@pytest.mark.parametrize(("text", "dtype", "expected"), PROVED)
def test_bound_is_proved_and_holds_where_numpy_is_measured(text, dtype, expected):
    written, bound = _bound(text, dtype)
    assert bound.proved and bound.reason == "" and not bound.assumed
    assert bound.ulps == pytest.approx(expected, abs=5e-3)
    assert _measured(written, dtype) <= bound.ulps + 1e-9   # 60 digits: not the last bit


@pytest.mark.parametrize(("text", "dtype", "words"), REFUSED)
def test_no_bound_where_rounding_is_amplified_or_unmodelled(text, dtype, words):
    _, bound = _bound(text, dtype)
    assert not bound.proved and words in bound.reason


def test_a_libm_function_is_an_assumption_and_its_error_counts():
    """tanh alone: within 16 assumed ulps, which is 32 half-ulps of the binade: refused at
    4 allowed, proved at 40 with the assumption stated."""
    written = parse_expression("tanh(x)", as_written=True)
    boxes = domain_boxes(AnalysisContext(written, X).domain.region, "float32")
    refused = prove_bound(value_bound(written, X, "float32"), "float32", boxes, 4.0)
    assert not refused.proved and "the bound there is 32 ulps" in refused.reason
    allowed = prove_bound(value_bound(written, X, "float32"), "float32", boxes, 40.0)
    assert allowed.proved and allowed.assumed and allowed.ulps == pytest.approx(32.0)


def test_the_budget_counts_boxes_not_seconds():
    written = parse_expression("x/(1 + abs(x))", as_written=True)
    boxes = domain_boxes(AnalysisContext(written, X).domain.region, "float64")
    cut = prove_bound(value_bound(written, X, "float64"), "float64", boxes, 4.0, budget=100)
    assert not cut.proved and cut.boxes == 100 and "budget of 100 boxes" in cut.reason
    assert math.isfinite(cut.ulps)


@pytest.mark.parametrize(("text", "dtype", "expected"), [("erf(x)", "float32", 1.0),
                                                      ("Phi(x)", "float32", 2.0)])
def test_erf_and_phi_in_float32_are_float64_functions_rounded(text, dtype, expected):
    """math.erf in float64 (16 assumed float64 ulps), then rounded to float32: about a
    float32 half-ulp, doubled at the binade's top; Phi as erfc(-u/sqrt(2))/2 in float64."""
    written, bound = _bound(text, dtype)
    assert bound.proved and bound.assumed
    assert bound.ulps == pytest.approx(expected, abs=1e-3)
    assert _measured(written, dtype, 600) <= bound.ulps
