"""Issue 4's properties on the catalog: one row per activation (monotonic, bounded with its
range, lipschitz constant, injective). None means the verdict is `unknown` today (it must say
why); every decided value is compared exactly or to 1e-12 relative."""

import pytest
import sympy as sp

from verifier.model import Verdict
from tests.conftest import CATALOG, S, catalog_runner
from tests.tolerances import near

pytestmark = pytest.mark.slow  # ~80 s: certified branch-and-bound over the whole catalog

OO = "oo"
SELU_SCALE_ALPHA = ("10507009873554804934193349852946/10**31"
                    " * 16732632423543772848170429916717/10**31")
# name: (monotonicity, (lo, hi, lo_closed, hi_closed) or None, lipschitz, injective)
TABLE = {
    "relu": ("nondecreasing", ("0", OO, True, False), "1", False),
    "relu6": ("nondecreasing", ("0", "6", True, True), "1", False),
    "leaky_relu_torch": ("increasing", ("-oo", OO, False, False), "1", True),
    "leaky_relu_keras": ("increasing", ("-oo", OO, False, False), "1", True),
    "prelu_torch": ("increasing", ("-oo", OO, False, False), "1", True),
    "rrelu_torch": ("increasing", ("-oo", OO, False, False), "1", True),
    "elu": ("increasing", ("-1", OO, False, False), "1", True),
    "elu_expm1": ("increasing", ("-1", OO, False, False), "1", True),
    "selu": ("increasing", (f"-{SELU_SCALE_ALPHA}", OO, False, False), SELU_SCALE_ALPHA, True),
    "celu": ("increasing", ("-1", OO, False, False), "1", True),
    "gelu": ("none", (-0.169971207479904, OO, True, False), "exp(-1)/sqrt(pi) + erf(1)/2 + 1/2",
             False),
    "gelu_tanh": ("none", (-0.170040750571254, OO, True, False), 1.12899306865877, False),
    "sigmoid": ("increasing", ("0", "1", False, False), "1/4", True),
    "hard_sigmoid_torch": ("nondecreasing", ("0", "1", True, True), "1/6", False),
    "hard_sigmoid_keras2": ("nondecreasing", ("0", "1", True, True), "1/5", False),
    "tanh": ("increasing", ("-1", "1", False, False), "1", True),
    "hard_tanh": ("nondecreasing", ("-1", "1", True, True), "1", False),
    "softplus": ("increasing", ("0", OO, False, False), "1", True),
    "softplus_torch": ("none", ("0", OO, False, False), OO, False),
    "softsign": ("increasing", ("-1", "1", False, False), "1", True),
    "swish": ("none", ("-LambertW(exp(-1))", OO, True, False), 1.09983932012887, False),
    "silu": ("none", ("-LambertW(exp(-1))", OO, True, False), 1.09983932012887, False),
    "hard_swish": ("none", ("-3/8", OO, True, False), "3/2", False),
    "mish": ("none", (-0.308843413017250, OO, True, False), 1.08849816125173, False),
    "log_sigmoid": ("increasing", ("-oo", "0", False, False), "1", True),
    "log_sigmoid_naive": ("increasing", ("-oo", "0", False, False), "1", True),
    "tanhshrink": ("increasing", ("-oo", OO, False, False), "1", True),
    "softshrink": ("nondecreasing", ("-oo", OO, False, False), "1", False),
    "hardshrink": ("nondecreasing", ("-oo", OO, False, False), OO, False),
    "threshold_torch": ("none", ("1/10", OO, False, False), OO, False),
    "sparse_plus": ("nondecreasing", ("0", OO, True, False), "1", False),
    "sparse_sigmoid": ("nondecreasing", ("0", "1", True, True), "1/2", False),
    "squareplus": ("increasing", ("0", OO, False, False), "1", True),
    "bent_identity": ("increasing", ("-oo", OO, False, False), "3/2", True),
    "isru": ("increasing", ("-1", "1", False, False), "1", True),
    "isrlu": ("increasing", ("-1", OO, False, False), "1", True),
    "sqnl": ("nondecreasing", ("-1", "1", True, True), "1", False),
    "gaussian": ("none", ("0", "1", False, True), "sqrt(2)*exp(-1/2)", False),
    "sinusoid": ("none", ("-1", "1", True, True), "1", False),
    "arctan": ("increasing", ("-pi/2", "pi/2", False, False), "1", True),
    "softclip": ("increasing", ("0", "1", False, False), "tanh(1/4)", True),
    "lisht": ("none", ("0", OO, True, False), 1.19967864025773, False),
    "sinc": ("none", (-0.217233628211222, "1", True, True), 0.436181817271459, False),
    "elish": ("none", ("-3 + 2*sqrt(2)", OO, True, False), 1.09983932012887, False),
    "serf": ("none", (-0.348437458759606, OO, True, False), 1.08612544415100, False),
    "tanhexp": ("none", (-0.353285777848211, OO, True, False), 1.06197530871792, False),
    "identity": ("increasing", ("-oo", OO, False, False), "1", True),
    "affine": ("increasing", ("-oo", OO, False, False), "2", True),
    "quadratic": ("none", ("0", OO, True, False), OO, False),
    "sqrt": ("increasing", ("0", OO, True, False), OO, True),
    "log": ("increasing", ("-oo", OO, False, False), OO, True),
    "signed_sqrt": ("increasing", ("-oo", OO, False, False), OO, True),
    "exp": ("increasing", ("0", OO, False, False), OO, True),
    "reciprocal": ("none", ("-oo", OO, False, False), OO, True),
    "heaviside": ("nondecreasing", ("0", "1", True, True), OO, False),
    "floor": ("nondecreasing", "Integers", OO, False),
}


