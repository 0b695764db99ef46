"""Plot marks: each special point named by what it is."""

import pytest

from verifier import verify
from verifier.report.plots import _named_points

PROPERTIES = ["differentiable", "continuous", "finite_gradient"]


@pytest.mark.parametrize("text, marks", [
    ("relu(x)", [("kink", 0.0)]),
    ("sign(x)*sqrt(abs(x))", [("infinite slope", 0.0)]),     # a vertical tangent, no kink
    ("Heaviside(x)", [("jump", 0.0)]),
    ("tanh(x)", []),
])
def test_special_points_are_named_by_what_they_are(text, marks):
    activation = verify(text, properties=PROPERTIES, examples=None).activations[0]
    assert [(label, at) for label, _, at in _named_points(activation)] == marks


def test_a_page_in_another_variable_shows_f_of_t_and_its_plot(tmp_path):
    """variable = "t": the page reads f(t) = tanh(t), f'(t) = ..., and has its plot."""
    from verifier.model import Activation
    from verifier.engine import check_activations
    from verifier.pages import write_reports

    report = check_activations([Activation(name="tanh_t", expr="tanh(t)", variable="t")],
                               properties=("domain", "no_dead_zone"), examples=None)
    write_reports(report, tmp_path)
    page = (tmp_path / "tanh_t.md").read_text(encoding="utf-8")
    assert "$$f(t) = \\tanh{\\left(t \\right)}$$" in page
    assert "$$f'(t) = 1 - \\tanh^{2}{\\left(t \\right)}$$" in page
    assert "![f and f' of tanh_t](plots/tanh_t.png)" in page
    assert (tmp_path / "plots" / "tanh_t.png").read_bytes()[:4] == b"\x89PNG"


def test_a_pages_derivative_has_no_dirac_delta():
    """f' of a step is shown piece by piece (0 on each side), never with DiracDelta terms."""
    import sympy as sp

    from verifier.expr import parse_expression
    from verifier.pages import without_deltas
    from tests.conftest import X

    step = sp.diff(parse_expression("x*Heaviside(x) + floor(x)"), X)
    assert step.has(sp.DiracDelta)
    assert without_deltas(step) == sp.Heaviside(X)


def test_untrusted_names_are_no_mathtext():
    from verifier.report.plots import _literal

    assert _literal("a$\\frac{1}{0}$") == "a\\$\\frac{1}{0}\\$"
