"""The sweep's set algebra gives sympy's own answers, in sympy's own form, or leaves the
operation to sympy."""

import pytest
import sympy as sp

from verifier.analysis import line_sets
from verifier.analysis.line_sets import contains, difference, intersect, union

I, oo = sp.Interval, sp.oo
A = -sp.atanh(sp.Rational(1, 10**7))   # a transcendental end, just left of 0
B = sp.asinh(sp.Rational(1, 10**7))    # and one just right of 0
n = sp.Dummy("n")
LATTICE = sp.ImageSet(sp.Lambda(n, n * sp.pi), sp.S.Integers)
SHIFTED = sp.ImageSet(sp.Lambda(n, 2 * n * sp.pi + sp.acos(sp.Rational(-1, 10**7))), sp.S.Integers)

CASES = [   # (operation, sympy's operation, operands)
    (union, sp.Union, (I.open(0, 1), I.open(1, 2))),
    (union, sp.Union, (I.open(0, 1), sp.FiniteSet(1), I.open(1, 2))),
    (union, sp.Union, (I(0, 1), I.Lopen(1, 2), sp.FiniteSet(5, -1))),
    (union, sp.Union, (I.open(-oo, A), I.open(A, oo), sp.FiniteSet(A))),
    (union, sp.Union, (I.open(-oo, 0), I.open(0, oo))),
    (union, sp.Union, (sp.S.EmptySet, I(A, B))),
    (union, sp.Union, (I(0, 2), I(1, 3), sp.FiniteSet(sp.Rational(3, 2)))),
    (intersect, sp.Intersection, (I(0, 2), I(1, 3))),
    (intersect, sp.Intersection, (I.open(-oo, 1), I.open(-1, oo))),
    (intersect, sp.Intersection, (I(A, B), sp.FiniteSet(0, 1, A))),
    (intersect, sp.Intersection, (I.open(0, 1), I.open(1, 2))),
    (intersect, sp.Intersection, (I(0, 1), I(1, 2))),
    (intersect, sp.Intersection, (sp.Union(I.open(-oo, A), I.open(A, oo)), I(-1, 1))),
    (difference, sp.Complement, (sp.S.Reals, sp.FiniteSet(A, 0, B))),
    (difference, sp.Complement, (sp.S.Reals, sp.FiniteSet(1, 2))),
    (difference, sp.Complement, (sp.S.Reals, I(0, 1))),
    (difference, sp.Complement, (sp.S.Reals, sp.S.EmptySet)),
    (difference, sp.Complement, (sp.S.Reals, sp.Union(I.open(-oo, 0), I.open(0, oo)))),
    (difference, sp.Complement, (I(0, 3), sp.FiniteSet(1))),
    (difference, sp.Complement, (I(0, 3), I(0, 3))),
    (difference, sp.Complement, (I(A, 1), I.open(A, B))),
]


@pytest.mark.parametrize("operation, sympys, operands", CASES)
def test_the_sweep_answers_as_sympy_does(operation, sympys, operands):
    swept = line_sets._swept(operands, {union: any, intersect: all}.get(
        operation, lambda inside: inside[0] and not inside[1]))
    assert swept is not None   # the sweep itself answered, not the fallback
    expected = sympys(*operands)
    assert sp.srepr(swept) == sp.srepr(expected)   # the same parts, in the same order


@pytest.mark.parametrize("operation, sympys, operands", [
    (union, sp.Union, (I(-oo, 0), I.open(0, oo))),
    (union, sp.Union, (sp.S.EmptySet, sp.S.Reals)),
    (intersect, sp.Intersection, (I(-oo, oo), sp.S.Reals)),
    (intersect, sp.Intersection, (sp.S.Reals, I(-oo, oo))),
    (difference, sp.Complement, (sp.S.Reals, sp.S.EmptySet)),
    (difference, sp.Complement, (I(-oo, oo), sp.S.EmptySet)),
])
def test_the_real_line_is_written_as_sympy_writes_it(operation, sympys, operands):
    # Reals and Interval(-oo, oo) are equal sets that print differently: sympy keeps the
    # first operand that is R, or builds Interval(-oo, oo)
    assert sp.srepr(operation(*operands)) == sp.srepr(sympys(*operands))


@pytest.mark.parametrize("operation, sympys, operands", [
    (difference, sp.Complement, (sp.S.Reals, LATTICE)),
    (difference, sp.Complement, (I(0, 5), sp.Union(LATTICE, SHIFTED))),
    (intersect, sp.Intersection, (I.open(0, oo), sp.Complement(sp.S.Reals, LATTICE))),
    (intersect, sp.Intersection, (sp.Complement(I(-2, 2), SHIFTED), I(-1, 7))),
])
def test_an_interval_minus_a_lattice_is_left_as_sympy_leaves_it(operation, sympys, operands):
    assert sp.srepr(operation(*operands)) == sp.srepr(sympys(*operands))


@pytest.mark.parametrize("operands", [
    (sp.S.Reals, LATTICE),              # an ImageSet
    (I(0, sp.Symbol("a")), I(1, 2)),    # a symbolic end
])
def test_sets_that_are_not_finite_unions_of_constants_are_left_to_sympy(operands):
    assert line_sets._swept(operands, any) is None
    assert union(*operands) == sp.Union(*operands)


def test_equal_ends_written_differently_are_left_to_sympy():
    # one number that sympy keeps in two forms: no ball tells them apart
    one, other = sp.sqrt(2) + sp.sqrt(3), sp.sqrt(5 + 2 * sp.sqrt(6))
    assert one != other and abs(sp.N(one - other, 50)) < 1e-100
    operands = (I(0, one), I.open(other, 5))
    assert line_sets._swept(operands, any) is None
    assert union(*operands) == sp.Union(*operands)


@pytest.mark.parametrize("region, point, inside", [
    (I.open(A, B), 0, True),
    (I.open(A, B), A, False),
    (I(A, B), A, True),
    (sp.Union(I.open(-oo, A), I.open(A, oo)), A, False),
    (sp.Union(I.open(-oo, A), I.open(A, oo)), sp.Rational(-1, 10**6), True),
    (sp.FiniteSet(A, B), B, True),
    (I(0, 1), sp.pi, False),
])
def test_membership_of_a_constant(region, point, inside):
    assert contains(region, sp.sympify(point)) is inside
    assert region.contains(point) == sp.sympify(inside)


@pytest.mark.parametrize("region, point", [
    (LATTICE, 0),                      # not a finite union
    (I(0, 1), sp.oo),                  # an infinite point
    (I(0, sp.sqrt(2) + sp.sqrt(3)), sp.sqrt(5 + 2 * sp.sqrt(6))),   # an end, written otherwise
])
def test_membership_not_decided_by_the_sweep(region, point):
    assert contains(region, sp.sympify(point)) is None
