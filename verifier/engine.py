"""Runs the property checkers on activations, each in a killable worker process.

Every property runs under a time limit and every worker under a memory cap (verifier.workers):
an activation's checks run in a forked worker that streams one result per property back; a
worker that overruns either is killed, the property is `unknown` with the reason, and a fresh
worker continues with the remaining properties. A worker that dies on its own is replaced and
its property retried once. One bad candidate never stops a batch. Each verdict's numeric
cross-check (verifier.crosscheck) follows it as a second message under its own time limit; a
cross-check that is stopped is `skipped`, the verdict kept.

This module orchestrates: the worker's body is verifier.activation_job, turning its messages
into results and a report verifier.outcomes, and the exit code verifier.exit_codes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

import sympy as sp

from verifier import batch, seeded, workers
from verifier.activation_job import load_checkers, warm_up, work
from verifier.properties.no_vanishing_gradient import DEFAULT_EPSILON
from verifier.defaults import DEFAULT_EXAMPLES, DEFAULT_TIMEOUT, DEFAULT_ULPS
from verifier.model import Activation, ActivationError, ActivationResult, Report
from verifier.outcomes import base_result, build_report, tool_version, worst_error
from verifier.outcomes import outcomes as job_outcomes
from verifier.parsing import Parsed, parse_all
from verifier.properties.registry import PROPERTY_IDS
from verifier.rules import RuleSet, findings, load_rules
from verifier.store import ResultStore
from verifier.workers import DEFAULT_MAX_MEMORY

if TYPE_CHECKING:
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
    fingerprint = json.dumps({"properties": list(properties), "timeout": timeout,
                              "epsilon": str(epsilon), "examples": examples,
                              "rules": rules.model_dump(mode="json"),
                              "version": tool_version()}, sort_keys=True)
    # the analysis workers inherit what the warm-up loads; the parse workers need none of
    # it, so it is done while they run (one activation: only the checkers' imports, the rest
    # of the warm-up would cost it more than it saves)
    warm: Callable[[], None] | None = None
    if executor is None and len(todo) < 2:
        warm = partial(load_checkers, properties)
    elif executor is None:
        warm = partial(warm_up, properties, crosscheck_too=examples is not None)
    parsed = dict(zip(map(id, todo), parse_all(
        todo, jobs=jobs, timeout=options.timeout, max_memory=options.max_memory,
        deadline=options.deadline, meanwhile=warm)))

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
            yield position, base_result(activation).model_copy(update={"error": summary})
    jobs_ = [workers.Job(list(options.properties), followups=options.examples is not None,
                         args=(activation, summary, (options.epsilon, options.examples,
                                                    options.rules.ulps or DEFAULT_ULPS)),
                         weight=summary.weight)
             for _, activation, summary in checked]
    for job in workers.run(jobs_, work, parallel=jobs, timeout=options.timeout,
                           max_memory=options.max_memory, budget=options.budget,
                           deadline=options.deadline, ordered=False, reuse=True):
        position, activation, summary = checked[job.index]
        result = base_result(activation)
        result.canonical, result.latex = summary.canonical, summary.latex
        result.seconds = round(job.seconds, 3)
        outcomes = job_outcomes(job, options.timeout)
        result.properties = {pid: outcome.result for pid, outcome in outcomes.items()}
        result.error = worst_error(outcomes)
        result.findings = findings(activation.name, result.properties, options.rules)
        yield position, result
