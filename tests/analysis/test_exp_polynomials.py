"""Exact zeros of functions rational in exp(x/q): logs of CRootOf roots, counted by Sturm."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.analysis.arb.certified import exact_ball
from verifier.analysis.exp_polynomials import exp_polynomial_zeros
from verifier.analysis.signs import sign_structure
from tests.conftest import S, X

E = sp.exp(X)
ELISH_F2 = S("-(1 - 2*exp(-x)/(1 + exp(-x)))*(exp(x) - 1)*exp(-x)/(1 + exp(-x)) + exp(x) "
             "+ 2/(1 + exp(-x))")


def _roots(polynomial: sp.Expr, low: float, high: float, q: int = 1) -> list[float]:
    """q*log(t) for the real roots t of polynomial(t) in (low, high), numerically."""
    t = sp.Symbol("t")
    with mpmath.workdps(50):
        found = [r for r in mpmath.polyroots(sp.Poly(polynomial.subs(E, t), t).all_coeffs(),
                                             maxsteps=200, extraprec=200)
                 if abs(mpmath.im(r)) < 1e-30 and low < mpmath.re(r) < high]
        return sorted(float(q * mpmath.log(mpmath.re(r))) for r in found)


@pytest.mark.parametrize("u, lo, hi, polynomial, low, high", [
    # ELiSH's f'' left of 0: t**3 + 3t**2 + 5t - 1 has one real root, in (0, 1)
    (ELISH_F2, -sp.oo, 0, E**3 + 3 * E**2 + 5 * E - 1, 0, 1),
    (ELISH_F2, 0, sp.oo, E**3 + 3 * E**2 + 5 * E - 1, 1, float("inf")),
    # three real roots (1/4, 2, 3 shifted off rationals): casus irreducibilis for Cardano
    (E**3 - 5 * E**2 + 6 * E - sp.Rational(1, 5), -sp.oo, sp.oo,
     E**3 - 5 * E**2 + 6 * E - sp.Rational(1, 5), 0, float("inf")),
    (E**3 - 5 * E**2 + 6 * E - sp.Rational(1, 5), -sp.oo, 0,
     E**3 - 5 * E**2 + 6 * E - sp.Rational(1, 5), 0, 1),
    # a quotient: the denominator's zeros are no zeros, a linear factor's root at t = 1 is an end
    ((E**3 - 2) * (E - 1) / (E**2 + 1), 0, sp.oo, E**3 - 2, 1, float("inf")),
    ((E**3 - 2) * (E - 1) / (E**2 + 1), -sp.oo, 0, E**3 - 2, 0, 1),
])
def test_zeros_are_the_logs_of_the_roots_inside(u, lo, hi, polynomial, low, high) -> None:
    zeros = exp_polynomial_zeros(u, X, sp.sympify(lo), sp.sympify(hi))
    assert zeros is not None
    expected = _roots(polynomial, low, high)
    assert [float(z) for z in zeros] == pytest.approx(expected, rel=1e-12)
    for zero in zeros:   # certified balls of the exact zeros hold their 60-digit values
        ball = exact_ball(zero)
        with mpmath.workdps(60):
            middle = mpmath.mpf(ball.mid().str(60, radius=False))
            radius = mpmath.mpf(ball.rad().str(10, radius=False))
            assert 0 < radius < 1e-30
            assert abs(mpmath.mpf(str(sp.N(zero, 60))) - middle) <= radius * 1.001


def test_half_exponents_take_the_root_of_exp() -> None:
    # exp(x/2) = t: t**3 - t - 1 = 0 (the plastic number), x = 2*log(t)
    zeros = exp_polynomial_zeros(sp.exp(3 * X / 2) - sp.exp(X / 2) - 1, X, -sp.oo, sp.oo)
    assert zeros is not None and len(zeros) == 1
    assert float(zeros[0]) == pytest.approx(2 * float(mpmath.log(1.324717957244746)))


@pytest.mark.parametrize("u, lo, hi", [
    (E**2 - 3 * E + 1, -sp.oo, sp.oo),             # degree 2: solveset's radicals are explicit
    (sp.exp(X - 1)**3 + E - 1, -sp.oo, sp.oo),     # exp(x - 1): a transcendental coefficient
    (E**3 + sp.sqrt(2) * E - 1, -sp.oo, sp.oo),    # a coefficient outside Q
    (E**3 + X, -sp.oo, sp.oo),                     # x outside exp
    (E**3 + sp.tanh(X), -sp.oo, sp.oo),
    (E**3 - 2, 1, sp.oo),                          # exp(1) is no rational end
    (E**40 - 2, -sp.oo, sp.oo),                    # past degree 24: no factoring
    # t**(2**100) - 2: never written out as a polynomial (it did not end)
    (sp.exp(2**100 * X) - 2, -sp.oo, sp.oo),
    ((E - 1)**1000 - 2, -sp.oo, sp.oo),
    (sp.Abs(E - 2) * E**3 - 1, -sp.oo, sp.oo),      # t inside Abs: no polynomial
])
def test_other_forms_are_left_to_solveset(u, lo, hi) -> None:
    assert exp_polynomial_zeros(u, X, sp.sympify(lo), sp.sympify(hi)) is None


def test_elish_curvature_is_solved_exactly() -> None:
    # solveset took 1.3 s on it and answered with radicals it could not place on the line;
    # branch and bound found the zero at -1.71753 with 13 boxes
    structure = sign_structure(ELISH_F2, X, -sp.oo, sp.Integer(0))
    assert structure.method == "symbolic"
    assert [s.sign for s in structure.stretches] == [-1, 1]
    assert float(structure.stretches[0].hi) == pytest.approx(-1.7175297959782471, rel=1e-15)


def test_a_tiny_algebraic_root_gets_a_tight_ball() -> None:
    # t**3 + t - 1e-100 has its root near 1e-100: an absolute refinement (2**-136) left a ball
    # around 0, so log of it held only at 1280 bits; the refinement is relative now
    zeros = exp_polynomial_zeros(E**3 + E - sp.Rational(1, 10**100), X, -sp.oo, sp.oo)
    assert zeros is not None and len(zeros) == 1
    root = exact_ball(zeros[0].args[0])
    with mpmath.workdps(30):
        middle = mpmath.mpf(root.mid().str(30, radius=False))
        assert middle == pytest.approx(1e-100, rel=1e-12)
        assert mpmath.mpf(root.rad().str(5, radius=False)) < middle * 1e-30
    assert float(zeros[0]) == pytest.approx(-230.25850929940458, rel=1e-15)
