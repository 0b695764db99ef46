"""refine_root: a certified bracket of a sign change, from rational or irrational ends."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.analysis.roots import refine_root

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
