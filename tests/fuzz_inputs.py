"""Inputs for the fuzz tests: random expression trees over the vocabulary (hypothesis) and
hand-written hostile texts."""

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from verifier.vocabulary import CONSTANTS, FUNCTIONS

_UNARY = sorted(name for name, spec in FUNCTIONS.items() if spec.min_args == 1)
_NUMBERS = st.sampled_from(["0", "1", "2", "-1", "0.5", "1e-7", "3", "10", "1e300", "1e-300",
                            "100", "7/3"] + sorted(CONSTANTS))

_leaves = st.one_of(st.just("x"), _NUMBERS, st.integers(-20, 20).map(str))


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(st.sampled_from(_UNARY), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        st.tuples(st.sampled_from(["max", "min"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, st.sampled_from(["<", ">", "<=", ">="]), inner, inner).map(
            lambda t: f"Piecewise(({t[2]}, x {t[1]} {t[0]}), ({t[3]}, True))"),
        st.tuples(inner, inner).map(lambda t: f"where(x > 0, {t[0]}, {t[1]})"),
    )


TREES = st.recursive(_leaves, _extend, max_leaves=8)

HOSTILE = [
    "__import__('os').system('touch /tmp/pwned')", "x.__class__.__mro__", "lambda: x",
    "[x for x in ()]", "x if x else 1", "open('/etc/passwd')", "exec('1')", "eval('x')",
    "globals()", "x; import os", "f'{x}'", "b'x'", "x @ x", "x[0]", "x.real", "{x: 1}",
    "(x, x)", "x = 1", "*x", "await x", "yield x", "x := 1", "not x", "x and x", "x or 1",
    "", " ", "\x00", "x\x00", "é", "ℯ**x", "𝑥", "x" * 3000, "(" * 60 + "x" + ")" * 60,
    "(" * 5000, "-" * 1999 + "x", "1" * 200 + "*x", "1e999999*x", "9**9**9**9*x",
    "x**(10**100)", "x**100000", "exp(exp(exp(exp(exp(x)))))", "x**x**x**x**x",
    "sqrt(-1)*x", "log(0)*x", "1/0*x", "0**-1*x", "x/0", "nan*x", "inf*x", "oo*x", "zoo",
    "Piecewise((x, x > 0))", "Piecewise()", "Piecewise((x, y > 0), (1, True))",
    "where(x > 0)", "Heaviside(x, x)", "Max()", "max(x)", "sin()", "sin(x, x)", "y",
    "x + y", "sin(x", "sin x", "x ** ", "1 +* 2", "\"x\"", "'x'", "True", "None", "...",
    "x < 1", "x == x", "Eq(x, 1)", "floor(1e300*x)", "tan(x)**-1", "sign(0)", "Abs(-x)",
    "relu(sigmoid(softplus(Phi(x))))", "exp(1e300)", "exp(-1e300*x**2)",
    "sin(1/x)", "x*sin(1/x)", "1/(x - pi)", "log(abs(x))", "sqrt(x**2 - 2)**25 - 3",
]


def draw_trees(count: int) -> list[str]:
    """`count` random trees (fewer if hypothesis repeats itself), the same on every run."""
    drawn: list[str] = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(TREES)
    def collect(text: str) -> None:
        drawn.append(text)

    collect()
    return list(dict.fromkeys(drawn))
