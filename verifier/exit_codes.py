"""The command's exit code from a report: what CI acts on.

0 clean; 1 error findings (strict: warnings too); 2 input errors; 3 an internal error or a
cross-check conflict (a defect of the verifier, never of the activation).
"""

from __future__ import annotations

from verifier.model import Report, Severity


def exit_code(report: Report, *, input_errors: int = 0, allow_conflicts: bool = False,
              strict: bool = False) -> int:
    """0 clean; 1 error findings (strict: warnings too); 2 input errors (files or
    expressions); 3 internal errors or cross-check conflicts (a conflict is a defect of the
    verifier) unless allowed."""
    if report.summary.errors["internal"]:
        return 3
    if report.summary.crosschecks.get("conflict") and not allow_conflicts:
        return 3
    if input_errors or report.summary.errors["parse"]:
        return 2
    if report.summary.findings[Severity.error] or (
            strict and report.summary.findings[Severity.warning]):
        return 1
    return 0
