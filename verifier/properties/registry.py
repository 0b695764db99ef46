"""The properties: one descriptor each (id, statement, typed facts, cross-check oracle), and
the checkers.

Every property is a statement about f answered proved, refuted or unknown. Its descriptor is
the one place that says what it is: the id and statement fixed by the JSON contract, the
model of its facts (verifier.facts), and the oracle of verifier.crosscheck that challenges
its verdicts; its checker is `check` of the module verifier.properties.<id>. Settings a
checker needs (the vanishing-gradient epsilon) are its keyword arguments, named in its
descriptor's `options`, never fields of the shared analysis. The descriptors
are data, readable without loading any analysis (the report's SARIF rules, the rule files'
validation and the plots read them); a test checks every property has its module, oracle
and facts model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from verifier import facts as f
from verifier.model import Method, PropertyResult, Verdict


@dataclass(frozen=True)
class Property:
    id: str
    statement: str
    facts: type[f.Facts]
    oracle: str     # "<module of verifier.crosscheck>.<function>"
    # the run's settings its checker takes as keyword arguments (each has a default there)
    options: tuple[str, ...] = ()
    # an unknown verdict's facts are claims too (per-dtype verdicts): its oracle checks them
    oracle_when_unknown: bool = False


PROPERTIES: dict[str, Property] = {p.id: p for p in (
    Property("domain", "f(x) is real and finite for every real x", f.DomainFacts,
             "oracles_points.domain"),
    Property("continuous", "f is continuous at every point of its domain", f.ContinuousFacts,
             "oracles_points.continuous"),
    Property("differentiable", "f is differentiable at every point of its domain (one-sided "
             "at closed ends)", f.DifferentiableFacts, "oracles_points.differentiable"),
    Property("finite_gradient", "f' is finite wherever f is defined", f.FiniteGradientFacts,
             "oracles_points.finite_gradient"),
    Property("lipschitz", "sup |f'| over the domain is finite", f.LipschitzFacts,
             "oracles_shape.lipschitz"),
    Property("monotonic", "f is monotone on its domain", f.MonotonicFacts,
             "oracles_shape.monotonic"),
    Property("bounded", "f is bounded on its domain", f.BoundedFacts, "oracles_shape.bounded"),
    Property("injective", "distinct inputs in the domain give distinct outputs",
             f.InjectiveFacts, "oracles_shape.injective"),
    Property("no_vanishing_gradient", "|f'(x)| >= epsilon on the whole domain",
             f.NoVanishingGradientFacts, "oracles_gradient.no_vanishing_gradient",
             options=("epsilon",)),
    Property("no_dead_zone", "no open interval on which f' is identically 0",
             f.NoDeadZoneFacts, "oracles_gradient.no_dead_zone"),
    Property("nonlinear", "f is not affine on its domain", f.NonlinearFacts,
             "oracles_shape.nonlinear"),
    Property("zero_centered", "f(0) = 0", f.ZeroCenteredFacts, "oracles_points.zero_centered"),
    Property("identity_near_origin", "f(0) = 0 and f'(0) = 1", f.IdentityNearOriginFacts,
             "oracles_points.identity_near_origin"),
    Property("symmetric", "f is odd or even", f.SymmetricFacts, "oracles_points.symmetric"),
    Property("float_stable", "the formula evaluated as written in float32 and float64, and f' "
             "as sympy writes it, are finite wherever their values are finite with |value| "
             "<= max float / 2", f.FloatStableFacts, "oracles_gradient.float_stable"),
    Property("float_accurate", "the formula evaluated as written in each dtype is within its "
             "allowed ulps of the exact value at every float input of the domain whose value "
             "is a normal float", f.FloatAccurateFacts, "oracles_floats.float_accurate",
             options=("ulps",), oracle_when_unknown=True),
    Property("gradient_accurate", "f' as autodiff computes it from the formula as written is "
             "within the allowed ulps of the exact derivative in each dtype, at every float "
             "input of the domain where f is differentiable and f' is a normal float",
             f.GradientAccurateFacts, "oracles_floats.gradient_accurate", options=("ulps",),
             oracle_when_unknown=True),
)}

PROPERTY_IDS: tuple[str, ...] = tuple(PROPERTIES)
STATEMENTS: dict[str, str] = {pid: p.statement for pid, p in PROPERTIES.items()}
# the fact keys each property may report (a rule's `forbid` may name only these)
FACTS: dict[str, tuple[str, ...]] = {pid: tuple(p.facts.model_fields)
                                     for pid, p in PROPERTIES.items()}

# appended to a proved statement whose tails could be certified only out to the float64 limit
FLOAT_RANGE = " (certified on the float64 range [-1.8e308, 1.8e308] only)"

Checker = Callable[..., PropertyResult]   # check(ctx, **its options)


def checker(property_id: str) -> Checker:
    """The checker of a property id: `check` of the module verifier.properties.<id> (unknown
    ids raise KeyError)."""
    if property_id not in PROPERTIES:
        raise KeyError(property_id)
    return import_module(f"verifier.properties.{property_id}").check


def result(property_id: str, verdict: Verdict, method: Method, *, evidence: list[str],
           facts: dict | None = None, witness: dict | None = None,
           reason: str | None = None) -> PropertyResult:
    """A property's answer with its statement filled in from the contract; its facts must fit
    the property's facts model (a checker that breaks the contract raises ValidationError,
    an internal error of the run)."""
    PROPERTIES[property_id].facts.model_validate(facts or {})
    return PropertyResult(verdict=verdict, statement=STATEMENTS[property_id], method=method,
                          evidence=evidence, facts=facts or {}, witness=witness, reason=reason)


def unknown(property_id: str, reason: str, *, evidence: list[str] | None = None,
            facts: dict | None = None) -> PropertyResult:
    return result(property_id, Verdict.unknown, Method.none, evidence=evidence or [],
                  facts=facts, reason=reason)

