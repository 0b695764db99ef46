"""From worker messages to results, and from results to a report: each property's verdict
and cross-check as the model (a cross-check that contradicts its verdict withdraws it), the
activation's worst problem (an internal error before a limit), and the run's summary counts.

Pure bookkeeping over what the workers sent: it decides nothing about a property.
"""

from __future__ import annotations

from collections.abc import Sequence

from verifier import workers
from verifier.model import (
    Activation,
    ActivationError,
    ActivationResult,
    CrossCheck,
    PropertyResult,
    Report,
    Severity,
    Summary,
    ToolInfo,
    Verdict,
)
from verifier.properties.registry import PROPERTY_IDS, unknown

class _Outcome:
    def __init__(self, result: PropertyResult, problem: tuple[str, str] | None = None) -> None:
        self.result = result
        self.problem = problem  # (kind, message) for limit/internal problems


_PROBLEM_KIND = {"time": "limit", "memory": "limit", "budget": "limit", "died": "internal"}


def outcomes(job: workers.Job, timeout: float) -> dict[str, _Outcome]:
    """The worker's messages (or why they never came) as results, in property order."""
    outcomes = {}
    for property_id in job.properties:
        verdict, *followup = job.messages[property_id]
        if isinstance(verdict, workers.Failure):
            result = unknown(property_id, verdict.detail if verdict.cause != "died" else
                             f"internal error: {verdict.detail}")
            if verdict.cause == "time":
                result.seconds = timeout
            outcomes[property_id] = _Outcome(result, (
                _PROBLEM_KIND[verdict.cause], f"{property_id}: {verdict.detail}"))
            continue
        got_id, payload, failure = verdict
        assert got_id == property_id, (got_id, property_id)
        result = PropertyResult.model_validate(payload)
        problem = tuple(failure) if failure else None
        if followup:
            from verifier.crosscheck import withdraw_if_contradicted
            result.crosscheck, crosscheck_problem = _crosscheck_of(property_id, followup[0])
            result = withdraw_if_contradicted(result)
            problem = problem or crosscheck_problem
        outcomes[property_id] = _Outcome(result, problem)
    return outcomes


def _crosscheck_of(property_id: str, message: object) -> tuple[CrossCheck,
                                                                tuple[str, str] | None]:
    if isinstance(message, workers.Failure):
        return CrossCheck(status="skipped", detail=f"the cross-check was stopped: "
                                                   f"{message.detail}"), None
    got_id, (payload, failure) = message
    assert got_id == property_id, (got_id, property_id)
    return CrossCheck.model_validate(payload), tuple(failure) if failure else None


def worst_error(outcomes: dict[str, _Outcome]) -> ActivationError | None:
    problems = [o.problem for o in outcomes.values() if o.problem]
    if not problems:
        return None
    kind = "internal" if any(k == "internal" for k, _ in problems) else "limit"
    by_detail: dict[str, list[str]] = {}   # "domain, continuous: budget: ..." once
    for _, message in problems:
        pid, _, detail = message.partition(": ")
        by_detail.setdefault(detail, []).append(pid)
    return ActivationError(kind=kind, message="; ".join(
        f"{', '.join(pids)}: {detail}" for detail, pids in by_detail.items()))


def base_result(activation: Activation) -> ActivationResult:
    return ActivationResult(name=activation.name, expr=activation.expr,
                            variable=activation.variable,
                            source=activation.source, file=activation.file,
                            line=activation.line, column=activation.column)


def tool_version() -> str:
    from verifier import __version__
    return __version__


def build_report(results: list[ActivationResult], seconds: float, *,
                 properties: Sequence[str] = PROPERTY_IDS, ruled: Sequence[str] = ()) -> Report:
    """The report of a run; `ruled` names the properties the rule set has rules for (a
    page shows "pass" for those without a finding)."""
    counts = {pid: {verdict: 0 for verdict in Verdict} for pid in properties}
    for activation in results:
        for pid, outcome in activation.properties.items():
            counts[pid][outcome.verdict] += 1
    crosschecks = {status: 0 for status in ("agrees", "conflict", "skipped", "hint")}
    for activation in results:
        for outcome in activation.properties.values():
            if outcome.crosscheck is not None:
                crosschecks[outcome.crosscheck.status] += 1
    findings = {severity: 0 for severity in Severity}
    errors = {"parse": 0, "limit": 0, "internal": 0}
    for activation in results:
        for finding in activation.findings:
            findings[finding.severity] += 1
        if activation.error:
            errors[activation.error.kind] += 1
    summary = Summary(activations=len(results), counts=counts, findings=findings, errors=errors,
                      crosschecks=crosschecks, seconds=round(seconds, 3),
                      ruled=[pid for pid in dict.fromkeys(ruled) if pid in counts])
    return Report(tool=ToolInfo(version=tool_version()), activations=results, summary=summary)
