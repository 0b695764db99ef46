"""The sign-equivalent forms of a function u that branch and bound certifies boxes with
(verifier.analysis.boxes): u itself, u regrouped, u times exp(-+x), and, only when a box
needs them, u times exp(-+x) simplified in exponentials. Each is the same function times a
positive factor: same signs, same zeros, different cancellation in arb.

What it does not do: prove that a form helps; a form that decides no box only costs its
evaluations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sympy as sp

from verifier.analysis.arb.certified import tighten
from verifier.analysis.derivatives import derivative
from verifier.fresh import memo


@memo(16)
def sign_forms(u: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, ...]:
    """u, u collected in powers of x where that groups terms (x**3*(c*tanh(v) - c) + ...:
    the sum that cancels is then one term, which tighten rewrites), then u*exp(-+x) term by
    term (each term keeps its functions, so a tail term tanh(exp(x))*exp(-x) is a vanishing
    quotient)."""
    scales = (sp.exp(-x), sp.exp(x))
    collected = sp.collect(u, x)
    forms = [u, *([collected] if len(collected.args) < len(u.args) else []),
             *(sp.Add(*(term * scale for term in sp.Add.make_args(u))) for scale in scales)]
    return tuple(dict.fromkeys(forms))


@dataclass(frozen=True)
class SimplifiedForms:
    """u*exp(-+x) simplified in exponentials: more sign-equivalent forms, computed only when
    a box is not decided by the others (simplify took a tenth of the catalog's sign time and
    decides about 2% of its boxes). Kept: a structure that fails on its tails is asked again
    with `partial`."""

    u: sp.Expr
    x: sp.Symbol

    def __call__(self) -> tuple[sp.Expr, ...]:
        return _simplified_forms(self.u, self.x)


@memo(16)
def _simplified_forms(u: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, ...]:
    """Not simplified where the rewrite is complex (sin and cos in exponentials of i*x): arb
    encloses real functions only, so such a form would decide no box."""
    rewritten = ((u * scale).rewrite(sp.exp) for scale in (sp.exp(-x), sp.exp(x)))
    return tuple(dict.fromkeys(sp.simplify(form) for form in rewritten if not form.has(sp.I)))


class OverBudget(Exception):
    """A sweep stopped after its budget of box decisions: not an answer, a cue to try another
    way first (counted work, so the same on every machine)."""


class Forms(list):
    """(form, derivative) pairs, and the index of the form that decided the last box by its
    sign: neighbouring boxes are mostly decided by the same form, so it is tried first. A
    certified sign is the same record whichever form gives it, so the order never changes
    the result, only the number of failed evaluations. `widen` appends the later forms once,
    the first time a box needs them."""

    preferred = 0

    def __init__(self, forms: tuple[sp.Expr, ...], x: sp.Symbol,
                 later: Callable[[], tuple[sp.Expr, ...]] | None,
                 budget: int | None = None) -> None:
        super().__init__()
        self.x, self.later, self.forms = x, later, []
        self.budget, self.spent = budget, 0
        self._add(forms)

    def spend(self) -> None:
        """Count one box decision; raises OverBudget past the budget (a first, cheap try)."""
        self.spent += 1
        if self.budget is not None and self.spent > self.budget:
            raise OverBudget(f"more than {self.budget} box decisions")

    def _add(self, forms) -> None:
        for form in forms:
            if form not in self.forms:
                self.forms.append(form)
                self.append((tighten(form), tighten(derivative(form, self.x))))

    def each(self, *, later: bool = True) -> Iterator[tuple[int, tuple[sp.Expr, sp.Expr]]]:
        """(index, pair) for every pair, the later forms appended when the others run out
        (later=False: the forms at hand only)."""
        index = 0
        while index < len(self) or (later and self.widen()):
            yield index, self[index]
            index += 1

    def widen(self) -> bool:
        """Append the later forms (once); True if any were added."""
        later, self.later = self.later, None
        if later is None:
            return False
        before = len(self)
        self._add(later())
        return len(self) > before
