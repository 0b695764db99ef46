"""Markdown reports (pure: model in, text out): `render_index` - one table, activations x
properties, findings by severity on top - and `render_activation` - one page per activation:
formula, f', plot, then a section per property (statement, verdict, method, evidence, witness,
facts, cross-check) and the rule findings with their explanations.

Nothing here depends on timing, so the same report renders to the same text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence

from verifier.model import Activation, ActivationResult, PropertyResult, Report, Severity, Verdict
from verifier.report.escape import code, markdown

SYMBOLS = {Verdict.proved: "✅", Verdict.refuted: "❌", Verdict.unknown: "❔"}
CONFLICT = "‼️"


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


def _cell(outcome: PropertyResult | None) -> str:
    if outcome is None:
        return ""
    if outcome.crosscheck and outcome.crosscheck.status == "conflict":
        return CONFLICT
    return SYMBOLS[outcome.verdict]


def render_index(report: Report, *, links: bool = True) -> str:
    properties = list(report.summary.counts)
    lines = [f"# actverify report: {report.summary.activations} activations", ""]
    conflicts = [(a.name, pid) for a in report.activations for pid, o in a.properties.items()
                 if o.crosscheck and o.crosscheck.status == "conflict"]
    if conflicts:
        lines += ["## Cross-check conflicts (defects of the verifier)", ""]
        lines += [f"- {CONFLICT} {markdown(name)}: {pid}" for name, pid in conflicts] + [""]
    for severity in Severity:
        found = [f for f in report.findings if f.severity is severity]
        if found:
            lines += [f"## {severity.value.capitalize()} findings ({len(found)})", ""]
            lines += [f"- {markdown(f.message)} — {markdown(f.why)}" for f in found] + [""]
    lines += ["## Verdicts", "",
              "| activation | " + " | ".join(properties) + " |",
              "|---|" + "---|" * len(properties)]
    for activation, page in zip(report.activations, page_names(report.activations)):
        name = markdown(activation.name)
        title = f"[{name}]({page}.md)" if links else name
        if activation.error and not activation.properties:
            lines.append(f"| {title} | {activation.error.kind} error |" + " |" * (
                len(properties) - 1))
            continue
        cells = []
        for pid in properties:
            cell = _cell(activation.properties.get(pid))
            cells.append(f"[{cell}]({page}.md#{pid})" if links and cell else cell)
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    lines += ["", "✅ proved · ❌ refuted · ❔ unknown · ‼️ cross-check conflict", ""]
    return "\n".join(lines)


def render_activation(activation: ActivationResult, *, derivative_latex: str | None,
                      plot: str | None) -> str:
    lines = [f"# {markdown(activation.name)}", "", f"As written: {code(activation.expr)}", ""]
    if activation.source:
        lines += [f"Source: {markdown(activation.source)}", ""]
    if activation.latex:
        lines += [f"$$f(x) = {activation.latex}$$", ""]
    if derivative_latex:
        lines += [f"$$f'(x) = {derivative_latex}$$", ""]
    if plot:
        lines += [f"![f and f' of {markdown(activation.name)}]({plot})", ""]
    if activation.error:
        lines += [f"**{activation.error.kind} error:** {markdown(activation.error.message)}", ""]
    if activation.findings:
        lines += ["## Findings", ""]
        lines += [f"- **{f.severity.value}** {markdown(f.message)} — {markdown(f.why)}"
                  for f in activation.findings]
        lines.append("")
    for pid, outcome in activation.properties.items():
        lines += render_section(pid, outcome)
    return "\n".join(lines)


def render_section(pid: str, outcome: PropertyResult) -> list[str]:
    """One property's section of an activation page, as lines."""
    lines = [f"## {pid}", "", f"{SYMBOLS[outcome.verdict]} **{outcome.verdict.value}** "
             f"({outcome.method.value}): {outcome.statement}", ""]
    if outcome.reason:
        lines += [f"Why unknown: {markdown(outcome.reason)}", ""]
    if outcome.withdrawn:
        lines += [f"Withdrawn verdict (a defect of the verifier, not an answer): "
                  f"{outcome.withdrawn.verdict.value} ({outcome.withdrawn.method.value})", ""]
        lines += [f"- {_code(step)}" for step in outcome.withdrawn.evidence] + [""]
    if outcome.evidence:
        lines += ["Evidence:", ""] + [f"- {_code(step)}" for step in outcome.evidence] + [""]
    if outcome.witness:
        lines += ["Witness:", "", "```json", json.dumps(outcome.witness, indent=1), "```", ""]
    if outcome.facts:
        lines += ["Facts:", ""] + [f"- {key}: {_fact(value)}"
                                   for key, value in outcome.facts.items()] + [""]
    check = outcome.crosscheck
    if check:
        mark = CONFLICT + " " if check.status == "conflict" else ""
        lines += [f"Cross-check: {mark}**{check.status}** — {markdown(check.detail)}", ""]
        if check.counterexample:
            lines += [f"Counterexample: `{json.dumps(check.counterexample)}`", ""]
    return lines


def _code(text: str) -> str:
    return code(text) if len(text) < 160 else markdown(text)


def _number(value, exact) -> str:
    """A decimal to 12 digits, with the exact form next to it when there is one."""
    if value in ("oo", "-oo"):
        return "∞" if value == "oo" else "-∞"
    text = f"{float(value):.12g}" if isinstance(value, (int, float)) else str(value)
    return f"{text} (= {exact})" if exact and exact != text and exact not in ("oo", "-oo") \
        else text


def _fact(value) -> str:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return " ∪ ".join(_part(v) for v in value)
    if isinstance(value, list) and not value:
        return "none"
    if isinstance(value, dict) and "value" in value:
        return _number(value["value"], value.get("exact"))
    if isinstance(value, dict) and set(value) == {"text"}:
        return value["text"]
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_fact(v)}" for k, v in value.items())
    return f"`{json.dumps(value)}`"


def _part(item: dict) -> str:
    if "lo" in item:
        left = "[" if item.get("lo_closed") else "("
        right = "]" if item.get("hi_closed") else ")"
        return (f"{left}{_number(item['lo'], item.get('lo_exact'))}, "
                f"{_number(item['hi'], item.get('hi_exact'))}{right}")
    if "value" in item:
        return "{" + _number(item["value"], item.get("exact")) + "}"
    return f"`{json.dumps(item)}`"
