"""Runs the property checkers on activations, each in a killable worker process.

Every property runs under a time limit and every worker under a memory cap (verifier.workers):
an activation's checks run in a forked worker that streams one result per property back; a
worker that overruns either is killed, the property is `unknown` with the reason, and a fresh
worker continues with the remaining properties. A worker that dies on its own is replaced and
its property retried once. One bad candidate never stops a batch. Each verdict's numeric
cross-check (verifier.crosscheck) follows it as a second message under its own time limit; a
cross-check that is stopped is `skipped`, the verdict kept.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

import sympy as sp
from sympy.core.random import seed as seed_sympy_random

from verifier.defaults import DEFAULT_EXAMPLES, DEFAULT_TIMEOUT
from verifier import batch, seeded, workers
from verifier.analysis.context import DEFAULT_EPSILON, AnalysisContext
from verifier.analysis.undecided import Undecided
from verifier.expr import parse_expression
from verifier.model import (
    Activation,
    ActivationError,
    ActivationResult,
    CrossCheck,
    PropertyResult,
    Report,
    Severity,
    Summary,
    ToolInfo,
    Verdict,
)
from verifier.fresh import start_afresh
from verifier.parsing import Parsed, parse_all, thaw
from verifier.properties.registry import PROPERTY_IDS, checker, unknown
from verifier.rules import RuleSet, findings, load_rules
from verifier.store import ResultStore
from verifier.vocabulary import variable_symbol
from verifier.workers import DEFAULT_MAX_MEMORY

if TYPE_CHECKING:
    from verifier.crosscheck import Subject
    from verifier.distributed import Executor

BUDGET_FACTOR = 5     # an activation's default budget: this many times the per-step timeout


def check_activations(activations: Iterable[Activation], *,
                      properties: Sequence[str] = PROPERTY_IDS,
                      timeout: float = DEFAULT_TIMEOUT,
                      epsilon: sp.Rational = DEFAULT_EPSILON,
                      examples: int | None = DEFAULT_EXAMPLES,
                      rules: RuleSet | None = None, jobs: int = 1,
                      max_memory: int | None = DEFAULT_MAX_MEMORY,
                      budget: float | None = None, run_budget: float | None = None,
                      store: ResultStore | None = None, executor: Executor | None = None,
                      on_result: Callable[[ActivationResult], None] | None = None) -> Report:
    """Check every activation and assemble the report, in input order; `on_result` is told
    of each finished activation (progress display). `examples`: inputs drawn per verdict by
    the cross-check; None skips it. `rules` (default: the default rule set) make the
    findings. Each activation is parsed and analysed in forked workers (see
    verifier.workers), `jobs` of them at once, each step (the parse, each property, each
    cross-check) under `timeout` seconds, the worker under `max_memory` bytes (None: no cap),
    each activation under `budget` seconds in all (default BUDGET_FACTOR x timeout) and the
    whole run under `run_budget` seconds (default: none); what a budget cuts is `unknown`
    "budget". The same function under several names (equal canonical forms) is analysed once;
    with a `store`, results stored under the same expression and options are reused, and each
    new one is stored as soon as it is finished (only results a rerun would reproduce: none
    cut by a limit). `executor` (e.g. verifier.distributed.DaskExecutor) runs the activations
    elsewhere instead of in local workers. Analysis runs where string hashing is fixed
    (verifier.seeded): in a process started without PYTHONHASHSEED=0 the batch runs in a
    child interpreter that is."""
    todo = list(activations)
    if executor is None and not seeded.hashing_fixed():
        return seeded.in_seeded_child(check_activations, dict(
            activations=todo, properties=properties, timeout=timeout, epsilon=epsilon,
            examples=examples, rules=rules, jobs=jobs, max_memory=max_memory, budget=budget,
            run_budget=run_budget, store=store), on_result=on_result)
    started = time.perf_counter()
    rules = rules or load_rules("default")
    options = Options(properties=tuple(properties), timeout=timeout, epsilon=epsilon,
                      examples=examples, rules=rules, max_memory=max_memory,
                      budget=_budget_or_default(budget, timeout),
                      deadline=None if run_budget is None else time.monotonic() + run_budget)
    if executor is None and len(todo) > 1:   # one activation pays the lazy loading anyway
        _warm_up(properties, crosscheck_too=examples is not None)
    fingerprint = json.dumps({"properties": list(properties), "timeout": timeout,
                              "epsilon": str(epsilon), "examples": examples,
                              "rules": rules.model_dump(mode="json"),
                              "version": _version()}, sort_keys=True)
    parsed = dict(zip(map(id, todo), parse_all(
        todo, jobs=jobs, timeout=options.timeout, max_memory=options.max_memory,
        deadline=options.deadline)))

    def identity(activation: Activation) -> str | None:
        summary = parsed[id(activation)]
        return summary.identity if isinstance(summary, Parsed) else None

    def relabel(result: ActivationResult, activation: Activation) -> ActivationResult:
        return result.model_copy(update={
            "name": activation.name, "expr": activation.expr, "source": activation.source,
            "file": activation.file, "line": activation.line, "column": activation.column,
            "variable": activation.variable,
            "findings": findings(activation.name, result.properties, rules)})

    def check_many(batch_: list[Activation]) -> Iterator[tuple[int, ActivationResult]]:
        if executor is not None:
            return enumerate(executor.check(batch_, options))
        return _check_parsed([(a, parsed[id(a)]) for a in batch_], options, jobs=jobs)
    results = batch.run(todo, check_many, identity=identity, relabel=relabel,
                        fingerprint=fingerprint, store=store, on_result=on_result)
    return build_report(results, time.perf_counter() - started, properties=properties,
                        ruled=[rule.property for rule in rules.rule])


class Options(NamedTuple):
    """What a check depends on besides the activation (picklable: executors ship it)."""
    properties: tuple[str, ...]
    timeout: float
    epsilon: sp.Rational
    examples: int | None
    rules: RuleSet
    max_memory: int | None
    budget: float | None = None      # seconds per activation, all steps together
    deadline: float | None = None    # time.monotonic() by which the whole run ends


def _budget_or_default(budget: float | None, timeout: float) -> float:
    return BUDGET_FACTOR * timeout if budget is None else budget


def _version() -> str:
    from verifier import __version__
    return __version__


def check_activation(activation: Activation, *, properties: Sequence[str] = PROPERTY_IDS,
                     timeout: float = DEFAULT_TIMEOUT,
                     epsilon: sp.Rational = DEFAULT_EPSILON,
                     examples: int | None = DEFAULT_EXAMPLES,
                     rules: RuleSet | None = None,
                     max_memory: int | None = DEFAULT_MAX_MEMORY,
                     budget: float | None = None) -> ActivationResult:
    """One activation: parsed, then checked, each in a worker under the limits."""
    options = Options(properties=tuple(properties), timeout=timeout, epsilon=epsilon,
                      examples=examples, rules=rules or load_rules("default"),
                      max_memory=max_memory,
                      budget=_budget_or_default(budget, timeout))
    (summary,) = parse_all([activation], jobs=1, timeout=options.timeout,
                             max_memory=options.max_memory, deadline=options.deadline)
    return next(_check_parsed([(activation, summary)], options, jobs=1))[1]


def _check_parsed(batch_: list[tuple[Activation, Parsed | ActivationError]],
                  options: Options, *, jobs: int) -> Iterator[tuple[int, ActivationResult]]:
    """(position in batch_, result) for each activation, as each is finished."""
    if options.timeout <= 0:
        raise ValueError(f"timeout must be positive, got {options.timeout}")
    checked = [(position, activation, summary)
               for position, (activation, summary) in enumerate(batch_)
               if isinstance(summary, Parsed)]
    for position, (activation, summary) in enumerate(batch_):
        if isinstance(summary, ActivationError):
            yield position, _base(activation).model_copy(update={"error": summary})
    jobs_ = [workers.Job(list(options.properties), followups=options.examples is not None,
                         args=(activation, summary, (options.epsilon, options.examples)),
                         weight=summary.weight)
             for _, activation, summary in checked]
    for job in workers.run(jobs_, _work, parallel=jobs, timeout=options.timeout,
                           max_memory=options.max_memory, budget=options.budget,
                           deadline=options.deadline, ordered=False, reuse=True):
        position, activation, summary = checked[job.index]
        result = _base(activation)
        result.canonical, result.latex = summary.canonical, summary.latex
        result.seconds = round(job.seconds, 3)
        outcomes = _outcomes(job, options.timeout)
        result.properties = {pid: outcome.result for pid, outcome in outcomes.items()}
        result.error = _worst_error(outcomes)
        result.findings = findings(activation.name, result.properties, options.rules)
        yield position, result


def _base(activation: Activation) -> ActivationResult:
    return ActivationResult(name=activation.name, expr=activation.expr,
                            variable=activation.variable,
                            source=activation.source, file=activation.file,
                            line=activation.line, column=activation.column)


# Touches solveset, limits, simplify, arb and hypothesis, which load lazily: done once in the
# parent, forked workers inherit it instead of each paying it again (4-5x on the catalog).
# Cheap to analyse (about 1 s): an oscillating piece such as sin(x)/x cost 8 s here.
_WARM_UP = "Piecewise((sqrt(x) + log(1 + exp(x)), x > 0), (x*exp(x), True))"
_warmed = False


def _warm_up(properties: Sequence[str], *, crosscheck_too: bool) -> None:
    global _warmed
    if _warmed:
        return
    _warmed = True
    # sympy.simplify imports sympy.physics.units on its first full pass (0.26 s), which the
    # warm-up formula may not reach with a few properties: every worker would pay it again
    import sympy.physics.units  # noqa: F401
    expr, x = parse_expression(_WARM_UP), variable_symbol()
    written = parse_expression(_WARM_UP, as_written=True)   # the workers' path, as written
    context = AnalysisContext(expr, x, written=written)
    if crosscheck_too:
        from verifier.crosscheck import Subject, crosscheck
        subject = Subject(expr, x, written=written)
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


def _out_of_room(exc: Exception) -> bool:
    """Memory, recursion depth, float range, or Python's 4300-digit guard on int -> str."""
    return isinstance(exc, (MemoryError, RecursionError, OverflowError)) or (
        isinstance(exc, ValueError) and "integer string conversion" in str(exc))


