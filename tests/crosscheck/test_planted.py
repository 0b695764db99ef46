"""Wrong claims planted into real results are caught: each cross-check reports a conflict
with a counterexample, while the untouched result agrees."""

import copy

import pytest

from verifier.crosscheck import Subject, crosscheck, withdraw_if_contradicted
from verifier.exit_codes import exit_code
from verifier.outcomes import build_report
from verifier.model import ActivationResult
from verifier.expr import parse_expression
from verifier.analysis.context import AnalysisContext
from verifier.model import Verdict
from verifier.properties.registry import checker
from tests.conftest import X


def _claim(text: str, property_id: str):
    expr, program = parse_expression(text), parse_expression(text, as_written=True)
    context = AnalysisContext(expr, X, written=program)
    return checker(property_id)(context), Subject(expr, X, written=program)


def _interval(lo, hi, lo_closed=False, hi_closed=False):
    return {"lo": lo, "hi": hi, "lo_closed": lo_closed, "hi_closed": hi_closed,
            "lo_exact": None, "hi_exact": None}


def _plant_range(result):
    result.facts["range"] = [_interval(-0.1, "oo", True)]     # swish goes down to -0.278


def _plant_monotonic(result):
    result.facts["increasing_on"] = [_interval(-3.0, "oo", True)]   # its minimum is at -1.278


def _plant_dead_zone(result):
    result.facts["dead_zones"] = [_interval("-oo", 1.0)]        # relu is alive on (0, 1)


def _plant_domain(result):
    result.facts["domain"] = [_interval(-1.0, "oo")]           # log is undefined on (-1, 0]
    result.facts["undefined"] = [_interval("-oo", -1.0, False, True)]


def _plant_lipschitz(result):
    result.facts["lipschitz_constant"] = {"value": 0.2, "exact": "1/5", "enclosure": None}


def _plant_vanishing(result):
    result.facts["vanishing_regions"] = [_interval("-oo", -5.0)]   # sigmoid: -6.9057...


@pytest.mark.parametrize("text, property_id, plant", [
    ("x*sigmoid(x)", "bounded", _plant_range),
    ("x*sigmoid(x)", "monotonic", _plant_monotonic),
    ("relu(x)", "no_dead_zone", _plant_dead_zone),
    ("log(x)", "domain", _plant_domain),
    ("sigmoid(x)", "lipschitz", _plant_lipschitz),
    ("sigmoid(x)", "no_vanishing_gradient", _plant_vanishing),
], ids=["range", "monotonic", "dead_zone", "domain", "lipschitz", "vanishing"])
def test_a_planted_wrong_claim_is_a_conflict(text, property_id, plant):
    result, subject = _claim(text, property_id)
    honest = crosscheck(property_id, result, subject, examples=100)
    assert honest.status == "agrees", honest.detail
    wrong = copy.deepcopy(result)
    plant(wrong)
    caught = crosscheck(property_id, wrong, subject, examples=100)
    assert caught.status == "conflict", caught.detail
    assert caught.counterexample is not None and caught.counterexample["message"]


def test_a_contradicted_verdict_is_withdrawn_and_still_a_defect():
    result, subject = _claim("log(x)", "domain")
    wrong = copy.deepcopy(result)
    _plant_domain(wrong)
    wrong.crosscheck = crosscheck("domain", wrong, subject, examples=100)
    shown = withdraw_if_contradicted(wrong)
    assert shown.verdict is Verdict.unknown and shown.facts == {} and shown.witness is None
    assert shown.reason.startswith("withdrawn: the numeric cross-check contradicts it: ")
    assert shown.withdrawn.verdict is Verdict.refuted
    assert shown.withdrawn.facts["domain"] == wrong.facts["domain"]
    activation = ActivationResult(name="log", expr="log(x)", properties={"domain": shown})
    report = build_report([activation], 0.0, properties=("domain",))
    assert report.summary.crosschecks["conflict"] == 1 and exit_code(report) == 3
    assert exit_code(report, allow_conflicts=True) == 0   # unknown is never a failure
    # an agreeing verdict is left as it is
    result.crosscheck = crosscheck("domain", result, subject, examples=100)
    assert withdraw_if_contradicted(result) is result


def test_an_unknown_verdict_with_a_counterexample_is_only_a_hint():
    result, subject = _claim("x*sigmoid(x)", "monotonic")
    unknown = result.model_copy(update={"verdict": Verdict.unknown, "facts": {}})
    check = crosscheck("monotonic", unknown, subject, examples=100)
    assert check.status == "hint" and "not a proof" in check.detail


def test_examples_must_be_positive():
    result, subject = _claim("x", "domain")
    with pytest.raises(ValueError):
        crosscheck("domain", result, subject, examples=0)
