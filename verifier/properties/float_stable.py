"""float_stable: the formula evaluated as written in float32 and float64 is finite wherever f
is (and representable), and so is f' as sympy writes it.

Why: a formula right on paper can overflow in floats: naive softplus log(1 + exp(x)) is inf
above x = 88.72 in float32 and 709.78 in float64; the derivative of 1/(1 + exp(-x)) is
inf/inf = NaN below x = -88.72 in float32. Example: both refuted, with a witness input.

Method: numpy evaluates the formula in each dtype (verifier.analysis.floats) at every binade
of the float range (two mantissas each, both signs, plus 0); an input where the float result
is not finite while x is in the domain is a candidate, and it is a break only when the exact
value there, certified with arb, is a finite real within the dtype's range. Region ends are
refined by bisection over the float ordering. A refutation's witness is such an input, with
its naive float value, the certified value, and a 50-digit mpmath re-check.

What it does not guarantee: a break between sampled floats can be missed, so `breaks_*` are
located, not proved complete, and no break found is `unknown`, never `proved`: sampling is
not a proof. Shorthands (sigmoid, softplus, ...) are checked as the textbook formulas the
parser expands them to.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from flint import arb

from verifier.analysis.context import AnalysisContext
from verifier.analysis.floats import DTYPES, evaluate
from verifier.analysis.certified import exact_ball
from verifier.analysis.pointwise import recheck
from verifier.analysis.sets import components
from verifier.analysis.undecided import Undecided
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown

ID = "float_stable"
_CHECKED_PER_RUN = 48


def check(ctx: AnalysisContext) -> PropertyResult:
    slope = sp.diff(ctx.expr, ctx.x)
    facts: dict = {}
    witness = None
    try:
        inside = _domain_test(ctx)
        for dtype in DTYPES:
            grid = _grid(dtype)
            per_formula = {}
            for label, formula in (("f", ctx.expr), ("f'", slope)):
                breaks, untaken = _breaks(formula, ctx.x, grid, dtype, inside)
                per_formula[label] = [_interval_json(lo, hi) for lo, hi in breaks]
                if untaken:
                    facts.setdefault("untaken_branch_nonfinite", {})[f"{dtype} {label}"] = untaken
                if breaks and witness is None:   # the end nearest 0 reads best
                    witness = _witness(formula, ctx.x, min(breaks[0], key=abs), dtype, label)
            facts[f"breaks_{dtype}"] = per_formula
    except Undecided as exc:
        return unknown(ID, f"float evaluation not decided: {exc}")
    suggestion = _suggestion(ctx.expr) if witness is not None else None
    if suggestion:
        facts["suggestion"] = suggestion
    evidence = [f"{dtype}: breaks of {label} at {spans or 'none found'}"
                for dtype in DTYPES for label, spans in facts[f"breaks_{dtype}"].items()]
    if witness is None:
        return unknown(ID, f"no break found at {len(_grid('float64'))} float64 and "
                           f"{len(_grid('float32'))} float32 inputs; sampling does not prove "
                           f"stability", evidence=evidence, facts=facts)
    return result(ID, Verdict.refuted, Method.numeric, evidence=evidence + [
        f"witness: {witness['formula']} at x = {witness['x']} in {witness['dtype']} is "
        f"{witness['naive']}, its value is {witness['true']}"], facts=facts, witness=witness)


def _grid(dtype: str) -> np.ndarray:
    info = np.finfo(DTYPES[dtype])
    exponents = np.arange(info.minexp, info.maxexp)          # every normal binade
    magnitudes = np.concatenate([np.ldexp(1.0, exponents), np.ldexp(1.5, exponents)])
    magnitudes = np.concatenate([magnitudes.astype(DTYPES[dtype]), [info.max]])
    points = np.concatenate([[0.0], magnitudes, -magnitudes]).astype(DTYPES[dtype])
    return np.unique(points)


def _domain_test(ctx: AnalysisContext):
    """x -> bool array: x in the domain (float comparison with the exact ends; an input at an
    end is settled by the 50-digit value later)."""
    parts = components(ctx.domain.region)
    if parts is None:
        raise Undecided("the domain is not a finite union of intervals")

    def inside(points: np.ndarray) -> np.ndarray:
        mask = np.zeros(points.shape, dtype=bool)
        for part in parts:
            if isinstance(part, sp.Interval):
                lo, hi = float(part.start), float(part.end)
                mask |= (points >= lo) & (points <= hi)
        return mask
    return inside


def _breaks(formula, x, grid, dtype, inside) -> tuple[list[tuple[float, float]], list]:
    values, untaken = evaluate(formula, x, grid, dtype)
    candidate = ~np.isfinite(values) & inside(grid)
    confirmed = np.zeros(grid.shape, dtype=bool)
    for run in _runs(candidate):   # long runs: spans between confirmed samples
        picks = np.unique(np.linspace(0, len(run) - 1, min(len(run), _CHECKED_PER_RUN))
                          .astype(int))
        fits = [_true_value_fits(formula, x, float(grid[run[i]]), dtype) for i in picks]
        for (i, fit_i), (j, fit_j) in zip(zip(picks, fits), zip(picks[1:], fits[1:])):
            if fit_i and fit_j:
                confirmed[run[i:j + 1]] = True
        for i, fit in zip(picks, fits):
            confirmed[run[i]] |= fit
    regions = []
    for run in _runs(confirmed):
        lo, hi = float(grid[run[0]]), float(grid[run[-1]])
        regions.append((_edge(formula, x, dtype, grid, run[0], -1, lo, inside),
                        _edge(formula, x, dtype, grid, run[-1], +1, hi, inside)))
    untaken_points = [float(p) for p in grid[untaken & inside(grid)][:3]]
    return regions, untaken_points


def _runs(mask: np.ndarray) -> list[np.ndarray]:
    indices = np.flatnonzero(mask)
    if not len(indices):
        return []
    return np.split(indices, np.flatnonzero(np.diff(indices) != 1) + 1)


def _edge(formula, x, dtype, grid, index, direction, known, inside) -> float:
    """The last broken float from `known` toward the neighbouring grid point (bisection over
    the float ordering; the end is kept only if its 50-digit value confirms the break)."""
    neighbour = index + direction
    if neighbour < 0 or neighbour >= len(grid):
        return known
    kind = DTYPES[dtype]
    as_int = np.int32 if kind is np.float32 else np.int64
    broken, fine = kind(known), kind(grid[neighbour])
    for _ in range(80):
        a, b = _ordered_int(broken, as_int), _ordered_int(fine, as_int)
        if abs(int(b) - int(a)) <= 1:
            break
        middle = _from_ordered_int(as_int((int(a) + int(b)) // 2), kind)
        value, _ = evaluate(formula, x, np.array([middle]), dtype)
        if not np.isfinite(value[0]) and inside(np.array([middle]))[0]:
            broken = middle
        else:
            fine = middle
    return float(broken) if _true_value_fits(formula, x, float(broken), dtype) else known


def _ordered_int(value, as_int):
    bits = np.array([value]).view(as_int)[0]
    return bits if bits >= 0 else as_int(np.iinfo(as_int).min) - bits


def _from_ordered_int(ordered, kind):
    as_int = type(ordered)
    bits = ordered if ordered >= 0 else as_int(np.iinfo(as_int).min) - ordered
    return np.array([bits], dtype=as_int).view(kind)[0]


def _true_value(formula: sp.Expr, x: sp.Symbol, point: float) -> arb:
    """The exact value at a float input, certified with arb (exact_ball goes to 1280 bits
    when 128 do not hold exp(x) for x near the float64 limit; raises Undecided)."""
    return exact_ball(formula.subs(x, sp.Rational(point)))


def _true_value_fits(formula, x, point: float, dtype: str) -> bool:
    """The value is a finite real within the dtype's range (certified), so a non-finite float
    result there is the formula's fault, not the number's."""
    try:
        value = _true_value(formula, x, point)
    except Undecided:
        return False
    info = np.finfo(DTYPES[dtype])   # below max + half an ulp, it rounds to a finite float
    return bool(abs(value) < arb(float(info.max)) * (1 + arb(float(info.eps)) / 4))


def _witness(formula, x, point: float, dtype: str, label: str) -> dict:
    naive, _ = evaluate(formula, x, np.array([point]), dtype)
    return {"x": point, "dtype": dtype, "formula": label, "naive": str(naive[0]),
            "true": _true_value(formula, x, point).str(20, radius=False),
            "recheck": recheck(formula, x, sp.Rational(point))}


def _interval_json(lo: float, hi: float) -> dict:
    return {"lo": lo, "hi": hi, "lo_closed": True, "hi_closed": True,
            "lo_exact": repr(lo), "hi_exact": repr(hi)}


def _suggestion(expr: sp.Expr) -> str:
    """A stable rewrite for the known unstable patterns in the formula, if any."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.log) and isinstance(node.args[0], sp.Add) and \
                any(isinstance(t, sp.exp) for t in node.args[0].args) and 1 in node.args[0].args:
            return ("log(1 + exp(u)) overflows: use logaddexp(0, u), or u + log1p(exp(-u)) "
                    "for u > 0 (softplus)")
        if isinstance(node, sp.log) and isinstance(node.args[0], sp.Pow) and \
                node.args[0].exp == -1:
            return "log(1/(1 + exp(-x))) is log(sigmoid(x)): use -softplus(-x)"
    return ("an intermediate overflows to inf (often exp(u)): write exp(u) / (1 + exp(u)) as "
            "1 / (1 + exp(-u)) and x*exp(-x)/(1 + exp(-x))**2 with exp(-|x|), so no exp "
            "overflows where it is evaluated")
