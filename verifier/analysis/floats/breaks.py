"""Where a float program breaks: the maximal regions of float inputs, inside the domain, where
the program as written is inf or NaN in a dtype although the certified exact value there is a
finite real of at most half the largest float.

Samples: every binade of the float range, subnormals included (two mantissas each, both
signs, plus 0), and the first floats inside each domain end. Runs of broken samples are
extended over their neighbours and their ends bisected over the float ordering to the exact
float; a region that holds no sample is found where the float result stops being finite
between two neighbouring samples.

What it does not guarantee: that every region is found (one whose two ends both lie between
two samples, with finite results on both sides, is met only by chance).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from verifier.analysis.floats.proof import from_ordered_int, ordered_int, true_value_fits
from verifier.analysis.floats.program import DTYPES, evaluate

_CHECKED_PER_RUN = 48


def sample_grid(dtype: str) -> np.ndarray:
    info = np.finfo(DTYPES[dtype])
    exponents = np.arange(info.minexp - info.nmant, info.maxexp)   # every binade, subnormal too
    magnitudes = np.concatenate([np.ldexp(1.0, exponents), np.ldexp(1.5, exponents)])
    magnitudes = np.concatenate([magnitudes.astype(DTYPES[dtype]), [info.max]])
    points = np.concatenate([[0.0], magnitudes, -magnitudes]).astype(DTYPES[dtype])
    return np.unique(points)


def with_box_ends(grid: np.ndarray, boxes: list[tuple[float, float]],
                   dtype: str) -> np.ndarray:
    """The grid plus the first floats inside each finite end of the domain: next to a pole
    at pi, x - pi rounds to 0 in float32 (1/(x - pi) is inf at the float nearest pi)."""
    kind, largest = DTYPES[dtype], float(np.finfo(DTYPES[dtype]).max)
    near = []
    for lo, hi in boxes:
        for end, towards in ((lo, largest), (hi, -largest)):
            point = kind(end)
            for _ in range(_END_FLOATS):
                if abs(float(point)) < largest:
                    near.append(point)
                point = np.nextafter(point, kind(towards))
    return np.unique(np.concatenate([grid, np.array(near, dtype=kind)]))


_END_FLOATS = 4


def break_regions(program: sp.Expr, exact: sp.Expr, x: sp.Symbol, grid: np.ndarray, dtype: str,
                  inside) -> tuple[list[tuple[float, float]], list[float]]:
    """The maximal float regions (ends included) where `program` is not finite in `dtype`
    although x is inside the domain and the certified value of `exact` fits, and up to three
    points where an untaken Piecewise branch is not finite."""
    values, untaken = evaluate(program, x, grid, dtype)
    candidate = ~np.isfinite(values) & inside(grid)
    confirmed = np.zeros(grid.shape, dtype=bool)

    def breaks_at(point) -> bool:
        return true_value_fits(exact, x, float(point), dtype) is True

    for run in _runs(candidate):   # long runs: spans between confirmed samples
        picks = np.unique(np.linspace(0, len(run) - 1, min(len(run), _CHECKED_PER_RUN))
                          .astype(int))
        fits = [breaks_at(grid[run[i]]) for i in picks]
        for (i, fit_i), (j, fit_j) in zip(zip(picks, fits), zip(picks[1:], fits[1:])):
            if fit_i and fit_j:
                confirmed[run[i:j + 1]] = True
        for i, fit in zip(picks, fits):
            confirmed[run[i]] |= fit
    def broken(point) -> bool:
        value, _ = evaluate(program, x, np.array([point]), dtype)
        return not np.isfinite(value[0]) and inside(np.array([point]))[0] and breaks_at(point)

    regions = []
    for run in _runs(confirmed):
        first, last = _extend(run[0], -1, candidate, breaks_at, grid), _extend(
            run[-1], +1, candidate, breaks_at, grid)
        regions.append((_edge(grid, first, -1, broken, dtype),
                        _edge(grid, last, +1, broken, dtype)))
    regions += _between_samples(program, x, dtype, grid, values, inside, confirmed, broken)
    untaken_points = [float(p) for p in grid[untaken & inside(grid)][:3]]
    return sorted(regions), untaken_points


def _between_samples(program, x, dtype, grid, values, inside, confirmed, broken):
    """Regions that hold no sampled float: where the float result stops being finite between
    two neighbouring samples and the certified value still fits there (exp(x)/100 breaks on
    [709.78, 713.69] in float64, between the samples 512 and 768)."""
    finite, within = np.isfinite(values), inside(grid)
    changes = (finite[:-1] != finite[1:]) & within[:-1] & within[1:] & ~confirmed[:-1] & \
        ~confirmed[1:]
    regions = []
    for i in np.flatnonzero(changes):
        good, bad = (i, i + 1) if finite[i] else (i + 1, i)
        start = _last_where(DTYPES[dtype](grid[good]), DTYPES[dtype](grid[bad]),
                            lambda p: np.isfinite(evaluate(program, x, np.array([p]),
                                                           dtype)[0][0]), dtype)
        first = float(np.nextafter(DTYPES[dtype](start), DTYPES[dtype](grid[bad])))
        if broken(first):
            end = _last_where(DTYPES[dtype](first), DTYPES[dtype](grid[bad]), broken, dtype)
            regions.append((min(first, end), max(first, end)))
    return regions


def _extend(index: int, direction: int, candidate, breaks_at, grid) -> int:
    """Past a run's last confirmed sample, over the unsampled candidates that also break."""
    while 0 <= index + direction < len(grid) and candidate[index + direction] and \
            breaks_at(grid[index + direction]):
        index += direction
    return index


def _runs(mask: np.ndarray) -> list[np.ndarray]:
    indices = np.flatnonzero(mask)
    if not len(indices):
        return []
    return np.split(indices, np.flatnonzero(np.diff(indices) != 1) + 1)


def _edge(grid, index, direction, broken, dtype) -> float:
    """The last broken float from grid[index] toward the neighbouring grid point (broken:
    not finite in the domain, and its certified value fits)."""
    known = float(grid[index])
    neighbour = index + direction
    if neighbour < 0 or neighbour >= len(grid):
        return known
    return _last_where(DTYPES[dtype](known), DTYPES[dtype](grid[neighbour]), broken, dtype)


def _last_where(holds_at, fails_at, holds, dtype: str) -> float:
    """Bisection over the float ordering: the last float from `holds_at` toward `fails_at`
    where `holds` is still true (assuming one transition between them)."""
    kind = DTYPES[dtype]
    as_int = np.int32 if kind is np.float32 else np.int64
    for _ in range(80):
        a, b = ordered_int(holds_at, as_int), ordered_int(fails_at, as_int)
        if abs(int(b) - int(a)) <= 1:
            break
        middle = from_ordered_int(as_int((int(a) + int(b)) // 2), kind)
        if holds(middle):
            holds_at = middle
        else:
            fails_at = middle
    return float(holds_at)
