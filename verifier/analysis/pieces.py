"""Piecewise normal form: f as an ordered list of (open interval or point, smooth expression).

Max, Min, Abs, sign, Heaviside, relu and where (already a Piecewise) and nested Piecewise are
rewritten to one top-level Piecewise; its conditions are solved exactly (verifier.analysis.sets)
and each condition's set, minus the sets of earlier conditions, is split into open intervals
and isolated points. Breakpoints are exact sympy numbers.

What it does not guarantee: that a piece's expression is defined on its whole interval (the
domain analysis decides that), or anything about floor/ceiling, which stay inside expressions
(each is locally constant between integers; see `has_steps`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from verifier.analysis.sets import components, condition_set, set_text
from verifier.analysis.undecided import Undecided

_KINKED = (sp.Max, sp.Min, sp.Abs, sp.sign, sp.Heaviside)
_STEPS = (sp.floor, sp.ceiling)


@dataclass(frozen=True)
class Piece:
    """f equals `expr` on `where`: an open Interval, or a FiniteSet of one point."""

    where: sp.Set
    expr: sp.Expr

    @property
    def is_point(self) -> bool:
        return isinstance(self.where, sp.FiniteSet)

    def sort_key(self) -> tuple[float, int]:
        """Left to right; a point before the interval it opens."""
        left = self.where.inf
        return (float("-inf") if left == -sp.oo else float(left), 0 if self.is_point else 1)

    def describe(self) -> str:
        if self.expr is sp.nan:   # cut by the written formula (verifier.analysis.written)
            return f"{set_text(self.where)}: undefined as written"
        if self.is_point:  # show the value, not the formula of the branch that owns the point
            (point,) = self.where.args
            value = self.expr.subs({symbol: point for symbol in self.expr.free_symbols})
            return f"{set_text(self.where)}: {sp.sstr(value)}"
        return f"{set_text(self.where)}: {sp.sstr(self.expr)}"


def piecewise_normal_form(expr: sp.Expr, x: sp.Symbol) -> list[Piece]:
    """The pieces of `expr`, sorted left to right (raises Undecided if a condition can't be
    solved exactly). Points where no branch applies are in no piece."""
    rewritten = expr.replace(lambda e: isinstance(e, _KINKED),
                             lambda e: e.rewrite(sp.Piecewise))
    try:
        folded = sp.piecewise_fold(rewritten)
    except TypeError as exc:   # sympy compares a NaN while simplifying the folded conditions
        raise Undecided(f"sympy could not fold the pieces ({exc})") from None  # (x/Heaviside(x))
    if folded.has(*_KINKED):
        raise Undecided("could not rewrite every Max/Min/Abs/sign/Heaviside into pieces")
    branches = folded.args if isinstance(folded, sp.Piecewise) else ((folded, sp.true),)
    pieces: list[Piece] = []
    remaining: sp.Set = sp.S.Reals
    for value, condition in branches:
        if remaining is sp.S.EmptySet:
            break
        if value.has(sp.Piecewise):
            raise Undecided(f"nested Piecewise left after folding: {value}")
        taken = sp.Intersection(condition_set(condition, x), remaining)
        remaining = sp.Complement(remaining, taken)
        parts = components(taken)
        if parts is None:
            raise Undecided(f"the set where {condition} applies is not a finite union: {taken}")
        for part in parts:
            pieces.extend(split_part(part, value))
    return sorted(pieces, key=Piece.sort_key)


def breakpoints(pieces: list[Piece]) -> list[sp.Expr]:
    """The finite ends of the pieces' intervals and the isolated points, sorted and distinct."""
    points: set[sp.Expr] = set()
    for piece in pieces:
        if piece.is_point:
            points.update(piece.where.args)
        else:
            points.update(end for end in (piece.where.start, piece.where.end) if end.is_finite)
    return sorted(points, key=lambda p: float(p))


def has_steps(expr: sp.Expr) -> bool:
    """True if floor/ceiling occur: the expression is then only piecewise smooth itself."""
    return expr.has(*_STEPS)


def split_part(part: sp.Set, value: sp.Expr) -> list[Piece]:
    """One component (an interval or a point) as open-interval and point pieces."""
    if isinstance(part, sp.FiniteSet):
        return [Piece(part, value)]
    interior = sp.Interval.open(part.start, part.end)
    pieces = [Piece(interior, value)] if part.start != part.end else []
    for end, is_open in ((part.start, part.left_open), (part.end, part.right_open)):
        if end.is_finite and not is_open:
            pieces.append(Piece(sp.FiniteSet(end), value))
    return pieces
