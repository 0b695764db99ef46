"""The `actverify` command. A bare `actverify` checks the built-in catalog.

Exit codes: 0 no error finding; 1 at least one error finding (--strict: or warning); 2 usage or
input error (the other activations are still checked and reported); 3 internal error, or a
cross-check conflict (unless --allow-conflicts).
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from verifier.defaults import DEFAULT_EXAMPLES, DEFAULT_TIMEOUT
from verifier.errors import InputError, VerifierError
from verifier.escape import plain

# Only what every command needs is imported here, so that `actverify --version` and `--help`
# start in a tenth of a second; each command imports the analysis when it runs.

app = typer.Typer(add_completion=False, no_args_is_help=False, rich_markup_mode=None,
                  help="Prove or refute properties of neural-network activation functions.")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"


class ExecutorName(str, Enum):
    local = "local"
    dask = "dask"


class SeverityName(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"actverify {version('actverify')}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _default(ctx: typer.Context, quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar (bare actverify).")] = False,
        version: Annotated[bool, typer.Option(
            "--version", is_eager=True, callback=_print_version,
            help="Print the version and exit.")] = False) -> None:
    """A bare `actverify` checks the catalog and writes its reports to reports/."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(report, report_dir=Path("reports"), quiet=quiet)


@app.command()
def check(
    files: Annotated[Optional[list[Path]], typer.Argument(
        metavar="PATHS", show_default=False,
        help="Function files (TOML), or directories: their activation*.toml files. None and "
             "no --expr: the built-in catalog.")] = None,
    expr: Annotated[Optional[list[str]], typer.Option(
        "--expr", metavar="EXPR", help="An inline expression to check (repeatable).")] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text: one line per problem, a table and a summary line; json: "
                         "the actverify/report/v1 object; "
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
    min_severity: Annotated[SeverityName, typer.Option(
        "--min-severity", help="Show findings of this severity and above (text format).")
    ] = SeverityName.warning,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar on standard error.")] = False,
) -> None:
    """Check activations from PATHS, --expr, or the built-in catalog."""
    from verifier.cli_io import (Outcome, check_destinations, error, gather, progress,
                                 write_outputs)
    from verifier.config import resolve
    from verifier.engine import check_activations
    from verifier.model import Severity
    from verifier.store import ResultStore

    try:
        settings = resolve(rules=rules, properties=properties, timeout=timeout,
                           epsilon=epsilon, examples=examples, crosscheck=not no_crosscheck,
                           report_dir=report_dir, max_memory=max_memory, budget=budget,
                           run_budget=run_budget)
        workers = _jobs(jobs)
        if (executor is ExecutorName.dask) != (scheduler is not None):
            raise InputError("scheduler: --executor dask needs --scheduler ADDRESS, and "
                             "--scheduler is only for --executor dask")
        check_destinations(output, settings.report_dir)   # before hours of analysis
    except VerifierError as exc:
        error(exc)
        raise typer.Exit(2) from None
    activations, input_errors = gather(files or [], expr or [])
    try:
        results = ResultStore(store) if store else None
        remote = None
        if scheduler is not None:
            from verifier.distributed import DaskExecutor
            remote = DaskExecutor(scheduler)
    except VerifierError as exc:
        error(exc)
        raise typer.Exit(2) from None
    try:
        with progress(len(activations), enabled=not quiet) as advance:
            report = check_activations(activations, properties=settings.properties,
                                       timeout=settings.timeout, epsilon=settings.epsilon,
                                       examples=settings.examples, rules=settings.rules,
                                       jobs=workers,
                                       max_memory=settings.max_memory, budget=settings.budget,
                                       run_budget=settings.run_budget, store=results,
                                       executor=remote, on_result=advance)
    finally:
        if results:
            results.close()
        if remote:
            remote.close()
    if results and results.failure:   # the analysis went on without the store
        error(results.failure)
        input_errors += 1
    outcome = Outcome(input_errors, allow_conflicts, strict, Severity(min_severity.value))
    raise typer.Exit(write_outputs(report, output_format.value, output, settings.report_dir,
                                    outcome, jobs=workers,
                                    timeout=settings.timeout, max_memory=settings.max_memory))


