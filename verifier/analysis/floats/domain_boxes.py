"""The domain as boxes of one dtype's floats: each component interval of the exact domain
cut to the first floats inside its ends (rounded inward, an open end excluded exactly).

What it does not do: decide the domain (verifier.analysis.domain does), or keep isolated points
that no float of the dtype hits exactly.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from verifier.analysis.floats.program import float_info, numeric_type
from verifier.analysis.sets import components
from verifier.analysis.undecided import Undecided


def domain_boxes(region: sp.Set, dtype: str) -> list[tuple[float, float]]:
    """The domain as intervals of `dtype` floats (ends rounded inward; an end beyond the
    dtype's range is its largest float)."""
    parts = components(region)
    if parts is None:
        raise Undecided("the domain is not a finite union of intervals")
    largest = float(float_info(dtype).max)
    boxes = []
    for part in parts:
        if isinstance(part, sp.FiniteSet):
            start = end = part.args[0]
            open_start = open_end = False
        else:
            start, end, open_start, open_end = part.args
        lo = -largest if start < -largest else inward(start, dtype, +1, open_start)
        hi = largest if end > largest else inward(end, dtype, -1, open_end)
        if lo is not None and hi is not None and lo <= hi:
            boxes.append((lo, hi))
    return boxes


def inward(end: sp.Expr, dtype: str, direction: int, is_open: bool) -> float | None:
    """The first dtype float at or past `end` (strictly past if open) toward `direction`."""
    kind = numeric_type(dtype)
    try:
        value = kind(float(end))
    except (TypeError, OverflowError):
        return None
    towards = kind(np.inf * direction)
    for _ in range(4):
        comparison = (sp.Rational(float(value)) - end) * direction
        if comparison > 0 or (comparison == 0 and not is_open):
            return float(value) if np.isfinite(value) else None
        value = np.nextafter(value, towards)
    return None


def inside_boxes(boxes: list[tuple[float, float]]):
    """x -> bool array: x in one of the domain's float boxes."""
    def inside(points: np.ndarray) -> np.ndarray:
        mask = np.zeros(points.shape, dtype=bool)
        for lo, hi in boxes:
            mask |= (points >= lo) & (points <= hi)
        return mask
    return inside
