"""Sign-equivalent forms: the cheap ones always, the simplified ones only when a box needs them."""

import pytest
import sympy as sp

from verifier.analysis.boxes import certify_signs
from verifier.analysis.sign_forms import OverBudget, SimplifiedForms, sign_forms
from verifier.analysis.signs import sign_structure
from verifier.expr import parse_expression
from tests.conftest import X


class _Later:
    """Later forms that count how often they are asked for (the forms themselves are real)."""

    def __init__(self, u: sp.Expr) -> None:
        self.u, self.asked = u, 0

    def __call__(self) -> tuple[sp.Expr, ...]:
        self.asked += 1
        return SimplifiedForms(self.u, X)()


def test_no_simplified_form_where_the_cheap_forms_decide_every_box():
    u = X / 2 + 1
    later = _Later(u)
    structure = certify_signs(list(sign_forms(u, X)), X, sp.Integer(-2), sp.Integer(0), "u",
                              later=later)
    assert later.asked == 0
    assert [s.sign for s in structure.stretches] == [1]
    assert "x/2 + 1, x*exp(-x)/2 + exp(-x), x*exp(x)/2 + exp(x));" in structure.evidence[0]


def test_simplified_forms_are_made_once_however_many_boxes_need_them():
    u = sp.sin(X)
    later = _Later(u)
    structure = certify_signs(list(sign_forms(u, X)), X, sp.Integer(1), sp.Integer(20), "u",
                              later=later)
    assert later.asked == 1
    zeros = [float(z.probe()) for z in structure.zeros]
    assert [round(z / float(sp.pi), 12) for z in zeros] == [1, 2, 3, 4, 5, 6]


def test_collected_form_only_where_it_groups_terms():
    grouped = X**3 * sp.tanh(X) - X**3 + X
    assert sp.collect(grouped, X) in sign_forms(grouped, X)
    assert len(sign_forms(-X * (1 - sp.exp(-X)) + 2, X)) == 3   # u and u*exp(-+x) only


def test_a_sweep_past_its_budget_of_box_decisions_stops():
    with pytest.raises(OverBudget):
        certify_signs(list(sign_forms(sp.sin(X), X)), X, sp.Integer(1), sp.Integer(20), "u",
                      budget=5)


def test_mish_slope_is_certified_as_written_within_the_first_try():
    f = parse_expression("x * tanh(softplus(x))")
    structure = sign_structure(sp.diff(f, X), X, -sp.oo, sp.oo, "f'")
    assert structure.evidence[0].startswith("f': sign certified with")   # no factor dropped
    assert [s.sign for s in structure.stretches] == [-1, 1]   # the minimum near -1.19


def test_no_simplified_form_of_a_rewrite_in_complex_exponentials():
    trig = parse_expression("x*cos(x) - sin(x)")
    assert SimplifiedForms(trig, X)() == ()          # exp(I*x) forms: arb cannot enclose them
    hyperbolic = SimplifiedForms(parse_expression("1 - x*tanh(x)"), X)()
    assert hyperbolic and not any(form.has(sp.I) for form in hyperbolic)


def test_the_half_line_box_beyond_the_float_range_uses_the_forms_at_hand():
    from verifier.analysis.box_tails import _half_line_sign
    from verifier.analysis.bounds import FLOAT_MAX
    from verifier.analysis.sign_forms import Forms
    u = parse_expression("x*(1 - tanh(x)**2) + tanh(x)")
    later = _Later(u)
    pairs = Forms(sign_forms(u, X), X, later)
    assert _half_line_sign(pairs, X, FLOAT_MAX, 1) == 1     # x*sech(x)**2 + tanh(x) -> 1
    assert later.asked == 0