MAX_JOBS = 1024


def _jobs(jobs: int) -> int:
    """--jobs validated: 0 is one per core."""
    if not 0 <= jobs <= MAX_JOBS:
        raise InputError(f"jobs: must be from 0 (one per core) to {MAX_JOBS}, got {jobs}")
    return jobs or os.cpu_count() or 1


@app.command()
def report(
    report_dir: Annotated[Path, typer.Option(
        "--report-dir", help="Where to write the catalog's reports.")] = Path("reports"),
    jobs: Annotated[int, typer.Option(
        help="Activations checked at once (default: the number of cores).")] = 0,
    timeout: Annotated[Optional[float], typer.Option(
        help=f"Seconds allowed per step (default {DEFAULT_TIMEOUT:g}; the committed reports "
             f"use the default).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Regenerate the built-in catalog's Markdown reports (default rule set) in REPORT_DIR."""
    from verifier.cli_io import Outcome, error, progress, write_outputs
    from verifier.config import resolve
    from verifier.engine import check_activations
    from verifier.functions import load_catalog
    from verifier.safe_files import check_writable

    try:   # the repository's reports: defaults only, never a pyproject's settings
        settings = resolve(timeout=timeout, read_project=False)
        workers = _jobs(jobs)
        check_writable(report_dir)
    except VerifierError as exc:
        error(exc)
        raise typer.Exit(2) from None
    activations = load_catalog()
    with progress(len(activations), enabled=not quiet) as advance:
        result = check_activations(activations, properties=settings.properties,
                                   timeout=settings.timeout, epsilon=settings.epsilon,
                                   examples=settings.examples, rules=settings.rules,
                                   jobs=workers, max_memory=settings.max_memory,
                                   on_result=advance)
    code = write_outputs(result, "text", None, report_dir, Outcome(),
                          jobs=workers, timeout=settings.timeout,
                          max_memory=settings.max_memory)
    if code != 2:
        typer.echo(f"wrote {plain(str(report_dir))}/index.md and {len(result.activations)} "
                   f"activation pages")
    raise typer.Exit(code)


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
    from verifier.cli_io import error
    from verifier.safe_files import write_file

    try:
        pairs = space.candidates(unary or space.UNARY, binary or space.BINARY)
    except VerifierError as exc:
        error(exc)
        raise typer.Exit(2) from None
    try:
        write_file(out, space.candidate_file(pairs))
    except VerifierError as exc:
        error(exc)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {len(pairs)} candidates to {out}")


store_app = typer.Typer(help="The result store (--store).")
app.add_typer(store_app, name="store")


@store_app.command("stats")
def store_stats(store: Annotated[Path, typer.Option("--store", help="The store file.")]) -> None:
    """How many results the store holds."""
    from verifier.cli_io import error
    from verifier.store import ResultStore

    if not store.is_file():
        error(f"{store}: no such result store")
        raise typer.Exit(2)
    try:
        results = ResultStore(store)
        for label, count in results.stats().items():
            typer.echo(f"{label}: {count}")
        results.close()
    except VerifierError as exc:
        error(exc)
        raise typer.Exit(2) from None


@app.command()
def schema() -> None:
    """Print the JSON schema of the report (actverify/report/v1), each property's facts
    included."""
    from verifier.schema import report_schema

    typer.echo(json.dumps(report_schema(), indent=2))


def main() -> None:
    """Run the command, then leave without the interpreter's teardown: freeing sympy's objects
    one by one takes about 0.1 s, and nothing is left to do by then (files are written and
    closed, workers reaped, output flushed here)."""
    try:
        app()
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:   # a reader that went away (`| head`): nothing more to tell it
            pass
    os._exit(code or 0)
