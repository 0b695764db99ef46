"""The `actverify` command. A bare `actverify` checks the built-in catalog.

Exit codes: 0 no error finding; 1 at least one error finding; 2 usage or input error (the
other activations are still checked and reported); 3 internal error, or a cross-check conflict
(unless --allow-conflicts).
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from verifier.api import (validated_epsilon, validated_examples, validated_properties,
                          validated_timeout)
from verifier.crosscheck import DEFAULT_EXAMPLES
from verifier.engine import DEFAULT_TIMEOUT, check_activations, exit_code
from verifier.errors import VerifierError
from verifier.functions import load_catalog, load_function_file
from verifier.model import Activation, Report

app = typer.Typer(add_completion=False, no_args_is_help=False,
                  help="Prove or refute properties of neural-network activation functions.")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


@app.callback(invoke_without_command=True)
def _default(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(check)


@app.command()
def check(
    files: Annotated[Optional[list[Path]], typer.Argument(
        help="Function files (TOML). None and no --expr: the built-in catalog.")] = None,
    expr: Annotated[Optional[list[str]], typer.Option(
        "--expr", help="An inline expression to check (repeatable).")] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text: a summary table; json: the actverify/report/v1 object.")
    ] = OutputFormat.text,
    output: Annotated[Optional[Path], typer.Option(
        "--output", help="Write the report here instead of standard output.")] = None,
    timeout: Annotated[float, typer.Option(
        help="Seconds allowed per property per activation.")] = DEFAULT_TIMEOUT,
    properties: Annotated[Optional[str], typer.Option(
        "--properties", help="Comma-separated property ids to check (default: all).")] = None,
    epsilon: Annotated[str, typer.Option(
        help="no_vanishing_gradient threshold: |f'| below it is vanishing (exact decimal).")
    ] = "1e-3",
    examples: Annotated[int, typer.Option(
        help="Inputs the numeric cross-check draws per verdict.")] = DEFAULT_EXAMPLES,
    no_crosscheck: Annotated[bool, typer.Option(
        "--no-crosscheck", help="Skip the numeric cross-check (faster; verdicts unchanged).")
    ] = False,
    allow_conflicts: Annotated[bool, typer.Option(
        "--allow-conflicts", help="Do not exit 3 on a cross-check conflict.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar on standard error.")] = False,
) -> None:
    """Check activations from FILES, --expr, or the built-in catalog."""
    try:
        chosen = validated_properties(properties)
        seconds = validated_timeout(timeout)
        threshold = validated_epsilon(epsilon)
        drawn = None if no_crosscheck else validated_examples(examples)
    except VerifierError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    activations, input_errors = _gather(files or [], expr or [])
    with _progress(len(activations), enabled=not quiet) as advance:
        report = check_activations(activations, properties=chosen, timeout=seconds,
                                   epsilon=threshold, examples=drawn, on_result=advance)
    _emit(report, output_format, output)
    raise typer.Exit(exit_code(report, input_errors=input_errors,
                               allow_conflicts=allow_conflicts))


@app.command()
def schema() -> None:
    """Print the JSON schema of the report (actverify/report/v1)."""
    typer.echo(json.dumps(Report.model_json_schema(by_alias=True), indent=2))


def _gather(files: list[Path], expressions: list[str]) -> tuple[list[Activation], int]:
    activations: list[Activation] = []
    errors = 0
    for path in files:
        try:
            activations.extend(load_function_file(path))
        except VerifierError as exc:
            typer.echo(f"error: {exc}", err=True)
            errors += 1
    for index, text in enumerate(dict.fromkeys(expressions)):
        activations.append(Activation(name=text, expr=text, file="--expr"))
    if not files and not expressions:
        activations = load_catalog()
    return activations, errors


@contextmanager
def _progress(total: int, *, enabled: bool):
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


def _emit(report: Report, output_format: OutputFormat, output: Path | None) -> None:
    if output_format is OutputFormat.json:
        text = report.to_json() + "\n"
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return
    from verifier.report.text import problem_lines, summary_table

    stream = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        console = Console(file=stream, width=None if stream.isatty() else 160,
                          no_color=not stream.isatty())
        console.print(summary_table(report))
        for line in problem_lines(report):
            console.print(line, highlight=False)
    finally:
        if output:
            stream.close()


def main() -> None:
    app()
