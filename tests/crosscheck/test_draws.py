"""The decoded inputs: always inside their interval, representable in their width, simple on
zero bytes, and spread over the kinds of float an activation trips on."""

import math
import random

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.crosscheck import draws
from verifier.crosscheck.claims import Claimed
from verifier.crosscheck.probe import Probe, Subject

INTERVALS = [(-1e6, 1e6, False, False), (0.0, 1.0, True, False), (-3.5, -0.25, False, True),
             (1e-300, 1e300, True, True), (-2.0, 2.0, True, True), (5.0, 5.0, False, False)]


@pytest.mark.parametrize("lo, hi, open_lo, open_hi", INTERVALS)
@settings(max_examples=300, deadline=None)
@given(data=st.binary(min_size=9, max_size=9), index=st.integers(0, 30))
def test_a_decoded_float_lies_in_its_interval(lo, hi, open_lo, open_hi, data, index):
    value = draws.floats(lo, hi, exclude_min=open_lo, exclude_max=open_hi).decode(data, index)
    assert lo <= value <= hi and math.isfinite(value)
    assert not (open_lo and value == lo) and not (open_hi and value == hi)


@pytest.mark.parametrize("width, kind", [(16, np.float16), (32, np.float32)])
@settings(max_examples=300, deadline=None)
@given(data=st.binary(min_size=9, max_size=9), index=st.integers(0, 30))
def test_a_narrow_float_is_a_float_of_its_width(width, kind, data, index):
    value = draws.any_float(width).decode(data, index)
    assert float(kind(value)) == value and abs(value) <= float(np.finfo(kind).max)


def test_narrow_ends_round_inward():
    draw = draws.floats(0.1, 0.3, width=32)
    values = {draw.decode(bytes([k]) + bytes(8), 0) for k in range(8)}
    assert min(values) >= 0.1 and max(values) <= 0.3
    assert all(float(np.float32(v)) == v for v in values)


def test_an_empty_interval_is_refused():
    with pytest.raises(ValueError, match="no float in the interval"):
        draws.floats(1.0, 1.0, exclude_min=True)


def test_zero_bytes_give_simple_values():
    line = draws.floats(-1e6, 1e6)
    first = [line.decode(bytes(9), i) for i in range(8)]
    assert first == [0.0, 0.0, 5e-324, -1e6, math.nextafter(1e6, 0), 1.0, 0.0, 0.0]
    assert draws.floats(2.0, 9.0).decode(bytes(9), 0) == 2.0      # the end nearest 0
    assert draws.floats(-9.0, -2.0).decode(bytes(9), 0) == -2.0


def test_random_bytes_reach_every_scale_and_both_ends():
    rng = random.Random(7)
    draw = draws.floats(-1e6, 1e6)
    values = [draw.decode(rng.randbytes(9), 0) for _ in range(4000)]
    assert {-1e6, 1e6} <= set(values)
    magnitudes = {math.frexp(abs(v))[1] for v in values if v}
    assert min(magnitudes) < -1000 and max(magnitudes) == 20   # subnormals to 1e6
    assert sum(abs(v) <= 8 for v in values) > 1000              # the region that matters
    assert any(v < 0 for v in values) and any(v > 0 for v in values)


def test_combinators_use_their_own_slots():
    pair = draws.tuples(draws.sampled_from(["a", "b", "c"]), draws.floats(0.0, 1.0))
    assert pair.width == 10
    # the second part's choices are offset by one more: kind 2 + 1, an end
    assert pair.decode(bytes([1]) + bytes([2]) + bytes(8), 0) == ("b", 0.0)
    choice = draws.one_of(draws.just("zero"), draws.sampled_from([10, 20]))
    assert choice.width == 2
    assert [choice.decode(bytes(2), i) for i in range(4)] == ["zero", 10, "zero", 20]
    assert draws.just(3).map(lambda v: v * 2).decode(b"", 0) == 6


def test_a_claimed_interval_draws_only_inside_it():
    part = Claimed.of({"lo": -1.0, "hi": 2.5, "lo_closed": False, "hi_closed": True})
    draw = part.points()
    rng = random.Random(3)
    values = [draw.decode(rng.randbytes(draw.width), i) for i in range(2000)]
    assert all(part.contains(v) for v in values)
    assert 2.5 in values and -1.0 not in values
    assert any(-1.0 < v < -1.0 + 1e-12 for v in values)    # next to the open end


def test_a_short_list_is_checked_value_by_value_once():
    x = sp.Symbol("x")
    probe = Probe(Subject(x, x), 200)
    seen = []
    assert probe.search(draws.sampled_from([1.0, 2.0, 3.0]),
                        lambda t: seen.append(t) or None) is None
    assert seen == [1.0, 2.0, 3.0] and probe.drawn == 3
    found = probe.search(draws.just(5.0), lambda t: "five" if t == 5.0 else None)
    assert found == (5.0, "five") and probe.drawn == 4
    held = probe.for_all(draws.sampled_from([1.0, 2.0]), lambda t: None, tolerance=None,
                         claim="claimed points")
    assert held.examples == 2 and held.detail == "claimed points: held at each of its 2 listed inputs"
