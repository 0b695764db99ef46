"""One Markdown page per activation (pure: model in, text out): the formula as written, f and
f' in LaTeX, the plot, a summary table (property, rule outcome, one-line result), the
findings with their codes and explanations, then a section per property: verdict, evidence
(each step a code span, so `*` is never emphasis), witness as a sentence, facts as readable
text (verifier.notation), cross-check.

What it does not do: compute anything (f' and the plot come from the caller).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from verifier import notation
from verifier.finding_messages import describe
from verifier.model import ActivationResult, PropertyResult, Verdict
from verifier.escape import code, markdown
from verifier.report.markdown import CONFLICT, OUTCOMES, outcome_of

VERDICTS = {Verdict.proved: "✅ proved", Verdict.refuted: "❌ refuted",
            Verdict.unknown: "❔ unknown"}


def render_activation(activation: ActivationResult, *, derivative_latex: str | None,
                      plot: str | None, ruled: Sequence[str] = ()) -> str:
    variable = activation.variable
    lines = [f"# {markdown(activation.name)}", "", f"As written: {code(activation.expr)}", ""]
    if activation.source:
        lines += [f"Source: {markdown(activation.source)}", ""]
    if activation.latex:
        lines += [f"$$f({variable}) = {activation.latex}$$", ""]
    if derivative_latex:
        lines += [f"$$f'({variable}) = {derivative_latex}$$", ""]
    if plot:
        lines += [f"![f and f' of {markdown(activation.name)}]({plot})", ""]
    if activation.error:
        lines += [f"**{activation.error.kind} error:** "
                  f"{markdown(activation.error.detail or activation.error.message)}", ""]
    if activation.properties:
        lines += _summary(activation, ruled)
    if activation.findings:
        lines += ["## Findings", ""]
        lines += [f"- **{f.severity.value}** {code(f.code)}: {markdown(f.message)}"
                  + (f" — {markdown(f.reason)}" if f.reason else "") for f in activation.findings]
        lines.append("")
    for pid, outcome in activation.properties.items():
        lines += render_section(pid, outcome)
    return "\n".join(lines)


def _summary(activation: ActivationResult, ruled: Sequence[str]) -> list[str]:
    lines = ["## Summary", "", "| property | outcome | result |", "|---|---|---|"]
    for pid, outcome in activation.properties.items():
        conflict = outcome.crosscheck is not None and outcome.crosscheck.status == "conflict"
        rule_outcome = outcome_of(activation, pid, ruled)
        shown = CONFLICT if conflict else OUTCOMES[rule_outcome] if rule_outcome else "no rule"
        lines.append(f"| [{pid}](#{pid}) | {shown} | {outcome.verdict.value}: "
                     f"{markdown(_one_line(pid, outcome, activation))} |")
    return lines + [""]


def _one_line(pid: str, outcome: PropertyResult, activation: ActivationResult) -> str:
    """The finding's message when there is one, else what was decided."""
    for finding in activation.findings:
        if finding.property == pid:
            return finding.message
    if outcome.verdict is Verdict.refuted:
        told = describe(pid, outcome, activation.properties)
        return outcome.statement if told.code.endswith(".refuted") else told.message
    if outcome.verdict is Verdict.unknown:
        return outcome.reason or "not decided"
    return outcome.statement


def render_section(pid: str, outcome: PropertyResult) -> list[str]:
    """One property's section of an activation page, as lines."""
    lines = [f"## {pid}", "", f"{VERDICTS[outcome.verdict]} ({outcome.method.value}): "
             f"{markdown(outcome.statement)}", ""]
    if outcome.reason:
        lines += [f"Why unknown: {markdown(outcome.reason)}", ""]
    if outcome.withdrawn:
        lines += [f"Withdrawn verdict (a defect of the verifier, not an answer): "
                  f"{outcome.withdrawn.verdict.value} ({outcome.withdrawn.method.value})", ""]
        lines += [f"- {code(step)}" for step in outcome.withdrawn.evidence] + [""]
    if outcome.evidence:
        lines += ["Evidence:", ""] + [f"- {code(step)}" for step in outcome.evidence] + [""]
    if outcome.witness:
        lines += [f"Witness: {markdown(notation.witness(outcome.witness))}", ""]
    if outcome.facts:
        tables = {key: value for key, value in outcome.facts.items() if key in _TABLES}
        lines += ["Facts:", ""] + [f"- {markdown(key)}: {markdown(_fact(key, value))}"
                                   for key, value in outcome.facts.items()
                                   if key not in tables] + [""]
        for key, value in tables.items():
            lines += _TABLES[key](value)
    check = outcome.crosscheck
    if check:
        mark = "‼️ " if check.status == "conflict" else ""
        lines += [f"Cross-check: {mark}**{check.status}** — {markdown(check.detail)}", ""]
        if check.counterexample:
            lines += [f"Counterexample: {markdown(notation.witness(check.counterexample))}", ""]
    return lines


