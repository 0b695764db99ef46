"""Certified enclosures: rigorous, and accurate where naive evaluation cancels."""

import sympy as sp
from flint import arb

from verifier.analysis.arb.certified import enclose, exact_ball, tighten
from verifier.analysis.arb.endpoints import bounds, certain_sign
from verifier.analysis.signs import sign_structure
from verifier.expr import parse_expression
from tests.conftest import X


def test_cancelling_forms_keep_their_sign():
    assert enclose(parse_expression("Phi(x)"), X, arb(-40)) > 0          # 1/2 + erf/2
    assert enclose(parse_expression("log(1 + exp(x))"), X, arb(-1000)) > 0  # log1p
    assert enclose(parse_expression("exp(x) - 1"), X, arb("1e-30")) > 0     # expm1


def test_endpoint_intervals_keep_the_ends_of_exp_on_wide_boxes():
    u = parse_expression("-x*(1 - 2/(exp(x) + 1)) + 2")
    low, high = bounds(u, X, arb(2048), arb(4096))
    assert high < 0 and low > -4097


def test_endpoint_enclosure_contains_sampled_values():
    for text in ("x*exp(-x)/(1 + exp(x))", "sin(x)*x + exp(-x**2)", "1/(1 + x**2)"):
        f = parse_expression(text)
        low, high = bounds(f, X, arb(-3), arb(-1))
        for k in range(41):
            value = exact_ball(f.subs(X, -3 + sp.Rational(k, 20)))
            assert value >= low.lower() and value <= high.upper()


def test_swish_minimum_is_certified_and_exact():
    structure = sign_structure(sp.diff(parse_expression("x*sigmoid(x)"), X), X, -sp.oo, sp.oo)
    (zero,) = structure.zeros
    assert zero.exact == -1 - sp.LambertW(sp.exp(-1))


GELU_TANH = "0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))"


def test_sums_that_cancel_are_rewritten_for_any_constant():
    c = sp.Integer(26829) * sp.sqrt(2)
    v = X**3 + X
    rewritten = tighten(c * sp.tanh(v) - c)
    assert not rewritten.has(sp.tanh)
    for point in ("-2", "1/3", "5"):   # the same function (mpmath, independently)
        at = {X: sp.Rational(point)}
        assert sp.N((c * sp.tanh(v) - c).subs(at), 40) == sp.N(rewritten.subs(at), 40)
    assert tighten(c * sp.tanh(v) - 2 * c) == c * sp.tanh(v) - 2 * c   # no such identity


def test_exp_past_arbs_range_still_bounds_its_reciprocal():
    # arb's exp(1e150) is [+/- inf]; 1/(exp(x**3) + 1) on [1e50, 1e51] is in [0, tiny]
    low, high = bounds(1 / (sp.exp(X**3) + 1), X, arb(10)**50, arb(10)**51)
    assert low == 0 and 0 < high < arb(10)**-1000


def test_gelu_tanh_slope_far_out_is_certified_by_its_collected_form():
    rest = parse_expression("26829*sqrt(2)*x**3*tanh(8943*sqrt(2)*x**3/(200000*sqrt(pi)) "
                            "+ sqrt(2)*x/sqrt(pi)) - 26829*sqrt(2)*x**3 + 200000*sqrt(2)*x*"
                            "tanh(8943*sqrt(2)*x**3/(200000*sqrt(pi)) + sqrt(2)*x/sqrt(pi)) "
                            "- 200000*sqrt(2)*x - 200000*sqrt(pi)")
    ends = exact_ball(sp.Integer(10)**300), exact_ball(sp.Integer(10)**308)
    assert certain_sign(tighten(rest), X, *ends, 128) == 0      # as written: cancels
    assert certain_sign(tighten(sp.collect(rest, X)), X, *ends, 128) == -1


def test_gelu_tanh_slope_sign_is_certified_on_the_whole_line():
    f = parse_expression(GELU_TANH)
    structure = sign_structure(sp.diff(f, X), X, -sp.oo, sp.oo)
    (zero,) = structure.zeros
    assert abs(float(zero.probe()) + 0.7524614220710163) < 1e-12
    assert [s.sign for s in structure.stretches] == [-1, 1]
    assert not structure.clipped and not structure.undecided
    assert structure.evidence[0].endswith("+ 1 is positive on (-∞, ∞): same sign and zeros as "
                                          "the rest")   # tanh(v) + 1 dropped


def test_an_integer_power_of_a_wide_ball_is_the_interval_of_its_ends():
    from verifier.analysis.arb.ball_program import integer_power
    wide = arb(4).union(arb(16))                      # [4, 16]
    square = integer_power(wide, 2)
    assert square.lower() > 15 and square.upper() < 257          # not [-56, 256]
    across = integer_power(arb(-1).union(arb(3)), 2)  # [-1, 3]: [0, 9]
    assert across.contains(0) and across.lower() >= 0 and across.upper() < 9.0001
    cube = integer_power(arb(-3).union(arb(-1)), 3)   # [-27, -1]
    assert cube < 0 and cube.lower() > -27.0001
    # the values at sampled points of the ball lie inside (soundness)
    for k in range(13):
        assert integer_power(wide, 3).contains(arb(4 + k) ** 3)
    # sqrt(x**2 + 1) on [4, 16] is certified positive (it was "not certainly positive")
    u = parse_expression("x/(2*sqrt(x**2 + 1)) + 1")
    assert enclose(u, X, wide) > 0


def test_more_digits_only_where_the_midpoint_is_not_resolved():
    from verifier.analysis.boxes import _PRECISIONS, _decide, _width_limited
    from verifier.analysis.sign_forms import Forms
    # far out, 128 bits cannot resolve this box nor its midpoint; 1024 bits decide it
    far = parse_expression("x*(2*exp(x)*tanh(exp(x)) - 1) - 2")
    a, b = sp.Integer(2)**128, sp.Integer(2)**256
    assert not _width_limited(far, X, a, b, _PRECISIONS[0])
    records: list = []
    assert _decide(Forms((far,), X, None), X, a, b, records, [], _PRECISIONS)
    assert records == [(a, b, 1)]
    # a binade that fails for its width (x/sqrt(x**2 + 1) over [-2048, -1024]): bisected
    # without a 1024-bit try, its midpoint being certified at 128 bits
    wide = parse_expression("x/(2*sqrt(x**2 + 1)) + 1")
    assert _width_limited(wide, X, sp.Integer(-2048), sp.Integer(-1024), _PRECISIONS[0])


def test_kept_constants_and_repeated_terms_follow_the_precision_and_the_ball():
    """A constant is kept per precision and a repeated subexpression per ball: neither is
    reused at another precision or for another ball."""
    f = parse_expression("pi*exp(x)/(1 + exp(x)) + exp(x)")
    coarse, fine = enclose(f, X, arb(1), precision=64), enclose(f, X, arb(1), precision=1280)
    assert coarse.rad() > arb(2) ** -80 and fine.rad() < arb(2) ** -1200 and fine in coarse
    at_two = enclose(f, X, arb(2), precision=1280)
    assert not at_two.overlaps(fine)
    assert enclose(f, X, arb(1), precision=1280).mid() == fine.mid()
    assert at_two.overlaps(exact_ball(sp.pi * sp.E**2 / (1 + sp.E**2) + sp.E**2))
