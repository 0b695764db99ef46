"""One-sided limits and exact comparisons of values, deciding or raising Undecided.

Every vocabulary function except floor/ceiling is continuous on its own domain, so where a
Piecewise-free expression is defined at p, its limit from a side on which it is defined is its
exact value there. sympy's `limit` (gruntz) is used only where the expression is undefined at
p, and an answer that is not a real number or +-oo (AccumBounds, zoo, an unevaluated Limit) is
Undecided.
"""

from __future__ import annotations


import sympy as sp
from sympy.core.function import PoleError
from sympy.series.gruntz import gruntz

from verifier.analysis.arb.certified import constant_certainly_nonzero, exact_ball
from verifier.analysis.pointwise import exact_value_is_defined
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo

INFINITIES = (sp.oo, -sp.oo)
_HUGE_DIGITS = 40


def has_huge_numbers(value: sp.Expr) -> bool:
    """Numbers past 40 digits (the float64 cut 1.8e308 is one): sympy's evalf underflows
    exp(-1.8e308) to 0, and simplify leans on evalf, so it must not see them."""
    return any(len(str(abs(int(n.p)))) > _HUGE_DIGITS or len(str(int(n.q))) > _HUGE_DIGITS
               for n in value.atoms(sp.Rational))


# a rational past this beside a log: simplify may raise the log's argument to its power
_LOG_COEFFICIENT = 2**10


def _simplify_may_explode(value: sp.Expr) -> bool:
    """Numbers past 40 digits (has_huge_numbers), or a log beside a rational past 2**10:
    simplify brings a sum over one denominator and its logcombine writes c*log(a) as
    log(a**c), so 1/(log(2) + 1/10000000) asks for log(2**10000000) and did not end."""
    return has_huge_numbers(value) or (value.has(sp.log) and any(
        abs(int(n.p)) > _LOG_COEFFICIENT or int(n.q) > _LOG_COEFFICIENT
        for n in value.atoms(sp.Rational)))


def safe_simplify(value: sp.Expr) -> sp.Expr:
    """sympy's simplify, or the value as it is where simplify may not end or may evaluate
    numerically (_simplify_may_explode)."""
    return value if _simplify_may_explode(value) else sp.simplify(value)


def is_exactly_zero(value: sp.Expr) -> bool:
    """True only when value is provably 0. False when it is not, or that cannot be shown.

    With numbers past 40 digits only a literal 0 counts: sympy's is_zero, like simplify,
    evaluates exp(-1.8e308) numerically, underflows, and calls the tiny number 0."""
    if value == 0:
        return True
    if has_huge_numbers(value):
        return False
    if value.is_zero is not None:
        return bool(value.is_zero)
    if not value.free_symbols and constant_certainly_nonzero(value):
        return False
    return not _simplify_may_explode(value) and sp.simplify(value) == 0


# functions gruntz handles at +oo once hyperbolics are written with exp; no oscillating or
# piecewise function (sin, floor, Abs, Max, ...) takes the short way
_HYPERBOLIC = (sp.tanh, sp.sinh, sp.cosh, sp.sech, sp.csch, sp.coth)
_AT_INFINITY = (sp.exp, sp.log, sp.erf, sp.erfc, sp.atan, sp.asinh, sp.acosh) + _HYPERBOLIC


@memo(1024)
def limit(expr: sp.Expr, x: sp.Symbol, point: sp.Expr, direction: str = "+") -> sp.Expr:
    """sympy's limit, kept per (expr, point, side): bounded, lipschitz, no_vanishing_gradient
    and the sign tails ask for the same limits of f and f' at +-oo (a quarter of the
    catalog's limit time was repeats). A limit that raises is not kept: it raises again when
    asked again.

    At +-oo, an expression of exp, log, erf, atan and the hyperbolics goes straight to
    gruntz's algorithm (the one sympy's limit ends in) with the hyperbolics written as exp
    and x = +-y for a positive y: the same answer without limit()'s series heuristics,
    which took 2-3 s a limit for GELU's f'. Anything else, or a gruntz failure, takes
    sympy's limit."""
    if point in INFINITIES:
        value = _gruntz_at_infinity(expr, x, point)
        if value is not None:
            return value
    return sp.limit(expr, x, point, direction)


def _gruntz_at_infinity(expr: sp.Expr, x: sp.Symbol, point: sp.Expr) -> sp.Expr | None:
    if any(not isinstance(f, _AT_INFINITY) for f in expr.atoms(sp.Function)) \
            or expr.has(sp.Float):
        return None
    y = sp.Dummy("y", positive=True)
    toward = expr.subs(x, y if point == sp.oo else -y).rewrite(_HYPERBOLIC, sp.exp)
    try:
        value = gruntz(toward, y, sp.oo)
    except (NotImplementedError, ValueError, TypeError, PoleError, RecursionError):
        return None
    if value in INFINITIES or (value.is_number and value.is_extended_real
                               and value.is_finite):
        return value
    return None


def side_limit(expr: sp.Expr, x: sp.Symbol, point: sp.Expr, direction: str) -> sp.Expr:
    """lim expr as x -> point from `direction` ("-" or "+"): a real number, oo or -oo.

    The caller guarantees that expr is Piecewise- and step-free and defined on that side."""
    try:
        if exact_value_is_defined(expr, x, point):
            return safe_simplify(expr.subs(x, point))
    except Undecided:
        pass
    try:
        value = limit(expr, x, point, direction)
    except (NotImplementedError, ValueError, TypeError, RecursionError) as exc:
        raise Undecided(f"limit of {expr} at {point}{direction} failed: {type(exc).__name__}") \
            from None
    if value in INFINITIES:
        return value
    if value.is_number and value.is_extended_real and value.is_finite:
        return value
    raise Undecided(f"limit of {expr} at {point}{direction} is not decided ({value})")


def same_value(a: sp.Expr, b: sp.Expr) -> bool:
    """Exact equality of two real numbers or infinities (raises Undecided)."""
    if a in INFINITIES or b in INFINITIES:
        return a == b
    difference = a - b
    if constant_certainly_nonzero(difference):
        return False
    if is_exactly_zero(difference):
        return True
    raise Undecided(f"cannot decide whether {a} = {b}")


def sign_of(value: sp.Expr) -> int:
    """-1, 0 or 1 for an exact real number or infinity (raises Undecided)."""
    if value == sp.oo:
        return 1
    if value == -sp.oo:
        return -1
    if same_value(value, sp.Integer(0)):
        return 0
    return 1 if exact_ball(value) > 0 else -1


def is_finite_number(value: sp.Expr) -> bool:
    return value not in INFINITIES
