"""The JSON schema of the report (actverify/report/v1): the models' own schema, with each
property's facts pinned to its facts model (verifier.facts), in a verdict and in a withdrawn
one alike.

The committed copy (tests/data/report.schema.json) is compared with this in the tests: a
change of the contract is a deliberate change of that file. What the schema does not pin:
which facts a property reports in a given result (every fact is optional), or their values.
"""

from __future__ import annotations

from typing import Any

from verifier.model import Report
from verifier.properties.registry import PROPERTIES


def report_schema() -> dict[str, Any]:
    schema = Report.model_json_schema(by_alias=True)
    definitions = schema["$defs"]
    by_property = {}
    for property_id, descriptor in PROPERTIES.items():
        model = descriptor.facts
        own = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        for name, shape in {**own.pop("$defs", {}), model.__name__: own}.items():
            if definitions.setdefault(name, shape) != shape:
                raise ValueError(f"two shapes named {name} in the report schema")
        facts = {"$ref": f"#/$defs/{model.__name__}"}
        by_property[property_id] = {"allOf": [{"$ref": "#/$defs/PropertyResult"}, {
            "properties": {"facts": facts, "withdrawn": {"anyOf": [
                {"type": "null"}, {"properties": {"facts": facts}}]}}}]}
    definitions["ActivationResult"]["properties"]["properties"]["properties"] = by_property
    return schema