_PROBLEM_KIND = {"time": "limit", "memory": "limit", "budget": "limit", "died": "internal"}


def _outcomes(job: workers.Job, timeout: float) -> dict[str, _Outcome]:
    """The worker's messages (or why they never came) as results, in property order."""
    outcomes = {}
    for property_id in job.properties:
        verdict, *followup = job.messages[property_id]
        if isinstance(verdict, workers.Failure):
            result = unknown(property_id, verdict.detail if verdict.cause != "died" else
                             f"internal error: {verdict.detail}")
            if verdict.cause == "time":
                result.seconds = timeout
            outcomes[property_id] = _Outcome(result, (
                _PROBLEM_KIND[verdict.cause], f"{property_id}: {verdict.detail}"))
            continue
        got_id, payload, failure = verdict
        assert got_id == property_id, (got_id, property_id)
        result = PropertyResult.model_validate(payload)
        problem = tuple(failure) if failure else None
        if followup:
            from verifier.crosscheck import withdraw_if_contradicted
            result.crosscheck, crosscheck_problem = _crosscheck_of(property_id, followup[0])
            result = withdraw_if_contradicted(result)
            problem = problem or crosscheck_problem
        outcomes[property_id] = _Outcome(result, problem)
    return outcomes


def _crosscheck_of(property_id: str, message: object) -> tuple[CrossCheck,
                                                                tuple[str, str] | None]:
    if isinstance(message, workers.Failure):
        return CrossCheck(status="skipped", detail=f"the cross-check was stopped: "
                                                   f"{message.detail}"), None
    got_id, (payload, failure) = message
    assert got_id == property_id, (got_id, property_id)
    return CrossCheck.model_validate(payload), tuple(failure) if failure else None


