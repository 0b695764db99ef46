"""The safe parser: what it builds exactly, and what it refuses (with columns), fast."""

from pathlib import Path

import pytest
import sympy as sp

from verifier.errors import ExpressionError
from verifier.expr import MAX_CHARS, parse_both, parse_constant, parse_expression
from tests.conftest import S, X

ACCEPTED = [
    ("x*sigmoid(x)", "x/(1 + exp(-x))"),
    ("0.01*x", "x/100"),
    ("1e-7 + x", "x + 1/10000000"),
    ("2.5e3", "2500"),
    ("1_000*x", "1000*x"),
    ("relu(x)", "Max(0, x)"),
    ("max(x, 0) + min(x, 0)", "Max(0, x) + Min(0, x)"),
    ("abs(x) + Abs(x)", "2*Abs(x)"),
    ("softplus(x)", "log(1 + exp(x))"),
    ("Phi(x)", "(1 + erf(x/sqrt(2)))/2"),
    ("arctan(x) - atan(x)", "0"),
    ("e**x - E**x", "0"),
    ("pi*x", "pi*x"),
    ("-x**2", "-x**2"),
    ("+x", "x"),
    ("where(x > 0, x, 0)", "Piecewise((x, x > 0), (0, True))"),
    ("Piecewise((x, x > 0), (exp(x) - 1, True))", "Piecewise((x, x > 0), (exp(x) - 1, True))"),
    ("Piecewise((0, -1 < x < 1), (x, True))", "Piecewise((0, (x > -1) & (x < 1)), (x, True))"),
    ("Piecewise((0, (x > 1) | (x < -1)), (x, True))", "Piecewise((0, (x > 1) | (x < -1)), (x, True))"),
    ("Piecewise((1, x == 0), (sin(x)/x, True))", "Piecewise((1, Eq(x, 0)), (sin(x)/x, True))"),
    ("Heaviside(x)", "Heaviside(x)"),
    ("Heaviside(x, 1)", "Heaviside(x, 1)"),
    ("floor(x) + ceiling(x)", "floor(x) + ceiling(x)"),
    ("x**(1/3)", "x**(1/3)"),
    ("2**100", str(2**100)),
    ("10**99", str(10**99)),
    ("Max(x, x)", "x"),
    ("  tanh(x)  ", "tanh(x)"),
    ("sinh(x) + cosh(x) + sin(x) + cos(x) + tan(x) + asinh(x) + erf(x) + erfc(x) + sign(x)",
     "sinh(x) + cosh(x) + sin(x) + cos(x) + tan(x) + asinh(x) + erf(x) + erfc(x) + sign(x)"),
]


@pytest.mark.parametrize("text, expected", ACCEPTED)
def test_builds_exact_sympy(text, expected):
    assert parse_expression(text) == S(expected)


def test_decimals_are_exact_rationals():
    assert parse_expression("0.1") == sp.Rational(1, 10)
    assert parse_expression("1.0507009873554804934193349852946") == sp.Rational(
        10507009873554804934193349852946, 10**31)


def test_parameters_substitute_exactly():
    expr = parse_expression("x * sigmoid(beta * x)", params={"beta": sp.Rational(17, 10)})
    assert expr == X / (1 + sp.exp(-sp.Rational(17, 10) * X))
    assert parse_constant("sqrt(2/pi)") == sp.sqrt(2 / sp.pi)


def test_printed_sympy_parses_back():
    for text in ("Piecewise((1, Eq(x, 0)), (sin(x)/x, True))", "Piecewise((1/x, Ne(x, 0)), (0, True))",
                 "Piecewise((x, (x > -1) & (x < 1)), (0, True))", "x*(erf(sqrt(2)*x/2)/2 + 1/2)"):
        expr = parse_expression(text)
        assert parse_expression(sp.sstr(expr)) == expr == S(text)


def test_other_variable_name():
    t = sp.Symbol("t", real=True)
    assert parse_expression("t**2", variable="t") == t**2


