"""Fuzzing the whole path from text to verdicts: random expression trees over the vocabulary
(hypothesis) and hostile texts. Every input must end as a result or a clear input error: no
crash, no internal error, no property past its time limit, no worker left behind."""

import pytest

from verifier.engine import check_activations
from verifier.model import Activation
from verifier.properties.registry import PROPERTY_IDS
from verifier.rules import load_rules

from tests.fuzz_inputs import HOSTILE, draw_trees
from tests.processes import NewChildren

SCREEN = load_rules("search").properties     # the cheap screen a search pipeline runs
LIMIT = 2.0


def _check_all_end_well(texts: list[str], properties, **options) -> None:
    new_children = NewChildren()
    report = check_activations([Activation(name=f"in{i}", expr=t) for i, t in enumerate(texts)],
                               properties=properties, timeout=LIMIT, jobs=2, **options)
    assert [a.expr for a in report.activations] == texts
    for activation in report.activations:
        error = activation.error
        if error is not None and error.kind == "parse":
            assert error.message.startswith("<input>: activation "), error.message
            assert activation.properties == {}
            continue
        assert error is None or error.kind == "limit", (activation.expr, error)
        assert list(activation.properties) == list(properties), activation.expr
        for property_id, result in activation.properties.items():
            if result.reason and result.reason.startswith("time limit"):   # cut, and said so
                assert activation.error is not None and activation.error.kind == "limit"
            if result.crosscheck is not None:
                assert result.crosscheck.status != "conflict", (
                    activation.expr, property_id, result.crosscheck.detail)
    assert report.summary.errors["internal"] == 0
    assert new_children() == set()


def test_a_thousand_random_and_hostile_inputs_end_as_results_or_input_errors():
    texts = draw_trees(1000) + HOSTILE
    assert len(set(texts)) >= 1000
    _check_all_end_well(texts, SCREEN, examples=None)


# the float scans of issue 19 take about 1.2 s a random tree, the other properties 0.1 s
ACCURACY = ["float_accurate", "gradient_accurate"]


@pytest.mark.slow
def test_random_inputs_through_every_property_and_the_cross_check():
    trees = draw_trees(60)
    _check_all_end_well(trees, [p for p in PROPERTY_IDS if p not in ACCURACY], examples=20)
    _check_all_end_well(trees[:20], ACCURACY, examples=20)
