"""Issue 4's named values (to 1e-12), witnesses re-checked, and the soundness guards."""

import mpmath
import pytest
import sympy as sp

from verifier.analysis.bounds import FLOAT_MAX
from verifier.analysis.limits import is_exactly_zero, same_value
from verifier.analysis.signs import sign_structure
from verifier.analysis.undecided import Undecided
from verifier.model import Verdict
from verifier.properties import bounded, injective, lipschitz, monotonic
from tests.conftest import S, X
from tests.tolerances import near


@pytest.mark.parametrize("text, decreasing_end", [
    ("x*sigmoid(x)", -1.27846454276107),
    ("x*Phi(x)", -0.751791524693564),
    ("x*tanh(softplus(x))", -1.19243121451550),
])
def test_decreasing_interval_ends_at_the_minimum(context_of, text, decreasing_end):
    outcome = monotonic.check(context_of(text))
    assert outcome.verdict is Verdict.refuted and outcome.facts["monotonicity"] == "none"
    (interval,) = outcome.facts["decreasing_on"]
    assert interval["lo"] == "-oo" and interval["hi_closed"]
    assert near(interval["hi"], decreasing_end, 1e-14)


def test_swish_critical_point_is_exact(context_of):
    (interval,) = monotonic.check(context_of("x*sigmoid(x)")).facts["decreasing_on"]
    assert S(interval["hi_exact"]) == -1 - sp.LambertW(sp.exp(-1))


def test_monotone_classes(context_of):
    expected = {"relu(x)": "nondecreasing", "sigmoid(x)": "increasing", "x**3": "increasing",
                "sqrt(x)": "increasing", "log(x)": "increasing", "-exp(x)": "decreasing",
                "Piecewise((x, x > 0), (exp(x) - 1, True))": "increasing", "2": "constant"}
    for text, kind in expected.items():
        assert monotonic.check(context_of(text)).facts["monotonicity"] == kind, text


def test_x_squared_witness_triple_is_rechecked(context_of):
    outcome = monotonic.check(context_of("x**2"))
    a, b, c = (S(p) for p in outcome.witness["points"])
    fa, fb, fc = a**2, b**2, c**2      # f evaluated here, exactly, not read from the witness
    assert a < b < c and (fb < fa and fb < fc or fb > fa and fb > fc)
    assert [float(v) for v in outcome.witness["values"]] == [float(fa), float(fb), float(fc)]


@pytest.mark.parametrize("text, lo, lo_exact", [
    ("x*sigmoid(x)", -0.278464542761074, "-LambertW(exp(-1))"),
    ("x*Phi(x)", -0.169971207479904, None),
    ("x*tanh(softplus(x))", -0.308843413017250, None),
])
def test_lower_bounds(context_of, text, lo, lo_exact):
    (interval,) = bounded.check(context_of(text)).facts["range"]
    assert near(interval["lo"], lo) and interval["lo_closed"] and interval["hi"] == "oo"
    if lo_exact:
        assert S(interval["lo_exact"]) == S(lo_exact)


@pytest.mark.parametrize("text, constant, at", [
    ("sigmoid(x)", 0.25, 0.0), ("tanh(x)", 1.0, 0.0), ("x*sigmoid(x)", 1.09983932012887,
                                                         2.39935728051547),
    ("x*Phi(x)", 1.12890414518515, 2 ** 0.5), ("softplus(x)", 1.0, None),
    ("x*tanh(softplus(x))", 1.08849816125173, 1.49057117948543),
])
def test_lipschitz_constants(context_of, text, constant, at):
    facts = lipschitz.check(context_of(text)).facts
    assert near(facts["lipschitz_constant"]["value"], constant)
    if at is None:
        assert facts["attained_at"] is None
    else:
        assert any(abs(point["value"] - at) <= 1e-12 * max(1, abs(at))
                   for point in facts["attained_at"])


@pytest.mark.parametrize("text, point", [("exp(x)", None), ("sign(x)*sqrt(abs(x))", 0.0)])
def test_lipschitz_refuted(context_of, text, point):
    """Unbounded slope: a tail (no witness point) or a vertical tangent at `point`."""
    outcome = lipschitz.check(context_of(text))
    assert outcome.verdict is Verdict.refuted
    assert outcome.facts["lipschitz_constant"] == "oo"
    assert (outcome.witness.get("x") or {}).get("value") == point


