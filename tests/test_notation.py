"""The one formatter for people (verifier.notation): golden cases for numbers, sets and
witnesses, each the exact text a reader sees."""

import pytest
import sympy as sp
from flint import arb

from verifier import notation
from verifier.analysis.bounds import FLOAT_MAX
from tests.conftest import S

NUMBERS = [
    (S("0"), "0"), (S("1/1000"), "1/1000"), (S("-10*sqrt(10)"), "-10*sqrt(10)"),
    (S("log(2)"), "log(2)"), (sp.oo, "∞"), (-sp.oo, "-∞"),
    (sp.zoo, "complex infinity (pole)"), (sp.nan, "undefined (NaN)"),
    (-FLOAT_MAX, "-1.797693e308"),                       # never its 309 digits
    (S("2**200/3**120"), "894.2286"),                    # a long rational reads as a decimal
    (S("123456789012345678901234567890/7"), "1.763668e28"),
    (sp.Float(5.4e-20), "5.4e-20"), (S("I"), "I (not a real number)"),
    (0.001, "0.001"), (31.622776601683793, "31.62278"), (-1.8446744073709552e19, "-1.844674e19"),
]


@pytest.mark.parametrize("value, text", NUMBERS)
def test_numbers_read_as_people_write_them(value, text):
    assert notation.number(value) == text


TEXTS = [("oo", "∞"), ("zoo", "complex infinity (pole)"),
         ("[-0.000603520289272156 +/- 4.58e-19]", "-0.0006035203 ± 4.6e-19"),
         ("0e-194521124093543502833663002502481517402265781699685348148",
          "a number below 1e-400 in magnitude"),
         ("0e-19", "a number of magnitude below 1e-19"),
         ("-0.10032464929831499977", "-0.1003246"), ("1.0000000000000000000e-20", "1e-20")]


@pytest.mark.parametrize("text, shown", TEXTS)
def test_numbers_given_as_text(text, shown):
    assert notation.text_number(text) == shown


def test_balls_show_their_radius_only_where_it_matters():
    assert notation.ball(arb(2)) == "2"
    assert notation.ball(arb("0.1289930686587717", "1e-16")) == "0.1289931"
    assert notation.ball(arb("0.1289930686587717", "1e-16"), enclosure=True) == \
        "0.1289931 (certified ± 1.1e-16)"
    assert notation.ball(arb(0, "1e-19")) == "0 ± 1e-19"
    assert notation.ball(arb(1, "0.5")) == "1 ± 0.5"   # never overclaims digits


SETS = [
    ([sp.Interval.open(-sp.oo, 0), sp.FiniteSet(0)], "(-∞, 0]"),
    ([sp.Interval.open(-sp.oo, 0), sp.Interval.open(0, sp.oo)], "(-∞, 0) ∪ (0, ∞)"),
    ([sp.Interval(-1, 0), sp.Interval.Lopen(0, 1)], "[-1, 1]"),
    ([sp.FiniteSet(0)], "{0}"), ([], "no point"),
    ([sp.Interval(-sp.oo, -10 * sp.sqrt(10)), sp.Interval(10 * sp.sqrt(10), sp.oo)],
     "(-∞, -10*sqrt(10)] ∪ [10*sqrt(10), ∞)"),
]


@pytest.mark.parametrize("parts, text", SETS)
def test_sets_in_interval_notation(parts, text):
    assert notation.region(parts) == text


def test_json_facts_read_the_same_way():
    relu_dead = [{"lo": "-oo", "hi": 0.0, "lo_closed": False, "hi_closed": False,
                  "lo_exact": "-oo", "hi_exact": "0"}]
    assert notation.fact_region(relu_dead) == "(-∞, 0)"
    gelu = [{"lo": -1.7976931348623157e308, "hi": -3.7373491698594363, "lo_closed": False,
             "hi_closed": False, "lo_exact": "-(2 - 2**-52)*2**1023", "hi_exact": None}]
    assert notation.fact_region(gelu) == "(-1.797693e308, -3.737349)"
    closed = relu_dead + [{"value": 0.0, "exact": "0"}]
    assert notation.fact_region(closed) == "(-∞, 0]"
    assert notation.fact_region({"text": "Integers"}) == "the integers ℤ"
    assert notation.fact_number({"value": 1.1289930686587717, "exact": None,
                                 "enclosure": "[1.128993068658772 +/- 8.10e-16]"}) == "1.128993"


def test_witnesses_read_as_sentences():
    relu = {"x": {"value": 0.0, "exact": "0"},
            "one_sided_derivatives": {"x": {"value": 0.0, "exact": "0"},
                                      "left": {"value": 0.0, "exact": "0"},
                                      "right": {"value": 1.0, "exact": "1"}},
            "recheck": {"f(x-1e-20)": "0", "f(x)": "0", "f(x+1e-20)": "1.0000000000000000000e-20"}}
    assert notation.witness(relu) == (
        "x = 0; one_sided_derivatives = (x = 0; left = 0; right = 1); re-checked at 50 "
        "digits: f(x-1e-20) = 0, f(x) = 0, f(x+1e-20) = 1e-20")
    monotone = {"points": ["-7/4", "-1/4", "0"],
                "values": ["-0.070204617658748672969", "-0.10032464929831499977", "0"]}
    assert notation.witness(monotone) == \
        "points = -7/4, -1/4 and 0; values = -0.07020462, -0.1003246 and 0"


def test_counts_and_lists():
    assert [notation.count(n, w) for n, w in ((1, "error"), (2, "error"), (3, "property"),
                                              (5, "info"))] == \
        ["1 error", "2 errors", "3 properties", "5 info"]
    assert notation.listing([]) == "none" and notation.listing(["a", "b", "c"]) == "a, b and c"


@pytest.mark.parametrize("text, shown", [
    ("1.5930919111324522770e-58", "1.593092e-58"), ("-3.5e-350", "-3.5e-350"),
    ("1.2e-19452112409354350283366300250248151740226578169968534814",
     "a positive number of magnitude below 1e-400"),
    ("-18446744073709551616.", "-1.844674e19"), ("1000000.0000000000000", "1000000")])
def test_decimals_of_any_magnitude(text, shown):
    assert notation.text_number(text) == shown


def test_a_witness_reads_a_float_input_by_its_identifying_digits():
    text = notation.witness({"x": -2.499999761581421, "x_text": "-2.4999998", "ulps": 5.0,
                             "recheck": {"x": "-2.4999997615814208984375", "value": "4.8e-8",
                                         "kind": "finite"}})
    assert text == "x = -2.4999998; ulps = 5; re-checked at 50 digits: x = -2.4999998, " \
                   "value = 4.8e-8"
