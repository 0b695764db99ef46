"""How many units in the last place (ulps) the formula as written is off, for f (`value_of`) or
for f' as autodiff computes it (`slope_of`): in a 16-bit dtype at every one of its 65,536
inputs (`scan_sixteen_bit`), in float32 or float64 at the inputs a search picks
(`search_worst`: every binade, then the float neighbours of the worst found).

Each finite input is evaluated twice: by the program as written in the dtype (numpy, and
ml_dtypes for bfloat16: what a framework computing the formula elementwise gets), and exactly,
as an arb ball of the written formula at the input (which is a dyadic rational, so the ball is
the true value's). An input counts where that value is a normal number of the dtype (below the
smallest normal a flushed or subnormal result is no error; beyond the largest float,
float_stable's rules apply). Its error is |computed - exact| / ulp(exact), ulp the dtype's
spacing in the exact value's binade, and the ball gives it as a certified interval: `max_ulps`
is an upper bound over every counted input, `worst` the input where the lower bound is largest
(so max_ulps above N is shown by a single input, and at most N by all of them). A collapse is a
result that is 0, of the wrong sign, not finite, or off by more than 2**20 ulps.

The search examines inputs, it proves no bound: its `max_ulps` is the largest error among the
inputs examined, and only a certified worst input (a refutation of "within N ulps") or a
collapse is evidence. What neither guarantees: anything on another numpy or ml_dtypes build
(their float16 and bfloat16 functions are assumed deterministic on one platform), or at inputs
whose exact value could not be enclosed even at 1280 bits (`unresolved`: listed, never counted
as accurate).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp
from flint import arb, ctx
from sympy.core.relational import Relational
from sympy.functions.elementary.piecewise import ExprCondPair
from sympy.logic.boolalg import Boolean

from verifier.analysis.arb.ball_program import ball_program
from verifier.analysis.arb.certified import PRECISION_LADDER, exact_ball, working_precision
from verifier.analysis.derivatives import derivative, without_deltas
from verifier.analysis.floats.autodiff import autodiff_slope
from verifier.analysis.floats.error_bound import BoxBound, value_bound
from verifier.analysis.floats.exact_values import Ends, Precision, Rational, exact_values
from verifier.analysis.floats.program import evaluate, numeric_type
from verifier.analysis.floats.slope_bound import slope_bound
from verifier.analysis.floats.ulp_error import error_bounds

SIXTEEN_BIT = ("float16", "bfloat16")   # the dtypes scanned exhaustively
COLLAPSE_ULPS = 2.0 ** 20


@dataclass(frozen=True)
class Input:
    """One input: the dtype's result, the exact value in words (10 digits; only for a scan's
    worst input, "" otherwise), and the error in ulps (certified lower and upper bounds)."""

    x: float
    computed: float
    exact: str
    ulps_low: float
    ulps_high: float


@dataclass
class Scan:
    """Every input of one dtype, compared (see the module's docstring)."""

    dtype: str
    compared: int = 0
    max_ulps: float = 0.0
    worst: Input | None = None
    collapses: list[Input] = field(default_factory=list)
    unresolved: list[float] = field(default_factory=list)
    exhaustive: bool = True   # every input of the dtype (False: the inputs a search examined)
    examined: set[float] = field(default_factory=set)   # a search's inputs, counted or not
    # counted input -> certified (lower, upper) bounds of its error in ulps
    errors: dict[float, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Quantity:
    """What a scan compares at each input: the dtype's results, and a certified enclosure
    of the true value (raising Undecided where there is none). `bound`: per dtype, the
    BoxBound a proof over every float32/float64 input runs (verifier.analysis.floats.
    error_bound)."""

    computed: Callable[[np.ndarray, str], np.ndarray]     # (inputs, dtype) -> results
    exact: Callable[[float], arb]
    bound: Callable[[str], BoxBound] | None = None
    rational: Rational | None = None   # the exact value where it is rational (see exact_values)


def value_of(written: sp.Expr, x: sp.Symbol) -> Quantity:
    """f as the program computes it, against the written formula's true value."""
    program = ball_program(written, x)
    return Quantity(lambda points, dtype: evaluate(written, x, points, dtype)[0],
                    lambda point: program(arb(point)),
                    lambda dtype: value_bound(written, x, dtype), rational_at(written, x))


def rational_at(expr: sp.Expr, x: sp.Symbol) -> Rational:
    """expr's exact value at a float input, by sympy's exact arithmetic on the tree, for expr
    piecewise rational (+, -, *, /, integer powers up to 64, abs, max, min, sign, Heaviside,
    Piecewise, rational constants: elsewhere a value is rarely rational, and a root or a
    logarithm of a 300-digit rational sends sympy factoring); None at other inputs or for
    other expressions. Read only where a ball of the value exists, so every branch of expr
    is decided at that input."""
    if not _piecewise_rational(expr):
        return lambda point: None

    def value(point: float) -> Fraction | None:
        try:
            return _fraction(expr.subs(x, sp.Rational(point)))
        except (TypeError, ValueError, ZeroDivisionError):
            return None
    return value


def _fraction(value: sp.Expr) -> Fraction | None:
    return Fraction(int(value.p), int(value.q)) if value.is_Rational else None


_RATIONAL_NODES = (sp.Add, sp.Mul, sp.Abs, sp.Max, sp.Min, sp.sign, sp.Heaviside, sp.Piecewise,
                   ExprCondPair, sp.Rational, sp.Symbol, Boolean, Relational)


def _piecewise_rational(expr: sp.Basic) -> bool:
    if isinstance(expr, sp.Pow):
        return expr.exp.is_Integer and abs(expr.exp) <= 64 and _piecewise_rational(expr.base)
    return isinstance(expr, _RATIONAL_NODES) and all(map(_piecewise_rational, expr.args))


def slope_of(expr: sp.Expr, written: sp.Expr, x: sp.Symbol, *,
             known: Mapping[float, sp.Expr] | None = None,
             inside_domain: bool = False) -> Quantity:
    """f' as autodiff computes it from the written formula (verifier.analysis.floats.autodiff),
    against sympy's derivative of the evaluated f, where f as written is defined. The
    derivative is enclosed over a ball of relative radius 2**-(precision - 8) around the
    input, so a step, sign or branch switching at the input (a kink, where f' does not
    exist and sympy's formula gives a convention such as Heaviside(0) = 1/2) is undecided
    there, and the input is not counted. `known`: f' at inputs where it is known exactly
    otherwise (a breakpoint where the one-sided derivatives agree). `inside_domain`: the
    caller asks only at inputs of f's domain (f as written is not evaluated again there)."""
    # sympy's f' of sign or Heaviside carries DiracDelta terms, 0 except at the breakpoint
    # (where the ball straddles the step and the input is not counted, or f' is `known`)
    formula = without_deltas(derivative(expr, x))
    value, slope = ball_program(written, x), ball_program(formula, x)
    known = dict(known or {})
    at = rational_at(formula, x)

    def rational(point: float) -> Fraction | None:
        exact = known.get(point)
        return at(point) if exact is None else _fraction(exact)

    def exact(point: float) -> arb:
        if not inside_domain:
            value(arb(point))   # undefined as written: no f' either
        if point in known:
            return exact_ball(known[point], least_precision=ctx.prec)
        scale = arb(abs(point)) if point else arb(2) ** -1100
        return slope(arb(point) + arb(0, 1) * scale * arb(2) ** (8 - ctx.prec))
    return Quantity(lambda points, dtype: autodiff_slope(written, x, points, dtype), exact,
                    lambda dtype: slope_bound(written, formula, x, dtype, exact),
                    rational=rational)


Inside = Callable[[np.ndarray], np.ndarray]   # inputs -> bool mask: those of the domain


def scan_sixteen_bit(quantity: Quantity, dtype: str, *, inside: Inside | None = None) -> Scan:
    """The error of `quantity` in `dtype` ("float16" or "bfloat16") at every finite input
    (of the domain, with `inside`; raises Undecided when the formula has no float program)."""
    kind = numeric_type(dtype)
    every = np.arange(2 ** 16, dtype=np.uint16).view(kind)
    with np.errstate(invalid="ignore"):   # the NaN patterns, dropped here
        inputs = every[np.isfinite(every.astype(np.float64))]
    if inside is not None:
        inputs = inputs[inside(inputs.astype(np.float64))]
    scan = Scan(dtype)
    _examine(scan, quantity, inputs, Precision.of(dtype))
    return scan


def scan_inputs(quantity: Quantity, dtype: str, inputs: np.ndarray) -> Scan:
    """The error of `quantity` at the given inputs of `dtype` (a sample: no bound beyond
    them)."""
    kind = numeric_type(dtype)
    scan = Scan(dtype, exhaustive=False)
    points = inputs.astype(kind)
    _examine(scan, quantity, points[np.isfinite(points)], Precision.of(dtype))
    return scan


def search_worst(quantity: Quantity, dtype: str, *, inside: Inside | None = None,
                 seeds: tuple[float, ...] = (), per_binade: int = 4, neighbours: int = 64,
                 rounds: int = 3) -> Scan:
    """The largest error found in float32 or float64 (raises Undecided when the formula has
    no float program): `per_binade` inputs of each sign in every binade of the dtype (and the
    subnormals), and the `neighbours` floats around each of the `seeds` (the breakpoints of
    f, where a threshold or a kink switches branch), then, `rounds` times, the `neighbours`
    floats on each side of the worst inputs so far, at strides growing by powers of two;
    with `inside`, only inputs of the domain. Deterministic: no random draws."""
    kind = numeric_type(dtype)
    precision, info = Precision.of(dtype), np.finfo(kind)
    scan = Scan(dtype, exhaustive=False)
    mantissas = np.linspace(1.0, 2.0, per_binade, endpoint=False)
    exponents = np.arange(int(info.minexp) - int(info.nmant), int(info.maxexp))
    magnitudes = np.unique(np.ldexp.outer(mantissas, exponents).ravel().astype(kind))
    start = np.concatenate([[0.0], magnitudes, -magnitudes]).astype(kind)
    if seeds:
        start = np.unique(np.concatenate([start, _near(seeds, kind, neighbours)]))
    _examine(scan, quantity, _kept(start, inside), precision)
    _refine(scan, quantity, inside, neighbours, rounds)
    return scan


def search_further(scan: Scan, quantity: Quantity, seeds: tuple[float, ...], *,
                   inside: Inside | None = None, neighbours: int = 64,
                   rounds: int = 3) -> None:
    """A search_worst scan continued: the `neighbours` floats around each of the new `seeds`
    not examined yet, then `rounds` more rounds around the worst inputs so far."""
    near = _near(seeds, numeric_type(scan.dtype), neighbours)
    fresh = _fresh(scan, _kept(near, inside))
    _examine(scan, quantity, fresh, Precision.of(scan.dtype))
    _refine(scan, quantity, inside, neighbours, rounds)


def measure(scan: Scan, quantity: Quantity, points: tuple[float, ...], *,
            inside: Inside | None = None) -> None:
    """The `points` (of the domain, with `inside`) not examined yet, compared into a search's
    scan."""
    kind = numeric_type(scan.dtype)
    fresh = _fresh(scan, _kept(np.array(points, dtype=np.float64).astype(kind), inside))
    _examine(scan, quantity, fresh, Precision.of(scan.dtype))


def _refine(scan: Scan, quantity: Quantity, inside: Inside | None, neighbours: int,
            rounds: int) -> None:
    """`rounds` times, the floats around the eight worst inputs so far not examined yet."""
    kind = numeric_type(scan.dtype)
    for _ in range(rounds):
        worst = sorted(scan.errors, key=lambda p: -scan.errors[p][0])[:8]
        fresh = _fresh(scan, _kept(_around(np.array(worst, dtype=kind), neighbours), inside))
        if not fresh.size:
            break
        _examine(scan, quantity, fresh, Precision.of(scan.dtype))


def _near(seeds: tuple[float, ...], kind: type, neighbours: int) -> np.ndarray:
    """The seeds as floats of the dtype, and the `neighbours` floats around each."""
    with np.errstate(over="ignore"):
        points = np.array(seeds, dtype=np.float64).astype(kind)
    points = points[np.isfinite(points)]
    return np.concatenate([points, _around(points, neighbours)])


def _kept(points: np.ndarray, inside: Inside | None) -> np.ndarray:
    """The finite points, of the domain with `inside`."""
    points = points[np.isfinite(points)]
    return points if inside is None else points[inside(points.astype(np.float64))]


def _fresh(scan: Scan, points: np.ndarray) -> np.ndarray:
    """The points the scan has not examined yet (each once)."""
    points = np.unique(points)
    return points[[float(p) not in scan.examined for p in points.astype(np.float64)]]


def _around(points: np.ndarray, count: int) -> np.ndarray:
    """The floats 1, 2, 4, ... steps (in the float ordering) away from each point, each side,
    `count` in all per point."""
    kind = points.dtype.type
    as_int = {2: np.int16, 4: np.int32, 8: np.int64}[points.dtype.itemsize]
    bits = points.view(as_int).astype(np.int64)
    steps = np.array([s * 2 ** k for k in range(count // 2) for s in (1, -1)], dtype=np.int64)
    ordered = np.where(bits[:, None] < 0, -(bits[:, None] & np.iinfo(as_int).max),
                       bits[:, None]) + steps
    back = np.where(ordered < 0, (-ordered) | np.iinfo(as_int).min, ordered)
    limit = np.iinfo(as_int)
    back = back[(back >= limit.min) & (back <= limit.max)].astype(as_int)
    near = back.view(kind)
    return np.unique(near[np.isfinite(near)])


def _examine(scan: Scan, quantity: Quantity, inputs: np.ndarray, precision: Precision) -> None:
    """Each input compared into `scan` (its error recorded where the exact value is counted):
    the exact values one by one (arb, verifier.analysis.floats.exact_values), their comparison
    with the results all at once."""
    if not inputs.size:
        return
    inputs = _zero_once(inputs)
    if not scan.exhaustive:   # a search continues from it (search_further)
        scan.examined.update(inputs.astype(np.float64).tolist())
    computed = quantity.computed(inputs, scan.dtype)   # each operation in the dtype
    points = inputs.astype(np.float64).tolist()
    results = dict(zip(points, computed.astype(np.float64).tolist()))
    placed = exact_values(quantity.exact, points, precision, rational=quantity.rational)
    scan.unresolved.extend(placed.unresolved)
    if placed.normal:
        with working_precision(PRECISION_LADDER[0]):   # the comparisons' arithmetic
            _compare(scan, precision, [(point, results[point], ball, ends)
                                       for point, ball, ends in placed.normal])


def _zero_once(inputs: np.ndarray) -> np.ndarray:
    """The inputs with -0 read as the input 0 (the first of them kept, in place: a search's
    np.unique may have kept -0 rather than 0, which then was never compared)."""
    zero = inputs == 0
    if not zero.any():
        return inputs
    inputs = np.where(zero, inputs.dtype.type(0), inputs)
    return np.delete(inputs, np.flatnonzero(zero)[1:])


def _compare(scan: Scan, precision: Precision,
             counted: list[tuple[float, float, arb, Ends]]) -> None:
    """The counted inputs (exact values normal floats of the dtype) into the scan: errors,
    maximum, worst input (its exact value in words) and collapses."""
    points = [point for point, _, _, _ in counted]
    results = np.array([result for _, result, _, _ in counted], dtype=np.float64)
    lo = np.array([ends[0] for _, _, _, ends in counted], dtype=np.float64)
    hi = np.array([ends[1] for _, _, _, ends in counted], dtype=np.float64)
    balls = [ball for _, _, ball, _ in counted]
    low, high = error_bounds(results, lo, hi, balls, precision.bits, precision.smallest_normal)
    scan.compared += len(points)
    scan.max_ulps = max(scan.max_ulps, float(high.max()))
    scan.errors.update(zip(points, zip(low.tolist(), high.tolist())))
    first = int(np.argmax(low))   # the first input of the largest certain error
    if scan.worst is None or low[first] > scan.worst.ulps_low:
        scan.worst = Input(points[first], float(results[first]),
                           balls[first].str(10, radius=False), float(low[first]),
                           float(high[first]))
    with np.errstate(invalid="ignore"):
        collapsed = (results == 0) | ~np.isfinite(results) | ((results > 0) != (lo > 0)) | \
            (low > COLLAPSE_ULPS)
    scan.collapses.extend(Input(points[i], float(results[i]), "", float(low[i]),
                                float(high[i])) for i in np.flatnonzero(collapsed))


def float_runs(ordered: list[float], flagged: set[float]) -> list[dict]:
    """The maximal runs of consecutive inputs of `ordered` (sorted) that are all in `flagged`,
    as {"lo", "hi", "inputs"}, left to right."""
    runs: list[dict] = []
    previous_flagged = False
    for point in ordered:
        if point in flagged:
            if previous_flagged:
                runs[-1]["hi"], runs[-1]["inputs"] = point, runs[-1]["inputs"] + 1
            else:
                runs.append({"lo": point, "hi": point, "inputs": 1})
        previous_flagged = point in flagged
    return runs
