"""SARIF 2.1.0 for code scanning (pure: report in, JSON text out): one reporting rule per
finding code (`<property>.<kind>`, see verifier.finding_messages) and per activation error
kind, one result per finding or error, located at the function file's `expr` line and column.

Levels: error -> "error", warning -> "warning", info -> "note". Activations given on the
command line (--expr) or through the API have no file: their results carry no location.
Messages are the console's (one line: the message, then the explanation).
"""

from __future__ import annotations

import json

from verifier.model import ActivationResult, Report, Severity
from verifier.properties.registry import STATEMENTS

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HELP = "https://github.com/actverify/actverify#finding-codes"
_LEVELS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
_ERRORS = {"parse": "the expression was refused by the parser",
           "limit": "a time or memory limit cut the analysis",
           "internal": "an internal error of actverify"}


def render_sarif(report: Report) -> str:
    rules: dict[str, dict] = {}
    results = []
    for activation in report.activations:
        if activation.error:
            code = f"error.{activation.error.kind}"
            rules.setdefault(code, _rule(code, _ERRORS[activation.error.kind]))
            column = activation.error.column if activation.error.kind == "parse" else None
            results.append(_result(code, "error", f"{activation.name}: "
                                   f"{activation.error.detail or activation.error.message}",
                                   activation, column))
        for finding in activation.findings:
            rules.setdefault(finding.code, _rule(
                finding.code, finding.explanation or STATEMENTS[finding.property]))
            reason = f" — {finding.reason}" if finding.reason else ""
            results.append(_result(finding.code, _LEVELS[finding.severity],
                                   f"{activation.name}: {finding.message}{reason}",
                                   activation, None))
    ordered = sorted(rules)
    index = {code: i for i, code in enumerate(ordered)}
    for result in results:
        result["ruleIndex"] = index[result["ruleId"]]
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": report.tool.name, "version": report.tool.version,
                            "informationUri": "https://github.com/actverify/actverify",
                            "rules": [rules[code] for code in ordered]}},
        "results": results}]}
    return json.dumps(log, indent=2) + "\n"


def _rule(code: str, description: str) -> dict:
    return {"id": code, "name": code, "shortDescription": {"text": description},
            "helpUri": HELP}


def _result(code: str, level: str, text: str, activation: ActivationResult,
            column: int | None) -> dict:
    result: dict = {"ruleId": code, "level": level, "message": {"text": text}}
    if activation.file and activation.file not in ("--expr", "<api>", "<catalog>"):
        location: dict = {"artifactLocation": {"uri": activation.file}}
        if activation.line:
            location["region"] = {"startLine": activation.line}
            start = column or activation.column
            if start:
                location["region"]["startColumn"] = start
        result["locations"] = [{"physicalLocation": location}]
    return result
