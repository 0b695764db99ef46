"""A grammar of hostile inputs (issue 15): expression trees near every parser budget, huge and
tiny constants, Max/Min/Piecewise fan-out, and names and sources made of markup, control
characters and path syntax. Deterministic for a seed; no hypothesis (the counts are fixed)."""

from __future__ import annotations

import random

UNARY = ["sin", "cos", "tanh", "exp", "log", "sqrt", "abs", "floor", "ceiling", "sigmoid",
         "softplus", "erf", "atan", "sign", "relu", "cosh", "gamma"]
CONSTANTS = ["10**99", "10**100", "10**101", "1e-99", "1e308", "1e-400", "2**332", "2**333",
             "exp(2302)", "exp(2303)", "exp(exp(7))", "exp(-10**6)", "floor(exp(2000))",
             "9**9**2", "0.1", "pi", "E", "-0", "1/3", "(1/7)**40", "cosh(800)", "log(0)",
             "sqrt(-1)", "0**0", "1/0", "0/0", "x**0"]
NAMES = ["index", "plots", "INDEX", "a+b", "a*b", "..", ".", "-rf", "con", "nul",
         "<script>alert(1)</script>", "[x](javascript:alert(1))", "# heading", "```",
         "| cell |", "\x1b[2J\x1b[31mred", "tab\there", "line\nbreak", "\u202eevil",
         "name/with/slash", "back\\slash", "../../etc/passwd", "~/.bashrc", "$(rm -rf /)",
         "x" * 199, "ü" * 150, "a_b", "a__b", "__init__", "*bold*", "_under_", "&amp;", ""]


def expression(rng: random.Random, depth: int = 0) -> str:
    """One expression text: usually within the budgets, often just past one."""
    roll = rng.random()
    if depth > rng.choice([3, 6, 12, 48]) or roll < 0.15:
        return rng.choice(["x", "x", "1", "2", "-x", rng.choice(CONSTANTS),
                           str(rng.randint(-10**6, 10**6)), f"{rng.random():.17g}"])
    if roll < 0.35:
        return f"{rng.choice(UNARY)}({expression(rng, depth + 1)})"
    if roll < 0.50:
        op = rng.choice(["+", "-", "*", "/", "**"])
        right = expression(rng, depth + 1) if op != "**" else rng.choice(
            ["2", "3", "1000", "1001", "600", "-1", "0.5", "x", "(1/3)", "10**10"])
        return f"({expression(rng, depth + 1)}){op}({right})"
    if roll < 0.60:
        count = rng.choice([2, 3, 16, 17, 40])
        return f"{rng.choice(['Max', 'Min', 'max', 'min'])}(" + ", ".join(
            expression(rng, depth + 3) for _ in range(count)) + ")"
    if roll < 0.68:
        branches = ", ".join(f"({expression(rng, depth + 3)}, x > {rng.randint(-5, 5)})"
                             for _ in range(rng.choice([1, 2, 8, 30])))
        return f"Piecewise({branches}, ({expression(rng, depth + 3)}, True))"
    if roll < 0.74:
        terms = rng.choice([10, 60, 300])
        joiner = rng.choice([" + ", " - ", "*"])
        return joiner.join(f"{rng.choice(UNARY)}({i}*x)" for i in range(terms))
    if roll < 0.80:
        levels = rng.choice([20, 49, 50, 51, 80])
        return "(" * levels + "x" + ")" * levels
    if roll < 0.85:
        levels = rng.choice([10, 25, 49, 60])
        return f"{rng.choice(UNARY)}(" * levels + "x" + ")" * levels
    if roll < 0.90:
        return f"({expression(rng, depth + 1)})**{rng.choice([1000, 999])}" \
               f"**{rng.choice([1, 2, 1000])}"
    if roll < 0.94:
        return rng.choice(["__import__('os')", "x.__class__", "lambda: 1", "x if x else 1",
                           "f'{x}'", "x[0]", "(x := 1)", "x; 1", "`x`", "x\x00", "x\n+1",
                           "\u202ex", "x ^ 2", "x // 2", "Eq(x, 1)", "where(x > 0, x)"])
    return f"where({expression(rng, depth + 2)} > {expression(rng, depth + 2)}, " \
           f"{expression(rng, depth + 1)}, {expression(rng, depth + 1)})"


def text_field(rng: random.Random) -> str:
    """A name or source: markup, control characters, path syntax, lengths near the limits."""
    parts = [rng.choice(NAMES) for _ in range(rng.choice([1, 1, 2, 3]))]
    return "".join(parts)[: rng.choice([40, 200, 201, 300, 301, 2000])]


def toml_string(text: str) -> str:
    """A TOML basic string of any text (control characters escaped as \\uXXXX)."""
    escaped = []
    for char in text:
        if char in '"\\' or ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def function_file(rng: random.Random, count: int, *, expressions: list[str]) -> str:
    """A function file of `count` hostile entries (names, sources, expressions)."""
    entries = []
    for index in range(count):
        expr = expressions[index % len(expressions)]
        entries.append(f"[[activation]]\nname = {toml_string(text_field(rng))}\n"
                       f"expr = {toml_string(expr)}\nsource = {toml_string(text_field(rng))}\n")
    return "\n".join(entries)
