"""The formula as written: sympy's evaluation never makes an undefined sub-term defined, and
verdicts over disconnected domains hold per component (issue 14's classes, exact outcomes;
the domains themselves are tabled in test_domain.py)."""

import math

import numpy as np
import pytest
import sympy as sp

from verifier.analysis.floats.program import evaluate
from verifier.model import Verdict
from verifier.properties import float_stable, nonlinear, symmetric
from verifier.properties.registry import checker
from tests.conftest import X
from tests.written_eval import evaluate_text

def test_the_evidence_says_which_form_is_used_where(context_of):
    steps = context_of("x**3/x**2").domain.steps
    assert steps[0] == "as written, 1/(x**2) needs x**2 != 0: x in (-∞, 0) ∪ (0, ∞)"
    assert steps[1] == ("sympy evaluates the written formula to x; that form is used only "
                        "where every written sub-term is defined, which excludes {0}")


def test_a_written_tree_equal_to_the_evaluated_one_is_still_cut():
    """Heaviside(x)*log(x) is the same tree evaluated or written, and may be the same object
    (sympy's cache hands one back when the trees are thawed); its pieces still make it 0
    left of 0, where log(x) as written is undefined."""
    from verifier.analysis.context import AnalysisContext
    from verifier.expr import parse_expression
    from verifier.properties import domain
    tree = parse_expression("Heaviside(x)*log(x)", as_written=True)
    result = domain.check(AnalysisContext(tree, X, written=tree))
    assert result.verdict is Verdict.refuted and result.witness["x"] < 0


# (text, nonlinear verdict): one affine function on every component, or not affine
NONLINEAR = [
    ("x**3/x**2", Verdict.refuted),            # x on both half-lines
    ("0*sqrt(x)", Verdict.refuted),
    ("exp(log(x))", Verdict.refuted),
    ("atan(x) - atan(-1/x)", Verdict.proved),  # -pi/2 left of 0, pi/2 right of it
    ("atan(x) + atan(1/x)", Verdict.proved),
    ("abs(x)/x", Verdict.proved),
    ("atan(tan(x))", Verdict.proved),          # a sawtooth
    ("2*log(x) - log(x**2)", Verdict.refuted), # 0 on (0, oo)
    ("x*sign(x)**2", Verdict.refuted),
]


@pytest.mark.parametrize("text, expected", NONLINEAR)
def test_nonlinear_holds_per_component(context_of, text, expected):
    outcome = nonlinear.check(context_of(text))
    assert outcome.verdict is expected, outcome.reason
    if expected is Verdict.refuted:   # the line really is f at points of every component
        a, b = (sp.sympify(outcome.witness[k]) for k in ("slope", "intercept"))
        for t in ("-2.5", "-0.25", "0.25", "3"):
            value = evaluate_text(text, t)
            if value is not None:
                assert abs(value - (a * sp.Rational(t) + b).evalf(50)) < 1e-30


def test_a_constant_on_each_half_line_is_not_symmetric_by_accident(context_of):
    # atan(x) + atan(1/x) = sign(x)*pi/2: odd, on the symmetric domain R \ {0}
    outcome = symmetric.check(context_of("atan(x) + atan(1/x)"))
    assert outcome.verdict is Verdict.proved and outcome.facts["parity"] == "odd"


@pytest.mark.parametrize("text", ["0*sqrt(x)", "Heaviside(x)*log(x)", "relu(x)*sqrt(x)"])
def test_a_zero_factor_does_not_define_the_other(context_of, text):
    ctx = context_of(text)
    assert ctx.defined_at(sp.Integer(-1)) is False
    assert symmetric.check(ctx).verdict is Verdict.refuted   # the domain is not symmetric


def test_float_evaluation_walks_the_written_tree():
    # exp(-x)*exp(x) is 1, but as written in float64 it is inf past 709.78, then 0*inf = NaN
    from verifier.expr import parse_expression
    written = parse_expression("exp(-x)*exp(x)", as_written=True)
    values, _ = evaluate(written, X, np.array([700.0, 720.0, 750.0]), "float64")
    assert values[0] == pytest.approx(1.0) and values[1] == math.inf and math.isnan(values[2])
    # a/b is one division: sin(x)/x at the smallest float32 subnormal is 1, not sin(x)*inf
    sinc = parse_expression("sin(x)/x", as_written=True)
    values, _ = evaluate(sinc, X, np.array([-1.4e-45]), "float32")
    assert values[0] == np.float32(1.0)


def test_float_stable_refutes_what_only_the_evaluated_form_survives(context_of):
    outcome = float_stable.check(context_of("exp(-x)*exp(x)"))
    assert outcome.verdict is Verdict.refuted
    assert outcome.witness["formula"] == "f" and outcome.witness["recheck"]["kind"] == "finite"


def test_an_undecided_limit_is_unknown_not_an_error(context_of):
    ctx = context_of("Piecewise((x**2*sin(1/x), Ne(x, 0)), (0, True))")
    for property_id in ("differentiable", "finite_gradient", "lipschitz"):
        assert checker(property_id)(ctx).verdict is Verdict.unknown
