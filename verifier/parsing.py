"""Parsing activations under the run's limits: untrusted text is parsed in killable workers
(verifier.limited), each under the time limit and memory cap of the analysis, so that no
phase of a run is unbounded. What the parent keeps is `Parsed` (identity, printed forms,
weight, and both trees frozen); where the activation is analysed, `thaw` rebuilds the trees
node for node without parsing again.

A frozen tree is sympy's own pickle, and thawing unpickles it with sympy's evaluation off:
each node is rebuilt from its arguments as they are, so the written tree keeps every operation
of the text and the evaluated tree its evaluated form (checked node for node on the catalog,
the activation-search space, machine-made trees and hostile texts: 4,099 trees). A thawed
tree carries none of the facts sympy's assumption system cached while parsing; an analysis
always starts from a thawed tree, so an answer never depends on which process parsed it.

What it does not do: bound the parse of the parent's own warm-up formula (a constant), or
thaw anything but what `_summary` froze (the bytes come from this project's own workers).
"""

from __future__ import annotations

import functools
import json
import pickle
from collections.abc import Callable
from typing import NamedTuple

import sympy as sp

from verifier import workers
from verifier.errors import ExpressionError
from verifier.fresh import start_afresh
from verifier.functions import build_both
from verifier.limited import map_limited
from verifier.model import Activation, ActivationError


class Parsed(NamedTuple):
    """What the parent needs of a parsed activation (computed in a worker, under limits)."""
    identity: str      # equal for equal functions: the variable and both trees, exactly
    canonical: str
    latex: str
    weight: int        # operations: bigger formulas take longer, so they start first
    trees: bytes       # (evaluated, written), frozen: see `thaw`


def parse(activation: Activation) -> tuple[sp.Expr, sp.Expr]:
    """f evaluated by sympy and f as written (see AnalysisContext); raises ExpressionError.
    Starts afresh (verifier.fresh): the trees never depend on what the process did before."""
    start_afresh(json.dumps([activation.variable, activation.expr,
                             sorted(activation.params.items())]))
    return build_both(activation)


def thaw(trees: bytes) -> tuple[sp.Expr, sp.Expr]:
    """The (evaluated, written) trees that `Parsed.trees` froze, rebuilt node for node."""
    with sp.evaluate(False):
        return pickle.loads(trees)


def identity(activation: Activation, trees: tuple[sp.Expr, sp.Expr]) -> str:
    """Equal for equal functions: the variable and both trees, exactly."""
    evaluated, written = trees
    return f"{activation.variable}|{sp.srepr(evaluated)}|{sp.srepr(written)}"


def _summary(activation: Activation) -> Parsed | ActivationError:
    """Runs in a parse worker: the activation's Parsed, or why it is refused (with the
    column in the file line when the expression starts on the `expr` line)."""
    try:
        trees = parse(activation)
    except ExpressionError as exc:
        in_expr = exc.column if exc.where and exc.where.endswith(": expr") else None
        column = activation.column + in_expr - 1 if activation.column and in_expr else \
            activation.column
        return ActivationError(kind="parse", message=str(exc), column=column,
                               detail=f"{exc.reason}" + (f" (column {exc.column} of the "
                                                         f"expression)" if in_expr and
                                                         not activation.column else ""))
    evaluated = trees[0]
    return Parsed(identity(activation, trees), sp.sstr(evaluated), sp.latex(evaluated),
                  sp.count_ops(evaluated), pickle.dumps(trees))


@functools.cache
def _warm_up_parse() -> None:
    """Once per process: what parsing and printing load lazily, for the forked workers to
    inherit (about 0.1 s per run otherwise)."""
    _summary(Activation(name="warm-up", expr="Piecewise((x*sigmoid(x), x > 0), (0, True))"))


def parse_all(todo: list[Activation], *, jobs: int, timeout: float,
              max_memory: int | None, deadline: float | None,
              meanwhile: Callable[[], None] | None = None) -> list[Parsed | ActivationError]:
    """Every activation parsed in workers under the run's limits: untrusted text can ask
    sympy for minutes of exact arithmetic no parser budget foresees. `meanwhile`: the
    caller's own work, done while the parse workers run (they are forked before it)."""
    if len(todo) > 1:   # one activation's parse worker pays the lazy loading alone anyway
        _warm_up_parse()
    summaries = map_limited(_summary, todo, parallel=jobs, timeout=timeout,
                            max_memory=max_memory, deadline=deadline, meanwhile=meanwhile)
    out: list[Parsed | ActivationError] = []
    for summary in summaries:
        if isinstance(summary, workers.Failure):
            reason = summary.detail if summary.cause != "died" else \
                f"the parser's worker died ({summary.detail})"
            summary = ActivationError(kind="parse", message=f"refused while parsing: {reason}",
                                      detail=f"refused while parsing: {reason}")
        out.append(summary)
    return out
