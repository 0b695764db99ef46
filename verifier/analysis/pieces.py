"""Piecewise normal form: f as an ordered list of (open interval or point, smooth expression).

Max, Min, Abs, sign, Heaviside, relu and where (already a Piecewise) and nested Piecewise are
folded bottom-up as sets (`_fold`): each operand's pieces refine the sets of the next, each
kink rebuilt from smooth operands takes sympy's own Piecewise rewrite, and each condition is
solved exactly on the set where it applies (verifier.analysis.sets). The sets of one formula
are joined, then split into open intervals and isolated points. Breakpoints are exact sympy
numbers. (sympy's rewrite and piecewise_fold gave the same pieces up to which equal-valued
formula an isolated point carries, at twice the cost: it simplifies every folded condition
as a logical formula first.)

What it does not guarantee: that a piece's expression is defined on its whole interval (the
domain analysis decides that), or anything about floor/ceiling, which stay inside expressions
(each is locally constant between integers; see `has_steps`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import sympy as sp
from sympy.logic.boolalg import Boolean

from verifier.analysis.line_sets import difference, union
from verifier.analysis.sets import RELATIONS, components, condition_set, intersection, set_text
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

    @cached_property
    def text(self) -> str:
        """`where: formula` for evidence lines (kept: several properties list the pieces)."""
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
    regions: dict[sp.Expr, list[sp.Set]] = {}
    for region, value in _fold(expr, x, sp.S.Reals):
        regions.setdefault(value, []).append(region)
    pieces: list[Piece] = []
    for value, where in regions.items():   # one formula's sets joined: no false breakpoints
        region = union(*where)
        parts = components(region)
        if parts is None:
            raise Undecided(f"the set where {sp.sstr(value)} applies is not a finite union: "
                            f"{region}")
        for part in parts:
            pieces.extend(split_part(part, value))
    return sorted(pieces, key=Piece.sort_key)


def _fold(expr: sp.Expr, x: sp.Symbol, region: sp.Set) -> list[tuple[sp.Set, sp.Expr]]:
    """(set, smooth expression) pairs that partition `region` where `expr` is given there:
    the operands folded first, left to right (each pair of sets the common refinement), the
    node rebuilt from each combination of smooth operands; a kink so rebuilt is sympy's own
    Piecewise rewrite (Max(a, b): a where a >= b, else b; Abs, sign and Heaviside alike),
    whose branches split its set in order, as Piecewise's do. Unlike sympy's piecewise_fold,
    no condition is ever simplified as a formula: each is solved as a set, where it applies.
    """
    if not expr.has(*_KINKED, sp.Piecewise):
        return [(region, expr)]
    if isinstance(expr, sp.Piecewise):
        return _branches(expr.args, x, region)
    combinations: list[tuple[sp.Set, tuple[sp.Expr, ...]]] = [(region, ())]
    for operand in expr.args:
        combinations = [(part, done + (value,)) for where, done in combinations
                        for part, value in _fold(operand, x, where)]
    folded: list[tuple[sp.Set, sp.Expr]] = []
    for where, operands in combinations:
        try:   # sympy compares the operands: Min((-19)**E, 12) is not comparable
            node = expr if operands == expr.args else expr.func(*operands)
            if isinstance(node, _KINKED):
                node = node.rewrite(sp.Piecewise)
        except (TypeError, ValueError) as exc:
            raise Undecided(f"sympy could not fold the pieces of {sp.sstr(expr)} ({exc})") \
                from None
        if isinstance(node, _KINKED):
            raise Undecided(f"could not rewrite {sp.sstr(node)} into pieces")
        folded.extend(_fold(node, x, where) if node.has(*_KINKED, sp.Piecewise)
                      else [(where, node)])
    return folded


def _branches(branches: tuple[tuple[sp.Expr, Boolean], ...], x: sp.Symbol,
              region: sp.Set) -> list[tuple[sp.Set, sp.Expr]]:
    """A Piecewise's branches on `region`: each takes where its condition holds and no
    earlier one did; what none takes is left out."""
    folded: list[tuple[sp.Set, sp.Expr]] = []
    remaining = region
    for value, condition in branches:
        if remaining is sp.S.EmptySet:
            break
        taken = _holds(condition, x, remaining)
        remaining = difference(remaining, taken)
        if taken is not sp.S.EmptySet:
            folded.extend(_fold(value, x, taken))
    return folded


def _holds(condition: Boolean, x: sp.Symbol, region: sp.Set) -> sp.Set:
    """The part of `region` where `condition` holds; a relation between kinked sides is
    solved on each set where both sides are smooth."""
    if not condition.has(*_KINKED, sp.Piecewise):
        return intersection(condition_set(condition, x), region)
    if isinstance(condition, sp.And):
        for part in condition.args:
            region = _holds(part, x, region)
        return region
    if isinstance(condition, sp.Or):
        return union(*(_holds(part, x, region) for part in condition.args))
    if isinstance(condition, sp.Not):
        return difference(region, _holds(condition.args[0], x, region))
    if isinstance(condition, RELATIONS):
        return union(*(_holds(condition.func(left, right), x, where)
                          for side, left in _fold(condition.lhs, x, region)
                          for where, right in _fold(condition.rhs, x, side)))
    raise Undecided(f"cannot solve the condition {sp.sstr(condition)}")


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
