"""One activation's shared analysis: pieces, domain and derivatives, computed once.

f is the formula as written (`written`, see verifier.analysis.written); the analysis works on
sympy's evaluated form `expr`, and only where every written sub-term is defined: the pieces are
cut there (an undefined part is a piece of value nan), so everything built on them, the domain
first, sees the written function.

Properties read what they need from the context; each item is computed on first use and its
outcome (value or Undecided) is kept, so two properties never repeat the same sympy work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import sympy as sp

from verifier.analysis.arb.certified import enclose, exact_ball
from verifier.analysis.derivatives import derivative
from verifier.analysis.domain import Domain, compute_domain
from verifier.analysis.pieces import Piece, piecewise_normal_form
from verifier.analysis.points import candidate_points
from verifier.analysis.pointwise import exact_value, exact_value_is_defined
from verifier.analysis.sets import set_text
from verifier.analysis.shape import Shape, analyse_shape
from verifier.analysis.smoothness import Smoothness, analyse_family, analyse_points
from verifier.analysis.steps import StepFamily, step_family
from verifier.analysis.undecided import Undecided
from verifier.analysis.written import restrict_pieces, written_needs

T = TypeVar("T")


class _Memo(Generic[T]):
    """A lazily computed item that remembers an Undecided outcome as well as a value."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._done = False
        self._value: T | None = None
        self._undecided: Undecided | None = None

    def get(self) -> T:
        if not self._done:
            try:
                self._value = self._compute()
            except Undecided as exc:
                self._undecided = exc
            self._done = True
        if self._undecided is not None:
            raise self._undecided
        return self._value  # type: ignore[return-value]


