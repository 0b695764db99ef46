"""floor/ceiling as a family: f has infinitely many pieces, with breakpoints where the step
argument u = a*x + b crosses an integer k. Decided with a symbolic integer k, never by
enumerating.

Supported: one distinct floor(u) or ceiling(u) atom, u affine in x with a nonzero slope, in
an expression with no other Piecewise structure. Anything else raises Undecided.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from verifier.analysis.derivatives import derivative
from verifier.analysis.limits import is_exactly_zero, safe_simplify
from verifier.analysis.pointwise import recheck
from verifier.analysis.sets import point_between, value_json
from verifier.analysis.undecided import Undecided

K = sp.Symbol("k", integer=True)


@dataclass(frozen=True)
class StepFamily:
    """The jump points x_k (one per integer k) and the step-free expressions of f just left
    and just right of x_k (in x and k)."""

    atom: sp.Expr
    location: sp.Expr    # x_k as an expression in K
    left_expr: sp.Expr   # f on the step just left of x_k
    right_expr: sp.Expr  # f on the step just right of x_k
    value: sp.Expr       # f(x_k)

    @property
    def points(self) -> sp.Set:
        return sp.ImageSet(sp.Lambda(K, self.location), sp.S.Integers)

    def limit(self, side: str, x: sp.Symbol) -> sp.Expr:
        """lim f as x -> x_k from side "-" or "+" (the step expressions are analytic)."""
        expr = self.left_expr if side == "-" else self.right_expr
        return sp.simplify(expr.subs(x, self.location))

    def jump(self, x: sp.Symbol) -> sp.Expr:
        return sp.simplify(self.limit("+", x) - self.limit("-", x))

    def flat(self, x: sp.Symbol) -> bool:
        """f is constant between steps: f' with the step atom frozen (at any k) is 0. Not
        the case for x + floor(x), whose steps have slope 1."""
        return is_exactly_zero(safe_simplify(derivative(self.right_expr, x)))


def step_family(expr: sp.Expr, x: sp.Symbol) -> StepFamily | None:
    """The family of `expr`, None when it has no floor/ceiling (raises Undecided)."""
    atoms = expr.atoms(sp.floor, sp.ceiling)
    if not atoms:
        return None
    if len(atoms) > 1 or expr.has(sp.Piecewise, sp.Max, sp.Min, sp.Abs, sp.sign, sp.Heaviside):
        raise Undecided("only one floor/ceiling of an affine argument, alone, is analysed")
    (atom,) = atoms
    u = atom.args[0]
    slope = derivative(u, x)
    if x in slope.free_symbols or not slope.is_nonzero or not slope.is_real:
        raise Undecided(f"the argument of {atom} is not affine with a nonzero real slope")
    location = sp.simplify((K - u.subs(x, 0)) / slope)
    # just below / above u = k, floor is k-1 / k and ceiling is k / k+1
    below, above = (K - 1, K) if isinstance(atom, sp.floor) else (K, K + 1)
    left_atom, right_atom = (below, above) if slope.is_positive else (above, below)
    return StepFamily(atom=atom, location=location, left_expr=expr.subs(atom, left_atom),
                      right_expr=expr.subs(atom, right_atom),
                      value=sp.simplify(expr.subs(atom, K).subs(x, location)))


@dataclass(frozen=True)
class FlatSteps:
    """f' = 0 on every open interval between the steps of a flat staircase (floor(x),
    3*ceiling(2*x - 1)): the evidence line, the dead zones in words, and a witness inside one
    interval with f' re-checked there. Says nothing about f at the steps themselves."""

    evidence: str
    zones: str
    witness: dict


def flat_steps(family: StepFamily, expr: sp.Expr, x: sp.Symbol) -> FlatSteps:
    """The flat staircase of `expr` (raises Undecided when f' between steps is not 0)."""
    first, second = (family.location.subs(K, k) for k in (0, 1))
    inside = point_between(*sorted((first, second), key=float))
    zones = (f"every open interval between consecutive points of {{{family.location} : k "
             f"integer}}")
    if not family.flat(x):
        raise Undecided(f"between the steps of {family.atom}, f' is not 0")
    local = expr.xreplace({family.atom: family.atom.subs(x, inside)})
    return FlatSteps(
        evidence=f"{family.atom} is constant between its steps x = {family.location}, and f' "
                 f"with it frozen is 0: f' = 0 there",
        zones=zones,
        witness={"x": value_json(inside), "derivative": "0",
                 "recheck": recheck(derivative(local, x), x, inside)})
