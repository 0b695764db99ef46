"""nonlinear: f is not affine on its domain.

Why: a composition of affine layers is affine, so an affine activation makes a deep network
as expressive as one layer (the article's first point). Example: 2*x + 1 is refuted (slope 2,
intercept 1); relu is proved with piecewise_linear true; sigmoid is proved.

Method: proved by three points of the domain whose values, enclosed in certified arb balls,
are not on one line; refuted only by the exact proof that one affine function a*x + b (a and b
exact finite constants) equals f on every connected component of its domain: a piece is affine
when its formula is a polynomial of degree <= 1, or when f'' = 0 on it, and then a and b are read
from f and f' at an exact point of each component it is defined on (atan(x) + atan(1/x) has
f'' = 0 but is -pi/2 left of 0 and pi/2 right of it: not affine). Fact `piecewise_linear`:
every piece affine (true), some piece certifiably curved (false: three points of a box where
its formula is analytic are certified off one line, or else f'' is certified nonzero at a point
of it), or undecided (null). It does not say how far from affine f is: tiny
curvature still counts as nonlinear.
"""

from __future__ import annotations

from collections.abc import Iterator

import sympy as sp
from flint import arb

from verifier import notation
from verifier.analysis.arb.certified import certainly_nonzero, enclose, exact_ball
from verifier.analysis.context import AnalysisContext
from verifier.analysis.derivatives import derivative, second_derivative
from verifier.analysis.pieces import Piece, breakpoints, has_steps
from verifier.analysis.points import analytic_parts, fractional_power_bases
from verifier.analysis.pointwise import (exact_value, exact_value_is_defined, is_finite_real,
                                         recheck)
from verifier.analysis.sets import sample_points
from verifier.analysis.undecided import Undecided
from verifier.model import Method, PropertyResult, Verdict
from verifier.properties.registry import result, unknown

ID = "nonlinear"
_BASE_POINTS = [sp.Integer(n) for n in (0, 1, 2, -1, -2, 3, -3)] + [
    sp.Rational(1, 2), sp.Rational(-1, 2), sp.Rational(1, 3), sp.Integer(5), sp.Integer(-5),
    sp.Rational(7, 2), sp.Integer(10), sp.Integer(-10)]
_MAX_TRIPLES = 120
_BEND_WIDTHS = (sp.Rational(1, 4), sp.Rational(1, 64))   # half-widths of the boxes _bends tries
STEP = "step"  # a piece that is affine between integers of floor/ceiling (piecewise constant)
UNDEFINED = "undefined"   # a part where the written formula is undefined: not in the domain


def check(ctx: AnalysisContext) -> PropertyResult:
    evidence: list[str] = []
    try:
        pieces = ctx.pieces
        shapes = [_shape(piece, ctx.x) for piece in pieces if not piece.is_point]
        piecewise_linear = _piecewise_linear(shapes)
        evidence.append("pieces: " + "; ".join(p.text for p in pieces))
    except Undecided as exc:
        pieces, shapes, piecewise_linear = None, [], None
        evidence.append(f"piecewise normal form not available: {exc}")
    facts = {"piecewise_linear": piecewise_linear}
    affine = _common_affine(pieces, shapes, ctx.x) if pieces else None
    if affine is not None:
        return _refuted(ctx, affine, evidence, facts)
    proof = _three_points(ctx, pieces)
    if proof:
        return result(ID, Verdict.proved, Method.interval, evidence=evidence + proof,
                      facts=facts)
    return unknown(ID, "no certified non-collinear triple of points was found, and f was "
                       "not shown to be affine", evidence=evidence, facts=facts)


