"""Issue 5's float_stable expectations: break regions located to the exact float, witnesses
re-checked, and stable formulas never claimed proved by sampling."""

import math

import numpy as np
import pytest
import sympy as sp

from verifier.analysis.floats.program import evaluate
from verifier.model import Method, Verdict
from verifier.properties import float_stable
from verifier.functions import build_expression
from tests.conftest import CATALOG, CATALOG_NAMES, X, catalog_runner


F64_EXP_LIMIT = math.log(np.finfo(np.float64).max)


def first_break(outcome, dtype: str, formula: str) -> dict:
    return outcome.facts[f"breaks_{dtype}"][formula][0]


def test_naive_softplus_overflows_where_exp_does(context_of):
    outcome = float_stable.check(context_of("log(1 + exp(x))"))
    assert outcome.verdict is Verdict.refuted and outcome.method is Method.numeric
    f32, f64 = first_break(outcome, "float32", "f"), first_break(outcome, "float64", "f")
    # the break ends where the value itself, log(1 + exp(x)) > x, passes half the largest float
    half_max = np.float32(np.finfo(np.float32).max / 2)
    assert abs(f32["lo"] - 88.72283935546875) < 1e-5
    assert f32["hi"] == float(np.nextafter(half_max, np.float32(0)))
    assert abs(f64["lo"] - F64_EXP_LIMIT) < 1e-12 * F64_EXP_LIMIT
    assert outcome.facts["suggestion"] == "write softplus(x) for log(exp(x) + 1)"
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
    "softplus(x)", "Piecewise((x + log(1 + exp(-x)), x > 0), (log(1 + exp(x)), True))",
    "x", "exp(x)", "sigmoid(x)", "x*sigmoid(x)", "x*Phi(x)", "x*tanh(softplus(x))", "log(x)",
    "sqrt(x)", "1/x", "x**2",
])
def test_stable_formulas_are_proved_over_every_float(context_of, text):
    outcome = float_stable.check(context_of(text))
    assert outcome.verdict is Verdict.proved and outcome.method is Method.interval
    assert all(outcome.facts[f"breaks_{d}"] == {"f": [], "f'": []}
               for d in ("float32", "float64"))
    assert sum("certified boxes" in line for line in outcome.evidence) == 4
    assert any(line.startswith("assumed: numpy's transcendental") for line in outcome.evidence)


def test_shorthands_are_the_frameworks_but_what_is_spelled_out_is_checked_as_spelled(
        context_of):
    assert float_stable.check(context_of("-softplus(-x)")).verdict is Verdict.proved
    # log of the stable sigmoid still underflows: sigmoid(-104) is 0 in float32
    composed = float_stable.check(context_of("log(sigmoid(x))"))
    assert composed.verdict is Verdict.refuted and composed.witness["naive"] == "-inf"
    assert "-softplus(-x)" in composed.facts["suggestion"]
    spelled = float_stable.check(context_of("log(1/(1 + exp(-x)))"))
    assert spelled.verdict is Verdict.refuted


def test_untaken_branch_that_overflows_is_reported(context_of):
    outcome = float_stable.check(context_of(
        "Piecewise((x + log(1 + exp(-x)), x > 0), (log(1 + exp(x)), True))"))
    untaken = outcome.facts["untaken_branch_nonfinite"]
    assert all(x < -88 for x in untaken["float32 f"])


def test_overflow_in_the_top_binade_is_the_numbers_not_the_formulas(context_of):
    """3*x**2 (f' of x**3) overflows in float64 just below |x| = 7.74e153, where its value
    is within an ulp of the largest float; above max/2 no formula is blamed."""
    assert float_stable.check(context_of("x**3")).verdict is Verdict.proved


# catalog activations whose formula as written breaks: (dtype, formula) of the witness
CATALOG_BREAKS = {
    "selu": ("float32", "f'"), "celu": ("float32", "f'"), "gelu_tanh": ("float32", "f'"),
    "squareplus": ("float32", "f"), "bent_identity": ("float32", "f"),
    "isru": ("float32", "f'"), "isrlu": ("float32", "f'"), "gaussian": ("float32", "f'"),
    "softclip": ("float32", "f"), "sinc": ("float32", "f'"), "serf": ("float32", "f'"),
    "tanhexp": ("float32", "f'"),
    # as written, x * min(...) overflows before the division by 6 (above 5.67e37 in float32)
    "hard_swish": ("float32", "f"),
    "log_sigmoid_naive": ("float32", "f"),   # exp(-x) overflows: log(1/inf) = -inf
}


@pytest.fixture(scope="module")
def catalog():
    return catalog_runner(("float_stable",))


@pytest.mark.parametrize("name", CATALOG_NAMES)
def test_catalog_float_stability_is_decided(catalog, name):
    outcome = catalog(name)["float_stable"]
    if name not in CATALOG_BREAKS:
        assert outcome.verdict is Verdict.proved, outcome.reason
        return
    assert outcome.verdict is Verdict.refuted
    witness = outcome.witness
    assert (witness["dtype"], witness["formula"]) == CATALOG_BREAKS[name]
    # re-checked here: the naive value really is not finite, the true value really is
    activation = CATALOG[name]
    program = build_expression(activation, as_written=True)
    if witness["formula"] == "f'":
        program = sp.diff(program, X)
    naive, _ = evaluate(program, X, np.array([witness["x"]]), witness["dtype"])
    assert not np.isfinite(naive[0]) and str(naive[0]) == witness["naive"]
    # the true value, by sympy's own evaluation at the exact float input (not the re-check's)
    true = sp.N(program.subs(X, sp.Rational(witness["x"])), 30)
    assert true.is_real and true.is_finite, true
    assert abs(float(true)) <= np.finfo(witness["dtype"]).max / 2


SUGGESTED = [   # an unstable formula, the rewrite float_stable suggests
    ("log(1 + exp(x))", "softplus(x)"),
    ("log(sigmoid(x))", "-softplus(-x)"),
    ("log(1/(1 + exp(-x)))", "-softplus(-x)"),
    ("x*log(1 + exp(2*x))", "softplus(2*x)"),
]


@pytest.mark.parametrize("text, rewrite", SUGGESTED)
def test_every_suggested_rewrite_parses_and_is_the_same_function(context_of, text, rewrite):
    """The suggestion names the parser's own vocabulary, and the rewrite it proposes equals
    the sub-term it replaces (at sample points, to 25 digits)."""
    from verifier.expr import parse_expression

    outcome = float_stable.check(context_of(text))
    assert outcome.verdict is Verdict.refuted
    suggestion = outcome.facts["suggestion"]
    assert suggestion.startswith(f"write {rewrite} for ")
    replaced = parse_expression(suggestion.removeprefix(f"write {rewrite} for "))
    new = parse_expression(rewrite)
    for point in (sp.Integer(-3), sp.Rational(1, 2), sp.Integer(5)):
        assert abs(sp.N(new.subs(X, point) - replaced.subs(X, point), 30)) < 1e-25


def test_no_suggestion_without_a_known_pattern(context_of):
    assert "suggestion" not in float_stable.check(context_of("exp(x)*exp(-x)")).facts
