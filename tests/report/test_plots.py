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
