"""The issue's named cases for continuity, derivatives and smoothness, beyond the catalog."""

import pytest
import sympy as sp

from verifier.model import Verdict
from verifier.properties import continuous, differentiable, finite_gradient, identity_near_origin
from tests.conftest import S
from tests.written_eval import evaluate_text


def exact(point_json):
    return None if point_json is None else S(point_json["exact"])


def derivatives_at(outcome):
    return {exact(d["x"]): (exact(d["left"]), exact(d["right"]))
            for d in outcome.facts["one_sided_derivatives"]}


@pytest.mark.parametrize("text, point, left, right", [
    ("relu(x)", 0, 0, 1),
    ("x*min(max(0, x + 3), 6)/6", -3, 0, sp.Rational(-1, 2)),
    ("x*min(max(0, x + 3), 6)/6", 3, sp.Rational(3, 2), 1),
    ("sign(x)*sqrt(abs(x))", 0, sp.oo, sp.oo),
    ("sqrt(x)", 0, None, sp.oo),
    ("Heaviside(x)", 0, sp.oo, sp.oo),
    ("floor(x)", 0, sp.oo, 0),
    ("ceiling(x)", 0, 0, sp.oo),
])
def test_one_sided_derivatives(context_of, text, point, left, right):
    outcome = differentiable.check(context_of(text))
    assert outcome.verdict is Verdict.refuted
    assert derivatives_at(outcome)[point] == (left, right)


@pytest.mark.parametrize("text, order", [
    ("Piecewise((x, x > 0), (exp(x) - 1, True))", 1),
    ("Piecewise((x, x > 0), (2*(exp(x) - 1), True))", 0),
    ("Piecewise((x**2, x < 1), (2*x - 1, True))", 1),
    ("Piecewise((0, x < 0), (x**3, True))", 2),
    ("x*abs(x)", 1),
    ("x**2*abs(x)", 2),
    ("(x**2 + 2*x + 1)**(4/3)", 2),
    ("x**(3/2)", 1),
    ("Piecewise((1, x == 0), (sin(x)/x, True))", "inf"),
    ("Piecewise((x, x >= 0))", "inf"),
    ("tanh(x)", "inf"),
    ("1/x", "inf"),
    ("Heaviside(x)", -1),
    ("floor(x)", -1),
    ("sqrt(x)", 0),
])
def test_smoothness_order(context_of, text, order):
    outcome = differentiable.check(context_of(text))
    assert outcome.facts["smoothness"] == order
    assert outcome.verdict is (Verdict.refuted if order in (-1, 0) else Verdict.proved)


@pytest.mark.parametrize("text, jumps", [
    ("Heaviside(x)", [0]),
    ("Piecewise((x, x > 1/2), (0, True))", [sp.Rational(1, 2)]),
    ("Piecewise((x, (x > 1/2) | (x < -1/2)), (0, True))", [sp.Rational(-1, 2), sp.Rational(1, 2)]),
    ("Piecewise((x, x < 1), (x + 1, True))", [1]),
])
def test_discontinuities_and_witness(context_of, text, jumps):
    outcome = continuous.check(context_of(text))
    assert outcome.verdict is Verdict.refuted
    assert [exact(p) for p in outcome.facts["discontinuities"]] == jumps
    witness = outcome.witness
    left, right = exact(witness["left_limit"]), exact(witness["right_limit"])
    assert left != right or left != exact(witness["value"])
    at = exact(witness["x"])   # f beside the jump, evaluated here (tests/written_eval.py)
    assert at == jumps[0]
    beside = [evaluate_text(text, at + side * sp.Rational(1, 10**30), digits=60)
              for side in (-1, 1)]
    assert abs(beside[0] - float(left)) < 1e-20 and abs(beside[1] - float(right)) < 1e-20


def test_floor_discontinuities_are_a_family(context_of):
    outcome = continuous.check(context_of("floor(x)"))
    assert outcome.facts["discontinuities"] == {"text": "Integers"}
    assert outcome.witness["recheck"] == {"f(x-1e-30)": "-1.0000000000000000000", "f(x)": "0",
                                          "f(x+1e-30)": "0"}


def test_continuous_proved_where_limits_match(context_of):
    for text in ("relu(x)", "Piecewise((sin(x)/x, x != 0), (1, True))", "sqrt(x)", "1/x",
                 "Piecewise((x*sin(1/x), x != 0), (0, True))"):
        assert continuous.check(context_of(text)).verdict is Verdict.proved, text


def test_x_sin_inverse_x_derivative_stays_unknown_with_reason(context_of):
    outcome = differentiable.check(context_of("Piecewise((x*sin(1/x), x != 0), (0, True))"))
    assert outcome.verdict is Verdict.unknown
    assert "not decided" in outcome.reason


@pytest.mark.parametrize("text, singular", [
    ("sqrt(x)", [0]), ("sign(x)*sqrt(abs(x))", [0]), ("x**(1/3)", [0]),
    ("relu(x)", []), ("tanh(x)", []), ("x*sigmoid(x)", []), ("log(x)", []), ("1/x", []),
])
def test_finite_gradient(context_of, text, singular):
    outcome = finite_gradient.check(context_of(text))
    assert outcome.verdict is (Verdict.refuted if singular else Verdict.proved)
    assert [exact(p) for p in outcome.facts["gradient_singularities"]] == singular


def test_derivatives_are_decided_where_the_smoothness_order_is_not(context_of):
    # f' -> 0 from both sides at 0 (f = o(x**2)), but f'' oscillates without a limit there
    text = "where(x > 0, x**3*sin(1/x), 0)"
    gradient = finite_gradient.check(context_of(text))
    assert gradient.verdict is Verdict.proved and gradient.facts["gradient_singularities"] == []
    assert "x = 0: one-sided derivatives 0 and 0" in gradient.evidence
    outcome = differentiable.check(context_of(text))
    assert outcome.verdict is Verdict.proved and outcome.facts["smoothness"] is None
    assert derivatives_at(outcome) == {0: (0, 0)}
    assert "x = 0: left derivative 0, right derivative 0, order not decided there" in \
        outcome.evidence
    assert any(line.startswith("smoothness order not decided: limit of 6*x*sin(1/x)")
               for line in outcome.evidence)


def test_finite_gradient_witness_slope_blows_up_at_50_digits(context_of):
    text = "sign(x)*sqrt(abs(x))"
    outcome = finite_gradient.check(context_of(text))
    at = exact(outcome.witness["x"])
    step = sp.Rational(1, 10**20)   # the difference quotient there, evaluated here: ~ 1e10
    assert at == 0 and (evaluate_text(text, at + step) - evaluate_text(text, at)) / 1e-20 > 1e9


@pytest.mark.parametrize("text, holds, df0", [
    ("tanh(x)", True, "1"), ("Piecewise((x, x > 0), (exp(x) - 1, True))", True, "1"),
    ("x/(1 + abs(x))", True, "1"), ("atan(x)", True, "1"), ("(sqrt(x**2 + 1) - 1)/2 + x", True, "1"),
    ("relu(x)", False, None), ("sigmoid(x)", False, "1/4"), ("x*sigmoid(x)", False, "1/2"),
    ("x*Phi(x)", False, "1/2"),
])
def test_identity_near_origin(context_of, text, holds, df0):
    outcome = identity_near_origin.check(context_of(text))
    assert outcome.verdict is (Verdict.proved if holds else Verdict.refuted)
    assert exact(outcome.facts["df0"]) == (None if df0 is None else S(df0))
