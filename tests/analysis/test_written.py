"""written_needs: the operations of the written formula that may be undefined, each on its
evaluated arguments; sums, products, non-negative integer powers and total functions (exp,
sin, Max, ...) are never among them."""

import pytest
import sympy as sp

from verifier.analysis.written import written_needs
from verifier.expr import parse_expression
from tests.conftest import X


@pytest.mark.parametrize("text, needs", [
    ("max(cosh(x), tanh(x))", []),                        # total: nothing can be undefined
    ("sigmoid(x)*x**2 + abs(sin(x))", []),
    ("x**3/x**2", ["1/(x**2)"]),                          # the division, on x**2
    ("log(max(x, 1))", ["log(Max(1, x))"]),               # the argument evaluated
    ("exp(sqrt(x)) + 1/(sin(x) + 1e-7)", ["sqrt(x)", "1/(sin(x) + 1/10000000)"]),
    ("where(x > 0, log(x), 0)", ["log(x)"]),
])
def test_the_needs_of_a_written_formula(text, needs):
    written = parse_expression(text, as_written=True)
    assert [sp.sstr(need.operation) for need in written_needs(written, X)] == needs


def test_a_need_keeps_its_branch_guard():
    written = parse_expression("where(x > 0, log(x), 0)", as_written=True)
    (need,) = written_needs(written, X)
    assert need.guard == sp.Interval.open(0, sp.oo)
