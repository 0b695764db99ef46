"""Each property reports only the facts it declares (rules may forbid only those)."""

import pytest

from tests.conftest import CATALOG_NAMES, catalog_result
from verifier.properties.registry import FACTS, PROPERTY_IDS



def test_every_property_declares_its_facts():
    assert set(FACTS) == set(PROPERTY_IDS)


@pytest.mark.parametrize("name", CATALOG_NAMES)
def test_catalog_facts_are_declared(name):
    for property_id in PROPERTY_IDS:
        assert set(catalog_result(name, property_id).facts) <= set(FACTS[property_id])