def _work(send: workers.Send, properties: list[str], activation: Activation, parsed: Parsed,
          options: tuple[sp.Rational, int | None]) -> None:
    """Worker body: the parse worker's trees thawed, then the properties checked in order,
    each result sent as soon as it exists, then its cross-check."""
    epsilon, examples = options
    exprs, x = thaw(parsed.trees), variable_symbol(activation.variable)
    start_afresh(parsed.identity)   # equal functions: equal dummies, equal answers
    context = AnalysisContext(exprs[0], x, epsilon=epsilon, written=exprs[1])
    if examples is not None:   # hypothesis and the mpmath walk load only for a cross-check
        from verifier.crosscheck import Subject
        subject = Subject(exprs[0], x, written=exprs[1], epsilon=epsilon)
    for property_id in properties:
        started = time.perf_counter()
        failure = None
        # sympy orders its assumption queries with a generator seeded at random per process:
        # seeded the same before each step, an answer cannot depend on the run it is part of
        seed_sympy_random(0)
        try:
            result = checker(property_id)(context)
        except Undecided as exc:   # an analysis step that a checker did not catch: not decided
            result = unknown(property_id, f"not decided: {exc}")
        except Exception as exc:  # never fatal to the batch
            if _out_of_room(exc):   # numbers or recursion too large: a limit, not a bug
                failure = ("limit", f"{property_id}: resource limit: {type(exc).__name__}")
                result = unknown(property_id, f"resource limit: the analysis ran out of room "
                                              f"({type(exc).__name__}: {exc})")
            else:                   # a checker bug: reported
                failure = ("internal", f"{property_id}: {type(exc).__name__}: {exc}")
                result = unknown(property_id, f"internal error: {type(exc).__name__}: {exc}",
                                 evidence=traceback.format_exc(limit=4).splitlines()[-6:])
        result.seconds = round(time.perf_counter() - started, 4)
        send((property_id, result.model_dump(mode="json"), failure))
        if examples is not None:
            send((property_id, _challenge(property_id, result, subject, examples)))


