"""Issue 5's float_stable expectations: break regions located to the exact float, witnesses
re-checked, and stable formulas never claimed proved by sampling."""

import math

import numpy as np
import pytest
import sympy as sp

from verifier.analysis.floats import evaluate
from verifier.model import Method, Verdict
from verifier.properties import float_stable
from tests.conftest import X

F64_EXP_LIMIT = math.log(np.finfo(np.float64).max)


def first_break(outcome, dtype: str, formula: str) -> dict:
    return outcome.facts[f"breaks_{dtype}"][formula][0]


def test_naive_softplus_overflows_where_exp_does(context_of):
    outcome = float_stable.check(context_of("log(1 + exp(x))"))
    assert outcome.verdict is Verdict.refuted and outcome.method is Method.numeric
    f32, f64 = first_break(outcome, "float32", "f"), first_break(outcome, "float64", "f")
    assert abs(f32["lo"] - 88.72283935546875) < 1e-5 and f32["hi"] == float(
        np.finfo(np.float32).max)
    assert abs(f64["lo"] - F64_EXP_LIMIT) < 1e-12 * F64_EXP_LIMIT
    assert "logaddexp" in outcome.facts["suggestion"]
    # the break's first float really is inf in float32, and the float just below is not
    lo = np.float32(f32["lo"])
    below = np.nextafter(lo, np.float32(0))
    values, _ = evaluate(sp.log(1 + sp.exp(X)), X, np.array([below, lo]), "float32")
    assert np.isfinite(values[0]) and np.isinf(values[1])


def test_sigmoid_is_fine_but_its_derivative_is_nan_far_left(context_of):
    outcome = float_stable.check(context_of("1/(1 + exp(-x))"))
    assert outcome.verdict is Verdict.refuted
    assert outcome.facts["breaks_float32"]["f"] == [] == outcome.facts["breaks_float64"]["f"]
    f32 = first_break(outcome, "float32", "f'")
    assert abs(f32["hi"] + 88.72283935546875) < 1e-5
    assert abs(first_break(outcome, "float64", "f'")["hi"] + F64_EXP_LIMIT) < 1e-9
    witness = outcome.witness
    assert witness["formula"] == "f'" and witness["naive"] == "nan"
    assert 0 < float(witness["true"]) < 1e-30   # the true derivative is tiny, finite


def test_log_sigmoid_written_out_breaks_f_itself(context_of):
    outcome = float_stable.check(context_of("log(1/(1 + exp(-x)))"))
    assert outcome.verdict is Verdict.refuted
    assert abs(first_break(outcome, "float32", "f")["hi"] + 88.72283935546875) < 1e-5
    assert outcome.witness["naive"] == "-inf" and float(outcome.witness["true"]) < -88
    assert "softplus" in outcome.facts["suggestion"]


@pytest.mark.parametrize("text", [
    "Piecewise((x + log(1 + exp(-x)), x > 0), (log(1 + exp(x)), True))", "x", "exp(x)",
])
def test_no_break_is_unknown_never_proved(context_of, text):
    outcome = float_stable.check(context_of(text))
    assert outcome.verdict is Verdict.unknown and "sampling does not prove" in outcome.reason
    assert all(outcome.facts[f"breaks_{d}"] == {"f": [], "f'": []}
               for d in ("float32", "float64"))


def test_untaken_branch_that_overflows_is_reported(context_of):
    outcome = float_stable.check(context_of(
        "Piecewise((x + log(1 + exp(-x)), x > 0), (log(1 + exp(x)), True))"))
    untaken = outcome.facts["untaken_branch_nonfinite"]
    assert all(x < -88 for x in untaken["float32 f"])
