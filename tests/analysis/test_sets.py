"""Solving conditions exactly: the traps sympy's own helpers fall into."""

import sympy as sp

from verifier.analysis.sets import complement, condition_set, set_json
from tests.conftest import X


def test_periodic_inequality_is_not_cut_to_one_period():
    # solveset(cos(x) != 0, x, Reals) answers for [0, 2*pi) only; we must not
    solved = condition_set(sp.Ne(sp.cos(X), 0), X)
    assert solved.contains(-sp.pi) is sp.true and solved.contains(7 * sp.pi) is sp.true
    assert solved.contains(sp.pi / 2 + 10 * sp.pi) is sp.false
    assert set(set_json(solved)) == {"text"}


def test_transcendental_inequality_by_exact_zeros():
    assert condition_set(sp.exp(X) - 2 > 0, X) == sp.Interval.open(sp.log(2), sp.oo)
    assert condition_set(sp.tanh(X) >= 0, X) == sp.Interval(0, sp.oo)


def test_double_complement_is_undone():
    region = sp.Complement(sp.S.Reals, sp.FiniteSet(0))
    assert complement(region) == sp.FiniteSet(0)
