"""assumed_sign: a sign proved by sympy's assumptions on a whole line or half-line, else 0."""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.analysis.assumed_signs import _takes_both_signs, assumed_sign
from verifier.expr import parse_expression
from tests.conftest import X


@pytest.mark.parametrize("text, lo, hi, sign", [
    ("exp(x) + x**2", -sp.oo, sp.oo, 1),
    ("-exp(-x) - 1", sp.Integer(3), sp.oo, -1),
    ("x - 3", sp.Integer(3), sp.oo, 1),          # on (3, oo), as t + 0 with t > 0
    ("x*tanh(x) - 1/2", -sp.oo, sp.oo, 0),       # both signs: no proof is sought
    ("x - 10", sp.Integer(3), sp.oo, 0),
])
def test_a_sign_is_proved_or_none_is_claimed(text, lo, hi, sign) -> None:
    assert assumed_sign(parse_expression(text), X, lo, hi) == sign


@pytest.mark.parametrize("text, lo, hi, both", [
    ("x*tanh(x) - 1/2", -sp.oo, sp.oo, True),    # negative at 1/2, positive at 1
    ("x - 10", sp.Integer(3), sp.oo, True),      # negative at 3.5, positive at 67
    ("10 - x", -sp.oo, sp.Integer(3), False),    # positive at every probe
    ("exp(x) + x**2", -sp.oo, sp.oo, False),
])
def test_both_signs_only_where_arb_certifies_both(text, lo, hi, both) -> None:
    assert _takes_both_signs(parse_expression(text), X, lo, hi) is both
