"""The real domain of f: the set of real x where f(x) is a finite real number.

Built from the piecewise normal form: on each piece, the smooth expression's definedness
conditions are collected bottom-up (log needs u > 0, sqrt u >= 0, 1/u needs u != 0, tan needs
cos(u) != 0, ...) and solved exactly; isolated points are evaluated exactly. Each step is
recorded as evidence.

What it does not guarantee: exactness when a condition has no explicit solution or a power has
a non-constant exponent on a base that may be <= 0; those raise Undecided rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from verifier.analysis.line_sets import union
from verifier.analysis.pieces import Piece, piecewise_normal_form
from verifier.analysis.pointwise import exact_value_is_defined
from verifier.analysis.sets import components, intersection, set_text, sign_set
from verifier.analysis.undecided import Undecided, kept
from verifier.vocabulary import Phi, expm1, log1p, sigmoid, softplus

# functions defined and finite at every real argument
_TOTAL = (sp.exp, sp.sin, sp.cos, sp.tanh, sp.sinh, sp.cosh, sp.atan, sp.asinh, sp.erf,
          sp.erfc, sp.Abs, sp.sign, sp.floor, sp.ceiling, sp.Heaviside, sp.Max, sp.Min,
          sigmoid, softplus, Phi, expm1)


@dataclass
class Domain:
    """The domain as an exact sympy set, with the steps that derived it."""

    region: sp.Set
    steps: list[str] = field(default_factory=list)


def compute_domain(expr: sp.Expr, x: sp.Symbol,
                   pieces: list[Piece] | None = None) -> Domain:
    """The exact domain of `expr` (raises Undecided)."""
    pieces = piecewise_normal_form(expr, x) if pieces is None else pieces
    collector = _Conditions(x)
    region: sp.Set = sp.S.EmptySet
    for piece in pieces:
        if piece.expr is sp.nan:
            continue   # cut by the written formula's conditions (verifier.analysis.written)
        if piece.is_point:
            (point,) = piece.where.args
            if exact_value_is_defined(piece.expr, x, point):
                region = union(region, piece.where)
            else:
                collector.steps.append(f"at x = {point}: f = {sp.sstr(piece.expr.subs(x, point))}"
                                       f", not a finite real number")
        else:
            collector.steps.extend(_domain_and_steps(piece.expr, x)[1])
            region = union(region, piece_domain(piece, x))
    if len(pieces) > 1:
        collector.steps.insert(0, "pieces: " + "; ".join(p.text for p in pieces))
    return Domain(region, list(dict.fromkeys(collector.steps)))


def expression_domain(expr: sp.Expr, x: sp.Symbol) -> sp.Set:
    """Where a Piecewise-free expression is a finite real number (raises Undecided)."""
    return _domain_and_steps(expr, x)[0]


@kept(maxsize=2048)
def _domain_and_steps(expr: sp.Expr, x: sp.Symbol) -> tuple[sp.Set, tuple[str, ...]]:
    """The domain of a Piecewise-free expression and how it was derived, kept: the domain
    property, the written cut, the candidate points, the shape and two properties ask for
    the same pieces' domains (5 of every 6 requests of a search batch were repeats)."""
    collector = _Conditions(x)
    region = collector.domain_of(expr)
    return region, tuple(collector.steps)


@kept(maxsize=2048)
def piece_domain(piece: Piece, x: sp.Symbol) -> sp.Set:
    """Where an open piece's formula is defined, within the piece (kept: the domain and
    the analytic parts ask for the same intersection, which sympy's sets take tens of
    milliseconds to simplify where a condition is periodic)."""
    return intersection(piece.where, expression_domain(piece.expr, x))


@kept(maxsize=2048)
def defined_parts(piece: Piece, x: sp.Symbol) -> tuple[sp.Set, ...]:
    """The intervals and points of an open piece where its formula is defined, sorted
    (raises Undecided when they are not a finite union)."""
    parts = components(piece_domain(piece, x))
    if parts is None:
        raise Undecided(f"the domain of {piece.expr} on {set_text(piece.where)} is not a "
                        f"finite union of intervals")
    return tuple(parts)