HOSTILE = [
    ("__import__('os').system('touch /tmp/actverify_pwned')", 1, "only calls"),
    ("x.real", 1, "attribute access"),
    ("x.__class__.__bases__", 1, "attribute access"),
    ("x[0]", 1, "subscripts"),
    ("lambda: 1", 1, "lambdas"),
    ("[x for x in y]", 1, "comprehensions"),
    ("(y for y in x)", 1, "comprehensions"),
    ("{x: 1}", 1, "dicts"),
    ("{x}", 1, "sets"),
    ("[x]", 1, "lists"),
    ("'abc'", 1, "strings"),
    ("b'abc'", 1, "strings"),
    ("f'{x}'", 1, "f-strings"),
    ("foo(x)", 1, "not in the vocabulary"),
    ("sinc(x)", 1, "numpy's sinc is sin(pi*x)/(pi*x), sympy's sin(x)/x: write the one you mean"),
    ("open('/etc/passwd')", 1, "not in the vocabulary"),
    ("eval('1')", 1, "not in the vocabulary"),
    ("x + y", 5, "unknown name"),
    ("exp(x, 2)", 1, "exp takes 1 argument, got 2"),
    ("max(x)", 1, "max takes at least 2 arguments, got 1"),
    ("exp()", 1, "exp takes 1 argument, got 0"),
    ("exp(x=1)", 5, "keyword arguments"),
    ("exp(*x)", 5, "starred"),
    ("((9**9)**9999)**9999", 2, "digits"),
    ("x**(10**10**10)", 5, "digits"),
    ("10**10**10", 1, "digits"),
    ("x**2000", 1, "too large"),
    ("10**101", 1, "digits"),
    ("x + 1" + "0" * 101, 5, "digits"),
    ("1e999999", 1, "digits"),
    ("x^2", 1, "use '**'"),
    ("x if x > 0 else 0", 1, "conditional expressions"),
    ("(x > 0) + 1", 2, "only allowed inside Piecewise"),
    ("x & 1", 1, "only allowed inside Piecewise"),
    ("1j * x", 1, "not allowed"),
    ("x @ x", 1, "operator not allowed"),
    ("x // 2", 1, "operator not allowed"),
    ("x % 2", 1, "operator not allowed"),
    ("not x", 1, "unary"),
    ("~x", 1, "unary"),
    ("exp", 1, "without calling"),
    ("Piecewise(x)", 11, "(value, condition) pairs"),
    ("Piecewise((x, x))", 15, "expected a condition"),
    ("Piecewise((x, Eq(x)), (0, True))", 15, "Eq takes 2 arguments, got 1"),
    ("Eq(x, 0)", 1, "only allowed inside Piecewise"),
    ("Eq", 1, "function used without calling it"),
    ("where(x, 1, 2)", 7, "expected a condition"),
    ("(x := 2)", 2, "assignments"),
    ("x; import os", None, "not a valid expression"),
    ("import os", None, "not a valid expression"),
    ("(" * 60 + "x" + ")" * 60, 51, "nesting deeper than 50"),
    ("-" * 1500 + "x", None, "nesting deeper than 50"),
    ("x" + " + x" * 600, None, "characters long"),
    ("", None, "empty"),
    ("...", 1, "not allowed"),
    # budgets on what sympy would combine or evaluate exactly (issue 15)
    ("(((x+1)**1000)**1000)**1000", 2, "combined exponent 1000000 is too large"),
    ("x**600*x**600", 1, "combined exponent 1200"),
    ("Piecewise((x**999, x > 2), (x, True))**2", 1, "combined exponent 1998"),   # fuzz-found
    ("floor(exp(10**6))", 7, "larger than 10^1000 in magnitude"),
    ("floor(exp(exp(100)))", 7, "larger than 10^1000 in magnitude"),
    ("x*cosh(10**7)", 3, "larger than 10^1000 in magnitude"),
    ("Max(" + ",".join(f"sin({i}*x)" for i in range(1, 120)) + ")", 1,
     "Max takes at most 16 arguments, nested ones included (got 119)"),
    ("Min(Min(" + ",".join(f"{i}*x" for i in range(1, 10)) + "),"
     + ",".join(f"x+{i}" for i in range(1, 10)) + ")", 1, "(got 18)"),
    ("(" * 30 + "x" + "/2)" * 30 + "/2" * 30, None, "nesting deeper than 50"),
]


@pytest.mark.parametrize("text, column, message", HOSTILE)
def test_refuses_hostile_input(text, column, message):
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert message in str(caught.value)
    if column is not None:
        assert caught.value.column == column


def test_hostile_input_never_executes():
    marker = Path("/tmp/actverify_pwned")
    marker.unlink(missing_ok=True)
    for text, _, _ in HOSTILE:
        with pytest.raises(ExpressionError):
            parse_expression(text)
    assert not marker.exists()


READER_FLAT = [
    # a flat sum or product is one level to a reader, however many terms (issue 15)
    ("+".join(f"sin({i}*x)" for i in range(120)), 120),
    (" - ".join(f"x**{i % 7}" for i in range(250)), 250),
    ("*".join(f"(x+{i})" for i in range(150)), 150),
]


@pytest.mark.parametrize("text, terms", READER_FLAT)
def test_flat_chains_are_one_level(text, terms):
    evaluated = parse_expression(text)
    written = parse_expression(text, as_written=True)
    assert evaluated.free_symbols == {X}
    # the written tree is one flat node with every term, in written order
    assert type(written) in (sp.Add, sp.Mul) and len(written.args) == terms


def test_written_chain_keeps_constant_subterms_evaluated():
    written = parse_expression("1 + 2 + x - 3", as_written=True)
    assert written.args == (sp.Integer(3), X, sp.Integer(-3))


@pytest.mark.parametrize("text, evaluated, written_kind", [
    ("max(x, 0) + 2*3", "Max(x, 0) + 6", sp.Add),
    # a shorthand reads differently in the two trees: expanded for the maths, kept as written
    ("sigmoid(x) + 0*x", "1/(1 + exp(-x))", sp.Add),
    ("log1p(x**2 - x**2)", "log(1)", sp.Function),
])
def test_both_trees_from_one_parse(text, evaluated, written_kind):
    both = parse_both(text)
    assert both[0] == S(evaluated) == parse_expression(text)
    assert isinstance(both[1], written_kind) and both[1] != both[0]


def test_length_budget_is_exactly_max_chars():
    at_limit = "x" + " " * (MAX_CHARS - 1)
    assert parse_expression(at_limit) == X
    with pytest.raises(ExpressionError, match="characters long"):
        parse_expression(at_limit + " ")


def test_column_accounts_for_leading_spaces():
    with pytest.raises(ExpressionError) as caught:
        parse_expression("   foo(x)")
    assert caught.value.column == 4 and caught.value.token == "foo"


def test_parameter_must_be_constant():
    with pytest.raises(ExpressionError, match="unknown name"):
        parse_constant("x + 1")
