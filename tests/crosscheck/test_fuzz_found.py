"""Cases the fuzzed cross-check got wrong once (each a limit of the numeric side, or one break
float_stable missed): every verdict must now agree or be skipped with a reason."""

import pytest

from verifier import verify

CASES = [
    "Piecewise((7/3, x >= pi), (2, True))",          # a jump at an irrational point
    "asinh(max(-11, asinh(x)))",                      # a kink at sinh(-11)
    "Piecewise((-1, x > sin(10)), (softplus(x), True))",   # a closed end that is no float
    "erfc(x)",                                        # injective: erfc(16) vs erfc(17)
    "Abs(x)",                                         # a kink is no vanishing gradient
    "x*sin(1/x)",                                     # too steep near 0 for difference tests
    "1/(x - pi)",                                     # a pole at pi; float32 breaks next to it
]


@pytest.mark.parametrize("text", CASES)
def test_no_conflict(text):
    activation = verify(text, examples=30).activations[0]
    conflicts = {pid: r.crosscheck.detail for pid, r in activation.properties.items()
                 if r.crosscheck is not None and r.crosscheck.status == "conflict"}
    assert conflicts == {}


def test_the_pole_is_the_lipschitz_witness():
    result = verify("1/(x - pi)", properties=["lipschitz"], examples=None)["1/(x - pi)"]
    assert result["lipschitz"].witness["x"] == {"value": 3.141592653589793, "exact": "pi"}
