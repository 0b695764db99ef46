"""What a parse worker hands to the analysis: both trees frozen, thawed node for node."""

import pytest
import sympy as sp

from tests.conftest import CATALOG
from tests.fuzz_inputs import draw_trees
from verifier.model import Activation
from verifier.parsing import Parsed, _summary, parse, thaw

# the written tree keeps what sympy would fold (x - x, x**3/x**2, the 1 of 1*x)
WRITTEN = ["x - x", "x**3/x**2", "(x) + (x)", "1*x + 0", "max(x, x)", "sqrt(x)**2",
           "where(x > 0, x, 0)*(x/x)", "Piecewise((x, x > 1), (x, x > 0), (0, True))",
           "gelu_tanh(x)*exp(-x**2/2)/2", "relu(x) - sign(x)*x", "x**0.5 + 7/3 - pi"]


def _same_nodes(a: sp.Basic, b: sp.Basic) -> bool:
    """The same tree: the same class at every node, the same atoms, the same arguments."""
    if type(a) is not type(b) or len(a.args) != len(b.args):
        return False
    if not a.args:
        return sp.srepr(a) == sp.srepr(b)
    return all(_same_nodes(p, q) for p, q in zip(a.args, b.args))


def _texts() -> list[str]:
    return [a.expr for a in CATALOG.values()] + WRITTEN + draw_trees(150)


@pytest.mark.parametrize("text", _texts())
def test_thawed_trees_are_the_parsed_trees(text):
    activation = Activation(name="f", expr=text)
    summary = _summary(activation)
    if not isinstance(summary, Parsed):
        pytest.skip("refused by the parser: nothing to thaw (refusals: test_expr)")
    evaluated, written = parse(activation)
    thawed = thaw(summary.trees)
    assert _same_nodes(thawed[0], evaluated) and _same_nodes(thawed[1], written)
    assert thawed == (evaluated, written)


def test_the_written_tree_stays_as_written_after_thawing():
    _, written = thaw(_summary(Activation(name="f", expr="x**3/x**2 - (x - x)")).trees)
    assert isinstance(written, sp.Add) and sp.srepr(written).count("Pow") == 3
