"""Each finding says what is wrong and where, from the facts (not the last evidence line):
table-driven over catalog activations, each row the exact code and message a reader sees."""

import pytest

from verifier.finding_messages import code_table, describe, explanations
from verifier.properties.registry import PROPERTY_IDS
from verifier.rules import SHIPPED, load_rules
from tests.conftest import catalog_result

CASES = [   # (activation, property, code, message)
    ("relu", "no_dead_zone", "no_dead_zone.dead-zone", "f' = 0 on (-∞, 0)"),
    ("hard_swish", "no_dead_zone", "no_dead_zone.dead-zone", "f' = 0 on (-∞, -3)"),
    ("softshrink", "no_dead_zone", "no_dead_zone.dead-zone", "f' = 0 on (-1/2, 1/2)"),
    ("hardshrink", "no_dead_zone", "no_dead_zone.dead-zone", "f' = 0 on (-1/2, 1/2)"),
    ("sparse_plus", "no_dead_zone", "no_dead_zone.dead-zone", "f' = 0 on (-∞, -1)"),
    ("threshold_torch", "no_dead_zone", "no_dead_zone.dead-zone", "f' = 0 on (-∞, 1/10)"),
    ("relu", "no_vanishing_gradient", "no_vanishing_gradient.vanishing",
     "|f'| < 1/1000 on (-∞, 0)"),
    ("gelu_tanh", "monotonic", "monotonic.turning-point",
     "f is not monotone: decreasing on (-∞, -0.7524614], then increasing on [-0.7524614, ∞)"),
    ("reciprocal", "domain", "domain.pole", "f has a pole at x = 0: it is infinite there"),
    ("log", "domain", "domain.outside", "f is undefined on (-∞, 0]"),
    ("sqrt", "domain", "domain.outside", "f is undefined on (-∞, 0)"),
    ("heaviside", "continuous", "continuous.jump",
     "f jumps at x = 0: left limit 0, right limit 1, f(0) = 1/2"),
    ("heaviside", "finite_gradient", "finite_gradient.jump",
     "f jumps at x = 0, so its slope there is infinite"),
    ("signed_sqrt", "finite_gradient", "finite_gradient.vertical-tangent",
     "f' is infinite at x = 0 (one-sided derivatives ∞ and ∞)"),
    ("affine", "nonlinear", "nonlinear.affine",
     "f is affine (a straight line): a network of such units is one affine map"),
    ("gelu_tanh", "float_stable", "float_stable.nan",
     "f' is NaN in float32 for x in [-3.402823e38, -1.844674e19] ∪ [1.844674e19, 3.402823e38]:"
     " x**2 gives inf, then 0*inf = NaN"),
    ("gaussian", "float_stable", "float_stable.nan",
     "f' is NaN in float32 for x in [-3.402823e38, -1.701412e38] ∪ [1.701412e38, 3.402823e38]:"
     " a partial product of -2*x*exp(-x**2) gives inf, then 0*inf = NaN"),
    ("relu", "bounded", "bounded.unbounded", "f is unbounded above: its range is [0, ∞)"),
]


def _others(name: str) -> dict:
    return {pid: catalog_result(name, pid) for pid in ("continuous",)}


@pytest.mark.parametrize("name, pid, code, message", CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_finding_names_what_is_wrong_and_where(name, pid, code, message):
    told = describe(pid, catalog_result(name, pid), _others(name))
    assert (told.code, told.message) == (code, message)
    assert told.explanation == explanations()[code]["explain"] + (
        f"; fix: {explanations()[code]['fix']}" if "fix" in explanations()[code] else "")


def test_a_fact_rule_is_described_by_its_facts():
    told = describe("symmetric", catalog_result("quadratic", "symmetric"), {}, on_facts=True)
    assert (told.code, told.message) == (
        "symmetric.even", "f is even, f(-x) = f(x): it throws away the sign of its input")


def test_every_code_a_shipped_rule_can_raise_is_explained():
    """Each (property, kind) a describer returns has an entry; each shipped rule's property
    has at least one; each entry's code names a real property."""
    codes = {code for code, _ in code_table()}
    assert {code.split(".")[0] for code in codes} <= set(PROPERTY_IDS)
    for name in SHIPPED:
        for rule in load_rules(name).rule:
            assert any(code.startswith(rule.property + ".") for code in codes), rule.property
