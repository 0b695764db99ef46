"""The plot of an activation: f and f' over a window chosen from the analysis, dead zones and
vanishing-gradient regions shaded, kinks/jumps and extrema marked, domain gaps left blank.

Pure: the PNG comes back as bytes (matplotlib, Agg backend, no timestamps in the file); f and
f' come as samplers (float64 arrays in, float64 arrays out) from the caller (verifier.pages).
What it does not show: anything the window leaves out (it covers [-5, 5] and every point the
facts name within +-50).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable

import numpy as np

from verifier.facts import plotted
from verifier.model import ActivationResult, Verdict
from verifier.properties.registry import PROPERTIES
from verifier.escape import plain

# how each kind of fact the facts models mark `plot` is drawn (verifier.facts), in drawing
# order: points as lines or markers, regions hatched
_MARKS = {"kink": "tab:red", "jump": "tab:purple", "infinite slope": "tab:brown",
          "min": "tab:green", "max": "tab:olive"}
_SHADES = {"dead zone": ("tab:red", "//"), "|f'| < epsilon": ("tab:orange", "\\\\")}
_DRAWN = {what: (pid, key) for pid, p in PROPERTIES.items()
          for key, what in plotted(p.facts).items()}
_POINT_FACTS = {_DRAWN[label]: (label, colour) for label, colour in _MARKS.items()}
_EXTREMA = {"min": "v", "max": "^"}   # marked on the curve; the other points as lines
_SHADED = {_DRAWN[label]: (label, colour, hatch) for label, (colour, hatch) in _SHADES.items()}
assert set(_DRAWN) == set(_MARKS) | set(_SHADES), "a plotted fact without a style"


Sampler = Callable[[np.ndarray], np.ndarray]   # a function's float64 values at the points


def plot_png(activation: ActivationResult, f: Sampler, slope: Sampler) -> bytes:
    """The PNG of f and its derivative `slope` (what a sampler raises is raised)."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    points = _named_points(activation)
    lo, hi = _window([p for _, _, p in points] + _region_ends(activation))
    grid = np.linspace(lo, hi, 801)
    values, slopes = f(grid), slope(grid)
    figure, axis = plt.subplots(figsize=(7, 4), dpi=90)
    axis.plot(grid, np.where(np.isfinite(values), values, np.nan), label="f", color="tab:blue")
    axis.plot(grid, np.where(np.isfinite(slopes), slopes, np.nan), label="f'",
              color="tab:gray", linestyle="--")
    for (pid, key), (label, colour, hatch) in _SHADED.items():
        for start, end in _regions(activation, pid, key):
            if start < hi and end > lo:   # only what the window shows; hatched, so that
                axis.axvspan(max(start, lo), min(end, hi), facecolor=colour, alpha=0.15,
                             hatch=hatch, edgecolor=colour, label=label)   # overlaps show
                label = None
    for label, colour, point in points:
        if not lo <= point <= hi:
            continue
        if label in _EXTREMA:
            at = f(np.array([point]))
            axis.plot([point], at, marker=_EXTREMA[label], color=colour, markersize=8,
                      linestyle="none", label=label)
        else:
            axis.axvline(point, color=colour, linewidth=0.8, linestyle=":", label=label)
    axis.set_xlim(lo, hi)
    shown = values[np.isfinite(values)]
    if shown.size:   # f sets the scale; an unbounded f' near a point is cut off
        bottom, top = float(np.min(shown)), float(np.max(shown))
        margin = 0.25 * max(top - bottom, 1.0)
        axis.set_ylim(min(bottom, -1.0) - margin, max(top, 1.0) + margin)
    axis.axhline(0, color="black", linewidth=0.5)
    axis.set_title(_literal(plain(activation.name)[:60]))
    axis.set_xlabel(_literal(activation.variable))
    axis.set_ylabel(f"f({_literal(activation.variable)}), f'({_literal(activation.variable)})")
    undecided = [pid for pid, o in activation.properties.items() if o.verdict is Verdict.unknown]
    if undecided:   # what the picture cannot show: the analysis did not finish there
        figure.text(0.01, 0.01, _literal("incomplete analysis: " + ", ".join(undecided) +
                                         " unknown"), fontsize=7, color="tab:red")
    handles, labels = axis.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    axis.legend(unique.values(), unique.keys(), fontsize=8, loc="best")
    figure.tight_layout()
    png = io.BytesIO()
    figure.savefig(png, format="png", metadata={"Software": None})
    plt.close(figure)
    return png.getvalue()


def _literal(text: str) -> str:
    """Text matplotlib shows as it is: a $ would start mathtext (untrusted names)."""
    return text.replace("$", r"\$")


def _named_points(activation: ActivationResult) -> list[tuple[str, str, float]]:
    found = []
    for (pid, key), (label, colour) in _POINT_FACTS.items():
        outcome = activation.properties.get(pid)
        items = outcome.facts.get(key) if outcome else None
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("value"), (int, float)):
                found.append((label, colour, float(item["value"])))
    # a jump is also an infinite slope and a kink, a vertical tangent also a kink: each point
    # is named once, by the most specific
    rank = {"jump": 0, "infinite slope": 1, "kink": 2}
    best: dict[float, str] = {}
    for label, _, at in found:
        if label in rank:
            best[at] = min(label, best.get(at, label), key=rank.__getitem__)
    return [mark for mark in found if mark[0] not in rank or best[mark[2]] == mark[0]]


def _regions(activation: ActivationResult, pid: str, key: str) -> list[tuple[float, float]]:
    outcome = activation.properties.get(pid)
    items = outcome.facts.get(key) if outcome else None
    spans = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and "lo" in item:
            spans.append((_float(item["lo"]), _float(item["hi"])))
    return spans


def _region_ends(activation: ActivationResult) -> list[float]:
    ends = [e for (pid, key) in _SHADED for span in _regions(activation, pid, key)
            for e in span]
    return [e for e in ends if math.isfinite(e)]


def _float(value) -> float:
    if value in ("oo", "-oo"):
        return math.inf if value == "oo" else -math.inf
    return float(value)


def _window(points: list[float]) -> tuple[float, float]:
    """[-5, 5] widened to every named point within +-50 (farther ones would flatten the
    interesting part: sign(x)*sqrt(|x|) vanishes only beyond 250000)."""
    finite = [p for p in points if math.isfinite(p) and abs(p) <= 50] + [-5.0, 5.0]
    lo, hi = min(finite), max(finite)
    pad = 0.1 * (hi - lo)
    return lo - pad, hi + pad

