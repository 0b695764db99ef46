"""The exhaustive 16-bit accuracy scan, checked against the tests' own exhaustive loop: numpy
programs written here, exact values by mpmath at 40 digits, ulps counted here."""

import math

import ml_dtypes
import mpmath
import numpy as np
import pytest

from verifier.analysis.floats.accuracy import (COLLAPSE_ULPS, rational_at, scan_inputs,
                                                scan_sixteen_bit, slope_of, value_of)
from verifier.expr import parse_expression
from tests.conftest import X

def _f(text: str):
    return value_of(parse_expression(text, as_written=True), X)


# text, the program written here with numpy, the exact value written here with mpmath
CASES = {
    "exp(x) - 1": (lambda h: np.exp(h) - h.dtype.type(1), lambda t: mpmath.expm1(t)),
    "x - tanh(x)": (lambda h: h - np.tanh(h), lambda t: t - mpmath.tanh(t)),
    "expm1(x)": (np.expm1, mpmath.expm1),
}


def _independent_max_ulps(program, exact, dtype) -> tuple[float, float]:
    """(max error in ulps, the input where it is reached) over every finite input whose exact
    value is a normal number of the dtype, by plain loops."""
    info = ml_dtypes.finfo(dtype)
    bits, smallest, largest = int(info.nmant) + 1, float(info.smallest_normal), float(info.max)
    every = np.arange(2 ** 16, dtype=np.uint16).view(dtype)
    with np.errstate(all="ignore"):
        computed = program(every).astype(np.float64)
        inputs = every.astype(np.float64)
    worst, where = 0.0, math.nan
    with mpmath.workdps(40):
        for t, got in zip(inputs.tolist(), computed.tolist()):
            if not math.isfinite(t):
                continue
            value = exact(mpmath.mpf(t))
            if not smallest <= abs(value) < largest:
                continue
            ulp = math.ldexp(1.0, math.frexp(float(abs(value)))[1] - bits)
            error = float(abs(mpmath.mpf(got) - value) / ulp) if math.isfinite(got) else math.inf
            if error > worst:
                worst, where = error, t
    return worst, where


@pytest.mark.parametrize("text", CASES)
def test_float16_max_ulps_is_the_exhaustive_maximum(text):
    program, exact = CASES[text]
    expected, at = _independent_max_ulps(program, exact, np.float16)
    scan = scan_sixteen_bit(_f(text), "float16")
    assert scan.unresolved == []
    assert scan.max_ulps == pytest.approx(expected, rel=1e-9)
    assert scan.worst.x == at and scan.worst.ulps_low == pytest.approx(expected, rel=1e-9)


def test_bfloat16_tanh_is_correctly_rounded_and_expm1_by_hand_is_not():
    tanh = scan_sixteen_bit(_f("tanh(x)"), "bfloat16")
    assert tanh.max_ulps <= 0.5 and tanh.collapses == []
    naive = scan_sixteen_bit(_f("exp(x) - 1"), "bfloat16")
    expected, _ = _independent_max_ulps(CASES["exp(x) - 1"][0], CASES["exp(x) - 1"][1],
                                        ml_dtypes.bfloat16)
    assert naive.max_ulps == pytest.approx(expected, rel=1e-9)


def test_a_result_of_zero_for_a_normal_value_is_a_collapse():
    """exp(2**-12) rounds to 1 in float16: exp(x) - 1 is 0 where the value is 2.4e-4."""
    scan = scan_sixteen_bit(_f("exp(x) - 1"), "float16")
    collapsed = {entry.x: entry for entry in scan.collapses}
    assert collapsed[2.0 ** -12].computed == 0.0
    assert collapsed[2.0 ** -12].ulps_low > 100
    assert all(e.computed == 0 or e.ulps_low > COLLAPSE_ULPS or not math.isfinite(e.computed)
               or (e.computed > 0) != (e.x > 0) for e in scan.collapses)
    assert scan_sixteen_bit(_f("expm1(x)"), "float16").collapses == []


def test_inputs_where_the_formula_is_undefined_are_not_compared():
    """log(x) in float16: the 31,743 negative inputs and 0 are listed as unresolved (no
    finite value), the positive ones but 1 (log(1) = 0 is no normal number) compared."""
    scan = scan_sixteen_bit(_f("log(x)"), "float16")
    assert len(scan.unresolved) == 31744 and all(p <= 0 for p in scan.unresolved)
    assert scan.compared == 31742
    # numpy computes float16 log in float32 and rounds twice: just over half an ulp
    assert 0.5 < scan.max_ulps < 0.51 and scan.collapses == []


def _search(text: str, dtype: str, **params):
    from verifier.analysis.floats.accuracy import search_worst
    from verifier.functions import build_expression
    from verifier.model import Activation
    written = build_expression(Activation(name="f", expr=text, params=params), as_written=True)
    return search_worst(value_of(written, X), dtype)


# issue 19's framework bugs, each found by the float32 search with a certified error
def test_elu_as_written_collapses_to_zero_just_left_of_zero_and_expm1_does_not():
    naive = _search("Piecewise((x, x > 0), (alpha * (exp(x) - 1), True))", "float32", alpha=1)
    assert any(c.computed == 0.0 and -1e-7 < c.x < 0 for c in naive.collapses)
    fixed = _search("Piecewise((x, x > 0), (alpha * expm1(x), True))", "float32", alpha=1)
    assert fixed.collapses == [] and fixed.max_ulps < 4


