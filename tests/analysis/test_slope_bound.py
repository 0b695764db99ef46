"""The float32/float64 bound on f' as autodiff computes it: proved where the backward formulas
round little, refused with a reason where they cancel or a branch point decides, and never
below the error the autodiff program actually makes (measured here at sampled inputs: numpy's
dual numbers against mpmath's derivative of the formula at 60 digits, independently of the
bound's arb arithmetic)."""

import math

import pytest
import sympy as sp

from verifier.analysis.context import AnalysisContext
from verifier.analysis.floats.accuracy import slope_of
from verifier.analysis.floats.autodiff import autodiff_slope
from verifier.analysis.floats.domain_boxes import domain_boxes
from verifier.analysis.floats.error_bound import prove_bound
from verifier.expr import parse_expression
from verifier.properties import gradient_accurate
from verifier.model import Verdict
from tests.conftest import X
from tests.measured_ulps import spread_inputs, worst_ulps

PROVED = [   # (formula, dtype, bound, floats measured): first-order bounds of the backward pass
    ("Max(x, 0)", "float32", 0.0, 0),
    ("Max(x, x/100)", "float64", 0.5, 0),
    ("x**2", "float32", 0.0, 0),              # 2*x: exact, x**1 a copy (x**2 may overflow)
    ("x*abs(x)", "float32", 1.0, 0),          # sign(x)*x + abs(x): the sum rounds
    ("sqrt(x)", "float64", 3.0, 0),
    ("Min(Max(x, -1), 1)", "float64", 0.0, 2),   # hard tanh: its corners measured
    ("Piecewise((x**2, x < 1), (2*x - 1, True))", "float32", 0.0, 1),   # a smooth join
]
REFUSED = [   # (formula, dtype, words of the reason)
    ("tanh(x)", "float32", "no bound within 4 ulps"),   # 1 - t*t is 0 where t rounds to -1
    ("x/(1 + x**2)", "float64", "may overflow"),        # x*x inside the quotient rule
    ("x**(1/3)", "float32", "exponent"),                # 1/3 is no float
]


def _bound(text: str, dtype: str):
    written = parse_expression(text, as_written=True)
    context = AnalysisContext(parse_expression(text), X, written=written)
    kinks, known = gradient_accurate.float_breakpoints(context)
    quantity = slope_of(context.expr, written, X, known=known, inside_domain=True)
    return written, prove_bound(quantity.bound(dtype), dtype,
                                domain_boxes(context.domain.region, dtype), 4.0, skip=kinks)


def _measured(written, dtype: str) -> float:
    """The largest error autodiff makes at 1,200 inputs spread over every binade, against
    sympy's derivative of the formula."""
    points = spread_inputs(dtype, 1200, seed=11)
    return worst_ulps(sp.diff(written, X), points, autodiff_slope(written, X, points, dtype),
                      dtype)


@pytest.mark.parametrize(("text", "dtype", "expected", "measured"), PROVED)
def test_gradient_bound_is_proved_and_holds_where_autodiff_is_measured(text, dtype, expected,
                                                                       measured):
    written, bound = _bound(text, dtype)
    assert bound.proved and bound.reason == "" and len(bound.measured) == measured
    assert bound.ulps == pytest.approx(expected, abs=5e-3)
    assert _measured(written, dtype) <= bound.ulps + 1e-9


@pytest.mark.parametrize(("text", "dtype", "words"), REFUSED)
def test_no_gradient_bound_where_the_backward_pass_cancels_or_is_unmodelled(text, dtype,
                                                                           words):
    _, bound = _bound(text, dtype)
    assert not bound.proved and words in bound.reason


def test_a_branch_point_is_measured_and_its_error_refutes(context_of):
    """where(x == 0, 2*x, x) is x everywhere (f'(0) = 1), but autodiff takes 2*x's
    derivative at 0: the proof cannot decide the branch point, leaves it to be measured,
    and the measurement (2 against 1) refutes in float32 and float64 alike."""
    text = "Piecewise((2*x, Eq(x, 0)), (x, True))"
    _, bound = _bound(text, "float32")
    assert bound.proved and bound.measured == (0.0,)
    outcome = gradient_accurate.check(context_of(text), ulps={"float32": 4.0, "float64": 4.0})
    assert outcome.verdict is Verdict.refuted
    for entry in outcome.facts["accuracy"]:
        assert entry["verdict"] == "refuted" and entry["worst"]["x"] == 0.0
        assert entry["worst"]["computed"] == 2.0 and entry["worst"]["exact"] == "1.000000000"


def test_relu_gradient_is_proved_in_every_dtype(context_of):
    outcome = gradient_accurate.check(context_of("relu(x)"))
    assert outcome.verdict is Verdict.proved
    entries = {entry["dtype"]: entry for entry in outcome.facts["accuracy"]}
    assert entries["float32"]["bound_ulps"] == 0.0 and entries["float64"]["bound_ulps"] == 0.0
    assert all(math.isfinite(entry["max_ulps"]) for entry in entries.values())


@pytest.mark.parametrize(("text", "assumed"), [
    ("x**2", False), ("x**3", True), ("atan(x)", False), ("exp(x)/4", True),
    ("Piecewise((x, exp(x) > 2), (2*x, True))", True), ("Max(x, exp(x - 9))", True),
    ("x + Heaviside(exp(x) - 2)", True)])
def test_the_libm_assumption_is_stated_where_the_derivative_rests_on_it(text, assumed):
    """x**2's pow is never read by its derivative 2*x (x**1 a copy), atan's backward is
    1/(1 + x*x); x**3's is 3*x**2 (a pow) and exp's its own result. A branch taken by a
    computed exp rests on its assumed accuracy even where both derivatives are exact."""
    written = parse_expression(text, as_written=True)
    quantity = slope_of(parse_expression(text), written, X, inside_domain=True)
    ulps, used = quantity.bound("float32")(1.0, 2.0)   # the box [1, 2] of float32 inputs
    assert math.isfinite(ulps) and used is assumed