def definedness_condition(operation: sp.Basic, x: sp.Symbol) -> tuple[sp.Set, str]:
    """Where one operation (its arguments given, assumed defined) is a finite real, and the
    evidence line (raises Undecided)."""
    collector = _Conditions(x)
    region = collector.own_condition(operation)
    return region, "; ".join(collector.steps)


def defined_wherever_its_arguments_are(operation: sp.Basic) -> bool:
    """A sum, a product, a non-negative integer power or a function defined and finite at
    every real argument (exp, sin, Max, ...): such an operation is never what makes a formula
    undefined. (False says nothing: log, 1/u, sqrt, tan and the rest have conditions.)"""
    if isinstance(operation, sp.Pow):
        return bool(operation.exp.is_Integer and operation.exp >= 0)
    return isinstance(operation, (sp.Add, sp.Mul, *_TOTAL))


class _Conditions:
    """Collects where a Piecewise-free expression is a finite real number."""

    def __init__(self, x: sp.Symbol) -> None:
        self.x = x
        self.steps: list[str] = []

    def domain_of(self, expr: sp.Expr) -> sp.Set:
        if self.x not in expr.free_symbols:
            if expr.is_extended_real and expr.is_finite:
                return sp.S.Reals
            if expr.is_extended_real is False or expr.is_finite is False or expr is sp.nan:
                self.steps.append(f"the constant {sp.sstr(expr)} is not a finite real number")
                return sp.S.EmptySet
            raise Undecided(f"cannot tell whether the constant {expr} is real and finite")
        if expr == self.x:
            return sp.S.Reals
        inner = intersection(*(self.domain_of(arg) for arg in expr.args))
        return intersection(inner, self.own_condition(expr))

    def own_condition(self, expr: sp.Expr) -> sp.Set:
        """The set where this node is defined, given that its arguments are."""
        if defined_wherever_its_arguments_are(expr):
            return sp.S.Reals
        if isinstance(expr, sp.log):
            return self.require(expr.args[0], sp.Gt, f"log({expr.args[0]}) needs")
        if isinstance(expr, log1p):
            return self.require(1 + expr.args[0], sp.Gt, f"log1p({expr.args[0]}) needs")
        if isinstance(expr, sp.tan):
            return self.require(sp.cos(expr.args[0]), sp.Ne, f"{expr} needs")
        if isinstance(expr, sp.Pow):
            return self.power_condition(expr)
        raise Undecided(f"no definedness rule for {type(expr).__name__}")

    def power_condition(self, expr: sp.Pow) -> sp.Set:
        base, exponent = expr.args
        if self.x not in exponent.free_symbols and exponent.is_Rational:
            if exponent.is_integer:
                if exponent.is_nonnegative:
                    return sp.S.Reals
                return self.require(base, sp.Ne, f"{expr} needs")
            if exponent.is_positive:
                return self.require(base, sp.Ge, f"{expr} needs")
            return self.require(base, sp.Gt, f"{expr} needs")
        if self.x not in base.free_symbols and base.is_positive:
            return sp.S.Reals
        raise Undecided(f"{expr}: a power with a variable exponent on a base that may be <= 0")

    def require(self, quantity: sp.Expr, relation: type, label: str) -> sp.Set:
        symbol = {sp.Gt: ">", sp.Ge: ">=", sp.Ne: "!="}[relation]
        if self.known_everywhere(quantity, relation):
            self.steps.append(f"{label} {sp.sstr(quantity)} {symbol} 0: holds for every real x")
            return sp.S.Reals
        solved = sign_set(quantity, relation, self.x)
        self.steps.append(f"{label} {sp.sstr(quantity)} {symbol} 0: x in {set_text(solved)}")
        return solved

    def known_everywhere(self, quantity: sp.Expr, relation: type) -> bool:
        """sympy's assumption system proves the sign for every real x (cheap, exact)."""
        if relation is sp.Gt:
            return quantity.is_positive is True
        if relation is sp.Ge:
            return quantity.is_nonnegative is True
        return quantity.is_zero is False and quantity.is_finite is True
