"""The tests' own evaluation of a formula as written, independent of verifier.expr and of
sympy: Python's parser on trusted test text, mpmath at 50 digits, every sub-term required to
be a finite real (0*sqrt(-1) is undefined), `where` computing only its taken branch.

AMBIGUOUS marks a point where a sub-term's argument sits within 1e-40 of where it stops being
defined (sqrt of a cancelled 0, a division by a rounded 0): 50 digits cannot tell there, so a
test skips the point instead of calling it either way.
"""

import ast

import mpmath
import sympy

AMBIGUOUS = object()
_TINY = mpmath.mpf("1e-40")


class _Undefined(Exception):
    pass


class _Ambiguous(Exception):
    pass


def _heaviside(u):
    return mpmath.mpf(1) if u > 0 else (mpmath.mpf(0) if u < 0 else mpmath.mpf("0.5"))


_FUNCTIONS = {
    "exp": mpmath.exp, "sin": mpmath.sin, "cos": mpmath.cos, "tanh": mpmath.tanh,
    "atan": mpmath.atan, "abs": mpmath.fabs, "sign": mpmath.sign, "Heaviside": _heaviside,
    "relu": lambda u: max(u, mpmath.mpf(0)), "sigmoid": lambda u: 1 / (1 + mpmath.exp(-u)),
    "erf": mpmath.erf, "asinh": mpmath.asinh, "Abs": mpmath.fabs, "erfc": mpmath.erfc,
    "sinh": mpmath.sinh, "cosh": mpmath.cosh, "floor": mpmath.floor, "ceiling": mpmath.ceil,
    "Phi": mpmath.ncdf, "expm1": mpmath.expm1, "softplus": lambda u: mpmath.log1p(mpmath.exp(u)),
    "arctan": mpmath.atan,
}


def _real(value):
    if isinstance(value, mpmath.mpc) or not mpmath.isfinite(value):
        raise _Undefined
    return value


def _near_edge(u) -> None:
    if abs(u) < _TINY and u != 0:
        raise _Ambiguous


class _Walk:
    def __init__(self, t) -> None:
        self.t = t

    def value(self, node):
        if isinstance(node, ast.Name):
            return self.t if node.id == "x" else {"pi": mpmath.pi, "E": mpmath.e,
                                                  "e": mpmath.e}[node.id]
        if isinstance(node, ast.Constant):   # a decimal as written (1e-7), not its float
            return mpmath.mpf(repr(node.value) if isinstance(node.value, float) else node.value)
        if isinstance(node, ast.UnaryOp):
            return -self.value(node.operand)
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        name = node.func.id
        if name == "where":
            condition, yes, no = node.args
            return self.value(yes) if self.holds(condition) else self.value(no)
        if name == "Piecewise":
            for pair in node.args:
                value, condition = pair.elts
                if (isinstance(condition, ast.Constant) and condition.value is True) or (
                        not isinstance(condition, ast.Constant) and self.holds(condition)):
                    return self.value(value)
            raise _Undefined
        if name == "logaddexp":
            a, b = (self.value(arg) for arg in node.args)
            return _real(mpmath.log(mpmath.exp(a) + mpmath.exp(b)))
        if name in ("max", "min", "Max", "Min"):
            values = [self.value(arg) for arg in node.args]
            return max(values) if name.lower() == "max" else min(values)
        u = self.value(node.args[0])
        if name in ("log", "sqrt", "tan", "log1p"):
            return self.partial(name, u)
        if name in ("sign", "Heaviside", "relu", "abs", "Abs"):
            _near_edge(u)
        if name in ("floor", "ceiling"):   # a step at every integer
            _near_edge(u - mpmath.nint(u))
        return _real(_FUNCTIONS[name](u))

    def partial(self, name: str, u):
        if name == "log1p":
            return self.partial("log", 1 + u)
        if name == "tan":
            _near_edge(mpmath.cos(u))
            if mpmath.cos(u) == 0:
                raise _Undefined
            return _real(mpmath.tan(u))
        _near_edge(u)
        if u < 0 or (name == "log" and u == 0):
            raise _Undefined
        return _real(mpmath.log(u) if name == "log" else mpmath.sqrt(u))

    def binop(self, node):
        a, b = self.value(node.left), self.value(node.right)
        if isinstance(node.op, ast.Div):
            _near_edge(b)
            if b == 0:
                raise _Undefined
            return _real(a / b)
        if isinstance(node.op, ast.Pow):
            if b != int(b):
                _near_edge(a)
                if a < 0:
                    raise _Undefined
            if a == 0 and b < 0:
                raise _Undefined
            return _real(a ** b)
        return _real({ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}[type(node.op)])

    def holds(self, condition) -> bool:
        if isinstance(condition, ast.BinOp):   # (a > b) | (c < d), (a > b) & (c < d)
            either = isinstance(condition.op, ast.BitOr)
            left, right = self.holds(condition.left), self.holds(condition.right)
            return (left or right) if either else (left and right)
        if isinstance(condition, ast.Call):   # Ne(a, b) / Eq(a, b)
            left, right = (self.value(arg) for arg in condition.args)
            _near_edge(left - right)
            return (left != right) if condition.func.id == "Ne" else (left == right)
        left, right = self.value(condition.left), self.value(condition.comparators[0])
        _near_edge(left - right)
        return {ast.Gt: left > right, ast.Lt: left < right, ast.GtE: left >= right,
                ast.LtE: left <= right, ast.NotEq: left != right,
                ast.Eq: left == right}[type(condition.ops[0])]


def evaluate_text(text: str, t, digits: int = 50):
    """f(t) for the text as written: an mpf, None where some sub-term is not a finite real,
    or AMBIGUOUS."""
    if isinstance(t, str):   # an exact point as sympy prints it: "sqrt(2)", "-1/2"
        t = sympy.sympify(t)
    with mpmath.workdps(digits):
        if hasattr(t, "q"):
            point = mpmath.mpf(int(t.p)) / int(t.q)
        elif isinstance(t, sympy.Basic):
            point = mpmath.mpf(str(sympy.N(t, digits + 10)))
        else:
            point = mpmath.mpf(t)
        try:
            return _Walk(point).value(ast.parse(text, mode="eval").body)
        except _Undefined:
            return None
        except (_Ambiguous, ZeroDivisionError, OverflowError, ValueError):
            return AMBIGUOUS
