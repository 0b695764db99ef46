"""Activation-search candidate files: the space b(u1(x), u2(x)) of Ramachandran et al. (2017),
written as a function file for `actverify check --rules search`.

Unary functions are expressions in x, binary ones in x1 and x2; a candidate substitutes
u1(x) for x1 and u2(x) for x2 as text, in parentheses. The texts stay untrusted: the file is
parsed by the safe parser when it is checked, like any other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from verifier.errors import InputError

UNARY = ("x", "-x", "abs(x)", "x**2", "x**3", "sqrt(x)", "exp(x)", "exp(-x)", "exp(-x**2)",
         "log(1 + exp(x))", "sin(x)", "cos(x)", "sinh(x)", "cosh(x)", "tanh(x)", "asinh(x)",
         "atan(x)", "max(x, 0)", "min(x, 0)", "sigmoid(x)", "erf(x)", "0", "1")
BINARY = ("x1 + x2", "x1 * x2", "x1 - x2", "x1 / (x2 + 1e-7)", "max(x1, x2)", "min(x1, x2)",
          "sigmoid(x1) * x2")
_X = re.compile(r"\bx\b")
_X1, _X2 = re.compile(r"\bx1\b"), re.compile(r"\bx2\b")


def candidates(unary: Sequence[str] = UNARY,
               binary: Sequence[str] = BINARY) -> list[tuple[str, str]]:
    """(name, expression) for every b(u1(x), u2(x)), in a fixed order."""
    for text in (*unary, *binary):
        if any(c in text for c in "\"\\\n"):
            raise InputError(f"search space: {text!r}: quotes, backslashes and newlines are "
                             f"not allowed in a function")
    for text in binary:
        if not (_X1.search(text) and _X2.search(text)):
            raise InputError(f"search space: binary {text!r} must use both x1 and x2")
    found = []
    for b, outer in enumerate(binary):
        for i, first in enumerate(unary):
            for j, second in enumerate(unary):
                expression = _X2.sub(f"({second})", _X1.sub(f"({first})", outer))
                found.append((f"b{b}_u{i}_u{j}", expression))
    return found


def candidate_file(pairs: list[tuple[str, str]]) -> str:
    """The function file (TOML) of the candidates."""
    return "".join(f'[[activation]]\nname = "{name}"\nexpr = "{text}"\n\n'
                   for name, text in pairs)

