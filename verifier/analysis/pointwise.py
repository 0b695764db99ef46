"""Values of f at single points: exactly (sympy) and at 50 digits (mpmath via evalf).

The exact evaluation is the proof for a point claim; the 50-digit evaluation at a float
approximation of the point is the independent high-precision re-check every witness gets.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from verifier.analysis.undecided import Undecided

RECHECK_DIGITS = 50


def exact_value(expr: sp.Expr, x: sp.Symbol, point: sp.Expr) -> sp.Expr:
    """f(point) exactly, the formula evaluated bottom-up as it stands: nan where any sub-term
    is not a finite real (0*sqrt(-1) is nan, not 0; a Piecewise evaluates only its taken
    branch), or where building a part fails (Min(exp(1), sqrt(-1)) raises "I is not
    comparable")."""
    try:
        return _bottom_up(expr, x, point)
    except (ValueError, TypeError):
        return sp.nan


def _bottom_up(node: sp.Basic, x: sp.Symbol, point: sp.Expr) -> sp.Basic:
    if x not in node.free_symbols:
        return node
    if node == x:
        return point
    if isinstance(node, sp.Piecewise):
        for value, condition in node.args:
            holds = _bottom_up(condition, x, point)
            if holds is sp.true:
                return _bottom_up(value, x, point)
            if holds is not sp.false:   # undecided, or a part of it undefined
                return sp.nan if holds is sp.nan else node.subs(x, point)
        return sp.nan
    args = [_bottom_up(arg, x, point) for arg in node.args]
    if any(arg is sp.nan or (isinstance(arg, sp.Expr) and is_finite_real(arg) is False)
           for arg in args):
        return sp.nan
    return node.func(*args)


def is_finite_real(value: sp.Expr) -> bool | None:
    """True/False when sympy can tell that a constant is a finite real number, else None."""
    if value is sp.nan or value.has(sp.zoo, sp.nan, sp.AccumBounds):
        return False  # AccumBounds: sympy's "somewhere in this range", e.g. atan(1/0)
    try:
        real, finite = value.is_extended_real, value.is_finite
    except (OverflowError, RecursionError):   # evalf of tanh(exp(1.8e308)) and the like
        return None
    if real is False or finite is False:
        return False
    if real and finite:
        return True
    return None


def exact_value_is_defined(expr: sp.Expr, x: sp.Symbol, point: sp.Expr) -> bool:
    verdict = is_finite_real(exact_value(expr, x, point))
    if verdict is None:
        raise Undecided(f"cannot tell whether f({point}) is a finite real number")
    return verdict


def recheck(expr: sp.Expr, x: sp.Symbol, point: sp.Expr) -> dict[str, str]:
    """Evaluate f at a 60-digit float of `point` to 50 digits; classify the outcome.

    Returns {"x": ..., "value": ..., "kind": finite|complex|infinite|nan|error|huge} where
    "huge" (|f| > 1e40) is what a pole at an irrational point looks like at finite precision.
    """
    approx = sp.Float(sp.N(point, RECHECK_DIGITS + 10), RECHECK_DIGITS + 10)
    with mpmath.workdps(RECHECK_DIGITS):
        try:
            value = exact_value(expr, x, approx).evalf(RECHECK_DIGITS)
        except (ArithmeticError, ValueError, TypeError) as exc:   # PrecisionExhausted too
            return {"x": sp.sstr(approx, full_prec=False), "value": type(exc).__name__,
                    "kind": "error"}
    return {"x": sp.sstr(sp.N(approx, 20)), "value": sp.sstr(sp.N(value, 20)),
            "kind": _kind(value)}


def _kind(value: sp.Expr) -> str:
    if value is sp.nan or value.has(sp.nan):
        return "nan"
    if value.has(sp.zoo, sp.oo, -sp.oo):
        return "infinite"
    if not value.is_number:
        return "error"
    real, imag = value.as_real_imag()
    if abs(sp.N(imag)) > 1e-40:
        return "complex"
    if abs(sp.N(real)) > 1e40:
        return "huge"
    return "finite"


def recheck_near(expr: sp.Expr, x: sp.Symbol, point: sp.Expr,
                 offsets: tuple[str, ...] = ("-1e-30", "0", "1e-30")) -> dict[str, str]:
    """f at point + offset for each offset, at 50 digits: how a jump or a kink looks."""
    centre = sp.N(point, RECHECK_DIGITS + 10)
    values = {}
    with mpmath.workdps(RECHECK_DIGITS):
        for offset in offsets:
            key = "f(x)" if offset == "0" else f"f(x{'' if offset[0] == '-' else '+'}{offset})"
            at = sp.Float(centre + sp.Float(offset, RECHECK_DIGITS + 10), RECHECK_DIGITS + 10)
            try:
                values[key] = sp.sstr(sp.N(exact_value(expr, x, at).evalf(RECHECK_DIGITS), 20))
            except (ArithmeticError, ValueError, TypeError) as exc:
                values[key] = type(exc).__name__
    return values