def test_table_covers_the_catalog():
    assert set(TABLE) == set(CATALOG)


def close(got: dict, expected) -> bool:
    """A fact value equals an exact expected value, or a float one to 1e-12 relative."""
    if expected in ("oo", "-oo") or isinstance(expected, float):
        return near(got["value"], expected)
    if got.get("exact") is not None:
        return sp.simplify(S(got["exact"]) - S(expected)) == 0
    return near(got["value"], float(S(expected)))


@pytest.fixture(scope="module")
def results():
    return catalog_runner(("monotonic", "bounded", "lipschitz", "injective"))


@pytest.mark.parametrize("name", sorted(TABLE))
def test_catalog_row(results, name):
    monotonicity, range_, lipschitz, injective = TABLE[name]
    got = results(name)
    for property_id, expected in (("bounded", range_), ("lipschitz", lipschitz),
                                  ("injective", injective)):
        if expected is None:
            assert got[property_id].verdict is Verdict.unknown and got[property_id].reason
    assert got["monotonic"].facts["monotonicity"] == monotonicity
    assert got["monotonic"].verdict is (Verdict.refuted if monotonicity == "none"
                                        else Verdict.proved)
    if range_ == "Integers":
        assert got["bounded"].facts["range"] == {"text": "Integers"}
        assert got["bounded"].verdict is Verdict.refuted
    elif range_ is not None:
        lo, hi, lo_closed, hi_closed = range_
        (interval,) = got["bounded"].facts["range"]
        assert close({"value": interval["lo"], "exact": interval["lo_exact"]}, lo)
        assert close({"value": interval["hi"], "exact": interval["hi_exact"]}, hi)
        assert (interval["lo_closed"], interval["hi_closed"]) == (lo_closed, hi_closed)
        bounded = lo != "-oo" and hi != OO
        assert got["bounded"].verdict is (Verdict.proved if bounded else Verdict.refuted)
    if lipschitz is not None:
        constant = got["lipschitz"].facts["lipschitz_constant"]
        if lipschitz == OO:
            assert constant == OO and got["lipschitz"].verdict is Verdict.refuted
        else:
            assert close(constant, lipschitz) and got["lipschitz"].verdict is Verdict.proved
    if injective is not None:
        assert got["injective"].verdict is (Verdict.proved if injective else Verdict.refuted)
