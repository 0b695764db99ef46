"""The console output (pure: model in, text out), in the habits of ruff and mypy:

    act.toml:2:8: warning[no_dead_zone.dead-zone] relu: f' = 0 on (-∞, 0) — ...

one line per problem (`path:line:col: severity[code] activation: message — explanation`),
grouped by file, then a table with one row per activation, then one closing summary line
("4 activations, 15 properties: 1 error, 3 warnings, 4 info (exit 1: error findings)").
Lines are never wrapped here; untrusted text is made plain (verifier.escape).
"""

from __future__ import annotations

from collections import Counter

from rich.table import Table
from rich.text import Text

from verifier import notation
from verifier.model import ActivationResult, Report, Severity, Verdict
from verifier.escape import plain

RANK = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
EXIT_REASONS = {0: "no error findings", 1: "error findings", 2: "input errors",
                3: "internal errors or cross-check conflicts"}


def location(activation: ActivationResult, column: int | None = None) -> str:
    """file:line:col of the activation's expression (as far as known)."""
    where = activation.file or "<input>"
    if activation.line:
        where += f":{activation.line}"
        column = column or activation.column
        if column:
            where += f":{column}"
    return where


def problem_lines(report: Report, *, min_severity: Severity = Severity.warning) -> list[str]:
    """One line per problem at or above `min_severity`, grouped by file in input order:
    activation errors and cross-check conflicts (always shown), then findings."""
    by_file: dict[str, list[tuple[int, int, str]]] = {}
    for order, activation in enumerate(report.activations):
        rows = by_file.setdefault(activation.file or "<input>", [])
        for text in _activation_lines(activation, min_severity):
            rows.append((activation.line or 0, order, text))
    lines = []
    for rows in by_file.values():
        lines += [text for _, _, text in sorted(rows, key=lambda row: row[:2])]
    return lines


def _activation_lines(activation: ActivationResult, min_severity: Severity) -> list[str]:
    name = activation.name
    lines = []
    error = activation.error
    if error:
        column = error.column if error.kind == "parse" else None
        lines.append(plain(f"{location(activation, column)}: error[{error.kind}] {name}: "
                           f"{error.detail or error.message}"))
    for pid, outcome in activation.properties.items():
        if outcome.crosscheck and outcome.crosscheck.status == "conflict":
            shown = outcome.withdrawn.verdict.value if outcome.withdrawn else \
                outcome.verdict.value
            lines.append(plain(f"{location(activation)}: error[crosscheck.conflict] {name}: "
                               f"{pid} {shown} (withdrawn), but the cross-check contradicts "
                               f"it: {outcome.crosscheck.detail}"))
    for finding in activation.findings:
        if RANK[finding.severity] <= RANK[min_severity]:
            reason = f" — {finding.reason}" if finding.reason else ""
            lines.append(plain(f"{location(activation)}: {finding.severity.value}"
                               f"[{finding.code}] {name}: {finding.message}{reason}"))
    return lines


def summary_line(report: Report, *, exit_code: int,
                 min_severity: Severity = Severity.warning) -> str:
    """"N activations, M properties: a errors, b warnings, c info (exit k: reason)"."""
    count = report.summary.activations
    found = Counter(f.severity for f in report.findings)
    errors = found[Severity.error] + sum(1 for a in report.activations if a.error)
    parts = [notation.count(errors, "error"), notation.count(found[Severity.warning], "warning"),
             notation.count(found[Severity.info], "info")]
    hidden = sum(n for severity, n in found.items() if RANK[severity] > RANK[min_severity])
    shown = f" ({hidden} not shown: --min-severity info)" if hidden else ""
    properties = notation.count(len(report.summary.counts), "property")
    return (f"{notation.count(count, 'activation')}, {properties}: {', '.join(parts)}{shown} "
            f"(exit {exit_code}: {EXIT_REASONS[exit_code]})")


def summary_table(report: Report) -> Table:
    """One row per activation: its worst outcome, the rules it does not meet (error and
    warning findings), and its verdict counts; fits 80 columns."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("activation", no_wrap=True, max_width=28, overflow="ellipsis")
    table.add_column("result", no_wrap=True)
    table.add_column("rules not met (error, warning)")
    table.add_column("✓ ✗ ?", no_wrap=True, justify="right")
    styles = {"error": "red", "warning": "yellow", "info": "", "pass": "green"}
    for activation in report.activations:
        verdicts = Counter(o.verdict for o in activation.properties.values())
        counts = " ".join(str(verdicts[v]) for v in (Verdict.proved, Verdict.refuted,
                                                      Verdict.unknown))
        if activation.error and not activation.properties:
            table.add_row(Text(plain(activation.name)), Text(f"{activation.error.kind} error",
                                                            style="red"), "", counts)
            continue
        worst = min((f.severity for f in activation.findings), key=RANK.get, default=None)
        result = "error" if activation.error else worst.value if worst else "pass"
        failing = [f.property for f in activation.findings
                   if f.severity in (Severity.error, Severity.warning)]
        table.add_row(Text(plain(activation.name)), Text(result, style=styles[result]),
                      ", ".join(dict.fromkeys(failing)), counts)
    return table