def _accuracy_table(rows: list[dict]) -> list[str]:
    """float_accurate's facts per dtype, one row each."""
    lines = ["| dtype | inputs | max error | allowed | worst x | computed | exact | verdict |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        worst = row["worst"] or {}
        inputs = f"all {row['compared']:,}" if row["method"] == "exhaustive" else \
            f"{row['compared']:,} searched"
        bound = "" if row["max_ulps"] == "oo" else "≤ " if row["method"] == "exhaustive" and \
            not row["unresolved_inputs"] else "found "
        if row.get("bound_ulps") is not None:   # a proved bound over every input
            bound = f"≤ {notation.ulps(row['bound_ulps'])} (proved), found "
        notes = [f"{row['over_inputs']:,} beyond" if row["over_inputs"] else "",
                 f"{row['collapse_inputs']:,} collapse" if row["collapse_inputs"] else "",
                 f"{row['unresolved_inputs']:,} not decided" if row["unresolved_inputs"] else "",
                 f"assuming libm within {notation.ulps(row['assumed_libm_ulps'])}"
                 if row.get("assumed_libm_ulps") is not None else ""]
        detail = ", ".join(note for note in notes if note)
        computed = worst.get("computed")
        cells = [row["dtype"], inputs, bound + notation.ulps(row["max_ulps"]),
                 notation.decimal(row["allowed_ulps"]),
                 worst["x_text"] if worst else "",
                 (notation.text_number(computed) if isinstance(computed, str) else
                  notation.decimal(computed)) if worst else "",
                 notation.text_number(worst["exact"]) if worst else "",
                 row["verdict"] + (f" ({detail})" if detail else "")]
        lines.append("| " + " | ".join(markdown(cell) for cell in cells) + " |")
    return lines + [""]


def _rewrite_lines(rewrite: dict) -> list[str]:
    """float_accurate's proved rewrite: the formula, why it is equal, what it gains."""
    gains = ", ".join(f"{row['dtype']} {notation.ulps(row['max_ulps'])}"
                      for row in rewrite["accuracy"])
    return [f"Proved fix: {code(rewrite['formula'])} — {markdown(rewrite['proof'][0])}; "
            f"its max error: {markdown(gains)}", ""]


# facts shown in a form of their own (a table, a sentence) after the list
_TABLES = {"accuracy": _accuracy_table, "rewrite": _rewrite_lines}


def _fact(key: str, value: object) -> str:
    if key == "smoothness" and value is not None:
        return f"C^{'∞' if value == 'inf' else value}"
    return fact_text(value)


def fact_text(value: object) -> str:
    """A fact for people: sets in interval notation, points as numbers, words as words."""
    if value is None:
        return "not known"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return notation.decimal(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return "∞" if value == "inf" else notation.text_number(value) if value in (
            "oo", "-oo") else value
    if isinstance(value, list):
        if all(isinstance(v, dict) and ("lo" in v or "exact" in v) for v in value):
            return notation.fact_region(value, long_exact=True) if value else "none"
        return notation.listing([fact_text(v) for v in value])
    if isinstance(value, dict):
        if "value" in value and "exact" in value:
            return notation.fact_number(value, long_exact=True)
        if set(value) == {"text"}:
            return value["text"]
        return "; ".join(f"{key}: {fact_text(item)}" for key, item in value.items())
    return json.dumps(value)
