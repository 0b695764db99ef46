"""Where the formula as written is defined: every sub-term of the written tree a finite real.

sympy evaluates while it builds: `x**3/x**2` becomes `x`, `0*sqrt(x)` becomes `0`,
`exp(log(x))` becomes `x`, and the piecewise form of `Heaviside(x)*log(x)` is 0 for x < 0.
The evaluated pieces can so be defined where the text is not. `written_needs` walks the written
tree (`parse_expression(..., as_written=True)`) and lists every operation, on its evaluated
arguments, with the guard of the Piecewise branch that computes it: a branch's value is
computed only where its condition holds and no earlier one does, a condition only where no
earlier one holds. `restrict_pieces` makes each piece undefined wherever one of those
operations is not a finite real, unless the piece's own expression contains that very
operation (its own domain then already requires it).

Why the evaluated form may stand for the written one on what is left: sympy's automatic
evaluation is an identity of complex functions wherever both sides are defined, and where every
written sub-term is a finite real the written value is that real, so both sides agree there.

What it does not guarantee: a condition that has no exact solution raises Undecided, and an And
or Or in a condition is not short-circuited (each of its sub-terms must be defined).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.logic.boolalg import Boolean, BooleanAtom

from verifier.analysis.domain import (defined_wherever_its_arguments_are, definedness_condition,
                                      expression_domain)
from verifier.analysis.pieces import Piece, split_part
from verifier.analysis.line_sets import difference, union
from verifier.analysis.sets import complement, components, condition_set, intersection, set_text
from verifier.analysis.undecided import Undecided


@dataclass(frozen=True)
class Need:
    """One operation of the written tree (its arguments evaluated) and where it is computed."""

    operation: sp.Basic
    guard: sp.Set


def written_needs(written: sp.Expr, x: sp.Symbol) -> list[Need]:
    """The operations of the written formula that may be undefined somewhere (raises
    Undecided when a Piecewise condition cannot be solved)."""
    walk = _Walk(x)
    walk.value(written, sp.S.Reals, wanted=False)
    return list(dict.fromkeys(walk.needs))


class _Walk:
    """Evaluates the written tree bottom-up only where a value is used: by an operation
    that may be undefined (its need names it on evaluated arguments) or by a Piecewise
    condition. A tree of sums, products and total functions (max(cosh(x), tanh(x))) needs
    nothing, and sympy's evaluation of Max alone costs milliseconds."""

    def __init__(self, x: sp.Symbol) -> None:
        self.x = x
        self.needs: list[Need] = []

    def value(self, node: sp.Basic, guard: sp.Set, *, wanted: bool = True) -> sp.Basic | None:
        """The evaluated form of `node` (None when not `wanted`), recording its operations
        where `guard` holds."""
        if self.x not in node.free_symbols or node == self.x:
            return node   # constants were evaluated and checked finite by the parser
        if isinstance(node, sp.Piecewise):
            return self.piecewise(node, guard, wanted)
        needs_arguments = not defined_wherever_its_arguments_are(node)
        args = [self.value(arg, guard, wanted=wanted or needs_arguments) for arg in node.args]
        if needs_arguments:
            self.needs.append(Need(node.func(*args, evaluate=False), guard))
        return node.func(*args) if wanted else None

    def piecewise(self, node: sp.Piecewise, guard: sp.Set, wanted: bool) -> sp.Basic | None:
        remaining, branches = guard, []
        for value, condition in node.args:
            if remaining is sp.S.EmptySet:
                break
            evaluated = self.condition(condition, remaining)
            taken = intersection(remaining, condition_set(evaluated, self.x))
            branches.append((self.value(value, taken, wanted=wanted), evaluated))
            remaining = difference(remaining, taken)
        if not wanted:
            return None
        return sp.Piecewise(*branches) if branches else sp.nan

    def condition(self, condition: Boolean, guard: sp.Set) -> Boolean:
        if isinstance(condition, BooleanAtom) or condition in (True, False):
            return condition
        if isinstance(condition, sp.core.relational.Relational):
            return condition.func(self.value(condition.lhs, guard),
                                  self.value(condition.rhs, guard))
        return condition.func(*(self.condition(c, guard) for c in condition.args))


def restrict_pieces(pieces: list[Piece], needs: list[Need],
                    x: sp.Symbol) -> tuple[list[Piece], sp.Set, list[str]]:
    """The pieces made undefined (value nan) wherever a need fails and the piece's own
    expression does not carry it; the set this removed from where the pieces' expressions
    are defined, and one evidence line per need that removed something (raises Undecided)."""
    removed: sp.Set = sp.S.EmptySet
    steps: list[str] = []
    for need in needs:
        bare = [p for p in pieces if p.expr is not sp.nan and not p.expr.has(need.operation)
                and intersection(p.where, need.guard) is not sp.S.EmptySet]
        if not bare:
            continue
        needed, step = definedness_condition(need.operation, x)
        failing = intersection(need.guard, complement(needed))
        cut_here: sp.Set = sp.S.EmptySet
        for piece in bare:
            outside = intersection(piece.where, failing, expression_domain(piece.expr, x))
            parts = components(outside)
            if parts == []:
                continue
            kept = components(difference(piece.where, outside))
            if parts is None or kept is None:
                raise Undecided(f"where the written form of {piece.expr} is undefined is not a "
                                f"finite union of intervals: {outside}")
            pieces = [p for p in pieces if p is not piece]
            pieces += [q for part in kept for q in split_part(part, piece.expr)]
            pieces += [Piece(q.where, sp.nan) for part in parts for q in split_part(part, sp.nan)]
            cut_here = union(cut_here, outside)
        if cut_here is not sp.S.EmptySet:
            removed = union(removed, cut_here)
            where = "" if need.guard == sp.S.Reals else f"where x in {set_text(need.guard)}, "
            steps.append(f"as written, {where}{step}")
    return sorted(pieces, key=Piece.sort_key), removed, steps
