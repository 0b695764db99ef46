"""The parser's budgets: how long, how deep and how big an untrusted expression may be, and
which constants are no finite reals. Checked before anything expensive is built.

What they do not bound: the time an analysis takes (the engine's limits do).
"""

from __future__ import annotations

import ast

import sympy as sp

from verifier.errors import ExpressionError

MAX_CHARS = 2000
MAX_DEPTH = 50
MAX_DIGITS = 100  # decimal digits of any exact constant (SELU needs 32; sympy misjudges huge ones)
MAX_SYMBOLIC_EXPONENT = 1000  # |n| in u**n when u depends on the variable
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


def check_tree_depth(root: ast.AST, text: str, lead: int) -> None:
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"nesting deeper than {MAX_DEPTH}",
                                  column=getattr(node, "col_offset", 0) + lead + 1, text=text)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def digits(value: sp.Rational) -> int:
    """Decimal digits of the larger of numerator and denominator (>= 1)."""
    return len(str(max(abs(int(value.p)), int(value.q))))  # exact: at most ~2*MAX_DIGITS


def short(number: sp.Rational | int) -> str:
    value = int(number)
    text = str(value)
    return text if len(text) <= 12 else f"10^{len(text) - 1}"