def _shape(piece: Piece, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | str | None:
    """(a, b) if the piece is exactly a*x + b wherever it is defined; STEP for floor/ceiling
    staircases of affine pieces; "curved" if f'' is certifiably nonzero inside; UNDEFINED for
    a part the written formula leaves undefined; None if undecided."""
    expr = piece.expr
    if expr is sp.nan:
        return UNDEFINED
    if has_steps(expr):
        steps = {atom: sp.Dummy() for atom in expr.atoms(sp.floor, sp.ceiling)}
        if all(_affine_coefficients(atom.args[0], x) for atom in steps):
            flattened = expr.xreplace(steps)
            return STEP if _affine_coefficients(flattened, x) else None
        return None
    coefficients = _affine_coefficients(expr, x)
    if coefficients:
        return coefficients
    if _bends(piece, x):
        return "curved"
    second = second_derivative(expr, x)
    for point in sample_points(piece.where, 6):
        try:
            if exact_value_is_defined(second, x, point) and certainly_nonzero(
                    enclose(second, x, exact_ball(point))):
                return "curved"
        except Undecided:
            continue
    if sp.simplify(second) == 0:
        return _line_on_every_component(piece, x)
    return None


def _bends(piece: Piece, x: sp.Symbol) -> bool:
    """True if three points a < b < c of one box [a, c] inside the piece have values certified
    off one line, where the piece's formula is analytic on the whole box: its enclosure over
    the box is finite (arb gives NaN, and the ball program raises, for a box holding a point
    outside an operation's domain, so the formula is defined there), and every base of a
    fractional power is certified nonzero on it (no cusp like |x| = sqrt(x**2 + x**4) /
    sqrt(1 + x**2) inside). The piece is then not affine on an interval where it is one
    analytic function. Cheaper than sympy's f'' (a few arb evaluations, no equation solved);
    False decides nothing."""
    where = piece.where
    if not isinstance(where, sp.Interval):
        return False
    bases = fractional_power_bases(piece.expr, x)   # other powers: analytic, or base > 0
    for middle in sample_points(where, 3):
        for half in _BEND_WIDTHS:
            a, c = middle - half, middle + half
            if (where.start < a) is not sp.true or (c < where.end) is not sp.true:
                continue
            box = exact_ball(a).union(exact_ball(c))
            try:
                enclose(piece.expr, x, box)
                if not all(certainly_nonzero(enclose(base, x, box)) for base in bases):
                    continue
                values = [enclose(piece.expr, x, exact_ball(p)) for p in (a, middle, c)]
            except Undecided:
                continue
            if certainly_nonzero(_slope_change((a, middle, c), values)):
                return True
    return False


def _slope_change(points: tuple[sp.Expr, sp.Expr, sp.Expr], values: list) -> arb:
    """Slope on [a, b] minus slope on [b, c], enclosed: 0 excluded means a bend."""
    (a, b, c), (fa, fb, fc) = points, values
    return (fb - fa) / exact_ball(b - a) - (fc - fb) / exact_ball(c - b)


def _line_on_every_component(piece: Piece, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """With f'' = 0 on the piece, f is affine on each interval where it is analytic; (a, b) if
    it is the same line on all of them (and through every point between them), else None."""
    try:
        parts = analytic_parts(piece, x)
    except Undecided:
        return None
    if not parts:
        return None
    slope = derivative(piece.expr, x)
    lines, points = [], []
    for part in parts:
        if isinstance(part, sp.FiniteSet):
            points.extend(part.args)
            continue
        at = next(sample_points(sp.Interval.open(part.start, part.end), 1), None)
        if at is None:
            return None
        a = sp.simplify(exact_value(slope, x, at))
        b = sp.simplify(exact_value(piece.expr, x, at) - a * at)
        if not all(is_finite_real(v) for v in (a, b)):
            return None
        lines.append((a, b))
    if not lines or any(not _same_line(lines[0], line) for line in lines[1:]):
        return None
    a, b = lines[0]
    if any(sp.simplify(exact_value(piece.expr, x, p) - (a * p + b)) != 0 for p in points):
        return None
    return a, b


def _same_line(one: tuple[sp.Expr, sp.Expr], other: tuple[sp.Expr, sp.Expr]) -> bool:
    return all(sp.simplify(p - q) == 0 for p, q in zip(one, other))


def _affine_coefficients(expr: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    try:
        poly = sp.Poly(expr, x)
    except sp.PolynomialError:
        return None
    if poly.degree() > 1 or any(x in c.free_symbols for c in poly.all_coeffs()):
        return None
    slope = poly.coeff_monomial(x)
    return slope, sp.expand(expr - slope * x)


def _piecewise_linear(shapes: list) -> bool | None:
    shapes = [shape for shape in shapes if shape != UNDEFINED]
    if any(shape == "curved" for shape in shapes):
        return False
    if shapes and all(shape is not None for shape in shapes):
        return True
    return None


def _common_affine(pieces: list[Piece], shapes: list, x: sp.Symbol):
    """(a, b) when every piece is exactly the same a*x + b wherever f is defined (points
    included), else None."""
    shapes = [shape for shape in shapes if shape != UNDEFINED]
    if not shapes or any(not isinstance(shape, tuple) for shape in shapes):
        return None
    if any(not _same_line(shapes[0], other) for other in shapes[1:]):
        return None
    slope, intercept = shapes[0]
    for piece in pieces:
        if piece.is_point and piece.expr is not sp.nan:
            (point,) = piece.where.args
            if not exact_value_is_defined(piece.expr, x, point):
                continue
            if sp.simplify(exact_value(piece.expr, x, point) - (slope * point + intercept)) != 0:
                return None
    return slope, intercept


def _refuted(ctx: AnalysisContext, affine, evidence: list[str], facts: dict) -> PropertyResult:
    slope, intercept = affine
    line = slope * ctx.x + intercept
    checks = []
    for point in (sp.Rational(-3, 2), sp.Rational(1, 4), sp.Integer(3)):
        try:
            if not ctx.defined_at(point):
                continue
        except Undecided:
            continue
        again = recheck(ctx.expr - line, ctx.x, point)
        checks.append({"x": sp.sstr(point), "f_minus_line": again["value"], "kind": again["kind"]})
    evidence.append(f"every piece is exactly {sp.sstr(line)}: f is affine on its domain")
    return result(ID, Verdict.refuted, Method.symbolic, evidence=evidence,
                  facts={**facts, "piecewise_linear": True},
                  witness={"slope": sp.sstr(slope), "intercept": sp.sstr(intercept),
                           "recheck": checks})


def _three_points(ctx: AnalysisContext, pieces: list[Piece] | None) -> list[str] | None:
    """Evidence lines if three certified non-collinear points of f are found."""
    candidates = list(_BASE_POINTS)
    for point in breakpoints(pieces) if pieces else []:
        candidates += [point - 1, point - sp.Rational(1, 2), point + sp.Rational(1, 2), point + 1]
    values = {}

    def defined_near_zero_first() -> Iterator[sp.Expr]:
        for point in sorted(dict.fromkeys(candidates), key=lambda p: (abs(float(p)), float(p))):
            try:
                if not ctx.defined_at(point):
                    continue
                values[point] = enclose(ctx.expr, ctx.x, exact_ball(point))
            except Undecided:
                continue
            yield point
    for count, triple in enumerate(_triples(defined_near_zero_first())):
        if count >= _MAX_TRIPLES:
            break
        a, b, c = sorted(triple, key=float)
        fa, fb, fc = values[a], values[b], values[c]
        gap = _slope_change((a, b, c), [fa, fb, fc])
        if certainly_nonzero(gap):
            return [f"f({notation.number(p)}) = {notation.ball(v, enclosure=True)}"
                    for p, v in ((a, fa), (b, fb), (c, fc))] + [
                f"slope on [{a}, {b}] minus slope on [{b}, {c}] is "
                f"{notation.ball(gap, enclosure=True)}, which "
                f"excludes 0: the three points are not on one line, so f is not affine"]
    return None


def _triples(points: Iterator[sp.Expr]) -> Iterator[tuple[sp.Expr, sp.Expr, sp.Expr]]:
    """itertools.combinations(points, 3), in its order, drawing each point only when a
    triple first needs it: the first triple usually decides, and each point costs exact
    arithmetic (is f defined there, its certified value)."""
    seen: list[sp.Expr] = []

    def has(index: int) -> bool:
        while len(seen) <= index:
            point = next(points, None)
            if point is None:
                return False
            seen.append(point)
        return True
    i = 0
    while has(i + 2):
        j = i + 1
        while has(j + 1):
            k = j + 1
            while has(k):
                yield seen[i], seen[j], seen[k]
                k += 1
            j += 1
        i += 1
