"""Issue 5's dead zones (exact, every catalog activation) and vanishing-gradient regions
(ends exact or to 1e-12 relative, at the default epsilon 1e-3 and at another epsilon)."""

import mpmath
import pytest
import sympy as sp

from verifier.analysis.context import AnalysisContext
from verifier.model import Verdict
from verifier.properties import no_dead_zone, no_vanishing_gradient
from verifier.expr import parse_expression
from tests.conftest import S, X, catalog_runner
from tests.tolerances import near

OO = "oo"
STEPS = "every open interval between consecutive points of {k : k integer}"
# name: dead zones as (lo, hi) pairs of exact texts ([] when proved), or the staircase text
DEAD = {
    "relu": [("-oo", "0")], "relu6": [("-oo", "0"), ("6", OO)],
    "hard_sigmoid_torch": [("-oo", "-3"), ("3", OO)],
    "hard_sigmoid_keras2": [("-oo", "-5/2"), ("5/2", OO)],
    "hard_tanh": [("-oo", "-1"), ("1", OO)], "hard_swish": [("-oo", "-3")],
    "softshrink": [("-1/2", "1/2")], "hardshrink": [("-1/2", "1/2")],
    "threshold_torch": [("-oo", "1/10")], "sparse_plus": [("-oo", "-1")],
    "sparse_sigmoid": [("-oo", "-1"), ("1", OO)], "sqnl": [("-oo", "-2"), ("2", OO)],
    "heaviside": [("-oo", "0"), ("0", OO)], "floor": STEPS,
}


@pytest.fixture(scope="module")
def dead_results():
    return catalog_runner(("no_dead_zone",))


def test_dead_zones_on_the_whole_catalog(dead_results):
    from verifier.functions import load_catalog
    for activation in load_catalog():
        got = dead_results(activation.name)["no_dead_zone"]
        expected = DEAD.get(activation.name, [])
        if expected == STEPS:
            assert got.facts["dead_zones"] == {"text": STEPS}
        else:
            zones = [(z["lo_exact"], z["hi_exact"]) for z in got.facts["dead_zones"]]
            assert zones == expected, activation.name
            assert all(not z["lo_closed"] and not z["hi_closed"]
                       for z in got.facts["dead_zones"])
        assert got.verdict is (Verdict.refuted if expected else Verdict.proved), activation.name
        if expected:   # the witness lies inside a zone of this table, not only the code's
            x = got.witness["x"]["value"]
            assert (x != int(x) if expected == STEPS else any(
                float(S(lo)) < x < float(S(hi)) for lo, hi in expected)), activation.name


def test_tiny_is_not_dead(context_of):
    # f' = exp(-x**2) is below 1e-300 far out, but never identically 0
    assert no_dead_zone.check(context_of("erf(x)")).verdict is Verdict.proved
    # a constant piece joined across a continuous junction is one zone
    outcome = no_dead_zone.check(context_of("Piecewise((0, x < 0), (0, x < 1), (x - 1, True))"))
    assert [(z["lo_exact"], z["hi_exact"]) for z in outcome.facts["dead_zones"]] == [
        ("-oo", "1")]


def regions(text: str, epsilon=sp.Rational(1, 1000)):
    outcome = no_vanishing_gradient.check(AnalysisContext(parse_expression(text), X),
                                          epsilon=epsilon)
    return outcome, outcome.facts.get("vanishing_regions")


def _sigmoid_slope(t):
    s = 1 / (1 + mpmath.exp(-t))
    return s * (1 - s)


# f' written here, to check the witness independently of the code's own re-check
SLOPES = {
    "sigmoid(x)": _sigmoid_slope, "tanh(x)": lambda t: 1 - mpmath.tanh(t) ** 2,
    "relu(x)": lambda t: mpmath.mpf(1 if t > 0 else 0),
    "x*Phi(x)": lambda t: mpmath.ncdf(t) + t * mpmath.npdf(t),
}


