"""Findings: which verdicts a CI gate treats as failures.

Until declarative rule sets land, the interim rule is the article's two hard requirements: a
refuted `domain` or `nonlinear` is an error finding. An `unknown` verdict is not a finding.
"""

from __future__ import annotations

from verifier.model import Finding, PropertyResult, Severity, Verdict

_INTERIM_ERRORS = {
    "domain": "an activation must be defined for every real input",
    "nonlinear": "an affine activation makes a deep network collapse to one affine layer",
}


def interim_findings(activation: str, properties: dict[str, PropertyResult]) -> list[Finding]:
    findings = []
    for property_id, why in _INTERIM_ERRORS.items():
        outcome = properties.get(property_id)
        if outcome is not None and outcome.verdict is Verdict.refuted:
            findings.append(Finding(
                activation=activation, property=property_id, severity=Severity.error,
                expected=Verdict.proved, verdict=outcome.verdict,
                message=f"{activation}: {property_id} refuted: "
                        f"{outcome.evidence[-1] if outcome.evidence else outcome.statement}",
                why=why))
    return findings
