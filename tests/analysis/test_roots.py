"""refine_root: a certified bracket of a sign change, from rational or irrational ends."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.analysis.roots import exact_form, refine_root

x = sp.Symbol("x", real=True)


@pytest.mark.parametrize("u, a, b, root", [
    (x**2 - 2, sp.Integer(1), sp.Integer(2), lambda: mpmath.sqrt(2)),
    (x**2 - 2, sp.Integer(1), sp.pi / 2, lambda: mpmath.sqrt(2)),            # an irrational end
    (sp.exp(x) - 3, sp.Rational(-1, 3), sp.Integer(5), lambda: mpmath.log(3)),
    (sp.sin(x), sp.Integer(3), sp.Integer(4), lambda: +mpmath.pi),
    (x - sp.Rational(1, 2**900), sp.Integer(-1), sp.Integer(1), lambda: mpmath.mpf(2)**-900),
])
def test_the_bracket_holds_the_root_to_1e_18(u, a, b, root) -> None:
    bound = refine_root(u, x, a, b)
    with mpmath.workdps(60):
        root = root()
        if bound.exact is not None:
            assert mpmath.almosteq(mpmath.mpf(sp.N(bound.exact, 60)), root, 1e-50)
            return
        assert bound.lo.is_Rational and bound.hi.is_Rational
        lo, hi = (mpmath.mpf(bound.lo.p) / bound.lo.q, mpmath.mpf(bound.hi.p) / bound.hi.q)
        assert lo < root < hi
        assert hi - lo <= abs(root) * mpmath.mpf(2)**-59


def test_a_midpoint_on_the_root_is_exact() -> None:
    assert refine_root(x - 1, x, sp.Integer(0), sp.Integer(2)).exact == 1


@pytest.mark.parametrize("h, a, b, closed", [
    (sp.exp(x) - sp.Rational(1, 1000), -7, -6, -sp.log(1000)),
    (sp.cos(x) - sp.Rational(1, 1000), 1, 2, sp.acos(sp.Rational(1, 1000))),
    (sp.Rational(1, 1000) - 1 / x**2, 31, 32, 10 * sp.sqrt(10)),
    (x + sp.exp(x) + 1, -2, -1, -1 - sp.LambertW(sp.exp(-1))),   # x apart from exp(x)
])
def test_a_closed_form_is_given_where_sympy_solves_it(h, a, b, closed) -> None:
    bound = exact_form(h, x, refine_root(h, x, sp.Integer(a), sp.Integer(b)))
    assert bound.exact == closed


@pytest.mark.parametrize("h, a, b", [
    # a term of the numerator multiplies x by a function of x: no closed form is sought
    (x * sp.exp(-x) / (1 + sp.exp(-x))**2 + 1 / (1 + sp.exp(-x)) - sp.Rational(1, 1000), -8, -6),
    (x * (1 - sp.tanh(x)**2) + sp.tanh(x) - sp.Rational(1, 1000), 0, 1),
    (x * sp.exp(x) - 1, 0, 1),
])
def test_no_closed_form_is_sought_where_x_multiplies_a_function_of_x(h, a, b) -> None:
    bracket = refine_root(h, x, sp.Integer(a), sp.Integer(b))
    assert bracket.exact is None
    assert exact_form(h, x, bracket) is bracket


def test_radicals_of_transcendental_numbers_are_not_tried_as_closed_forms() -> None:
    # softclip's crossings of f' = 1/1000 came as sqrt(-1002001 + 998001*E) forms; simplify's
    # zero test took 0.45 s on each and proved none: the certified bracket stays the answer
    from verifier.analysis.roots import _radical_of_transcendental
    assert _radical_of_transcendental(sp.log(sp.sqrt(998001 * sp.E - 1002001) / 2 + 1))
    assert _radical_of_transcendental(sp.sqrt(sp.pi) + 1)
    assert not _radical_of_transcendental(sp.log(sp.sqrt(2) + 1))
    assert not _radical_of_transcendental(-1 - sp.LambertW(sp.exp(-1)))
    assert not _radical_of_transcendental(sp.exp(sp.Rational(1, 3)))