def test_tanhshrink_loses_every_digit_near_zero():
    scan = _search("x - tanh(x)", "float32")
    assert scan.worst.ulps_low > 1e4 and abs(scan.worst.x) < 1e-2


def test_gelu_tanh_gives_zero_on_its_negative_tail():
    scan = _search("0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))", "float32")
    assert any(c.computed == 0.0 and c.x < -5 for c in scan.collapses)


def test_log_sigmoid_is_minus_infinity_where_its_value_is_about_x():
    naive = _search("log(sigmoid(x))", "float32")
    assert any(c.computed == -math.inf and -200 < c.x < -100 for c in naive.collapses)
    assert _search("-softplus(-x)", "float32").collapses == []


def test_the_search_walks_the_float_ordering():
    from verifier.analysis.floats.accuracy import _around
    near = _around(np.array([1.0, -1.0], dtype=np.float32), 8).tolist()
    one = np.float32(1.0)
    assert float(np.nextafter(one, np.float32(2))) in near
    assert float(np.nextafter(one, np.float32(0))) in near
    assert float(-np.nextafter(one, np.float32(2))) in near and 1.0 not in near


def _slope(text: str):
    return slope_of(parse_expression(text), parse_expression(text, as_written=True), X)


def test_tanh_gradient_vanishes_in_float16_before_it_does():
    """autodiff's 1 - t*t is 0 in float16 once tanh rounds to 1 (x >= 4.5 or so), where the
    true f' (1.8e-4 at 5) is still a normal float16: a collapse of the gradient."""
    scan = scan_sixteen_bit(_slope("tanh(x)"), "float16")
    assert any(c.computed == 0.0 and 4 < abs(c.x) < 6 for c in scan.collapses)
    with mpmath.workdps(30):
        for c in scan.collapses[:20]:   # each collapse's true f' is a normal float16
            assert abs(1 - mpmath.tanh(c.x) ** 2) >= float(np.finfo(np.float16).tiny)


def test_a_kink_is_no_input_of_the_gradient_scan():
    """relu' does not exist at 0 (sympy's Heaviside(0) = 1/2 is a convention): 0 is not
    compared; everywhere else autodiff's 0 and 1 are exact."""
    scan = scan_sixteen_bit(_slope("relu(x)"), "float16")
    assert 0.0 in scan.unresolved and scan.max_ulps == 0 and scan.collapses == []
    assert scan.compared == 31743   # the positive finite inputs (relu' = 0 is no normal)


def test_gelu_tanh_gradient_is_nan_in_float16_where_3x_squared_overflows():
    """issue 19: autodiff of 0.044715*x**3 multiplies a zero gradient (tanh saturated) by
    3*x**2, which is inf in float16 above x = 147.8: 0*inf = NaN where f' is about 1."""
    text = "0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))"
    scan = scan_sixteen_bit(_slope(text), "float16")
    assert any(not math.isfinite(c.computed) and 147 < abs(c.x) < 200 for c in scan.collapses)
    assert not any(not math.isfinite(c.computed) and abs(c.x) < 100 for c in scan.collapses)


def test_a_sample_is_scanned_as_given_and_claims_no_bound():
    sample = np.array([0.5, 1.0, 2.0, -3.0, np.nan], dtype=np.float32)
    scan = scan_inputs(_f("exp(x)"), "float32", sample)
    assert not scan.exhaustive and scan.compared == 4 and set(scan.errors) == {0.5, 1.0, 2.0, -3.0}
    assert scan.max_ulps < 4


def test_an_exact_value_next_to_the_largest_float_keeps_finite_ends():
    """asinh(x)*abs(x) at -2.55e305 is -1.7976931348623156e308, inside the largest float: its
    ends once stepped past it to -inf, and the error's lower bound read 7e307 ulps (a false
    refutation); numpy's result is the largest float, 0.39 ulps off."""
    written = parse_expression("asinh(x)*abs(x)", as_written=True)
    scan = scan_inputs(value_of(written, X), "float64", np.array([-2.5538345079882063e305]))
    ((low, high),) = scan.errors.values()
    assert 0.3939 < low <= high < 0.394


@pytest.mark.parametrize("quantity, text, point", [
    (_f, "max(x, x/100)", -100 * 2.0 ** -14),   # leaky relu's f: exactly -tiny
    (_slope, "x*abs(x)", 2.0 ** -15),           # f' = 2|x| = tiny (enclosed over a ball)
])
def test_an_exact_value_at_the_smallest_normal_is_placed_by_its_rational_value(
        quantity, text, point):
    """Every arb ball of such a value straddles the end of float16's normal range (x/100 is
    not exact in binary; f' is enclosed around the input); its exact rational value is a
    normal float, compared exactly."""
    scan = scan_inputs(quantity(text), "float16", np.array([point]))
    assert scan.unresolved == [] and scan.compared == 1
    assert scan.errors[point] == (0.0, 0.0)


def test_no_rational_value_is_read_for_a_transcendental_or_a_huge_power():
    assert rational_at(parse_expression("exp(x) - 1", as_written=True), X)(0.5) is None
    assert rational_at(parse_expression("x**100", as_written=True), X)(0.5) is None
    assert rational_at(parse_expression("where(x > 0, x, x/3)", as_written=True), X)(-3.0) == -1
