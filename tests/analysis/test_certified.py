"""Certified enclosures: rigorous, and accurate where naive evaluation cancels."""

import sympy as sp
from flint import arb

from verifier.analysis.certified import enclose, exact_ball
from verifier.analysis.endpoints import bounds
from verifier.analysis.signs import sign_structure
from verifier.expr import parse_expression
from tests.conftest import X


def test_cancelling_forms_keep_their_sign():
    assert enclose(parse_expression("Phi(x)"), X, arb(-40)) > 0          # 1/2 + erf/2
    assert enclose(parse_expression("log(1 + exp(x))"), X, arb(-1000)) > 0  # log1p
    assert enclose(parse_expression("exp(x) - 1"), X, arb("1e-30")) > 0     # expm1


def test_endpoint_intervals_keep_the_ends_of_exp_on_wide_boxes():
    u = parse_expression("-x*(1 - 2/(exp(x) + 1)) + 2")
    low, high = bounds(u, X, arb(2048), arb(4096))
    assert high < 0 and low > -4097


def test_endpoint_enclosure_contains_sampled_values():
    for text in ("x*exp(-x)/(1 + exp(x))", "sin(x)*x + exp(-x**2)", "1/(1 + x**2)"):
        f = parse_expression(text)
        low, high = bounds(f, X, arb(-3), arb(-1))
        for k in range(41):
            value = exact_ball(f.subs(X, -3 + sp.Rational(k, 20)))
            assert value >= low.lower() and value <= high.upper()


def test_swish_minimum_is_certified_and_exact():
    structure = sign_structure(sp.diff(parse_expression("x*sigmoid(x)"), X), X, -sp.oo, sp.oo)
    (zero,) = structure.zeros
    assert zero.exact == -1 - sp.LambertW(sp.exp(-1))
