"""The shape of f: its domain cut into segments (open intervals where f is one analytic
expression g), each with the sign structure of g' (monotonicity, range, injectivity) or g''
(Lipschitz constant), and the junction points between segments with their values.

Segments are the open pieces of the piecewise normal form, restricted to where g is defined,
minus the candidate points (verifier.analysis.points). `clipped` says some segment was only
decided on the float64 range.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from verifier import notation
from verifier.analysis.bounds import Bound
from verifier.analysis.derivatives import derivative
from verifier.analysis.domain import defined_parts
from verifier.analysis.pieces import Piece
from verifier.analysis.signs import sign_structure
from verifier.analysis.stretches import SignStructure, Stretch


@dataclass
class Segment:
    lo: sp.Expr
    hi: sp.Expr
    expr: sp.Expr
    signs: SignStructure   # of expr' (order 1) or expr'' (order 2)


@dataclass
class Shape:
    segments: list[Segment]
    points: list[tuple[sp.Expr, sp.Expr]]   # (x, f(x)) at junctions in the domain
    order: int

    @property
    def clipped(self) -> bool:
        return any(s.signs.clipped for s in self.segments)

    @property
    def method(self) -> str:
        return "interval" if any(s.signs.method == "interval" for s in self.segments) else (
            "symbolic")

    def undecided(self) -> list[tuple[Segment, Bound, Bound]]:
        """Where the sign was not decided (only in a partial shape)."""
        return [(segment, lo, hi) for segment in self.segments
                for lo, hi in segment.signs.undecided]

    def stretches(self) -> list[tuple[Segment, Stretch]]:
        return [(segment, stretch) for segment in self.segments
                for stretch in segment.signs.stretches]

    def evidence(self) -> list[str]:
        lines = []
        for segment in self.segments:
            lines.append(f"on {notation.interval(segment.lo, segment.hi)} f = {sp.sstr(segment.expr)}")
            lines.extend(f"  {line}" for line in segment.signs.evidence)
        return lines


def analyse_shape(pieces: list[Piece], junctions: list[tuple[sp.Expr, sp.Expr]],
                  x: sp.Symbol, order: int, partial: bool = False) -> Shape:
    """Sign structures of the order-th derivative on every segment (raises Undecided).
    partial: tails where the sign is not decided are listed in `undecided()` instead."""
    cuts = sorted({p for p, _ in junctions}, key=float)
    segments = []
    for piece in pieces:
        if piece.is_point:
            continue
        parts = defined_parts(piece, x)
        slope = derivative(piece.expr, x, order)
        label = "f'" if order == 1 else "f''"
        for part in parts:
            if not isinstance(part, sp.Interval):
                continue
            inner = [c for c in cuts if part.start < c < part.end]
            ends = [part.start, *inner, part.end]
            for lo, hi in zip(ends, ends[1:]):
                segments.append(Segment(lo, hi, piece.expr,
                                        sign_structure(slope, x, lo, hi, label,
                                                       partial)))
    return Shape(segments, junctions, order)
