"""Far tails and undecidable tails: vanishing quotients, huge arguments, zeros at an end,
envelopes, and extremes that cannot be separated (symmetric maxima)."""

import pytest
import sympy as sp
from flint import arb

from verifier.analysis.bounds import Bound
from verifier.analysis.arb.certified import enclose, exact_ball
from verifier.analysis.arb.envelope import enclose_values
from verifier.analysis.arb.quotients import vanishing_quotient
from verifier.analysis.signs import sign_structure
from verifier.analysis.undecided import Undecided
from verifier.analysis.values import Value, extreme
from verifier.expr import parse_expression
from tests.conftest import X

FAR_LEFT = exact_ball(sp.Integer(-1024)).union(exact_ball(sp.Integer(-512)))


def test_vanishing_quotient_is_found_and_encloses_tightly():
    product = sp.tanh(sp.exp(X)) * sp.exp(-X)
    quotient = vanishing_quotient(product, X)
    assert quotient is not None and quotient.w == X
    value = enclose(product, X, FAR_LEFT)     # tanh(t)/t -> 1 as t -> 0
    assert value.rad() < 1e-15 and value.contains(1)
    # a factor that does not vanish at t = 0 is no quotient
    assert vanishing_quotient(sp.cosh(sp.exp(X)) * sp.exp(-X), X) is None


@pytest.mark.parametrize("product, found", [
    (X * sp.sin(sp.exp(X)) * sp.exp(-X), False),     # x outside the exps: phi keeps it
    (sp.tanh(sp.exp(X)) * sp.exp(-X), True),
    # 2**x is exp(x*log(2)) to sympy's subs: x is not bare, and t^2 / t vanishes
    (sp.sin(2**(X / sp.log(2)) * sp.exp(X)) * sp.exp(-X), True),
])
def test_a_quotient_whose_rest_keeps_x_bare_is_skipped(product, found):
    from verifier.analysis.arb.quotients import T, _bare
    assert (vanishing_quotient(product, X) is not None) is found
    rest = product / sp.exp(-X)
    assert _bare(rest, X) is (X in rest.subs(sp.exp(X), T).free_symbols)


def test_tanh_square_cancellation_and_huge_powers_stay_finite():
    ball = enclose(1 - sp.tanh(X)**2, X, arb(-1000))
    assert ball > 0 and ball < arb("1e-800")
    huge = exact_ball(sp.tanh(sp.exp(sp.Integer(2)**1023)))   # needs 1280 bits
    assert abs(huge - 1) < 1e-30


def test_sign_next_to_a_zero_at_the_end_uses_higher_derivatives():
    structure = sign_structure(X * sp.cos(X) - sp.sin(X), X, sp.Integer(0), sp.Integer(4))
    assert [s.sign for s in structure.stretches] == [-1]


def test_the_left_tail_of_tanhexp_is_certified():
    derivative = sp.diff(parse_expression("x*tanh(exp(x))"), X)
    structure = sign_structure(derivative, X, -sp.oo, sp.oo)
    assert [s.sign for s in structure.stretches] == [-1, 1]
    assert abs(float(structure.zeros[0].probe()) + 1.078860058464624) < 1e-12


def test_a_tail_with_infinitely_many_sign_changes_is_left_undecided_only_when_partial():
    derivative = sp.diff(sp.sin(X) / X, X)
    partial = sign_structure(derivative, X, sp.Integer(0), sp.oo, partial=True)
    ((lo, hi),) = partial.undecided
    assert hi.exact == sp.oo and float(lo.probe()) >= 64
    with pytest.raises(Undecided):
        sign_structure(derivative, X, sp.Integer(0), sp.oo)


def test_envelope_bounds_sinc_on_an_unbounded_tail():
    ball = enclose_values(sp.sin(X) / X, X, Bound.of(sp.Integer(256)), Bound.of(sp.oo))
    assert ball.lower() >= -1.00001 / 256 and ball.upper() <= 1.00001 / 256


def test_unseparated_maxima_give_a_hull_reached_by_both():
    a = Value(ball=arb("1.19967864025773") + arb("0 +/- 1e-18"))
    b = Value(ball=arb("1.19967864025773") + arb("0 +/- 2e-18"))
    value, reached = extreme([Value(exact=sp.Integer(1)), a, b], largest=True)
    assert sorted(reached) == [1, 2] and value.ball.contains(a.ball)
    envelope = Value(ball=arb("0 +/- 2"), bound_only=True)   # may exceed them: no answer
    with pytest.raises(Undecided, match="cannot tell"):
        extreme([a, b, envelope], largest=True)


def test_a_gaussian_at_a_tails_end_is_no_polynomial():
    """erf's f' has exp(-x**2): at the sweep's end x = -65536 - t, sympy's polynomials would
    write it with exp(t)**131072, and their gcd killed the worker with SIGFPE (a machine-made
    candidate; run in workers, so a regression is an internal error, not a dead test run)."""
    from verifier import verify
    activation = verify("(erf(x)) / ((sigmoid(x)) + 1e-7)", properties=["lipschitz"],
                        examples=None).activations[0]
    assert activation.error is None
    assert activation.properties["lipschitz"].verdict.value == "proved"
