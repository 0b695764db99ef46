"""gradient_accurate (issue 19): f' as autodiff computes it, against the exact derivative;
witnesses re-computed here with numpy in the dtype and mpmath, kinks left out."""

import math

import mpmath
import numpy as np
import pytest

from verifier.model import Verdict
from verifier.properties import gradient_accurate

SIXTEEN = {"float16": 2.0, "bfloat16": 2.0}


def _check(context_of, text: str, ulps=None):
    context = context_of(text)
    return gradient_accurate.check(context, **({} if ulps is None else {"ulps": ulps}))


def _entries(outcome) -> dict:
    return {entry["dtype"]: entry for entry in outcome.facts["accuracy"]}


def _ulps(computed: float, exact, bits: int) -> float:
    if not math.isfinite(computed):
        return math.inf
    _, exponent = mpmath.frexp(exact)
    return float(abs(mpmath.mpf(computed) - exact) / mpmath.ldexp(1, int(exponent) - bits))


def test_tanh_gradient_is_zero_in_float16_while_its_value_is_normal(context_of):
    outcome = _check(context_of, "tanh(x)")
    assert outcome.verdict is Verdict.refuted
    float16 = _entries(outcome)["float16"]
    worst = float16["worst"]
    assert float16["verdict"] == "refuted" and worst["computed"] == 0.0 and 4 < worst["x"] < 8
    # here: autodiff's 1 - tanh(x)**2 in float16, against sech(x)**2
    t = np.tanh(np.float16(worst["x"]))
    assert np.float16(1) - t * t == 0
    assert mpmath.sech(worst["x"]) ** 2 > 2.0 ** -14   # a normal float16


def test_the_witness_error_is_remeasured(context_of):
    outcome = _check(context_of, "tanh(x)")
    witness = outcome.witness
    assert witness["dtype"] == "float32"
    x = np.float32(witness["x"])
    computed = float(np.float32(1) - np.tanh(x) * np.tanh(x))
    with mpmath.workdps(60):
        error = _ulps(computed, mpmath.sech(mpmath.mpf(witness["x"])) ** 2, 24)
    assert error > 4 and abs(error - witness["ulps"]) <= 1e-9 * error


def test_relu_kink_is_left_out_and_16_bit_gradients_are_exact(context_of):
    outcome = _check(context_of, "relu(x)", SIXTEEN)
    assert outcome.verdict is Verdict.proved
    assert all(e["max_ulps"] == 0 and e["unresolved_inputs"] == 0
               for e in outcome.facts["accuracy"])
    assert outcome.evidence[-1] == "not compared (f has no derivative there): x = 0"


def test_a_sign_is_differentiated_without_its_delta(context_of):
    # sympy's f' has DiracDelta(x) terms: 0 away from the kink at 0, which is left out
    outcome = _check(context_of, "sign(x)*sqrt(abs(x))", SIXTEEN)
    assert outcome.verdict is Verdict.proved
    assert all(e["compared"] > 60000 for e in outcome.facts["accuracy"])


def test_gelu_tanh_gradient_is_nan_in_float16_where_3x_squared_overflows(context_of):
    outcome = _check(context_of, "0.5*x*(1 + tanh(0.7978845608*(x + 0.044715*x**3)))",
                     {"float16": 2.0})
    (float16,) = outcome.facts["accuracy"]
    assert float16["worst"]["computed"] == "nan" and outcome.facts["collapse"] == "found"
    first = float16["collapses"][-1]   # the last run: the far right, up to the largest float16
    assert 147 < first["lo"] < 149 and first["hi"] == 65504.0
    with np.errstate(over="ignore"):
        assert np.isinf(np.float16(3) * np.float16(148) ** 2)


def test_expm1_backward_from_its_result_loses_the_digits(context_of):
    # PyTorch differentiates expm1 as grad * (result + 1): in float16 expm1(x) + 1 cancels
    outcome = _check(context_of, "where(x > 0, x, expm1(x))", {"float16": 2.0})
    (float16,) = outcome.facts["accuracy"]
    x = np.float16(float16["worst"]["x"])
    assert outcome.verdict is Verdict.refuted and np.expm1(x) + np.float16(1) == 0
    assert mpmath.exp(float16["worst"]["x"]) > 2.0 ** -14


def test_a_staircase_has_no_gradient_to_round(context_of):
    outcome = _check(context_of, "floor(x)")
    assert outcome.verdict is Verdict.unknown and "floor/ceiling" in outcome.reason


@pytest.mark.parametrize("text", ["x*sigmoid(x)", "softplus(x)"])
def test_smooth_gradients_have_a_worst_input_certified(context_of, text):
    outcome = _check(context_of, text, {"float32": 4.0})
    (float32,) = outcome.facts["accuracy"]
    worst = float32["worst"]
    assert worst is not None and worst["ulps_low"] <= worst["ulps_high"]
