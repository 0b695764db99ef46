"""What a finding says: a stable code (property and failure kind), a one-line message built
from the property's facts and witness (what is wrong, and where), and the explanation of that
kind of failure with its fix (verifier/data/explanations.toml).

`describe(property_id, outcome, others)` reads `others` (the activation's other results) only
to tell failure kinds apart: an infinite slope at a jump is a `finite_gradient.jump`, at a
continuous point a `finite_gradient.vertical-tangent`.

What it does not do: decide anything. Every word comes from a verdict already reached; a fact
missing from an outcome gives the generic message, never a guess.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from verifier import notation
from verifier.model import PropertyResult, Verdict


@dataclass(frozen=True)
class Description:
    code: str           # e.g. "no_dead_zone.dead-zone"
    message: str        # one line: what is wrong, where
    explanation: str    # why that kind of failure matters, and the fix ("" if none)


Describer = Callable[[PropertyResult, Mapping[str, PropertyResult]], tuple[str, str] | None]


@cache
def explanations() -> dict[str, dict[str, str]]:
    """Code -> {"explain": ..., "fix": ...}, shipped as data."""
    text = resources.files("verifier").joinpath("data/explanations.toml").read_text("utf-8")
    return tomllib.loads(text)["code"]


def describe(property_id: str, outcome: PropertyResult,
             others: Mapping[str, PropertyResult], *, on_facts: bool = False) -> Description:
    """The code, message and explanation of a finding on `outcome`: a refutation, or
    (`on_facts`) a rule on its facts. A verdict the rule did not expect otherwise (proved
    where refuted was expected) gets the generic message."""
    if outcome.verdict is Verdict.unknown:
        return _described(f"{property_id}.undecided",
                          f"{property_id} not decided: {outcome.reason or 'no reason given'}")
    builder = (_ON_FACTS if on_facts else _ON_REFUTATION).get(property_id)
    described = builder(outcome, others) if builder and (
        on_facts or outcome.verdict is Verdict.refuted) else None
    if described is None:
        claim = outcome.statement if outcome.verdict is Verdict.proved else \
            f"it is not so that {outcome.statement}"
        return _described(f"{property_id}.{outcome.verdict.value}",
                          f"{property_id} {outcome.verdict.value}: {claim}")
    kind, message = described
    return _described(f"{property_id}.{kind}", message)


def _described(code: str, message: str) -> Description:
    entry = explanations().get(code, {})
    text = entry.get("explain", "")
    if entry.get("fix"):
        text += f"; fix: {entry['fix']}"
    return Description(code, message, text)


def code_table() -> list[tuple[str, str]]:
    """(code, explanation) for the README's table."""
    return [(code, entry.get("explain", "")) for code, entry in explanations().items()]


# -- one describer per property: (kind, message) or None for the generic text -----------

