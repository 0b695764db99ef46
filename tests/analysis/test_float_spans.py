"""Float spans enclose what numpy computes; the box search proves finiteness or finds a break.

The enclosure test is the proof machinery's own cross-check: hypothesis draws boxes and inputs
inside them, numpy evaluates the formula in the dtype, and every value must lie in the span
(or be NaN only where the span allows NaN).
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.analysis.floats.proof import Break, FiniteProof, prove_finite
from verifier.analysis.floats.spans import span_of
from verifier.analysis.floats.program import evaluate
from verifier.expr import parse_expression
from tests.conftest import X

FORMULAS = [
    "log(1 + exp(x))", "exp(-x)/(1 + exp(-x))**2", "x*sigmoid(x)", "softplus(x) - x",
    "x*tanh(softplus(x))", "sqrt(x**2 + 4) + x", "x/(1 + abs(x))", "sin(x)/x",
    "Piecewise((x + log(1 + exp(-x)), x > 0), (log(1 + exp(x)), True))", "x*Phi(x)",
    "erfc(x)*cosh(x)", "1/(1 + x**2)**3", "log(x)", "x**3 - 3*x", "Max(0, x) + Min(0, exp(x) - 1)",
    "Heaviside(x)*exp(x)", "atan(x)*asinh(x) + sinh(x)", "floor(x) + ceiling(x/2)",
]
PROGRAMS = [parse_expression(text, stable_shorthands=True) for text in FORMULAS]


def _box(dtype: str):
    width = 32 if dtype == "float32" else 64
    finite = st.floats(allow_nan=False, allow_infinity=False, width=width)
    return st.tuples(finite, finite).map(lambda ends: sorted(v + 0.0 for v in ends))


@st.composite
def _case(draw):
    dtype = draw(st.sampled_from(["float32", "float64"]))
    lo, hi = draw(_box(dtype))
    width = 32 if dtype == "float32" else 64
    inside = st.floats(min_value=lo, max_value=hi, width=width)
    points = draw(st.lists(inside, min_size=1, max_size=6)) + [lo, hi]
    return dtype, lo, hi, points


@settings(max_examples=60, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=_case())
@pytest.mark.parametrize("index", range(len(FORMULAS)), ids=FORMULAS)
def test_every_computed_value_lies_in_the_span(index, case):
    dtype, lo, hi, points = case
    program = PROGRAMS[index]
    span = span_of(program, X, lo, hi, dtype)
    values, _ = evaluate(program, X, np.array(points), dtype)
    for point, value in zip(points, values):
        if math.isnan(value):
            assert span.nan, (point, span)
        else:
            assert span.lo <= value <= span.hi, (point, float(value), span)


def test_naive_softplus_spans_overflow_only_past_the_exp_limit():
    program = parse_expression("log(1 + exp(x))")
    assert span_of(program, X, 1.0, 88.0, "float32").finite()
    assert span_of(program, X, 89.0, 100.0, "float32").hi == math.inf
    assert span_of(program, X, 89.0, 100.0, "float64").finite()


def test_the_stable_sigmoid_derivative_is_finite_where_the_textbook_one_is_nan():
    stable = parse_expression("sigmoid(x)*(1 - sigmoid(x))", stable_shorthands=True)
    textbook = parse_expression("exp(-x)/(1 + exp(-x))**2")
    assert span_of(stable, X, -1e30, -100.0, "float32").finite()
    assert span_of(textbook, X, -1e30, -100.0, "float32").nan


def test_a_break_between_the_binade_samples_is_found_by_the_box_search():
    """exp(x - 10)*exp(10 - x) is 1, but in float32 exp(x - 10) is inf from x = 98.72."""
    program = parse_expression("exp(x - 10)*exp(10 - x)")
    outcome = prove_finite(program, program, X, 97.0, 127.0, "float32")
    assert isinstance(outcome, Break) and 98.72 < outcome.x < 127.0
    values, _ = evaluate(program, X, np.array([outcome.x]), "float32")
    assert not np.isfinite(values[0])


def test_overflow_of_a_value_beyond_the_range_is_not_a_break():
    program = parse_expression("exp(x)")
    outcome = prove_finite(program, program, X, -1e4, 1e4, "float32")
    assert isinstance(outcome, FiniteProof) and outcome.boxes > 1
