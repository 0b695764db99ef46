"""What the `actverify` command reads and writes (verifier.cli has the commands): the
activations from files, directories and --expr, the outputs (the report in its format, the
Markdown reports, the step summary), the progress bar, and one-line errors on standard error.

Untrusted text reaches the terminal only through `plain` (verifier.escape); every
file is written by verifier.safe_files (atomic, never through a link).
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console

from verifier.exit_codes import exit_code
from verifier.errors import VerifierError
from verifier.functions import function_files, load_catalog, read_function_file
from verifier.model import Activation, Report, Severity
from verifier.escape import plain
from verifier.report.markdown import render_index
from verifier.report.sarif import render_sarif
from verifier.safe_files import check_destination, check_writable, write_file


def error(problem: object) -> None:
    """One line on standard error, with no terminal control from untrusted text."""
    typer.echo(f"error: {plain(str(problem))}", err=True)


def check_destinations(output: Path | None, report_dir: Path | None) -> None:
    if output is not None:
        check_destination(output)
    if report_dir is not None:
        check_writable(report_dir)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        check_destination(Path(summary_file))


@dataclass(frozen=True)
class Outcome:
    """What decides the exit code besides the report, and what the text output shows."""

    input_errors: int = 0
    allow_conflicts: bool = False
    strict: bool = False
    min_severity: Severity = Severity.warning

    def code(self, report: Report, failed: int = 0) -> int:
        return exit_code(report, input_errors=self.input_errors + failed,
                         allow_conflicts=self.allow_conflicts, strict=self.strict)


def write_outputs(report: Report, output_format: str, output: Path | None,
                   report_dir: Path | None, outcome: Outcome, *, jobs: int, timeout: float,
                   max_memory: int | None) -> int:
    """Every output the user asked for, each on its own (one failing does not stop the
    others; each failure is said on standard error); the report itself last, so the text
    format's summary line states the exit code the command returns."""
    failed = 0
    steps = []
    if report_dir is not None or os.environ.get("GITHUB_STEP_SUMMARY"):
        # pages and plots load numpy and the page renderer: only when some are written
        from verifier.pages import append_step_summary, write_reports
    if report_dir is not None:
        steps.append(lambda: write_reports(report, report_dir, timeout=timeout,
                                           max_memory=max_memory, jobs=jobs))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        steps.append(lambda: append_step_summary(report, Path(summary_file)))
    steps.append(lambda: emit(report, output_format, output, outcome.min_severity,
                               outcome.code(report, failed)))
    for step in steps:
        try:
            step()
        except VerifierError as exc:
            error(exc)
            failed += 1
    return outcome.code(report, failed)


def gather(files: list[Path], expressions: list[str]) -> tuple[list[Activation], int]:
    activations: list[Activation] = []
    errors = 0
    paths: list[Path] = []
    for path in files:
        if path.is_dir() and not path.is_symlink():
            found, problems = function_files(path)
            paths += found
            for problem in problems:
                error(problem)
            errors += len(problems)
        else:
            paths.append(path)
    for path in paths:
        good, problems = read_function_file(path)
        activations.extend(good)
        for problem in problems:
            error(problem)
        errors += len(problems)
    for index, text in enumerate(dict.fromkeys(expressions)):
        activations.append(Activation(name=text, expr=text, file="--expr"))
    if not files and not expressions:
        activations = load_catalog()
    return activations, errors


@contextmanager
def progress(total: int, *, enabled: bool):
    """A progress bar on standard error when it is a terminal; yields the per-result hook."""
    if not (enabled and sys.stderr.isatty() and total > 1):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)
        yield lambda result: bar.update(task, advance=1, description=result.name)


def emit(report: Report, output_format: str, output: Path | None,
          min_severity: Severity, code: int) -> None:
    if output_format != "text":   # json, markdown or sarif (verifier.cli.OutputFormat)
        renderers = {"json": lambda r: r.to_json() + "\n",
                     "markdown": lambda r: render_index(r, links=False),
                     "sarif": render_sarif}
        text = renderers[output_format](report)
        if output:
            write_file(output, text)
        else:
            sys.stdout.write(text)
        return
    from verifier.report.text import problem_lines, summary_line, summary_table

    stream = io.StringIO() if output else sys.stdout
    terminal = stream.isatty()
    lines = problem_lines(report, min_severity=min_severity)
    stream.write("".join(line + "\n" for line in lines) + ("\n" if lines else ""))
    console = Console(file=stream, width=None if terminal else 100, no_color=not terminal,
                      soft_wrap=not terminal)
    console.print(summary_table(report))
    checks = {status: n for status, n in report.summary.crosschecks.items() if n}
    if checks:
        stream.write("cross-check: " + ", ".join(f"{n} {status}" for status, n in checks.items())
                     + "\n")
    stream.write(summary_line(report, exit_code=code, min_severity=min_severity) + "\n")
    if output:
        write_file(output, stream.getvalue())