@pytest.mark.parametrize("text, pair, f", [("relu(x)", ("-1", "-2"), lambda t: max(t, 0)),
                                            ("x**2", ("-2", "2"), lambda t: t**2)])
def test_injective_exact_pairs(context_of, text, pair, f):
    witness = injective.check(context_of(text)).witness
    assert (witness["a"]["exact"], witness["b"]["exact"]) == pair
    a, b = (S(end) for end in pair)
    assert f(a) == f(b)                 # evaluated here, exactly


def test_swish_pair_across_its_minimum_agrees_at_50_digits(context_of):
    outcome = injective.check(context_of("x*sigmoid(x)"))
    witness = outcome.witness
    a, b = witness["a"]["value"], float(S(witness["b"]["exact"]))
    assert a < -1.2784 < b
    with mpmath.workdps(50):           # x*sigmoid(x) evaluated here, not read from the witness
        def swish(t: float):
            return mpmath.mpf(t) / (1 + mpmath.exp(-mpmath.mpf(t)))
        assert abs(swish(a) - swish(b)) < 1e-15
        assert abs(swish(a) - mpmath.mpf(witness["f(a)"])) < 1e-15


def test_reciprocal_is_injective_though_not_monotone(context_of):
    assert injective.check(context_of("1/x")).verdict is Verdict.proved
    assert monotonic.check(context_of("1/x")).verdict is Verdict.refuted


def test_a_value_at_the_float_cut_is_never_simplified_to_zero():
    # sympy's simplify turns this tiny negative number into exactly 0 (evalf underflow)
    tiny = -FLOAT_MAX * sp.tanh(sp.log(1 + sp.exp(-FLOAT_MAX)))
    assert not is_exactly_zero(tiny)
    with pytest.raises(Undecided):
        same_value(tiny, sp.Integer(0))


def test_positive_factors_are_dropped_before_certifying():
    swish_second = sp.diff(X / (1 + sp.exp(-X)), X, 2)
    structure = sign_structure(swish_second, X, -sp.oo, sp.oo, "f''")
    assert "is positive on" in structure.evidence[0]
    assert [stretch.sign for stretch in structure.stretches] == [-1, 1, -1]


@pytest.mark.parametrize("text, lo, hi, constant", [
    ("sin(x)", "-1", "1", "1"), ("sin(x) + cos(x)", "-sqrt(2)", "sqrt(2)", "sqrt(2)"),
    ("cos(2*x)", "-1", "1", "2"),
])
def test_periodic_functions_over_one_checked_period(context_of, text, lo, hi, constant):
    ctx = context_of(text)
    (interval,) = bounded.check(ctx).facts["range"]
    assert (S(interval["lo_exact"]), S(interval["hi_exact"])) == (S(lo), S(hi))
    assert interval["lo_closed"] and interval["hi_closed"]
    assert S(lipschitz.check(ctx).facts["lipschitz_constant"]["exact"]) == S(constant)
    witness = injective.check(ctx).witness
    a, b = S(witness["a"]["exact"]), S(witness["b"]["exact"])
    assert a != b and sp.simplify(ctx.expr.subs(X, a) - ctx.expr.subs(X, b)) == 0
    assert monotonic.check(ctx).verdict is Verdict.refuted


def test_a_proposed_period_is_checked(context_of):
    assert context_of("x + sin(x)").period is None
    assert context_of("sin(x)").period == 2 * sp.pi


def test_a_sloped_staircase_does_not_claim_its_step_values_as_range(context_of):
    outcome = bounded.check(context_of("x + floor(x)"))   # range is the union of [2k, 2k + 1)
    assert outcome.verdict is Verdict.refuted and outcome.facts["range"] is None
    assert bounded.check(context_of("floor(x)")).facts["range"] == {"text": "Integers"}


@pytest.mark.parametrize("text, infimum, supremum, verdict", [
    ("floor(x)**2", None, "oo", Verdict.refuted),        # values k**2: unbounded above only
    ("floor(x)", "-oo", "oo", Verdict.refuted),
    ("floor(x)*sqrt(x)", None, None, Verdict.unknown),   # k**(3/2): not a polynomial in k
])
def test_a_staircase_claims_only_the_sides_it_proves(context_of, text, infimum, supremum, verdict):
    from verifier.properties import bounded

    outcome = bounded.check(context_of(text))
    assert outcome.verdict is verdict
    if verdict is Verdict.refuted:
        assert (outcome.facts["infimum"] or {}).get("value") == infimum
        assert (outcome.facts["supremum"] or {}).get("value") == supremum
