"""domain: exact domains, exact undefined sets, witnesses re-checked at 50 digits."""

import pytest
import sympy as sp

from verifier.functions import build_expression, load_catalog
from verifier.analysis.context import AnalysisContext
from verifier.model import Verdict
from verifier.properties import domain
from tests.conftest import S, X
from tests.written_eval import evaluate_text

R = sp.S.Reals
NONZERO = sp.Union(sp.Interval.open(-sp.oo, 0), sp.Interval.open(0, sp.oo))
POSITIVE = sp.Interval.open(0, sp.oo)
NONNEGATIVE = sp.Interval(0, sp.oo)

EXPECTED = [
    ("sqrt(x)", sp.Interval(0, sp.oo)),
    ("log(x)", sp.Interval.open(0, sp.oo)),
    ("1/x", sp.Union(sp.Interval.open(-sp.oo, 0), sp.Interval.open(0, sp.oo))),
    ("log(1 - x**2)", sp.Interval.open(-1, 1)),
    ("sqrt(x**2 - 1)", sp.Union(sp.Interval(-sp.oo, -1), sp.Interval(1, sp.oo))),
    ("Piecewise((sqrt(x), x > 0), (x, True))", R),
    ("x*log(x)", sp.Interval.open(0, sp.oo)),
    ("x**(1/3)", sp.Interval(0, sp.oo)),
    ("log(exp(x) - 2)", sp.Interval.open(sp.log(2), sp.oo)),
    ("1/(exp(x) - 1)", sp.Union(sp.Interval.open(-sp.oo, 0), sp.Interval.open(0, sp.oo))),
    ("Piecewise((1, x > 0))", sp.Interval.open(0, sp.oo)),
    ("Piecewise((1/x, x != 0), (0, True))", R),
    ("sqrt(tanh(x))", sp.Interval(0, sp.oo)),
    ("sign(x)*sqrt(abs(x))", R),
    ("Heaviside(x)", R),
    ("floor(x)", R),
    ("x*sigmoid(x)", R),
    ("atan(1/x)", sp.Union(sp.Interval.open(-sp.oo, 0), sp.Interval.open(0, sp.oo))),
]


# (text, exact domain): cancellations, step functions times partial functions, compositions
AS_WRITTEN = [
    ("x**3/x**2", NONZERO),
    ("x/x", NONZERO),
    ("(x - 1)/(x - 1)", sp.Union(sp.Interval.open(-sp.oo, 1), sp.Interval.open(1, sp.oo))),
    ("2*log(x) - log(x**2)", POSITIVE),
    ("0*sqrt(x)", NONNEGATIVE),
    ("x*0*log(x)", POSITIVE),
    ("exp(log(x))", POSITIVE),
    ("sqrt(x)**2", NONNEGATIVE),
    ("exp(-x)*exp(x)", R),
    ("Heaviside(x)*log(x)", POSITIVE),
    ("relu(x)*sqrt(x)", NONNEGATIVE),
    ("Heaviside(x - 1)*sqrt(x - 1)", sp.Interval(1, sp.oo)),
    ("where(x > 0, x, x*(1 + 0*log(-x)))", NONZERO),
    ("where(x > 0, sqrt(x), x**2/x)", NONZERO),
    ("where(x > 0, log(x), 0)", R),   # the branch is computed only where it is taken
    ("Piecewise((x**2*sin(1/x), Ne(x, 0)), (0, True))", R),
    ("tanh(x) - tanh(x) + x", R),
    ("x*x/x + sin(x)", NONZERO),
    ("sqrt(x)/sqrt(x)", POSITIVE),
    ("log(x)/log(x)", sp.Union(sp.Interval.open(0, 1), sp.Interval.open(1, sp.oo))),
]


@pytest.mark.parametrize("text, expected", EXPECTED + AS_WRITTEN)
def test_exact_domain(context_of, text, expected):
    ctx = context_of(text)
    assert ctx.domain.region == expected
    outcome = domain.check(ctx)
    assert outcome.verdict is (Verdict.proved if expected == R else Verdict.refuted)
    assert outcome.reason is None
    if outcome.witness:   # undefined in the text itself, by the tests' own evaluation
        assert evaluate_text(text, outcome.witness["x_exact"]) is None


def test_interval_set_json_shape(context_of):
    outcome = domain.check(context_of("sqrt(x**2 - 1)"))
    assert outcome.facts["domain"] == [
        {"lo": "-oo", "hi": -1.0, "lo_closed": False, "hi_closed": True, "lo_exact": "-oo", "hi_exact": "-1"},
        {"lo": 1.0, "hi": "oo", "lo_closed": True, "hi_closed": False, "lo_exact": "1", "hi_exact": "oo"}]
    assert outcome.facts["undefined"] == [
        {"lo": -1.0, "hi": 1.0, "lo_closed": False, "hi_closed": False, "lo_exact": "-1", "hi_exact": "1"}]


def test_reciprocal_undefined_point(context_of):
    outcome = domain.check(context_of("1/x"))
    assert outcome.facts["undefined"] == [{"value": 0.0, "exact": "0"}]
    assert outcome.witness["x_exact"] == "0" and outcome.witness["exact_value"] == "zoo"


def test_periodic_domain_is_text_never_truncated(context_of):
    outcome = domain.check(context_of("tan(x)"))
    assert outcome.verdict is Verdict.refuted
    assert set(outcome.facts["domain"]) == {"text"}
    assert "ImageSet" in outcome.facts["domain"]["text"]
    assert S(outcome.witness["x_exact"]) == sp.pi / 2


@pytest.mark.parametrize("text", ["sqrt(x)", "log(x)", "1/x", "log(1 - x**2)", "x*log(x)", "tan(x)"])
def test_witness_is_undefined_at_50_digits(context_of, text):
    ctx = context_of(text)
    witness = domain.check(ctx).witness
    try:
        value = ctx.expr.evalf(50, subs={X: sp.N(S(witness["x_exact"]), 60)})
    except ZeroDivisionError:
        return  # undefined at 50 digits
    assert (value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not value.is_real
            or abs(value) > 10**40)


def test_undecidable_domain_is_unknown_with_reason(context_of):
    outcome = domain.check(context_of("sqrt(sin(x))"))
    assert outcome.verdict is Verdict.unknown
    assert "not finite" in outcome.reason
    assert domain.check(context_of("x**x")).verdict is Verdict.unknown


REFUTED_IN_CATALOG = {
    "sqrt": sp.Interval.open(-sp.oo, 0),
    "log": sp.Interval(-sp.oo, 0),
    "reciprocal": sp.FiniteSet(0),
}


@pytest.mark.parametrize("activation", load_catalog(), ids=lambda a: a.name)
def test_catalog_domain_decided_exactly(activation):
    ctx = AnalysisContext(build_expression(activation), X)
    outcome = domain.check(ctx)
    undefined = REFUTED_IN_CATALOG.get(activation.name, sp.S.EmptySet)
    assert sp.Complement(R, ctx.domain.region) == undefined
    assert outcome.verdict is (Verdict.refuted if activation.name in REFUTED_IN_CATALOG
                               else Verdict.proved)
