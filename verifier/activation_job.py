"""What an analysis worker does for one activation (the body verifier.workers runs): the
trees the parse worker froze are thawed, each property checked in order under a fresh seed,
its result sent as soon as it exists, then its numeric cross-check.

Every failure is a message, never the end of the batch: a checker that cannot decide is
`unknown`, numbers or recursion too large are a resource limit, any other exception (of a
checker or of a cross-check's own code) an internal error with its traceback's last lines.
`warm_up` runs once in the parent, so that forked workers inherit what the analysis loads
lazily. What it does not do: enforce any limit (verifier.workers does, from outside).
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING

import sympy as sp
from sympy.core.random import seed as seed_sympy_random

from verifier import workers
from verifier.analysis.context import AnalysisContext
from verifier.analysis.undecided import Undecided
from verifier.expr import parse_expression
from verifier.fresh import start_afresh
from verifier.model import Activation, CrossCheck, PropertyResult
from verifier.parsing import Parsed, thaw
from verifier.properties.registry import PROPERTIES, checker, unknown
from verifier.vocabulary import variable_symbol

if TYPE_CHECKING:
    from verifier.crosscheck import Subject

# Touches solveset, limits, simplify, arb and hypothesis, which load lazily: done once in the
# parent, forked workers inherit it instead of each paying it again (4-5x on the catalog).
# Cheap to analyse (0.7 s): an oscillating piece such as sin(x)/x cost 8 s here, and a
# sqrt(x) beside the log took 0.65 s more (no_vanishing_gradient's signs) for no module the
# catalog needs (tests/test_activation_job.py checks that analysing it loads none).
_WARM_UP = "Piecewise((log(1 + exp(x)), x > 0), (x*exp(x), True))"
_warmed = False


def warm_up(properties: Sequence[str], *, crosscheck_too: bool) -> None:
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


def load_checkers(properties: Sequence[str]) -> None:
    """Import the properties' checkers (and what they import: numpy for the float properties)
    for forked workers to inherit: the light warm-up of a single activation, done while its
    parse worker runs (0.1 s of its analysis worker's 0.16 s for x)."""
    for property_id in properties:
        checker(property_id)


def out_of_room(exc: Exception) -> bool:
    """Memory, recursion depth, float range, or Python's 4300-digit guard on int -> str."""
    return isinstance(exc, (MemoryError, RecursionError, OverflowError)) or (
        isinstance(exc, ValueError) and "integer string conversion" in str(exc))


def work(send: workers.Send, properties: list[str], activation: Activation, parsed: Parsed,
          options: tuple[sp.Rational, int | None, dict[str, float]]) -> None:
    """Worker body: the parse worker's trees thawed, then the properties checked in order,
    each result sent as soon as it exists, then its cross-check. `options`: the vanishing
    gradient's epsilon, the cross-check's examples (None: none), float_accurate's ulps."""
    epsilon, examples, ulps = options
    settings = {"epsilon": epsilon, "ulps": ulps}   # what a checker may take (its options)
    exprs, x = thaw(parsed.trees), variable_symbol(activation.variable)
    start_afresh(parsed.identity)   # equal functions: equal dummies, equal answers
    context = AnalysisContext(exprs[0], x, written=exprs[1])
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
            result = checker(property_id)(context, **{
                name: settings[name] for name in PROPERTIES[property_id].options})
        except Undecided as exc:   # an analysis step that a checker did not catch: not decided
            result = unknown(property_id, f"not decided: {exc}")
        except Exception as exc:  # never fatal to the batch
            if out_of_room(exc):   # numbers or recursion too large: a limit, not a bug
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
        kind = "limit" if out_of_room(exc) else "internal"
        what = "resource limit" if kind == "limit" else "internal error"
        check = CrossCheck(status="skipped", detail=f"{what} in the cross-check: "
                                                    f"{type(exc).__name__}: {exc}")
        failure = (kind, f"{property_id}: cross-check: {type(exc).__name__}: {exc}")
    check.seconds = round(time.perf_counter() - started, 4)
    return check.model_dump(mode="json"), failure