def _challenge(property_id: str, result: PropertyResult, subject: Subject,
               examples: int) -> tuple[dict, tuple[str, str] | None]:
    """The cross-check's result, and the problem it had: a bug in the cross-check's own
    code is an internal error of the run (exit 3), never a quiet `skipped`."""
    from verifier.crosscheck import crosscheck
    started = time.perf_counter()
    failure = None
    try:
        check = crosscheck(property_id, result, subject, examples=examples)
    except Exception as exc:  # noqa: BLE001 - never fatal to the batch, always reported
        kind = "limit" if _out_of_room(exc) else "internal"
        what = "resource limit" if kind == "limit" else "internal error"
        check = CrossCheck(status="skipped", detail=f"{what} in the cross-check: "
                                                    f"{type(exc).__name__}: {exc}")
        failure = (kind, f"{property_id}: cross-check: {type(exc).__name__}: {exc}")
    check.seconds = round(time.perf_counter() - started, 4)
    return check.model_dump(mode="json"), failure


def _worst_error(outcomes: dict[str, _Outcome]) -> ActivationError | None:
    problems = [o.problem for o in outcomes.values() if o.problem]
    if not problems:
        return None
    kind = "internal" if any(k == "internal" for k, _ in problems) else "limit"
    by_detail: dict[str, list[str]] = {}   # "domain, continuous: budget: ..." once
    for _, message in problems:
        pid, _, detail = message.partition(": ")
        by_detail.setdefault(detail, []).append(pid)
    return ActivationError(kind=kind, message="; ".join(
        f"{', '.join(pids)}: {detail}" for detail, pids in by_detail.items()))


def build_report(results: list[ActivationResult], seconds: float, *,
                 properties: Sequence[str] = PROPERTY_IDS, ruled: Sequence[str] = ()) -> Report:
    """The report of a run; `ruled` names the properties the rule set has rules for (a
    page shows "pass" for those without a finding)."""
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
                      crosschecks=crosschecks, seconds=round(seconds, 3),
                      ruled=[pid for pid in dict.fromkeys(ruled) if pid in counts])
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
