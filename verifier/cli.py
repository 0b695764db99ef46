"""The `actverify` command. A bare `actverify` checks the built-in catalog.

Exit codes: 0 no error finding; 1 at least one error finding (--strict: or warning); 2 usage or
input error (the other activations are still checked and reported); 3 internal error, or a
cross-check conflict (unless --allow-conflicts).
"""

from __future__ import annotations

import io
import json
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from verifier.config import resolve
from verifier.crosscheck import DEFAULT_EXAMPLES
from verifier.engine import DEFAULT_TIMEOUT, check_activations, exit_code
from verifier.errors import InputError, VerifierError
from verifier.functions import load_catalog, read_function_file
from verifier.model import Activation, Report
from verifier.report.files import append_step_summary, write_reports
from verifier.report.markdown import render_index
from verifier.report.escape import plain
from verifier.report.sarif import render_sarif
from verifier.safe_files import check_destination, check_writable, write_file
from verifier.store import ResultStore

app = typer.Typer(add_completion=False, no_args_is_help=False,
                  help="Prove or refute properties of neural-network activation functions.")


class ExecutorName(str, Enum):
    local = "local"
    dask = "dask"


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"


@app.callback(invoke_without_command=True)
def _default(ctx: typer.Context, quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar (bare actverify).")] = False) -> None:
    """A bare `actverify` checks the catalog and writes its reports to reports/."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(report, report_dir=Path("reports"), quiet=quiet)


@app.command()
def check(
    files: Annotated[Optional[list[Path]], typer.Argument(
        help="Function files (TOML). None and no --expr: the built-in catalog.")] = None,
    expr: Annotated[Optional[list[str]], typer.Option(
        "--expr", help="An inline expression to check (repeatable).")] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text: a summary table; json: the actverify/report/v1 object; "
                         "markdown: the index table; sarif: SARIF 2.1.0 for code scanning.")
    ] = OutputFormat.text,
    output: Annotated[Optional[Path], typer.Option(
        "--output", help="Write the report here instead of standard output.")] = None,
    rules: Annotated[Optional[str], typer.Option(
        help="Rule set: default, strict, search, or a TOML file.")] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Warning findings fail too (exit 1).")] = False,
    report_dir: Annotated[Optional[Path], typer.Option(
        "--report-dir", help="Write Markdown reports with plots here.")] = None,
    timeout: Annotated[Optional[float], typer.Option(
        help=f"Seconds allowed per property per activation (default {DEFAULT_TIMEOUT:g}).")
    ] = None,
    properties: Annotated[Optional[str], typer.Option(
        "--properties", help="Comma-separated property ids to check (default: all).")] = None,
    epsilon: Annotated[Optional[str], typer.Option(
        help="no_vanishing_gradient threshold: |f'| below it is vanishing (exact decimal, "
             "default 1e-3).")] = None,
    examples: Annotated[Optional[int], typer.Option(
        help=f"Inputs the numeric cross-check draws per verdict (default "
             f"{DEFAULT_EXAMPLES}).")] = None,
    no_crosscheck: Annotated[bool, typer.Option(
        "--no-crosscheck", help="Skip the numeric cross-check (faster; verdicts unchanged).")
    ] = False,
    allow_conflicts: Annotated[bool, typer.Option(
        "--allow-conflicts", help="Do not exit 3 on a cross-check conflict.")] = False,
    jobs: Annotated[int, typer.Option(
        help="Activations checked at once (default: the number of cores).")] = 0,
    budget: Annotated[Optional[float], typer.Option(
        help="Seconds one activation may take in all, every property and cross-check "
             "together (default 5 x --timeout); what it cuts is unknown \"budget\".")] = None,
    run_budget: Annotated[Optional[float], typer.Option(
        "--run-budget", help="Seconds the whole run may take (default: no limit); what it "
                             "cuts is unknown \"budget\".")] = None,
    max_memory: Annotated[Optional[str], typer.Option(
        "--max-memory", help="Memory cap per worker process, e.g. 1GiB (the default) or "
                             "512MiB; none for no cap. A worker past it is stopped and its "
                             "property is unknown.")] = None,
    store: Annotated[Optional[Path], typer.Option(
        "--store", help="SQLite result store: reuse stored results, store new ones.")] = None,
    executor: Annotated[ExecutorName, typer.Option(
        help="local: worker processes on this machine (--jobs); dask: the dask.distributed "
             "cluster at --scheduler (pip install 'actverify[dask]').")] = ExecutorName.local,
    scheduler: Annotated[Optional[str], typer.Option(
        help="The dask scheduler's address, e.g. tcp://10.0.0.5:8786 (--executor dask).")
    ] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar on standard error.")] = False,
) -> None:
    """Check activations from FILES, --expr, or the built-in catalog."""
    try:
        settings = resolve(rules=rules, properties=properties, timeout=timeout,
                           epsilon=epsilon, examples=examples, crosscheck=not no_crosscheck,
                           report_dir=report_dir, max_memory=max_memory, budget=budget,
                           run_budget=run_budget)
        if not 0 <= jobs <= MAX_JOBS:
            raise InputError(f"jobs: must be from 0 (one per core) to {MAX_JOBS}, got {jobs}")
        if (executor is ExecutorName.dask) != (scheduler is not None):
            raise InputError("scheduler: --executor dask needs --scheduler ADDRESS, and "
                             "--scheduler is only for --executor dask")
        _check_destinations(output, settings.report_dir)   # before hours of analysis
    except VerifierError as exc:
        _error(exc)
        raise typer.Exit(2) from None
    activations, input_errors = _gather(files or [], expr or [])
    try:
        results = ResultStore(store) if store else None
        remote = None
        if scheduler is not None:
            from verifier.distributed import DaskExecutor
            remote = DaskExecutor(scheduler)
    except VerifierError as exc:
        _error(exc)
        raise typer.Exit(2) from None
    try:
        with _progress(len(activations), enabled=not quiet) as advance:
            report = check_activations(activations, properties=settings.properties,
                                       timeout=settings.timeout, epsilon=settings.epsilon,
                                       examples=settings.examples, rules=settings.rules,
                                       jobs=jobs or os.cpu_count() or 1,
                                       max_memory=settings.max_memory, budget=settings.budget,
                                       run_budget=settings.run_budget, store=results,
                                       executor=remote, on_result=advance)
    finally:
        if results:
            results.close()
        if remote:
            remote.close()
    if results and results.failure:   # the analysis went on without the store
        _error(results.failure)
        input_errors += 1
    input_errors += _write_outputs(report, output_format, output, settings.report_dir,
                                   jobs=jobs or os.cpu_count() or 1, timeout=settings.timeout,
                                   max_memory=settings.max_memory)
    raise typer.Exit(exit_code(report, input_errors=input_errors,
                               allow_conflicts=allow_conflicts, strict=strict))


MAX_JOBS = 1024


def _error(problem: object) -> None:
    """One line on standard error, with no terminal control from untrusted text."""
    typer.echo(f"error: {plain(str(problem))}", err=True)


def _check_destinations(output: Path | None, report_dir: Path | None) -> None:
    if output is not None:
        check_destination(output)
    if report_dir is not None:
        check_writable(report_dir)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        check_destination(Path(summary_file))


def _write_outputs(report: Report, output_format: OutputFormat, output: Path | None,
                   report_dir: Path | None, *, jobs: int, timeout: float,
                   max_memory: int | None) -> int:
    """Every output the user asked for, each on its own (one failing does not stop the
    others); returns how many failed (each said on standard error)."""
    failed = 0
    steps = [lambda: _emit(report, output_format, output)]
    if report_dir is not None:
        steps.append(lambda: write_reports(report, report_dir, timeout=timeout,
                                           max_memory=max_memory, jobs=jobs))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        steps.append(lambda: append_step_summary(report, Path(summary_file)))
    for step in steps:
        try:
            step()
        except VerifierError as exc:
            _error(exc)
            failed += 1
    return failed


@app.command()
def report(
    report_dir: Annotated[Path, typer.Option(
        "--report-dir", help="Where to write the catalog's reports.")] = Path("reports"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Regenerate the built-in catalog's Markdown reports (default rule set) in REPORT_DIR."""
    settings = resolve(project=Path("/nonexistent"))   # the repository's reports: defaults only
    try:
        check_writable(report_dir)
    except VerifierError as exc:
        _error(exc)
        raise typer.Exit(2) from None
    activations = load_catalog()
    with _progress(len(activations), enabled=not quiet) as advance:
        result = check_activations(activations, properties=settings.properties,
                                   timeout=settings.timeout, epsilon=settings.epsilon,
                                   examples=settings.examples, rules=settings.rules,
                                   jobs=os.cpu_count() or 1, max_memory=settings.max_memory,
                                   on_result=advance)
    failed = _write_outputs(result, OutputFormat.text, None, report_dir,
                            jobs=os.cpu_count() or 1, timeout=settings.timeout,
                            max_memory=settings.max_memory)
    if not failed:
        typer.echo(f"wrote {report_dir}/index.md and {len(result.activations)} activation "
                   f"pages")
    raise typer.Exit(exit_code(result, input_errors=failed))


@app.command("search-space")
def search_space(
    out: Annotated[Path, typer.Option("--out", help="The function file to write.")],
    unary: Annotated[Optional[list[str]], typer.Option(
        "--unary", help="A unary function of x (repeatable; default: the issue's 23).")] = None,
    binary: Annotated[Optional[list[str]], typer.Option(
        "--binary", help="A binary function of x1, x2 (repeatable; default: 7).")] = None,
) -> None:
    """Write the candidate file of the space b(u1(x), u2(x)) for activation search."""
    from verifier import search_space as space

    try:
        pairs = space.candidates(unary or space.UNARY, binary or space.BINARY)
    except VerifierError as exc:
        _error(exc)
        raise typer.Exit(2) from None
    try:
        write_file(out, space.candidate_file(pairs))
    except VerifierError as exc:
        _error(exc)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {len(pairs)} candidates to {out}")


store_app = typer.Typer(help="The result store (--store).")
app.add_typer(store_app, name="store")


@store_app.command("stats")
def store_stats(store: Annotated[Path, typer.Option("--store", help="The store file.")]) -> None:
    """How many results the store holds."""
    if not store.is_file():
        _error(f"{store}: no such result store")
        raise typer.Exit(2)
    try:
        results = ResultStore(store)
        for label, count in results.stats().items():
            typer.echo(f"{label}: {count}")
        results.close()
    except VerifierError as exc:
        _error(exc)
        raise typer.Exit(2) from None


@app.command()
def schema() -> None:
    """Print the JSON schema of the report (actverify/report/v1)."""
    typer.echo(json.dumps(Report.model_json_schema(by_alias=True), indent=2))


def _gather(files: list[Path], expressions: list[str]) -> tuple[list[Activation], int]:
    activations: list[Activation] = []
    errors = 0
    for path in files:
        good, problems = read_function_file(path)
        activations.extend(good)
        for problem in problems:
            _error(problem)
        errors += len(problems)
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
    if output_format is not OutputFormat.text:
        renderers = {OutputFormat.json: lambda r: r.to_json() + "\n",
                     OutputFormat.markdown: lambda r: render_index(r, links=False),
                     OutputFormat.sarif: render_sarif}
        text = renderers[output_format](report)
        if output:
            write_file(output, text)
        else:
            sys.stdout.write(text)
        return
    from verifier.report.text import problem_lines, summary_table

    stream = io.StringIO() if output else sys.stdout
    console = Console(file=stream, width=None if stream.isatty() else 160,
                      no_color=not stream.isatty())
    console.print(summary_table(report))
    for line in problem_lines(report):
        console.print(line, highlight=False)
    if output:
        write_file(output, stream.getvalue())


def main() -> None:
    app()
