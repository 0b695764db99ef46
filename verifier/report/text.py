"""The terminal summary: one row per activation, one column per property (pure: model in,
rich renderable out)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from verifier.model import PropertyResult, Report, Verdict
from verifier.report.escape import plain

SYMBOLS = {Verdict.proved: ("✓", "green"), Verdict.refuted: ("✗", "red"),
           Verdict.unknown: ("?", "yellow")}
SHORT = {"domain": "dom", "continuous": "cont", "differentiable": "diff",
         "finite_gradient": "grad", "lipschitz": "lip", "monotonic": "mono", "bounded": "bnd",
         "injective": "inj", "no_vanishing_gradient": "vanish", "no_dead_zone": "dead",
         "nonlinear": "nonlin", "zero_centered": "f(0)=0", "identity_near_origin": "id@0",
         "symmetric": "sym", "float_stable": "float"}


def summary_table(report: Report) -> Group:
    """Header line, the verdict table, and its legend."""
    property_ids = list(report.summary.counts)
    count = report.summary.activations
    header = Text(f"actverify {report.tool.version}: {count} activation"
                  f"{'' if count == 1 else 's'}, {report.summary.seconds:.1f} s", style="bold")
    legend = Text("✓ proved   ✗ refuted   ? unknown   ‼ cross-check conflict   ! error (see "
                  "below)", style="dim")
    table = Table()
    table.add_column("activation", no_wrap=True)
    for property_id in property_ids:
        table.add_column(SHORT.get(property_id, property_id), justify="center")
    for activation in report.activations:
        if activation.error and not activation.properties:
            marker = Text("! " + activation.error.kind, style="bold red")
            table.add_row(Text(plain(activation.name)), marker)
            continue
        cells = []
        for property_id in property_ids:
            outcome = activation.properties.get(property_id)
            symbol, style = SYMBOLS[outcome.verdict] if outcome else ("", "")
            if outcome and outcome.crosscheck and outcome.crosscheck.status == "conflict":
                symbol, style = "‼", "bold magenta"
            cells.append(Text(symbol, style=style))
        table.add_row(Text(plain(activation.name)), *cells)
    parts = [header, table, legend]
    checks = report.summary.crosschecks
    if checks:
        parts.append(Text("cross-check: " + ", ".join(
            f"{count} {status}" for status, count in checks.items()), style="dim"))
    return Group(*parts)


def _contradicted(outcome: PropertyResult) -> str:
    if outcome.withdrawn:
        return f"{outcome.withdrawn.verdict.value} (withdrawn, shown as unknown)"
    return outcome.verdict.value


def problem_lines(report: Report) -> list[Text]:
    """Cross-check conflicts first (a defect of the verifier), then errors, then findings,
    one line each."""
    lines = [Text(plain(f"‼ {a.name}: {pid} {_contradicted(outcome)} but the cross-check "
                        f"conflicts: {outcome.crosscheck.detail}"), style="bold magenta")
             for a in report.activations for pid, outcome in a.properties.items()
             if outcome.crosscheck and outcome.crosscheck.status == "conflict"]
    lines += [Text(plain(f"! {a.name}: {a.error.kind} error: {a.error.message}"),
                   style="bold red")
              for a in report.activations if a.error]
    for finding in report.findings:
        lines.append(Text(plain(f"{finding.severity.value}: {finding.message} — {finding.why}"),
                          style="red" if finding.severity.value == "error" else "yellow"))
    return lines
