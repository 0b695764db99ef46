"""Writing reports to disk: DIR/index.md, DIR/<name>.md and DIR/plots/<name>.png, and the
GitHub step summary. The one place in report/ that touches files; the text comes from the
pure renderers in markdown.py.
"""

from __future__ import annotations

from pathlib import Path

import sympy as sp

from verifier.analysis.undecided import Undecided
from verifier.errors import ExpressionError
from verifier.expr import parse_expression
from verifier.model import ActivationResult, Report
from verifier.report.markdown import page_name, render_activation, render_index
from verifier.report.plots import plot_activation
from verifier.vocabulary import variable_symbol

STEP_SUMMARY_LIMIT = 1024 * 1024 - 1024   # GitHub refuses step summaries above 1 MiB


def write_reports(report: Report, directory: Path) -> None:
    plots = directory / "plots"
    plots.mkdir(parents=True, exist_ok=True)
    (directory / "index.md").write_text(render_index(report), encoding="utf-8")
    for activation in report.activations:
        name = page_name(activation.name)
        derivative, plot = _pictures(activation, plots / f"{name}.png")
        text = render_activation(activation, derivative_latex=derivative,
                                 plot=f"plots/{name}.png" if plot else None)
        (directory / f"{name}.md").write_text(text, encoding="utf-8")


def _pictures(activation: ActivationResult, path: Path) -> tuple[str | None, bool]:
    """f' in LaTeX and the plot, from the canonical form re-read by the safe parser."""
    if activation.canonical is None:
        return None, False
    x = variable_symbol()
    try:
        expr = parse_expression(activation.canonical)
    except ExpressionError:
        return None, False
    derivative = sp.latex(sp.diff(expr, x))
    try:
        plot_activation(activation, expr, x, path)
    except (Undecided, ValueError, OverflowError):
        return derivative, False
    return derivative, True


def append_step_summary(report: Report, path: Path) -> None:
    """The index table appended to $GITHUB_STEP_SUMMARY, cut to stay under 1 MiB."""
    text = render_index(report, links=False)
    if len(text.encode("utf-8")) > STEP_SUMMARY_LIMIT:
        text = text.encode("utf-8")[:STEP_SUMMARY_LIMIT].decode("utf-8", "ignore") + \
            "\n\n(truncated: the full report is in the JSON output)\n"
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text + "\n")
