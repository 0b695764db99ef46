"""Dispatch: which oracle challenges which property, and what an unknown verdict is probed
with (the statement itself, no claim needed)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

import mpmath

from verifier.crosscheck import draws
from verifier.crosscheck.claims import TextSet
from verifier.crosscheck.numeric import DIGITS
from verifier.crosscheck.probe import Probe, Subject
from verifier.defaults import DEFAULT_EXAMPLES
from verifier.model import CrossCheck, Method, PropertyResult, Verdict, Withdrawn
from verifier.properties.registry import PROPERTIES

Oracle = Callable[[PropertyResult, Probe], CrossCheck]


def _oracle(path: str) -> Oracle:
    """The oracle a descriptor names: "<module of verifier.crosscheck>.<function>"."""
    module, name = path.split(".")
    return getattr(import_module(f"verifier.crosscheck.{module}"), name)


ORACLES: dict[str, Oracle] = {pid: _oracle(p.oracle) for pid, p in PROPERTIES.items()}


def withdraw_if_contradicted(result: PropertyResult) -> PropertyResult:
    """A proved/refuted verdict whose cross-check is a conflict becomes `unknown`, the
    verdict, evidence, witness and facts kept under `withdrawn`: a user never reads `proved`
    on what the tool itself has seen fail. The conflict stays (it is a defect: exit 3)."""
    check = result.crosscheck
    if check is None or check.status != "conflict" or result.verdict is Verdict.unknown:
        return result
    withdrawn = Withdrawn(verdict=result.verdict, method=result.method,
                          evidence=result.evidence, witness=result.witness, facts=result.facts)
    return result.model_copy(update={
        "verdict": Verdict.unknown, "method": Method.none, "evidence": [], "witness": None,
        "facts": {}, "withdrawn": withdrawn,
        "reason": f"withdrawn: the numeric cross-check contradicts it: {check.detail}"})


def crosscheck(property_id: str, result: PropertyResult, subject: Subject, *,
               examples: int = DEFAULT_EXAMPLES) -> CrossCheck:
    """The numeric challenge of one verdict (never raises for a numeric failure: an oracle
    that cannot evaluate is `skipped` with the reason). Anything else it raises is a bug of
    the cross-check itself, for the caller to report as an internal error."""
    if examples < 1:
        raise ValueError(f"examples must be at least 1, got {examples}")
    probe = Probe(subject, examples)
    try:
        with mpmath.workdps(DIGITS):   # the oracles' own arithmetic on 50-digit values
            if result.verdict is Verdict.unknown and not \
                    PROPERTIES[property_id].oracle_when_unknown:
                return _probe_unknown(property_id, probe)
            return ORACLES[property_id](result, probe)
    except TextSet as exc:
        return CrossCheck(status="skipped", detail=f"the claimed set {exc} is not a finite "
                                                   f"union of intervals: not re-checked "
                                                   f"pointwise")


def _probe_unknown(property_id: str, probe: Probe) -> CrossCheck:
    """A counterexample to the statement itself, found numerically, is a hint (not a proof)."""
    n = probe.subject.numeric
    statements = {
        "domain": (probe.subject.line(), lambda t: None if n.f(t) is not None else
                   f"f({t!r}) is not a finite real"),
        "monotonic": (draws.tuples(probe.subject.line(), probe.subject.line(),
                                   probe.subject.line()), lambda p: _bends(n, p)),
        "zero_centered": (draws.just(0.0), lambda t: None if n.f(t) == 0 else f"f(0) = {n.f(t)}"),
    }
    if property_id not in statements:
        return CrossCheck(status="skipped", detail="unknown verdict: no numeric probe of this "
                                                   "statement")
    strategy, violation = statements[property_id]
    found = probe.search(strategy, violation)
    if found is None:
        return CrossCheck(status="skipped", examples=probe.examples,
                          detail="unknown verdict: no counterexample among the drawn inputs")
    return CrossCheck(status="hint", examples=probe.examples, detail=(
        f"numeric counterexample (not a proof): {found[1]}"),
        counterexample={"input": str(found[0]), "message": found[1]})


def _bends(n, triple) -> str | None:
    a, b, c = sorted(triple)
    values = [n.f(a), n.f(b), n.f(c)]
    if None in values or len({a, b, c}) < 3:
        return None
    fa, fb, fc = values
    if (fb - fa) * (fc - fb) < 0 and min(abs(fb - fa), abs(fc - fb)) > 1e-30 * (1 + abs(fb)):
        return f"f rises and falls on {a!r} < {b!r} < {c!r}"
    return None
