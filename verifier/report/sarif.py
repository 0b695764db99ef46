"""SARIF 2.1.0 for code scanning (pure: report in, JSON text out): one reporting rule per
property, one result per finding, located at the function file's line of the activation.

Levels: error -> "error", warning -> "warning", info -> "note". Activations given on the
command line (--expr) or through the API have no file: their results carry no location.
"""

from __future__ import annotations

import json

from verifier.model import Report, Severity
from verifier.properties.registry import STATEMENTS

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}


def render_sarif(report: Report) -> str:
    properties = list(report.summary.counts)
    rules = [{"id": pid, "name": pid, "shortDescription": {"text": STATEMENTS[pid]},
              "helpUri": "https://github.com/actverify/actverify#properties"}
             for pid in properties]
    index = {pid: i for i, pid in enumerate(properties)}
    results = []
    for activation in report.activations:
        for finding in activation.findings:
            result = {"ruleId": finding.property, "ruleIndex": index[finding.property],
                      "level": _LEVELS[finding.severity],
                      "message": {"text": f"{finding.message} ({finding.why})"}}
            if activation.file and activation.file not in ("--expr", "<api>"):
                location = {"artifactLocation": {"uri": activation.file}}
                if activation.line:
                    location["region"] = {"startLine": activation.line}
                result["locations"] = [{"physicalLocation": location}]
            results.append(result)
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": report.tool.name, "version": report.tool.version,
                            "informationUri": "https://github.com/actverify/actverify",
                            "rules": rules}},
        "results": results}]}
    return json.dumps(log, indent=2) + "\n"
