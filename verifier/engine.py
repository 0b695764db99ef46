"""Runs the property checkers on activations, each in a killable worker process.

Every property runs under a time limit. An activation's checks run in a forked worker that
streams one result per property back; the parent waits at most `timeout` seconds for each. A
worker that overruns is killed (SIGKILL: sympy cannot be interrupted from inside), the property
is `unknown` with reason "time limit", and a fresh worker continues with the remaining
properties. A crashing worker costs only the property it was on. One bad candidate never stops
a batch. Each verdict's numeric cross-check (verifier.crosscheck) follows it as a second
message under its own time limit; a cross-check that overruns is `skipped`, the verdict kept.
"""

from __future__ import annotations

import multiprocessing
import json
from functools import partial
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection

import sympy as sp

from verifier import batch
from verifier.analysis.context import DEFAULT_EPSILON, AnalysisContext
from verifier.crosscheck import DEFAULT_EXAMPLES, Subject, crosscheck
from verifier.errors import ExpressionError
from verifier.expr import parse_expression
from verifier.functions import build_expression
from verifier.model import (Activation, ActivationError, ActivationResult, CrossCheck,
                            PropertyResult, Report, Severity, Summary, ToolInfo, Verdict)
from verifier.properties.registry import PROPERTY_IDS, checker, unknown
from verifier.rules import RuleSet, findings, load_rules
from verifier.store import ResultStore
from verifier.vocabulary import variable_symbol

DEFAULT_TIMEOUT = 30.0
_CONTEXT = multiprocessing.get_context(
    "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def check_activations(activations: Iterable[Activation], *,
                      properties: Sequence[str] = PROPERTY_IDS,
                      timeout: float = DEFAULT_TIMEOUT,
                      epsilon: sp.Rational = DEFAULT_EPSILON,
                      examples: int | None = DEFAULT_EXAMPLES,
                      rules: RuleSet | None = None, jobs: int = 1,
                      store: ResultStore | None = None,
                      on_result: Callable[[ActivationResult], None] | None = None) -> Report:
    """Check every activation and assemble the report, in input order; `on_result` is told
    of each finished activation (progress display). `examples`: inputs drawn per verdict by
    the cross-check; None skips it. `rules` (default: the default rule set) make the
    findings. `jobs` > 1 checks that many activations at once from a pool of processes; the
    analysis itself still runs in a fresh forked worker per activation (so the pool's
    processes stay small and need no recycling), every property under its limit. The same
    function under several names (equal canonical forms) is analysed once; with a `store`,
    results stored under the same expression and options are reused."""
    started = time.perf_counter()
    todo = list(activations)
    if len(todo) > 1:   # one activation pays the lazy loading once anyway: no warm-up
        _warm_up(properties, crosscheck_too=examples is not None)
    rules = rules or load_rules("default")
    check = partial(check_activation, properties=properties, timeout=timeout, epsilon=epsilon,
                    examples=examples, rules=rules)
    fingerprint = json.dumps({"properties": list(properties), "timeout": timeout,
                              "epsilon": str(epsilon), "examples": examples,
                              "rules": rules.model_dump(mode="json"),
                              "version": _version()}, sort_keys=True)

    def relabel(result: ActivationResult, activation: Activation) -> ActivationResult:
        return result.model_copy(update={
            "name": activation.name, "expr": activation.expr, "source": activation.source,
            "file": activation.file, "line": activation.line,
            "findings": findings(activation.name, result.properties, rules)})
    results = batch.run(todo, check, identity=_identity, relabel=relabel,
                        fingerprint=fingerprint, jobs=jobs, store=store, context=_CONTEXT,
                        on_result=on_result)
    return build_report(results, time.perf_counter() - started, properties=properties)


def _identity(activation: Activation) -> str | None:
    """What a result depends on in the activation: its variable and both parsed forms (None
    when it does not parse: such an activation is never shared or stored)."""
    try:
        expr = build_expression(activation)
        program = build_expression(activation, stable_shorthands=True)
    except ExpressionError:
        return None
    return f"{activation.variable}|{sp.srepr(expr)}|{sp.srepr(program)}"


def _version() -> str:
    from verifier import __version__
    return __version__


def check_activation(activation: Activation, *, properties: Sequence[str] = PROPERTY_IDS,
                     timeout: float = DEFAULT_TIMEOUT,
                     epsilon: sp.Rational = DEFAULT_EPSILON,
                     examples: int | None = DEFAULT_EXAMPLES,
                     rules: RuleSet | None = None) -> ActivationResult:
    """One activation: parse (in this process, budgeted), then check in a worker."""
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    base = ActivationResult(name=activation.name, expr=activation.expr, source=activation.source,
                            file=activation.file, line=activation.line)
    try:
        expr = build_expression(activation)
        float_expr = build_expression(activation, stable_shorthands=True)
    except ExpressionError as exc:
        base.error = ActivationError(kind="parse", message=str(exc))
        return base
    base.canonical, base.latex = sp.sstr(expr), sp.latex(expr)
    outcomes = _run_isolated((expr, float_expr), variable_symbol(activation.variable),
                             list(properties), timeout, (epsilon, examples))
    base.properties = {pid: outcome.result for pid, outcome in outcomes.items()}
    base.error = _worst_error(outcomes)
    base.findings = findings(activation.name, base.properties, rules or load_rules("default"))
    return base


# Touches solveset, limits, simplify, arb and hypothesis, which load lazily: done once in the
# parent, forked workers inherit it instead of each paying it again (4-5x on the catalog).
_WARM_UP = "Piecewise((sqrt(x) + log(1 + exp(x)), x > 0), (sin(x)/x, x < 0), (1, True))"
_warmed = False


