"""One descriptor per property: its module and checker, its oracle, its typed facts; every
result's facts fit its model (rules may forbid only declared facts)."""

import inspect

import pydantic
import pytest

from tests.conftest import CATALOG_NAMES, catalog_result
from verifier.crosscheck.run import ORACLES
from verifier.facts import Facts
from verifier.model import Method, Verdict
from verifier.properties.registry import FACTS, PROPERTIES, PROPERTY_IDS, checker, result


@pytest.mark.parametrize("property_id", PROPERTY_IDS)
def test_every_property_has_a_checker_an_oracle_and_a_facts_model(property_id):
    descriptor = PROPERTIES[property_id]
    parameters = inspect.signature(checker(property_id)).parameters
    assert list(parameters) == ["ctx", *descriptor.options]   # settings come as options
    assert all(parameters[name].kind is inspect.Parameter.KEYWORD_ONLY and
               parameters[name].default is not inspect.Parameter.empty
               for name in descriptor.options)
    assert callable(ORACLES[property_id])
    assert ORACLES[property_id].__name__ == property_id   # the oracle named for it
    assert issubclass(descriptor.facts, Facts) and descriptor.facts is not Facts
    assert FACTS[property_id] == tuple(descriptor.facts.model_fields)


def test_a_result_whose_facts_break_the_contract_is_refused():
    with pytest.raises(pydantic.ValidationError):
        result("symmetric", Verdict.proved, Method.symbolic, evidence=[],
               facts={"parity": "sideways"})
    with pytest.raises(pydantic.ValidationError):
        result("domain", Verdict.proved, Method.symbolic, evidence=[], facts={"parity": "odd"})


@pytest.mark.parametrize("name", CATALOG_NAMES)
def test_catalog_facts_fit_their_models(name):
    for property_id in PROPERTY_IDS:
        facts = catalog_result(name, property_id).facts
        PROPERTIES[property_id].facts.model_validate(facts)
        assert set(facts) <= set(FACTS[property_id])