@pytest.mark.parametrize("text, expected, saturates", [
    ("sigmoid(x)", [("-oo", -6.90575227229792), (6.90575227229792, OO)], (True, True)),
    ("tanh(x)", [("-oo", -4.14677472624890), (4.14677472624890, OO)], (True, True)),
    ("relu(x)", [("-oo", 0.0)], (True, False)),
    ("x*Phi(x)", [("-oo", -3.81037143600164), (-0.754113907956328, -0.749478807849022)],
     (True, False)),
])
def test_vanishing_regions(text, expected, saturates):
    outcome, found = regions(text)
    assert outcome.verdict is Verdict.refuted
    assert len(found) == len(expected)
    for region, (lo, hi) in zip(found, expected):
        assert near(region["lo"], lo) and near(region["hi"], hi), (region, lo, hi)
        assert not region["lo_closed"] and not region["hi_closed"]
    assert (outcome.facts["saturates_left"], outcome.facts["saturates_right"]) == saturates
    with mpmath.workdps(50):
        assert abs(SLOPES[text](mpmath.mpf(outcome.witness["x"]["value"]))) < 1e-3


def test_swish_vanishes_far_left_and_around_its_minimum():
    outcome, found = regions("x*sigmoid(x)")
    # f' is monotone on (-oo, -2.4) and tends to 0: the region reaches -oo, no float cut
    assert found[0]["lo"] == "-oo" and "float64 range" not in outcome.statement
    assert near(found[0]["hi"], -8.98506156407530)
    assert near(found[1]["lo"], -1.28306993582360) and near(found[1]["hi"], -1.27388753416169)
    assert outcome.facts["saturates_left"] and not outcome.facts["saturates_right"]


@pytest.mark.parametrize("text, end", [
    ("softplus(x)", "log(1/1000/(1 - 1/1000))"), ("exp(x)", "log(1/1000)"),
])
def test_exact_region_ends(text, end):
    _, (region,) = regions(text)
    assert region["lo"] == "-oo" and sp.simplify(S(region["hi_exact"]) - S(end)) == 0


def test_a_crossing_of_a_cubic_in_exp_x_is_exact():
    # f' + 1/1000 of (-exp(x) - 2)*sigmoid(x) is zero where a cubic in exp(x) is: sympy's
    # solve gave Cardano's radicals, whose zero test did not end within 30 s; the crossing
    # is now the log of the cubic's algebraic root, exactly
    outcome, (region,) = regions("(-exp(x) - 2)*sigmoid(x)")
    assert outcome.verdict is Verdict.refuted and region["lo"] == "-oo"
    assert "CRootOf" in region["hi_exact"]
    with mpmath.workdps(50):
        t = mpmath.mpf(sp.N(S(region["hi_exact"]), 50))
        s = 1 / (1 + mpmath.exp(-t))
        slope = -mpmath.exp(t) * s - (mpmath.exp(t) + 2) * s * (1 - s)
        assert abs(slope + mpmath.mpf(1) / 1000) < mpmath.mpf(10) ** -40


def test_identity_is_proved_and_epsilon_moves_the_ends():
    outcome, found = regions("x")
    assert outcome.verdict is Verdict.proved and found == []
    _, (region,) = regions("exp(x)", epsilon=sp.Rational(1, 10))
    assert sp.simplify(S(region["hi_exact"]) - sp.log(sp.Rational(1, 10))) == 0


def test_a_staircase_plus_a_slope_has_no_dead_zone_claimed(context_of):
    # x + floor(x) has f' = 1 between its steps: never a dead or vanishing zone there
    ctx = context_of("x + floor(x)")
    assert no_dead_zone.check(ctx).verdict is Verdict.unknown
    assert no_vanishing_gradient.check(ctx).verdict is Verdict.unknown
    floor = no_dead_zone.check(context_of("2*floor(x) + 1"))
    assert floor.verdict is Verdict.refuted and floor.witness["recheck"]["value"] == "0"


def test_a_cusp_inside_a_piece_is_not_taken_for_an_analytic_slope(context_of):
    """x + |x| with |x| written sqrt(x**2 + x**4)/sqrt(1 + x**2): one formula whose f' is 0
    on (-oo, 0) and 2 on (0, oo). A slope at x = 1 says nothing left of the cusp (it was
    'no dead zone', proved)."""
    outcome = no_dead_zone.check(context_of("x + sqrt(x**2 + x**4)/sqrt(1 + x**2)"))
    assert outcome.verdict is Verdict.unknown
    assert "no point of (-∞, 0)" in outcome.reason