def _warm_up(properties: Sequence[str], *, crosscheck_too: bool) -> None:
    global _warmed
    if _warmed:
        return
    _warmed = True
    expr, x = parse_expression(_WARM_UP), variable_symbol()
    context, subject = AnalysisContext(expr, x), Subject(expr, x)
    for property_id in properties:
        try:
            outcome = checker(property_id)(context)
            if crosscheck_too:
                crosscheck(property_id, outcome, subject, examples=2)
        except Exception:  # noqa: BLE001 - a checker bug is reported per activation by workers
            pass


class _Outcome:
    def __init__(self, result: PropertyResult, problem: tuple[str, str] | None = None) -> None:
        self.result = result
        self.problem = problem  # (kind, message) for limit/internal problems


def _run_isolated(exprs: tuple[sp.Expr, sp.Expr], x: sp.Symbol, properties: list[str],
                  timeout: float, options: tuple[sp.Rational, int | None]
                  ) -> dict[str, _Outcome]:
    """`exprs`: f as mathematics and f as floats compute it (see AnalysisContext);
    `options`: epsilon and the cross-check's examples (None: no cross-check)."""
    outcomes: dict[str, _Outcome] = {}
    remaining = list(properties)
    while remaining:
        receiver, sender = _CONTEXT.Pipe(duplex=False)
        worker = _CONTEXT.Process(target=_work,
                                     args=(sender, exprs, x, remaining, options), daemon=True)
        worker.start()
        sender.close()
        try:
            for property_id in list(remaining):
                remaining.remove(property_id)
                outcomes[property_id] = _receive(receiver, property_id, timeout)
                if outcomes[property_id].problem:
                    break  # the worker is gone: restart for the rest
                if options[1] is not None:
                    check = _receive_crosscheck(receiver, property_id, timeout)
                    outcomes[property_id].result.crosscheck = check
                    if check.detail.startswith(_STOPPED):
                        break
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


_STOPPED = "time limit"


def _receive_crosscheck(receiver: Connection, property_id: str, timeout: float) -> CrossCheck:
    if not receiver.poll(timeout):
        return CrossCheck(status="skipped", detail=f"{_STOPPED}: the cross-check did not "
                                                   f"finish within {timeout:g} s (stopped)")
    try:
        got_id, payload = receiver.recv()
    except (EOFError, OSError):
        return CrossCheck(status="skipped", detail=f"{_STOPPED}: the worker died during the "
                                                   f"cross-check")
    assert got_id == property_id, (got_id, property_id)
    return CrossCheck.model_validate(payload)


def _work(sender: Connection, exprs: tuple[sp.Expr, sp.Expr], x: sp.Symbol,
          properties: list[str], options: tuple[sp.Rational, int | None]) -> None:
    """Worker body: check properties in order, sending each result as soon as it exists,
    then its cross-check."""
    epsilon, examples = options
    context = AnalysisContext(exprs[0], x, epsilon=epsilon, float_expr=exprs[1])
    subject = Subject(exprs[0], x, float_expr=exprs[1], epsilon=epsilon)
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
        if examples is not None:
            sender.send((property_id, _challenge(property_id, result, subject, examples)))
    sender.close()


def _challenge(property_id: str, result: PropertyResult, subject: Subject,
               examples: int) -> dict:
    try:
        check = crosscheck(property_id, result, subject, examples=examples)
    except Exception as exc:  # a cross-check bug: visible, never fatal
        check = CrossCheck(status="skipped", detail=f"cross-check failed: "
                                                    f"{type(exc).__name__}: {exc}")
    return check.model_dump(mode="json")


def _worst_error(outcomes: dict[str, _Outcome]) -> ActivationError | None:
    problems = [o.problem for o in outcomes.values() if o.problem]
    if not problems:
        return None
    kind = "internal" if any(k == "internal" for k, _ in problems) else "limit"
    return ActivationError(kind=kind, message="; ".join(m for _, m in problems))


def build_report(results: list[ActivationResult], seconds: float, *,
                 properties: Sequence[str] = PROPERTY_IDS) -> Report:
    counts = {pid: {verdict: 0 for verdict in Verdict} for pid in properties}
    for activation in results:
        for pid, outcome in activation.properties.items():
            counts[pid][outcome.verdict] += 1
    crosschecks = {status: 0 for status in ("agrees", "conflict", "skipped", "hint")}
    for activation in results:
        for outcome in activation.properties.values():
            if outcome.crosscheck is not None:
                crosschecks[outcome.crosscheck.status] += 1
    findings = {severity: 0 for severity in Severity}
    errors = {"parse": 0, "limit": 0, "internal": 0}
    for activation in results:
        for finding in activation.findings:
            findings[finding.severity] += 1
        if activation.error:
            errors[activation.error.kind] += 1
    summary = Summary(activations=len(results), counts=counts, findings=findings, errors=errors,
                      crosschecks=crosschecks, seconds=round(seconds, 3))
    return Report(tool=ToolInfo(version=_version()), activations=results, summary=summary)


def exit_code(report: Report, *, input_errors: int = 0, allow_conflicts: bool = False,
              strict: bool = False) -> int:
    """0 clean; 1 error findings (strict: warnings too); 2 input errors (files or
    expressions); 3 internal errors or cross-check conflicts (a conflict is a defect of the
    verifier) unless allowed."""
    if report.summary.errors["internal"]:
        return 3
    if report.summary.crosschecks.get("conflict") and not allow_conflicts:
        return 3
    if input_errors or report.summary.errors["parse"]:
        return 2
    if report.summary.findings[Severity.error] or (
            strict and report.summary.findings[Severity.warning]):
        return 1
    return 0
