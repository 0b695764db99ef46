"""Runs the property checkers on activations, each in a killable worker process.

Every property runs under a time limit. An activation's checks run in a forked worker that
streams one result per property back; the parent waits at most `timeout` seconds for each. A
worker that overruns is killed (SIGKILL: sympy cannot be interrupted from inside), the property
is `unknown` with reason "time limit", and a fresh worker continues with the remaining
properties. A crashing worker costs only the property it was on. One bad candidate never stops
a batch.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection

import sympy as sp

from verifier.analysis.context import DEFAULT_EPSILON, AnalysisContext
from verifier.errors import ExpressionError
from verifier.expr import parse_expression
from verifier.findings import interim_findings
from verifier.functions import build_expression
from verifier.model import (Activation, ActivationError, ActivationResult, PropertyResult,
                            Report, Severity, Summary, ToolInfo, Verdict)
from verifier.properties.registry import PROPERTY_IDS, checker, unknown
from verifier.vocabulary import variable_symbol

DEFAULT_TIMEOUT = 30.0
_CONTEXT = multiprocessing.get_context(
    "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def check_activations(activations: Iterable[Activation], *,
                      properties: Sequence[str] = PROPERTY_IDS,
                      timeout: float = DEFAULT_TIMEOUT,
                      epsilon: sp.Rational = DEFAULT_EPSILON,
                      on_result: Callable[[ActivationResult], None] | None = None) -> Report:
    """Check every activation (in order) and assemble the report; `on_result` is told of
    each finished activation (progress display)."""
    started = time.perf_counter()
    _warm_up()
    results = []
    for activation in activations:
        results.append(check_activation(activation, properties=properties, timeout=timeout,
                                        epsilon=epsilon))
        if on_result is not None:
            on_result(results[-1])
    return build_report(results, time.perf_counter() - started, properties=properties)


def check_activation(activation: Activation, *, properties: Sequence[str] = PROPERTY_IDS,
                     timeout: float = DEFAULT_TIMEOUT,
                     epsilon: sp.Rational = DEFAULT_EPSILON) -> ActivationResult:
    """One activation: parse (in this process, budgeted), then check in a worker."""
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    base = ActivationResult(name=activation.name, expr=activation.expr, source=activation.source)
    try:
        expr = build_expression(activation)
        float_expr = build_expression(activation, stable_shorthands=True)
    except ExpressionError as exc:
        base.error = ActivationError(kind="parse", message=str(exc))
        return base
    base.canonical, base.latex = sp.sstr(expr), sp.latex(expr)
    outcomes = _run_isolated((expr, float_expr), variable_symbol(activation.variable),
                             list(properties), timeout, epsilon)
    base.properties = {pid: outcome.result for pid, outcome in outcomes.items()}
    base.error = _worst_error(outcomes)
    base.findings = interim_findings(activation.name, base.properties)
    return base


# Touches solveset, limits, simplify and arb, which sympy loads lazily: done once in the parent,
# forked workers inherit it instead of each paying it again (measured: 4-5x on the catalog).
_WARM_UP = "Piecewise((sqrt(x) + log(1 + exp(x)), x > 0), (sin(x)/x, x < 0), (1, True))"
_warmed = False


def _warm_up() -> None:
    global _warmed
    if _warmed:
        return
    _warmed = True
    context = AnalysisContext(parse_expression(_WARM_UP), variable_symbol())
    for property_id in PROPERTY_IDS:
        try:
            checker(property_id)(context)
        except Exception:  # noqa: BLE001 - a checker bug is reported per activation by workers
            pass


class _Outcome:
    def __init__(self, result: PropertyResult, problem: tuple[str, str] | None = None) -> None:
        self.result = result
        self.problem = problem  # (kind, message) for limit/internal problems


def _run_isolated(exprs: tuple[sp.Expr, sp.Expr], x: sp.Symbol, properties: list[str],
                  timeout: float, epsilon: sp.Rational) -> dict[str, _Outcome]:
    """`exprs`: f as mathematics and f as floats compute it (see AnalysisContext)."""
    outcomes: dict[str, _Outcome] = {}
    remaining = list(properties)
    while remaining:
        receiver, sender = _CONTEXT.Pipe(duplex=False)
        worker = _CONTEXT.Process(target=_work,
                                     args=(sender, exprs, x, remaining, epsilon), daemon=True)
        worker.start()
        sender.close()
        try:
            for property_id in list(remaining):
                remaining.remove(property_id)
                outcomes[property_id] = _receive(receiver, property_id, timeout)
                if outcomes[property_id].problem:
                    break  # the worker is gone: restart for the rest
        finally:
            if worker.is_alive():
                worker.kill()
            worker.join()
            receiver.close()
    return outcomes


def _receive(receiver: Connection, property_id: str, timeout: float) -> _Outcome:
    if not receiver.poll(timeout):
        stopped = unknown(property_id, f"time limit: not decided within {timeout:g} s "
                                       f"(the analysis was stopped)")
        stopped.seconds = timeout
        problem = f"time limit of {timeout:g} s exceeded by {property_id}"
        return _Outcome(stopped, ("limit", problem))
    try:
        got_id, payload, failure = receiver.recv()
    except (EOFError, OSError):
        return _Outcome(unknown(property_id, "internal error: the worker process died"),
                        ("internal", f"worker died while checking {property_id}"))
    assert got_id == property_id, (got_id, property_id)
    result = PropertyResult.model_validate(payload)
    return _Outcome(result, ("internal", failure) if failure else None)


def _work(sender: Connection, exprs: tuple[sp.Expr, sp.Expr], x: sp.Symbol,
          properties: list[str], epsilon: sp.Rational) -> None:
    """Worker body: check properties in order, sending each result as soon as it exists."""
    context = AnalysisContext(exprs[0], x, epsilon=epsilon, float_expr=exprs[1])
    for property_id in properties:
        started = time.perf_counter()
        failure = None
        try:
            result = checker(property_id)(context)
        except Exception as exc:  # a checker bug: reported, never fatal to the batch
            failure = f"{property_id}: {type(exc).__name__}: {exc}"
            result = unknown(property_id, f"internal error: {type(exc).__name__}: {exc}",
                             evidence=traceback.format_exc(limit=4).splitlines()[-6:])
        result.seconds = round(time.perf_counter() - started, 4)
        sender.send((property_id, result.model_dump(mode="json"), failure))
    sender.close()


def _worst_error(outcomes: dict[str, _Outcome]) -> ActivationError | None:
    problems = [o.problem for o in outcomes.values() if o.problem]
    if not problems:
        return None
    kind = "internal" if any(k == "internal" for k, _ in problems) else "limit"
    return ActivationError(kind=kind, message="; ".join(m for _, m in problems))


def build_report(results: list[ActivationResult], seconds: float, *,
                 properties: Sequence[str] = PROPERTY_IDS) -> Report:
    from verifier import __version__

    counts = {pid: {verdict: 0 for verdict in Verdict} for pid in properties}
    for activation in results:
        for pid, outcome in activation.properties.items():
            counts[pid][outcome.verdict] += 1
    findings = {severity: 0 for severity in Severity}
    errors = {"parse": 0, "limit": 0, "internal": 0}
    for activation in results:
        for finding in activation.findings:
            findings[finding.severity] += 1
        if activation.error:
            errors[activation.error.kind] += 1
    summary = Summary(activations=len(results), counts=counts, findings=findings, errors=errors,
                      seconds=round(seconds, 3))
    return Report(tool=ToolInfo(version=__version__), activations=results, summary=summary)


def exit_code(report: Report, *, input_errors: int = 0) -> int:
    """0 clean; 1 error findings; 2 input errors (files or expressions); 3 internal errors."""
    if report.summary.errors["internal"]:
        return 3
    if input_errors or report.summary.errors["parse"]:
        return 2
    if report.summary.findings[Severity.error]:
        return 1
    return 0
