"""Solving conditions exactly: the traps sympy's own helpers fall into."""

import sympy as sp

from fractions import Fraction

import pytest

from verifier.analysis.sets import (complement, condition_set, point_between, sample_points,
                                   set_json, simplest_between)
from verifier.analysis.undecided import Undecided
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


@pytest.mark.parametrize("condition, holds", [
    (sp.cosh(X) - sp.tanh(X) >= 0, sp.S.Reals),    # cosh >= 1 > tanh: no zero at all
    (sp.tanh(X) - 1 < 0, sp.S.Reals),
    (sp.erf(X) - 1 >= 0, sp.S.EmptySet),
    (sp.exp(X) + 1 < 0, sp.S.EmptySet),
])
def test_inequality_without_zeros_has_one_sign(condition, holds):
    # solveset's answer "no zero" is the EmptySet, no FiniteSet: one gap, one exact sign test
    # (it was "zeros EmptySet not finite", and max(cosh(x), tanh(x)) had no pieces)
    assert condition_set(condition, X) == holds


def test_double_complement_is_undone():
    region = sp.Complement(sp.S.Reals, sp.FiniteSet(0))
    assert complement(region) == sp.FiniteSet(0)


def test_sample_points_decide_lattice_membership_without_sympy_solving():
    """The zeros of cos(x) + 1/10**7 are two lattices 2*n*pi +- acos(-1/10**7): the integers
    are certified off them, and a lattice's own point is in it exactly."""
    n = sp.Dummy("n")
    angle = sp.acos(sp.Rational(-1, 10**7))
    zeros = sp.Union(sp.ImageSet(sp.Lambda(n, 2 * n * sp.pi + angle), sp.S.Integers),
                     sp.ImageSet(sp.Lambda(n, 2 * n * sp.pi - angle + 2 * sp.pi), sp.S.Integers))
    assert list(sample_points(sp.Complement(sp.S.Reals, zeros), 3)) == [0, 1, -1]
    assert list(sample_points(zeros, 1)) == [angle]
    holes = sp.Complement(sp.Interval(0, 2), sp.FiniteSet(0, 1), evaluate=False)
    assert list(sample_points(holes, 1)) == [2]      # 1 and 0 are in the hole


@pytest.mark.parametrize("low, high, simplest", [
    (Fraction(1, 3), Fraction(1, 2), Fraction(1, 2)),
    (Fraction(-7, 3), Fraction(-2), Fraction(-2)),
    (Fraction(-1, 5), Fraction(3), Fraction(0)),
    (Fraction(314159, 100000), Fraction(314160, 100000), Fraction(355, 113)),
    (Fraction(2, 7), Fraction(2, 7), Fraction(2, 7)),
])
def test_simplest_rational_of_a_closed_interval(low, high, simplest):
    assert simplest_between(low, high) == simplest


@pytest.mark.parametrize("lo, hi, probe", [
    (-sp.oo, sp.oo, 0), (-sp.oo, sp.Rational(1, 2), -1), (sp.sqrt(2), sp.oo, 3),
    (sp.Integer(0), sp.Integer(6), 3),                      # rational ends: the midpoint
    (-sp.sqrt(2) / 2, sp.sqrt(2) / 2, 0),                   # an exact midpoint 0
    (sp.sqrt(2), sp.pi, 2),                                 # the simplest of the middle half
    (sp.pi / 2 - sp.Rational(1, 100), sp.pi / 2 + sp.Rational(1, 100), sp.Rational(11, 7)),
])
def test_point_between_is_simple_and_strictly_inside(lo, hi, probe):
    assert point_between(lo, hi) == probe


def test_point_between_refuses_ends_it_cannot_separate():
    with pytest.raises(Undecided):
        point_between(sp.pi, sp.pi + sp.Rational(1, 10**60))
