"""The Markdown index (pure: model in, text out): a summary first (counts by severity, the
activations with errors and their error findings), then one table, activations x properties,
each cell the **rule outcome** (pass, error, warning, info; the verdict on hover and in the
legend), and `page_names` for the pages (verifier.report.page renders them).

Nothing here depends on timing, so the same report renders to the same text.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence

from verifier import notation
from verifier.model import Activation, ActivationResult, PropertyResult, Report, Severity
from verifier.escape import markdown

OUTCOMES = {"error": "❌ error", "warning": "⚠️ warning", "info": "ℹ️ info", "pass": "✅ pass"}
CONFLICT = "‼️ conflict"


PAGE_NAME_LIMIT = 80     # characters of a page's file name before ".md"
_RESERVED_PAGES = {"index", "plots"}


def page_names(activations: Sequence[ActivationResult | Activation]) -> list[str]:
    """A file name (without ".md") per activation, in order: deterministic, made of
    [A-Za-z0-9_.-] only, at most PAGE_NAME_LIMIT characters, never index or plots, and
    distinct even on a case-insensitive file system. A name kept as it is needs nothing
    else; a name that had to change (cut, characters replaced, reserved, or equal to
    another) gets a short hash of the full name, so `a+b` and `a*b` stay apart."""
    bases = [_safe_base(a.name) for a in activations]
    counts = Counter(base.lower() for base in bases)
    names, taken = [], set()
    for activation, base in zip(activations, bases):
        name = base
        if base != activation.name or counts[base.lower()] > 1 or \
                base.lower() in _RESERVED_PAGES:
            digest = hashlib.sha256(activation.name.encode("utf-8")).hexdigest()[:10]
            name = f"{base[:PAGE_NAME_LIMIT - 11]}-{digest}"
        at = 2
        while name.lower() in taken:   # the same name twice (from two files)
            name = f"{name.rsplit('~', 1)[0]}~{at}"
            at += 1
        taken.add(name.lower())
        names.append(name)
    return names


def _safe_base(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.") or "activation"
    return base[:PAGE_NAME_LIMIT]


def outcome_of(activation: ActivationResult, pid: str, ruled: Sequence[str]) -> str | None:
    """The rule outcome of one property: the worst finding's severity, "pass" when a rule
    looked at it and found nothing, None when no rule covers it."""
    severities = [f.severity for f in activation.findings if f.property == pid]
    for severity in Severity:
        if severity in severities:
            return severity.value
    return "pass" if pid in ruled else None


def _cell(activation: ActivationResult, pid: str, link: str | None,
          ruled: Sequence[str]) -> str:
    outcome: PropertyResult | None = activation.properties.get(pid)
    if outcome is None:
        return ""
    verdict = outcome.verdict.value
    if outcome.crosscheck and outcome.crosscheck.status == "conflict":
        text = CONFLICT
    else:
        rule_outcome = outcome_of(activation, pid, ruled)
        text = OUTCOMES[rule_outcome] if rule_outcome else verdict
    return f'[{text}]({link}#{pid} "{verdict}")' if link else f"{text} ({verdict})"


def render_index(report: Report, *, links: bool = True) -> str:
    properties = list(report.summary.counts)
    found = Counter(f.severity for f in report.findings)
    failed = [a for a in report.activations if a.error or any(
        f.severity is Severity.error for f in a.findings)]
    lines = [f"# actverify report: {report.summary.activations} activations", "",
             f"**{notation.count(found[Severity.error], 'error')}, "
             f"{notation.count(found[Severity.warning], 'warning')}, "
             f"{notation.count(found[Severity.info], 'info')}** over "
             f"{notation.count(len(properties), 'property')}; "
             f"{notation.count(len(failed), 'activation')} with errors.", ""]
    pages = dict(zip((id(a) for a in report.activations), page_names(report.activations)))

    def name_of(activation: ActivationResult) -> str:
        name = markdown(activation.name)
        return f"[{name}]({pages[id(activation)]}.md)" if links else name
    conflicts = [(a, pid) for a in report.activations for pid, o in a.properties.items()
                 if o.crosscheck and o.crosscheck.status == "conflict"]
    if conflicts:
        lines += ["## Cross-check conflicts (defects of the verifier)", ""]
        lines += [f"- {name_of(a)}: {pid}" for a, pid in conflicts] + [""]
    if failed:
        lines += ["## Activations with errors", ""]
        for activation in failed:
            problems = [f"{activation.error.kind} error: {activation.error.detail or activation.error.message}"] \
                if activation.error else []
            problems += [f"{f.message} ({f.code})" for f in activation.findings
                         if f.severity is Severity.error]
            lines.append(f"- {name_of(activation)}: " + "; ".join(markdown(p) for p in problems))
        lines.append("")
    lines += ["## Outcomes", "", "Each cell is the rule outcome of that property (its verdict "
              "in parentheses, or on hover); a bare verdict means no rule covers it.", "",
              "| activation | " + " | ".join(properties) + " |",
              "|---|" + "---|" * len(properties)]
    for activation in report.activations:
        page = pages[id(activation)] + ".md" if links else None
        if activation.error and not activation.properties:
            lines.append(f"| {name_of(activation)} | {activation.error.kind} error |" + " |" * (
                len(properties) - 1))
            continue
        cells = [_cell(activation, pid, page, report.summary.ruled) for pid in properties]
        lines.append(f"| {name_of(activation)} | " + " | ".join(cells) + " |")
    lines += ["", "✅ pass · ❌ error · ⚠️ warning · ℹ️ info (a finding of that severity) · "
              "‼️ cross-check conflict", ""]
    return "\n".join(lines)