class AnalysisContext:
    """f, its variable, and the shared analysis items (each may raise Undecided)."""

    def __init__(self, expr: sp.Expr, x: sp.Symbol, *,
                 written: sp.Expr | None = None) -> None:
        self.expr = expr
        self.x = x
        # f as written (parse_expression(..., as_written=True, stable_shorthands=True)): what
        # floats compute, with the shorthands as the frameworks' stable implementations
        self.written = expr if written is None else written
        # given, it is cut to where every written sub-term is defined even when it equals the
        # evaluated tree (Heaviside(x)*log(x): the pieces make 0*log(x) left of 0 a 0)
        self._written_given = written is not None
        self._cut = _Memo(self._cut_pieces)
        self._domain = _Memo(self._compute_domain)
        self._family = _Memo(lambda: step_family(expr, x))
        self._smoothness = _Memo(self._analyse_smoothness)
        self._shapes = {order: _Memo(lambda order=order: self._analyse_shape(order))
                        for order in (1, 2)}
        self._period = _Memo(self._find_period)

    @property
    def pieces(self) -> list[Piece]:
        return self._cut.get()[0]

    def _cut_pieces(self) -> tuple[list[Piece], sp.Set, list[str]]:
        """The pieces of `expr` cut to the written domain, what was cut, and why."""
        pieces = piecewise_normal_form(self.expr, self.x)
        if not self._written_given:
            return pieces, sp.S.EmptySet, []
        return restrict_pieces(pieces, written_needs(self.written, self.x), self.x)

    def _compute_domain(self) -> Domain:
        domain = compute_domain(self.expr, self.x, self.pieces)
        _, removed, steps = self._cut.get()
        if removed is sp.S.EmptySet:
            return domain
        note = (f"sympy evaluates the written formula to {sp.sstr(self.expr)}; that form is "
                f"used only where every written sub-term is defined, which excludes "
                f"{set_text(removed)}")
        return Domain(domain.region, [*steps, note, *domain.steps])

    @property
    def domain(self) -> Domain:
        return self._domain.get()

    @property
    def family(self) -> StepFamily | None:
        """The floor/ceiling staircase of f, or None when f has no steps."""
        return self._family.get()

    @property
    def smoothness(self) -> Smoothness:
        """Continuity, one-sided derivatives and C^k order at every candidate point."""
        return self._smoothness.get()

    def _analyse_smoothness(self) -> Smoothness:
        if self.family is not None:
            return analyse_family(self.family, self.x)
        return analyse_points(candidate_points(self.written, self.x, self.pieces), self.x)

    def breakpoints(self) -> list[sp.Expr]:
        """The points where f may switch branch or lose smoothness (smoothness's candidate
        points); none when they are not decided."""
        try:
            return [point.point for point in self.smoothness.points]
        except Undecided:
            return []

    def shape(self, order: int) -> Shape:
        """Sign structures of f' (order 1) or f'' (order 2) on every analytic segment, decided
        everywhere (raises Undecided otherwise)."""
        shape = self._shapes[order].get()
        for segment, lo, hi in shape.undecided():
            raise Undecided(f"the sign of the derivative of {segment.expr} on "
                            f"({lo.text()}, {hi.text()}) was neither certified nor proved")
        return shape

    def partial_shape(self, order: int) -> Shape:
        """As shape(), but a tail where the sign is not decided is listed in
        `undecided()` instead of failing (for extremes that can bound it otherwise)."""
        return self._shapes[order].get()

    @property
    def period(self) -> sp.Expr | None:
        """The least period sympy proposes, if f(x + P) = f(x) is exactly shown; else None."""
        return self._period.get()

    def _find_period(self) -> sp.Expr | None:
        if len(self.pieces) != 1 or not self.expr.has(sp.sin, sp.cos, sp.tan):
            return None
        try:
            candidate = sp.periodicity(self.expr, self.x)
        except (NotImplementedError, ValueError, TypeError):
            return None
        if candidate is None or candidate.is_positive is not True:
            return None
        if sp.simplify(self.expr.subs(self.x, self.x + candidate) - self.expr) != 0:
            return None   # sympy's proposal is checked, never taken on trust
        return candidate

    def _analyse_shape(self, order: int) -> Shape:
        if self.family is not None:
            raise Undecided("floor/ceiling staircases are analysed as a family, not by shape")
        if self.period is not None:  # one period [0, P] holds every value of f and f'
            period = self.period
            pieces = [Piece(sp.Interval.open(0, period), self.expr)]
            ends = [(sp.Integer(0), self.expr.subs(self.x, 0)),
                    (period, self.expr.subs(self.x, period))]
            return analyse_shape(pieces, ends, self.x, order, partial=True)
        junctions = [(p.point, p.info.value) for p in self.smoothness.points]
        return analyse_shape(self.pieces, junctions, self.x, order, partial=True)

    def defined_at(self, point: sp.Expr) -> bool:
        """f as written is a finite real at the exact `point` (raises Undecided). A finite
        arb enclosure of the written formula at the point shows it (arb gives NaN, and the
        ball program raises, where an operation is undefined: 0*sqrt(-1), x**3/x**2 at 0,
        exp(log(0))); without one, the exact value decides."""
        try:
            enclose(self.written, self.x, exact_ball(point))
            return True
        except Undecided:
            return exact_value_is_defined(self.written, self.x, point)

    def value_at(self, point: sp.Expr) -> sp.Expr:
        """f(point) exactly, from the written formula (nan where it is undefined)."""
        return exact_value(self.written, self.x, point)

    def piece_at(self, point: sp.Expr) -> Piece | None:
        """The open-interval piece whose interior contains `point`, if any."""
        for piece in self.pieces:
            if not piece.is_point and piece.where.contains(point) is sp.true:
                return piece
        return None

    def piece_slope(self, point: sp.Expr) -> sp.Expr:
        """f' at a point inside a piece, from that piece's formula (the derivative of the whole
        expression carries DiracDelta terms from Heaviside and sign)."""
        piece = self.piece_at(point)
        return derivative(piece.expr if piece is not None else self.expr, self.x)

    def piece_lines(self, with_derivative: bool = False) -> list[str]:
        """The pieces of f for evidence, optionally with each open piece's derivative."""
        lines = []
        for piece in self.pieces:
            line = piece.text
            if with_derivative and not piece.is_point:
                line += f", f' = {sp.sstr(derivative(piece.expr, self.x))}"
            lines.append(f"piece {line}")
        return lines
