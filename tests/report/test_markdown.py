"""Markdown rendering is pure and golden-tested: the same report renders to the committed
text exactly (regenerate deliberately with: python -m tests.report.test_markdown)."""

from pathlib import Path

import pytest

from verifier.engine import check_activations
from verifier.model import Activation
from verifier.report.markdown import page_names, render_index
from verifier.report.page import render_activation

pytestmark = pytest.mark.xdist_group("markdown-golden")   # its module fixture, built once

GOLDEN = Path(__file__).parent.parent / "data" / "golden"
CASES = {"relu": "relu(x)", "swish": "x*sigmoid(x)", "signed_sqrt": "sign(x)*sqrt(abs(x))"}
PROPERTIES = ("domain", "differentiable", "finite_gradient", "monotonic", "no_dead_zone",
              "symmetric")


def _report():
    activations = [Activation(name=name, expr=text, file="golden")
                   for name, text in CASES.items()]
    return check_activations(activations, properties=PROPERTIES, examples=None)


def _rendered(report) -> dict[str, str]:
    pages = {"index.md": render_index(report)}
    for activation, name in zip(report.activations, page_names(report.activations)):
        pages[f"{name}.md"] = render_activation(activation, derivative_latex=None,
                                                plot=f"plots/{name}.png",
                                                ruled=report.summary.ruled)
    return pages


@pytest.fixture(scope="module")
def rendered():
    return _rendered(_report())


@pytest.mark.parametrize("page", ["index.md", "relu.md", "swish.md", "signed_sqrt.md"])
def test_markdown_matches_the_golden_file(rendered, page):
    assert rendered[page] == (GOLDEN / page).read_text(encoding="utf-8")


def test_pages_show_what_a_reader_needs(rendered):
    relu = rendered["relu.md"]
    assert "$$f(x) = \\max\\left(0, x\\right)$$" in relu
    assert "- dead_zones: (-∞, 0)" in relu
    assert "| [no_dead_zone](#no_dead_zone) | ⚠️ warning | refuted: f' = 0 on (-∞, 0) |" in relu
    assert "- **warning** `no_dead_zone.dead-zone`: f' = 0 on (-∞, 0) — where f' is " \
           "identically 0" in relu
    assert "- smoothness: C^0" in relu
    swish = rendered["swish.md"]
    assert "decreasing on (-∞, -1.278465 (= -1 - LambertW(exp(-1)))\\], then increasing on " \
           "\\[-1.278465 (= -1 - LambertW(exp(-1))), ∞)" in swish
    index = rendered["index.md"]
    assert "**1 error, 1 warning, 1 info** over 6 properties; 1 activation with errors." in index
    assert "- [signed_sqrt](signed_sqrt.md): f' is infinite at x = 0 (one-sided derivatives ∞ " \
           "and ∞) (finite_gradient.vertical-tangent)" in index
    assert '[⚠️ warning](relu.md#no_dead_zone "refuted")' in index


if __name__ == "__main__":   # regenerate the golden files (a deliberate change)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, text in _rendered(_report()).items():
        (GOLDEN / name).write_text(text, encoding="utf-8")