def _domain(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    undefined = outcome.facts.get("undefined")
    if not undefined:
        return None
    where = notation.fact_region(undefined)
    if isinstance(undefined, list) and any("lo" in part for part in undefined):
        return "outside", f"f is undefined on {where}"
    witness = outcome.witness or {}
    points = notation.listing([notation.fact_number(p) for p in undefined]) \
        if isinstance(undefined, list) else where
    at = notation.fact_number({"value": witness.get("x"), "exact": witness.get("x_exact")}) \
        if witness.get("x_exact") else points
    also = f" (undefined at x = {points})" if at != points else ""
    if witness.get("recheck", {}).get("kind") == "infinite":
        return "pole", f"f has a pole at x = {at}: it is infinite there{also}"
    return "hole", f"f is undefined at x = {at} as written{also}"


def _nonlinear(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    return "affine", "f is affine (a straight line): a network of such units is one affine map"


def _continuous(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    witness = outcome.witness or {}
    at = notation.fact_number(witness.get("x"))
    left, right = witness.get("left_limit"), witness.get("right_limit")
    limits = [notation.fact_number(v) for v in (left, right) if v is not None]
    if any(text in ("∞", "-∞") for text in limits):
        return "pole", f"f is unbounded at x = {at}: the limits there are " \
                       f"{notation.listing(limits)}"
    spots = notation.fact_region(outcome.facts.get("discontinuities"))
    sides = f"left limit {notation.fact_number(left) if left else 'none'}, right limit " \
            f"{notation.fact_number(right) if right else 'none'}"
    value = witness.get("value")
    shown = f", f({at}) = {notation.fact_number(value)}" if value else ""
    if isinstance(outcome.facts.get("discontinuities"), dict):
        return "jump", f"f jumps at {spots}: at x = {at}, {sides}{shown}"
    return "jump", f"f jumps at x = {at}: {sides}{shown}" + _also(
        witness.get("x"), outcome.facts.get("discontinuities"))


def _also(point: dict | None, points: list | dict | None) -> str:
    """" (and at x = 1/2)": the other points of a list of facts, after the witness's."""
    others = [notation.fact_number(p) for p in points if p != point] \
        if isinstance(points, list) else []
    return f" (and at x = {notation.listing(others)})" if others else ""


def _finite_gradient(outcome: PropertyResult, others: Mapping) -> tuple[str, str] | None:
    witness = outcome.witness or {}
    at = notation.fact_number(witness.get("x"))
    sides = notation.listing([notation.fact_number(witness[side]) for side in ("left", "right")
                              if witness.get(side) is not None])
    continuity = others.get("continuous")
    jumps = continuity is not None and continuity.verdict is Verdict.refuted and _among(
        witness.get("x"), continuity.facts.get("discontinuities"),
        family=isinstance(outcome.facts.get("gradient_singularities"), dict))
    also = _also(witness.get("x"), outcome.facts.get("gradient_singularities"))
    if jumps:
        return "jump", f"f jumps at x = {at}, so its slope there is infinite{also}"
    return "vertical-tangent", f"f' is infinite at x = {at} (one-sided derivatives {sides})" \
                               f"{also}"


def _among(point: dict | None, points: list | dict | None, *, family: bool) -> bool:
    """Whether `point` is one of `points` (a family such as floor's steps: when the other
    side is a family too)."""
    if isinstance(points, dict):
        return family
    if not isinstance(point, dict) or not isinstance(points, list):
        return False
    return any(p.get("exact") == point.get("exact") if p.get("exact") and point.get("exact")
               else p.get("value") == point.get("value") for p in points)


def _differentiable(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    witness = outcome.witness or {}
    if witness.get("x") is None:
        return None
    sides = witness.get("one_sided_derivatives") or {}
    slopes = notation.listing([notation.fact_number(sides[s]) for s in ("left", "right")
                               if sides.get(s) is not None])
    return "kink", f"f has no derivative at x = {notation.fact_number(witness['x'])}" + (
        f": one-sided derivatives {slopes}" if sides else "")


def _smoothness(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    order = outcome.facts.get("smoothness")
    if order is None:
        return "smoothness", "the smoothness of f is not known"
    return ("smoothness", f"f is only C^{order}") if order != "inf" else None


def _symmetric(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    parity = outcome.facts.get("parity")
    if parity in ("even", "both"):
        return "even", "f is even, f(-x) = f(x): it throws away the sign of its input"
    return None


def _no_dead_zone(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    zones = outcome.facts.get("dead_zones")
    if not zones:
        return None
    return "dead-zone", f"f' = 0 on {notation.fact_region(zones)}"


def _no_vanishing_gradient(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    epsilon = notation.fact_number(outcome.facts.get("epsilon"))
    regions = outcome.facts.get("vanishing_regions")
    if regions:
        return "vanishing", f"|f'| < {epsilon} on {notation.fact_region(regions)}"
    witness = outcome.witness or {}
    if witness.get("x") is not None:
        return "vanishing", f"|f'| < {epsilon} at x = {notation.fact_number(witness['x'])} " \
                            f"(the regions are not enumerated)"
    return None


def _float_stable(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    witness = outcome.witness
    if not witness:
        return None
    dtype, label = witness["dtype"], witness["formula"]
    spans = outcome.facts.get(f"breaks_{dtype}", {}).get(label) or []
    where = notation.union([((notation.decimal(s["lo"]), s["lo"]),
                             (notation.decimal(s["hi"]), s["hi"]), True, True) for s in spans])
    word = {"nan": "NaN", "inf": "∞", "-inf": "-∞"}.get(witness["naive"], witness["naive"])
    cause = witness.get("cause") or {}
    how = ""
    kind = "overflow"
    if cause:
        kind = "nan" if cause.get("then") else cause["kind"]
        how = f": {cause['operation']} gives {cause['result']}" + (
            f", then {cause['then']} = NaN" if cause.get("then") else "")
    where_text = f"x in {where}" if spans else f"x = {notation.decimal(witness['x'])}"
    message = f"{label} is {word} in {dtype} for {where_text}{how}"
    suggestion = outcome.facts.get("suggestion")
    return kind, message + (f" (suggested: {suggestion})" if suggestion else "")


def _float_accurate(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    """The witness (the worst input of the first dtype refuted), and how many inputs of that
    dtype are beyond the allowed ulps or collapse."""
    witness = outcome.witness
    if not witness:
        return None
    entry = next((e for e in outcome.facts.get("accuracy") or []
                  if e["dtype"] == witness["dtype"]), {})
    computed = witness["computed"]
    shown = notation.text_number(computed) if isinstance(computed, str) else \
        notation.decimal(computed)
    ulps = "∞" if witness["ulps"] == "oo" else notation.decimal(witness["ulps"], 4)
    label = "f' (autodiff)" if outcome.statement.startswith("f'") else "f"
    message = (f"{label} in {witness['dtype']} is {shown} at x = {witness['x_text']} "
               f"where its value is {notation.text_number(witness['exact'])} ({ulps} ulps off, "
               f"{notation.decimal(witness['allowed_ulps'])} allowed)")
    collapsing = entry.get("collapse_inputs", 0)
    rewrite = outcome.facts.get("rewrite")
    fix = f"; proved fix: {rewrite['formula']}" if rewrite else ""
    if collapsing:
        return "collapse", message + f"; {notation.count(collapsing, 'input')} collapse" + fix
    return "inaccurate", message + (f"; {notation.count(entry['over_inputs'], 'input')} "
                                    f"beyond the allowed" if entry.get("over_inputs") else "") + fix


def _bounded(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    low, high = outcome.facts.get("infimum"), outcome.facts.get("supremum")
    if low is None or high is None:
        return None
    sides = [side for side, point in (("below", low), ("above", high))
             if isinstance(point, dict) and point.get("value") in ("oo", "-oo")]
    if not sides:
        return None
    return "unbounded", f"f is unbounded {' and '.join(sides)}: its range is " \
                        f"{notation.fact_region(outcome.facts.get('range'))}"


def _monotonic(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    runs = [(part, "increasing") for part in outcome.facts.get("increasing_on") or []] + \
           [(part, "decreasing") for part in outcome.facts.get("decreasing_on") or []]
    if not runs:
        return None
    runs.sort(key=lambda run: _left_end(run[0]))
    text = ", then ".join(f"{word} on {notation.fact_region([part])}" for part, word in runs)
    if len({word for _, word in runs}) == 1:
        return "not-across", f"f is {runs[0][1]} on each of {notation.fact_region([p for p, _ in runs])} " \
                             f"but not across the gaps between them"
    return "turning-point", f"f is not monotone: {text}"


def _left_end(part: dict) -> float:
    value = part.get("lo", part.get("value"))
    return float("-inf") if value == "-oo" else float("inf") if value == "oo" else float(value)


def _lipschitz(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    witness = outcome.witness or {}
    at = witness.get("x")
    return "steep", "|f'| is unbounded" + (f" near x = {notation.fact_number(at)}" if at else "")


def _injective(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    witness = outcome.witness or {}
    if "a" not in witness or "b" not in witness:
        return None
    a, b = notation.fact_number(witness["a"]), notation.fact_number(witness["b"])
    return "collision", f"f({a}) = f({b}) = {notation.text_number(str(witness['f(a)']))}"


def _zero_centered(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    f0 = outcome.facts.get("f0")
    return "offset", "f(0) is undefined" if f0 is None else \
        f"f(0) = {notation.fact_number(f0)}, not 0"


def _identity_near_origin(outcome: PropertyResult, _: Mapping) -> tuple[str, str] | None:
    f0, df0 = outcome.facts.get("f0"), outcome.facts.get("df0")
    if f0 is None:
        return "not-identity", "f(0) is undefined"
    if df0 is None:
        return "not-identity", "f has no derivative at 0"
    return "not-identity", f"f(0) = {notation.fact_number(f0)} and f'(0) = " \
                           f"{notation.fact_number(df0)}: f is not x + o(x) near 0"


_ON_REFUTATION: dict[str, Describer] = {
    "domain": _domain, "nonlinear": _nonlinear, "continuous": _continuous,
    "finite_gradient": _finite_gradient, "differentiable": _differentiable,
    "no_dead_zone": _no_dead_zone, "no_vanishing_gradient": _no_vanishing_gradient,
    "float_stable": _float_stable, "bounded": _bounded, "monotonic": _monotonic,
    "lipschitz": _lipschitz, "injective": _injective, "zero_centered": _zero_centered,
    "identity_near_origin": _identity_near_origin, "float_accurate": _float_accurate,
    "gradient_accurate": _float_accurate,
}
_ON_FACTS: dict[str, Describer] = {"symmetric": _symmetric, "differentiable": _smoothness,
                                   "float_accurate": _float_accurate}
