"""Report pages on disk: DIR/index.md, DIR/<name>.md and DIR/plots/<name>.png, and the GitHub
step summary.

What a page needs that only the maths can give is computed here, one page at a time in a
limited worker (verifier.limited): f' in LaTeX without the DiracDelta terms of its jumps, and f
and f' evaluated as float64 for the plot. verifier.report renders (pure: data in, text or PNG
bytes out) and verifier.safe_files writes, atomically and never through a link.

What it does not do: analyse anything (the report's results are taken as they are), or show
f' where the canonical formula cannot be parsed back (the page is written without it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sympy as sp

from verifier.analysis.derivatives import derivative, without_deltas
from verifier.analysis.floats.program import evaluate
from verifier.analysis.undecided import Undecided
from verifier.errors import ExpressionError, InputError
from verifier.expr import parse_expression
from verifier.limited import map_limited
from verifier.model import ActivationResult, Report
from verifier.report.markdown import page_names, render_index
from verifier.report.page import render_activation
from verifier.report.plots import Sampler, plot_png
from verifier.safe_files import append_file, ensure_directory, write_file
from verifier.vocabulary import variable_symbol
from verifier.workers import DEFAULT_MAX_MEMORY

DEFAULT_PAGE_TIMEOUT = 30.0

STEP_SUMMARY_LIMIT = 1024 * 1024 - 1024   # GitHub refuses step summaries above 1 MiB


def write_reports(report: Report, directory: Path, *, timeout: float = DEFAULT_PAGE_TIMEOUT,
                  max_memory: int | None = DEFAULT_MAX_MEMORY, jobs: int = 1) -> None:
    """index.md, one page per activation and its plot, each file written atomically and
    never through a link (verifier.safe_files). f' and the plot are computed in workers
    under `timeout` seconds per page and `max_memory` bytes: a page whose picture is cut by
    a limit is written without it."""
    plots = ensure_directory(ensure_directory(directory) / "plots")
    names = page_names(report.activations)
    pictures = map_limited(_pictures, [(a, plots / f"{n}.png")
                                       for a, n in zip(report.activations, names)],
                           parallel=jobs, timeout=timeout, max_memory=max_memory)
    write_file(directory / "index.md", render_index(report))
    unwritten = []
    for activation, name, picture in zip(report.activations, names, pictures):
        derivative, plot, problem = picture if isinstance(picture, tuple) else \
            (None, False, None)
        if problem:
            unwritten.append(problem)
        text = render_activation(activation, derivative_latex=derivative,
                                 plot=f"plots/{name}.png" if plot else None,
                                 ruled=report.summary.ruled)
        write_file(directory / f"{name}.md", text)
    if unwritten:
        raise InputError(unwritten[0] + (f" (and {len(unwritten) - 1} more plots)"
                                         if len(unwritten) > 1 else ""))


def _pictures(page: tuple[ActivationResult, Path]) -> tuple[str | None, bool, str | None]:
    """Runs in a worker: f' in LaTeX, whether the plot was written, and why a plot that
    exists could not be written (a file-system problem, not a property of f)."""
    activation, path = page
    if activation.canonical is None:
        return None, False, None
    x = variable_symbol(activation.variable)
    try:
        expr = parse_expression(activation.canonical, variable=activation.variable)
    except ExpressionError:
        return None, False, None
    slope = derivative(expr, x)
    slope_latex = sp.latex(without_deltas(slope))
    try:
        png = plot_png(activation, _sampler(expr, x), _sampler(slope, x))
    except (Undecided, ValueError, OverflowError):
        return slope_latex, False, None
    try:
        write_file(path, png)
    except InputError as exc:
        return slope_latex, False, str(exc)
    return slope_latex, True, None


def _sampler(formula: sp.Expr, x: sp.Symbol) -> Sampler:
    """formula at an array of float64 points, as float64 computes it (raises Undecided where
    it has no float program)."""
    return lambda points: evaluate(formula, x, np.asarray(points, dtype=float), "float64")[0]


def append_step_summary(report: Report, path: Path) -> None:
    """The index table appended to $GITHUB_STEP_SUMMARY, cut to stay under 1 MiB (never
    through a link)."""
    text = render_index(report, links=False)
    if len(text.encode("utf-8")) > STEP_SUMMARY_LIMIT:
        text = text.encode("utf-8")[:STEP_SUMMARY_LIMIT].decode("utf-8", "ignore") + \
            "\n\n(truncated: the full report is in the JSON output)\n"
    append_file(path, text + "\n")
