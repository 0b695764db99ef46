"""Issue 3's table: every catalog activation decided on the six smoothness-core properties,
values compared exactly (sympy equality), one row per activation."""

import pytest
import sympy as sp

from verifier.model import Verdict
from tests.conftest import CATALOG, S, catalog_runner

# name: (continuous, differentiable, smoothness, finite_gradient, f0, identity_near_origin, parity)
# f0 None: 0 is outside the domain. parity "neither" means symmetric is refuted.
TABLE = {
    "relu": (True, False, 0, True, "0", False, "neither"),
    "relu6": (True, False, 0, True, "0", False, "neither"),
    "leaky_relu_torch": (True, False, 0, True, "0", False, "neither"),
    "leaky_relu_keras": (True, False, 0, True, "0", False, "neither"),
    "prelu_torch": (True, False, 0, True, "0", False, "neither"),
    "rrelu_torch": (True, False, 0, True, "0", False, "neither"),
    "elu": (True, True, 1, True, "0", True, "neither"),
    "elu_expm1": (True, True, 1, True, "0", True, "neither"),
    "selu": (True, False, 0, True, "0", False, "neither"),
    "celu": (True, True, 1, True, "0", True, "neither"),
    "gelu": (True, True, "inf", True, "0", False, "neither"),
    "gelu_tanh": (True, True, "inf", True, "0", False, "neither"),
    "sigmoid": (True, True, "inf", True, "1/2", False, "neither"),
    "hard_sigmoid_torch": (True, False, 0, True, "1/2", False, "neither"),
    "hard_sigmoid_keras2": (True, False, 0, True, "1/2", False, "neither"),
    "tanh": (True, True, "inf", True, "0", True, "odd"),
    "hard_tanh": (True, False, 0, True, "0", True, "odd"),
    "softplus": (True, True, "inf", True, "log(2)", False, "neither"),
    "softplus_torch": (False, False, -1, False, "log(2)", False, "neither"),
    "softsign": (True, True, 1, True, "0", True, "odd"),
    "swish": (True, True, "inf", True, "0", False, "neither"),
    "silu": (True, True, "inf", True, "0", False, "neither"),
    "hard_swish": (True, False, 0, True, "0", False, "neither"),
    "mish": (True, True, "inf", True, "0", False, "neither"),
    "log_sigmoid": (True, True, "inf", True, "-log(2)", False, "neither"),
    "log_sigmoid_naive": (True, True, "inf", True, "-log(2)", False, "neither"),
    "tanhshrink": (True, True, "inf", True, "0", False, "odd"),
    "softshrink": (True, False, 0, True, "0", False, "odd"),
    "hardshrink": (False, False, -1, False, "0", False, "odd"),
    "threshold_torch": (False, False, -1, False, "20", False, "neither"),
    "sparse_plus": (True, True, 1, True, "1/4", False, "neither"),
    "sparse_sigmoid": (True, False, 0, True, "1/2", False, "neither"),
    "squareplus": (True, True, "inf", True, "1", False, "neither"),
    "bent_identity": (True, True, "inf", True, "0", True, "neither"),
    "isru": (True, True, "inf", True, "0", True, "odd"),
    "isrlu": (True, True, 2, True, "0", True, "neither"),
    "sqnl": (True, True, 1, True, "0", True, "odd"),
    "gaussian": (True, True, "inf", True, "1", False, "even"),
    "sinusoid": (True, True, "inf", True, "0", True, "odd"),
    "arctan": (True, True, "inf", True, "0", True, "odd"),
    "softclip": (True, True, "inf", True, "log(2/(1 + exp(-1)))", False, "neither"),
    "lisht": (True, True, "inf", True, "0", False, "even"),
    "sinc": (True, True, "inf", True, "1", False, "even"),
    "elish": (True, True, 1, True, "0", False, "neither"),
    "serf": (True, True, "inf", True, "0", False, "neither"),
    "tanhexp": (True, True, "inf", True, "0", False, "neither"),
    "identity": (True, True, "inf", True, "0", True, "odd"),
    "affine": (True, True, "inf", True, "1", False, "neither"),
    "quadratic": (True, True, "inf", True, "0", False, "even"),
    "sqrt": (True, False, 0, False, "0", False, "neither"),
    "log": (True, True, "inf", True, None, False, "neither"),
    "signed_sqrt": (True, False, 0, False, "0", False, "odd"),
    "exp": (True, True, "inf", True, "1", False, "neither"),
    "reciprocal": (True, True, "inf", True, None, False, "odd"),
    "heaviside": (False, False, -1, False, "1/2", False, "neither"),
    "floor": (False, False, -1, False, "0", False, "neither"),
}
PROPERTIES = ("continuous", "differentiable", "finite_gradient", "zero_centered",
              "identity_near_origin", "symmetric")


def test_table_covers_the_catalog():
    assert set(TABLE) == set(CATALOG)


def verdict(holds: bool) -> Verdict:
    return Verdict.proved if holds else Verdict.refuted


@pytest.fixture(scope="module")
def results():
    return catalog_runner(PROPERTIES)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_catalog_row(results, name):
    continuous, differentiable, smoothness, finite, f0, identity, parity = TABLE[name]
    got = results(name)
    assert all(r.verdict is not Verdict.unknown for r in got.values()), {
        p: r.reason for p, r in got.items()}
    assert got["continuous"].verdict is verdict(continuous)
    assert got["differentiable"].verdict is verdict(differentiable)
    assert got["differentiable"].facts["smoothness"] == smoothness
    assert got["finite_gradient"].verdict is verdict(finite)
    assert got["zero_centered"].verdict is verdict(f0 == "0")
    if f0 is None:
        assert got["zero_centered"].facts["f0"] is None
    else:
        assert sp.simplify(S(got["zero_centered"].facts["f0"]["exact"]) - S(f0)) == 0
    assert got["identity_near_origin"].verdict is verdict(identity)
    assert got["symmetric"].verdict is verdict(parity != "neither")
    assert got["symmetric"].facts["parity"] == parity
