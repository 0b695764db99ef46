"""Stable rewrites (issue 19): each rule an identity on its own, a rule whose replacement is
undefined somewhere its pattern is defined refused, the written text read back into the same
tree, and a rewrite with another domain never proved equal."""

import pytest
import sympy as sp

from verifier.analysis.context import AnalysisContext
from verifier.analysis.rewrites import (Rewrite, Rule, proved_equal, rewritten, rule_identity,
                                        rules, written_text)
from verifier.analysis.undecided import Undecided
from verifier.expr import parse_expression
from verifier.functions import build_expression, load_catalog
from tests.conftest import X
from tests.fuzz_inputs import draw_trees


@pytest.mark.parametrize("rule", rules(), ids=lambda rule: rule.text)
def test_each_shipped_rule_is_an_identity(rule):
    assert rule_identity(rule).startswith(rule.text)


def _rule(pattern: str, replacement: str) -> Rule:
    return Rule(pattern, replacement, "")


def test_a_rule_true_only_for_positive_u_is_refused():
    # log(u**2) is defined for every u != 0, 2*log(u) only for u > 0
    with pytest.raises(Undecided, match="replacement is undefined"):
        rule_identity(_rule("log(u**2)", "2*log(u)"))
    with pytest.raises(Undecided, match="not simplified to 0"):
        rule_identity(_rule("exp(u) - 1", "expm1(2*u)"))


REWRITES = [
    ("where(x > 0, x, exp(x) - 1)", "Piecewise((x, x > 0), (expm1(x), True))"),
    ("log(1/(1 + exp(-x)))", "-softplus(-x)"),
    ("log(1 + exp(2*x))", "softplus(2*x)"),
    ("x*(1 + tanh(x))/2", "(x*(2*sigmoid(2*x)))/2"),   # the written grouping, kept
    ("exp(x)/(1 + exp(x)) + x", "sigmoid(x) + x"),
    ("x - tanh(x)", None),   # no identity makes it stable: nothing offered
]


def _context(text: str) -> AnalysisContext:
    return AnalysisContext(parse_expression(text), X, written=parse_expression(
        text, as_written=True))


@pytest.mark.parametrize("text, expected", REWRITES)
def test_rewrites_are_proved_equal(text, expected):
    found = rewritten(parse_expression(text, as_written=True))
    assert (found and found.text) == expected
    if found:
        assert proved_equal(_context(text), found)[0].startswith("proved equal")


def test_a_rewrite_with_another_domain_is_not_equal():
    context = _context("exp(x) - 1")
    with pytest.raises(Undecided, match="another domain"):
        proved_equal(context, Rewrite("expm1(x) + 0*log(x)", ("exp(u) - 1 -> expm1(u)",)))


def test_the_written_text_reads_back_into_the_same_tree():
    trees = [(build_expression(a, as_written=True), a.variable) for a in load_catalog()]
    for text in draw_trees(300):
        try:
            trees.append((parse_expression(text, as_written=True), "x"))
        except Exception:   # noqa: BLE001 - the fuzz draws refused inputs too
            continue
    assert len(trees) > 250
    for tree, variable in trees:
        back = parse_expression(written_text(tree), variable=variable, as_written=True)
        assert sp.srepr(back) == sp.srepr(tree), written_text(tree)


def test_decimals_stay_decimals_and_other_fractions_quotients():
    tree = parse_expression("0.044715*x + x/3 + 1e-7", as_written=True)
    assert written_text(tree) == "0.044715*x + x/3 + 1e-7"
