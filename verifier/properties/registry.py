"""The property ids of the contract, their statements, and their checkers.

Every property is a statement about f answered proved, refuted or unknown. The ids and
statements are fixed by the JSON contract; each id has a module of that name with `check`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from verifier.analysis.context import AnalysisContext
from verifier.model import Method, PropertyResult, Verdict

STATEMENTS: dict[str, str] = {
    "domain": "f(x) is real and finite for every real x",
    "continuous": "f is continuous at every point of its domain",
    "differentiable": "f is differentiable at every point of its domain (one-sided at closed ends)",
    "finite_gradient": "f' is finite wherever f is defined",
    "lipschitz": "sup |f'| over the domain is finite",
    "monotonic": "f is monotone on its domain",
    "bounded": "f is bounded on its domain",
    "injective": "distinct inputs in the domain give distinct outputs",
    "no_vanishing_gradient": "|f'(x)| >= epsilon on the whole domain",
    "no_dead_zone": "no open interval on which f' is identically 0",
    "nonlinear": "f is not affine on its domain",
    "zero_centered": "f(0) = 0",
    "identity_near_origin": "f(0) = 0 and f'(0) = 1",
    "symmetric": "f is odd or even",
    "float_stable": ("the formula evaluated as written in float32 and float64, and f' as "
                     "sympy writes it, are finite wherever their values are finite with "
                     "|value| <= max float / 2"),
}

PROPERTY_IDS: tuple[str, ...] = tuple(STATEMENTS)

# The fact keys each property may report (a rule's `forbid` may name only these; a test
# checks that the checkers report nothing else)
FACTS: dict[str, tuple[str, ...]] = {
    "domain": ("domain", "undefined"),
    "continuous": ("discontinuities",),
    "differentiable": ("nondifferentiable", "one_sided_derivatives", "smoothness"),
    "finite_gradient": ("gradient_singularities",),
    "lipschitz": ("lipschitz_constant", "attained_at"),
    "monotonic": ("monotonicity", "increasing_on", "decreasing_on"),
    "bounded": ("range", "range_is_hull", "infimum", "supremum", "bounded_below",
                "bounded_above", "min_at", "max_at"),
    "injective": (),
    "no_vanishing_gradient": ("epsilon", "vanishing_regions", "vanishing_regions_note",
                              "saturates_left", "saturates_right"),
    "no_dead_zone": ("dead_zones",),
    "nonlinear": ("piecewise_linear",),
    "zero_centered": ("f0",),
    "identity_near_origin": ("f0", "df0"),
    "symmetric": ("parity",),
    "float_stable": ("breaks_float32", "breaks_float64", "complete",
                     "untaken_branch_nonfinite", "suggestion"),
}

# appended to a proved statement whose tails could be certified only out to the float64 limit
FLOAT_RANGE = " (certified on the float64 range [-1.8e308, 1.8e308] only)"

Checker = Callable[[AnalysisContext], PropertyResult]


def checker(property_id: str) -> Checker:
    """The checker of a property id: `check` of the module verifier.properties.<id> (unknown
    ids raise KeyError)."""
    if property_id not in STATEMENTS:
        raise KeyError(property_id)
    return import_module(f"verifier.properties.{property_id}").check


def result(property_id: str, verdict: Verdict, method: Method, *, evidence: list[str],
           facts: dict | None = None, witness: dict | None = None,
           reason: str | None = None) -> PropertyResult:
    """A property's answer with its statement filled in from the contract (its facts among
    the property's declared FACTS)."""
    assert set(facts or ()) <= set(FACTS[property_id]), (property_id, sorted(facts or ()))
    return PropertyResult(verdict=verdict, statement=STATEMENTS[property_id], method=method,
                          evidence=evidence, facts=facts or {}, witness=witness, reason=reason)


def unknown(property_id: str, reason: str, *, evidence: list[str] | None = None,
            facts: dict | None = None) -> PropertyResult:
    return result(property_id, Verdict.unknown, Method.none, evidence=evidence or [],
                  facts=facts, reason=reason)
