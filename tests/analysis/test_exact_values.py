"""A float format's overflow threshold: exact as a fraction, and as an arb ball made at the
working precision it is asked at (kept per precision, never one precision's for another's)."""

from fractions import Fraction

import pytest
from flint import arb

from verifier.analysis.arb.certified import working_precision
from verifier.analysis.floats.exact_values import Precision


@pytest.mark.parametrize("dtype, threshold", [
    ("float16", Fraction(65520)),                        # 65504 + half its ulp of 32
    ("float32", Fraction(2**128 - 2**103)),              # largest + 2**103
    ("float64", Fraction(2**1024 - 2**970)),             # largest + 2**970
])
def test_the_overflow_threshold_is_the_largest_float_plus_half_an_ulp(dtype, threshold):
    assert Precision.of(dtype).overflow_exactly == threshold


def test_the_overflow_ball_is_made_at_the_precision_it_is_asked_at():
    float64 = Precision.of("float64")
    with working_precision(53):      # 54 bits do not fit: a rounded ball with a radius
        coarse = float64.overflow
    with working_precision(128):     # asked again at 128 bits: exact, not the 53-bit ball
        fine = float64.overflow
    with working_precision(53):
        assert float64.overflow.rad() == coarse.rad() > 0
    assert fine.rad() == 0 and fine == arb(2**1024 - 2**970)
