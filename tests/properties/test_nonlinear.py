"""nonlinear: refuted only for exactly affine f; proved by certified non-collinear points."""

import re

import pytest
from flint import arb

from verifier.analysis.context import AnalysisContext
from verifier.functions import build_expression, load_catalog
from verifier.model import Method, Verdict
from verifier.properties import nonlinear
from tests.conftest import S, X
from tests.written_eval import evaluate_text


@pytest.mark.parametrize("text, slope, intercept", [
    ("x", "1", "0"),
    ("2*x + 1", "2", "1"),
    ("Piecewise((2*x + 1, x < 0), (2*x + 1, True))", "2", "1"),
    ("Max(x, x)", "1", "0"),
    ("(x**2 - 1)/(x - 1)", "1", "1"),
    ("log(exp(3*x))", "3", "0"),
    ("Piecewise((x, x < 0), (x, x > 0), (0, True))", "1", "0"),
])
def test_affine_is_refuted(context_of, text, slope, intercept):
    outcome = nonlinear.check(context_of(text))
    assert outcome.verdict is Verdict.refuted and outcome.method is Method.symbolic
    assert S(outcome.witness["slope"]) == S(slope)
    assert S(outcome.witness["intercept"]) == S(intercept)
    assert outcome.facts["piecewise_linear"] is True
    # the claimed line, checked here at points of our own (tests/written_eval.py)
    line = [(t, float(S(slope)) * t + float(S(intercept))) for t in (-2.5, -0.75, 0.5, 3.25)]
    assert all(abs(evaluate_text(text, t) - on_line) < 1e-40 for t, on_line in line)


@pytest.mark.parametrize("text", [
    "relu(x)", "where(x >= 0, x, 0.01*x)", "max(-1, min(1, x))", "abs(x)", "floor(x)",
    "Heaviside(x)", "Piecewise((2*x + 1, x < 0), (2*x + 2, True))",
    "Piecewise((x, x < 0), (x, x > 0), (1, True))",
])
def test_piecewise_linear_is_proved_nonlinear(context_of, text):
    outcome = nonlinear.check(context_of(text))
    assert outcome.verdict is Verdict.proved
    assert outcome.facts["piecewise_linear"] is True


def test_proof_evidence_is_a_certified_ball(context_of):
    outcome = nonlinear.check(context_of("tanh(x)"))
    assert outcome.method is Method.interval
    last = outcome.evidence[-1]
    mid, radius = re.search(r" is (\S+) \(certified ± ([^)]+)\), which excludes 0", last).groups()
    ball = arb(mid, radius)
    assert ball > 0 or ball < 0


def test_sigmoid_symmetric_triple_is_not_mistaken(context_of):
    # sigmoid(-1), sigmoid(0), sigmoid(1) ARE collinear; the proof must use another triple
    outcome = nonlinear.check(context_of("sigmoid(x)"))
    assert outcome.verdict is Verdict.proved
    points = [S(m) for line in outcome.evidence
              for m in re.findall(r"^f\(([^)]+)\) = ", line)]
    assert len(points) == 3 and points != [-1, 0, 1]
    a, b, c = points   # not collinear, by sigmoid evaluated here at 50 digits
    fa, fb, fc = (evaluate_text("sigmoid(x)", p) for p in points)
    assert abs((fb - fa) / float(b - a) - (fc - fb) / float(c - b)) > 1e-6


AFFINE_IN_CATALOG = {"identity", "affine"}
PIECEWISE_LINEAR = {"relu", "relu6", "leaky_relu_torch", "leaky_relu_keras", "prelu_torch",
                    "rrelu_torch", "hard_sigmoid_torch", "hard_sigmoid_keras2", "hard_tanh",
                    "softshrink", "hardshrink", "threshold_torch", "heaviside", "floor",
                    "sparse_sigmoid"}


@pytest.mark.parametrize("activation", load_catalog(), ids=lambda a: a.name)
def test_catalog_nonlinear(activation):
    outcome = nonlinear.check(AnalysisContext(build_expression(activation), X))
    if activation.name in AFFINE_IN_CATALOG:
        assert outcome.verdict is Verdict.refuted
    else:
        assert outcome.verdict is Verdict.proved
        assert outcome.facts["piecewise_linear"] is (activation.name in PIECEWISE_LINEAR)


@pytest.mark.parametrize("text", ["min(exp(-x), sqrt(x))", "min(sqrt(x), sinh(x))"])
def test_a_min_with_a_part_undefined_at_a_probe_is_decided_not_crashed(context_of, text):
    """sympy raises building Min(e, sqrt(-1)) at a probe point outside the domain: that point
    is undefined, not an internal error (found by screening the search space)."""
    outcome = nonlinear.check(context_of(text))
    assert outcome.verdict is Verdict.proved
    assert "the three points are not on one line" in outcome.evidence[-1]


@pytest.mark.parametrize("count", range(8))
def test_triples_come_in_the_order_of_combinations_and_draw_points_lazily(count) -> None:
    from itertools import combinations

    from verifier.properties.nonlinear import _triples

    drawn = []

    def points():
        for point in range(count):
            drawn.append(point)
            yield point
    first = next(_triples(points()), None)
    assert drawn == list(range(min(count, 3)))    # the first triple needs three points
    assert first == (next(combinations(range(count), 3), None))
    assert list(_triples(iter(range(count)))) == list(combinations(range(count), 3))


@pytest.mark.parametrize("text, piecewise_linear", [
    ("atan(x) + atan(1/x)", None),          # -pi/2 left of 0, pi/2 right: no box bends
    ("sign(sin(x))", None),                 # constant between the zeros of sin: no box bends
    ("x + sign(x)", True),
    ("floor(x)*x", True),                   # k*x between the integers k and k + 1
    ("tan(x)", False),
    ("x*exp(-x**2/1e-6)", False),           # bends only within 1e-3 of 0
    ("Piecewise((x**2, x < 0), (x, True))", False),
])
def test_a_piece_is_curved_only_when_a_box_inside_it_bends(context_of, text, piecewise_linear):
    """A bend of three points counts only inside one box where the piece's formula is finite:
    points on both sides of a pole or of a jump of sign never make a piece curved."""
    outcome = nonlinear.check(context_of(text))
    assert outcome.verdict is Verdict.proved
    assert outcome.facts["piecewise_linear"] is piecewise_linear


# |u| written as sqrt(u**2 + u**4)/sqrt(1 + u**2): one formula, analytic on each side of u = 0
# only (the base of a fractional power vanishes there); f = u + |u| is 0 left of 1/3 and
# 2*(x - 1/3) right of it.
CUSP_AT_A_THIRD = "(x - 1/3) + sqrt((x - 1/3)**2 + (x - 1/3)**4)/sqrt(1 + (x - 1/3)**2)"
CUSP_AT_ZERO = "x + sqrt(x**2 + x**4)/sqrt(1 + x**2)"


@pytest.mark.parametrize("text", [CUSP_AT_A_THIRD, CUSP_AT_ZERO])
def test_a_cusp_inside_a_piece_splits_it_into_lines(context_of, text):
    """f'' = 0 on either side of the cusp: the line read at one point must not be claimed
    for the whole piece (it was: 'every piece is exactly 0', refuted), nor the bend across
    the cusp taken for curvature."""
    outcome = nonlinear.check(context_of(text))
    assert outcome.verdict is Verdict.proved
    assert outcome.facts["piecewise_linear"] is not False
