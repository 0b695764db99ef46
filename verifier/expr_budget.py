"""The parser's budgets: how long, how deep and how big an untrusted expression may be, and
which constants are no finite reals. Checked before anything expensive is built.

What they do not bound: the time an analysis takes (the engine's limits do).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import sympy as sp

from verifier.errors import ExpressionError

MAX_CHARS = 2000
MAX_DEPTH = 50
MAX_DIGITS = 100  # decimal digits of any exact constant (SELU needs 32; sympy misjudges huge ones)
MAX_SYMBOLIC_EXPONENT = 1000  # |n| in u**n when u depends on the variable (combined, too)
MAX_MAGNITUDE_DIGITS = 1000   # |c| < 10**1000 for any constant sub-result before it is used
_MAGNITUDE_LIMIT = sp.Float(10) ** MAX_MAGNITUDE_DIGITS
MAX_MINMAX_ARGS = 16          # arguments of one Max/Min once nested ones are merged
NOT_REAL = {sp.I: "the imaginary unit", sp.zoo: "a division by zero or log(0)",
            sp.nan: "an undefined 0/0", sp.oo: "infinity", -sp.oo: "infinity"}


def is_complex(value: sp.Basic) -> bool:
    """A constant that is certainly not real: sympy says so, or (where it cannot tell, as
    for sin(10)**pi) its imaginary part is far from rounding noise at 30 digits."""
    if not value.is_number or value.is_extended_real:
        return False
    if value.is_extended_real is False:
        return True
    real, imaginary = value.evalf(30).as_real_imag()
    return bool(abs(imaginary) > 1e-20 * (1 + abs(real)))


def check_bracket_depth(text: str) -> None:
    depth = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError(f"nesting deeper than {MAX_DEPTH}", column=index + 1,
                                      token=char, text=text)
        elif char in ")]}":
            depth -= 1


def chain_family(node: ast.AST) -> str | None:
    """"sum" for a + or - node, "product" for a * node: `a + b - c` is one flat chain to a
    reader (Python nests it to the left); a division starts a new level."""
    if not isinstance(node, ast.BinOp):
        return None
    if isinstance(node.op, (ast.Add, ast.Sub)):
        return "sum"
    return "product" if isinstance(node.op, ast.Mult) else None


def check_tree_depth(root: ast.AST, text: str, lead: int) -> None:
    """Nesting as a reader counts it: every call, bracket and operator is a level, except
    that the terms of one flat sum or product share a level."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"nesting deeper than {MAX_DEPTH}",
                                  column=getattr(node, "col_offset", 0) + lead + 1, text=text)
        family = chain_family(node)
        for child in ast.iter_child_nodes(node):
            same = family is not None and child is node.left and chain_family(child) == family
            stack.append((child, depth if same else depth + 1))


def check_magnitude(value: sp.Basic, fail: Callable[[str], Exception]) -> None:
    """Refuse a constant sub-result beyond 10**MAX_MAGNITUDE_DIGITS before anything uses it:
    sympy evaluates floor(exp(10**6)) or exp(exp(100)) exactly, for minutes. Estimated at 15
    digits (each argument already passed this check, so the estimate is cheap)."""
    if isinstance(value, sp.Rational) or not isinstance(value, sp.Expr) or not value.is_number:
        return
    try:
        estimate = value.evalf(15)
        huge = estimate.is_Float and bool(abs(estimate) >= _MAGNITUDE_LIMIT)
    except Exception:  # noqa: BLE001 - sympy raises many kinds: no estimate, no use
        raise fail("constant cannot be estimated") from None
    if huge:
        raise fail(f"constant is larger than 10^{MAX_MAGNITUDE_DIGITS} in magnitude")


def check_exponents(value: sp.Basic, fail: Callable[[str], Exception], vetted: set[int]) -> None:
    """Refuse u**n with |n| > MAX_SYMBOLIC_EXPONENT anywhere sympy combined exponents the
    text kept apart: ((x+1)**1000)**1000 is (x + 1)**1000000, x**600*x**600 is x**1200, and
    Piecewise((u**999, c), ...)**2 puts u**1998 inside a branch. `vetted` holds the ids of
    sub-terms already looked at (kept alive by the caller), so each node is walked once."""
    stack = [value]
    while stack:
        term = stack.pop()
        if id(term) in vetted:
            continue
        vetted.add(id(term))
        if isinstance(term, sp.Pow) and isinstance(term.exp, sp.Rational) and \
                not term.base.is_number and abs(term.exp) > MAX_SYMBOLIC_EXPONENT:
            raise fail(f"the combined exponent {short(abs(term.exp))} is too large "
                       f"(limit {MAX_SYMBOLIC_EXPONENT})")
        stack.extend(term.args)


def digits(value: sp.Rational) -> int:
    """Decimal digits of the larger of numerator and denominator (>= 1)."""
    return len(str(max(abs(int(value.p)), int(value.q))))  # exact: at most ~2*MAX_DIGITS


def short(number: sp.Rational | int) -> str:
    value = int(number)
    text = str(value)
    return text if len(text) <= 12 else f"10^{len(text) - 1}"
