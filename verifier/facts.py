"""The facts of each property, typed: the JSON contract of `PropertyResult.facts`.

A property reports only the facts its model declares (each optional: an `unknown` result may
carry some or none), each in one of the shapes below; `verifier.properties.registry.result`
validates every result against its property's model, rules may forbid only declared facts,
and the report schema pins every model (`report_schema`). A field marked `plot` names what
the page's plot draws from it (verifier.report.plots): points as lines or markers, regions
shaded.

Numbers are JSON numbers or "oo"/"-oo", with a sibling `*_exact` sympy text where the value
is exact (None where only a certified enclosure is known). What a model does not say: that
the values are right (the checkers prove that), or that two facts of one result agree.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Number = float | Literal["oo", "-oo"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)   # built on first use


class Point(_Strict):
    """A real number: its value, its exact sympy text, and the arb ball it was read from when
    it has no exact form."""

    value: Number
    exact: str | None
    enclosure: str | None = None


class Interval(_Strict):
    """An interval of R; an end is closed only when finite and included."""

    lo: Number
    hi: Number
    lo_closed: bool
    hi_closed: bool
    lo_exact: str | None
    hi_exact: str | None


class SetText(_Strict):
    """A set that is no finite union of intervals and points, in words or sympy's notation."""

    text: str


IntervalSet = list[Interval | Point] | SetText
PointSet = list[Point] | SetText


class OneSided(_Strict):
    """f's one-sided derivatives at a point (None where f is not defined on that side)."""

    x: Point
    left: Point | None
    right: Point | None


class Breaks(_Strict):
    """Where f and f' as written are inf or NaN in one dtype while their values are finite."""

    f: list[Interval]
    f_prime: list[Interval] = Field(alias="f'")


def _plot(what: str) -> Any:
    return Field(None, json_schema_extra={"plot": what})


class Facts(_Strict):
    """The facts of one property (subclassed once per property)."""


class DomainFacts(Facts):
    domain: IntervalSet | None = None
    undefined: IntervalSet | None = None


class ContinuousFacts(Facts):
    discontinuities: PointSet | None = _plot("jump")


class DifferentiableFacts(Facts):
    nondifferentiable: PointSet | None = _plot("kink")
    one_sided_derivatives: list[OneSided] | None = None
    smoothness: int | Literal["inf"] | None = None


class FiniteGradientFacts(Facts):
    gradient_singularities: PointSet | None = _plot("infinite slope")


class LipschitzFacts(Facts):
    lipschitz_constant: Point | Literal["oo"] | None = None
    attained_at: IntervalSet | None = None


class MonotonicFacts(Facts):
    monotonicity: Literal["increasing", "nondecreasing", "decreasing", "nonincreasing",
                          "constant", "none"] | None = None
    increasing_on: IntervalSet | None = None
    decreasing_on: IntervalSet | None = None


class BoundedFacts(Facts):
    range: IntervalSet | None = None
    range_is_hull: bool | None = None
    infimum: Point | None = None
    supremum: Point | None = None
    bounded_below: bool | None = None
    bounded_above: bool | None = None
    min_at: IntervalSet | None = _plot("min")
    max_at: IntervalSet | None = _plot("max")


class InjectiveFacts(Facts):
    pass


class NoVanishingGradientFacts(Facts):
    epsilon: Point | None = None
    vanishing_regions: IntervalSet | None = _plot("|f'| < epsilon")
    vanishing_regions_note: str | None = None
    saturates_left: bool | None = None
    saturates_right: bool | None = None


class NoDeadZoneFacts(Facts):
    dead_zones: IntervalSet | None = _plot("dead zone")


class NonlinearFacts(Facts):
    piecewise_linear: bool | None = None


class ZeroCenteredFacts(Facts):
    f0: Point | None = None


class IdentityNearOriginFacts(Facts):
    f0: Point | None = None
    df0: Point | None = None


class SymmetricFacts(Facts):
    parity: Literal["even", "odd", "neither"] | None = None


class FloatStableFacts(Facts):
    breaks_float32: Breaks | None = None
    breaks_float64: Breaks | None = None
    complete: bool | None = None
    untaken_branch_nonfinite: dict[str, list[float]] | None = None
    suggestion: str | None = None


class FloatRun(_Strict):
    """Consecutive compared inputs of one dtype, in the float ordering (lo and hi are inputs)."""

    lo: float
    hi: float
    inputs: int


class UlpsInput(_Strict):
    """One input: what the dtype computes, the exact value (arb, 6 digits), and the error's
    certified lower and upper bounds in ulps of the exact value's binade."""

    x: float
    x_text: str              # the shortest decimal that reads back as the same dtype float
    computed: float | Literal["oo", "-oo", "nan"]
    exact: str
    ulps_low: Number
    ulps_high: Number


class DtypeAccuracy(_Strict):
    """The accuracy of one dtype: every input (exhaustive) or the inputs a search examined."""

    dtype: Literal["float16", "bfloat16", "float32", "float64"]
    method: Literal["exhaustive", "search"]
    allowed_ulps: float
    verdict: Literal["proved", "refuted", "unknown"]
    compared: int
    max_ulps: Number         # exhaustive: a bound over every compared input; search: found
    worst: UlpsInput | None
    over: list[FloatRun]     # runs certainly above allowed_ulps (the first few)
    over_inputs: int
    collapses: list[FloatRun]
    collapse_inputs: int
    undecided_inputs: int    # error bounds on both sides of allowed_ulps
    unresolved_inputs: int   # no enclosure of the exact value decided where it lies
    # float32/float64 searched without finding an input beyond: the proof over every input
    bound_ulps: float | None = None          # proved: every counted input within this
    bound_boxes: int | None = None           # float boxes the branch and bound evaluated
    bound_measured: int | None = None        # inputs the boxes left undecided, measured
    assumed_libm_ulps: float | None = None   # the proof assumed numpy's libm this accurate
    bound_failure: str | None = None         # not proved: where and why


class RewriteAccuracy(_Strict):
    dtype: Literal["float16", "bfloat16", "float32", "float64"]
    max_ulps: Number
    verdict: Literal["proved", "refuted", "unknown"]
    collapse_inputs: int


class AccuracyRewrite(_Strict):
    """A rewrite proved equal to f on its domain, and its accuracy measured as f's was."""

    formula: str              # in the parser's vocabulary
    rules: list[str]          # "pattern -> replacement"
    proof: list[str]
    accuracy: list[RewriteAccuracy]


class FloatAccurateFacts(Facts):
    accuracy: list[DtypeAccuracy] | None = None
    collapse: Literal["none", "found"] | None = None
    rewrite: AccuracyRewrite | None = None


class GradientAccurateFacts(Facts):
    accuracy: list[DtypeAccuracy] | None = None
    collapse: Literal["none", "found"] | None = None


def plotted(model: type[Facts]) -> dict[str, str]:
    """fact key -> what the plot draws from it, for the fields a model marks `plot`."""
    return {key: field.json_schema_extra["plot"] for key, field in model.model_fields.items()
            if isinstance(field.json_schema_extra, dict) and "plot" in field.json_schema_extra}
