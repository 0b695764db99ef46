"""Safe text -> sympy parsing of untrusted activation expressions.

The text is parsed with `ast.parse(..., mode="eval")` and walked with an allow-list; sympy
objects are built directly from the nodes. Nothing is ever passed to eval, sympify or
parse_expr. Budgets: at most MAX_CHARS characters, nesting at most MAX_DEPTH, and every
constant sub-result is size-estimated *before* it is computed (MAX_DIGITS digits), so inputs
such as `((9**9)**9999)**9999` or `x**(10**10**10)` are refused at once.

What parsing does not guarantee: that the function is defined anywhere, or that analysing it
is fast; the engine's time limits cover that.
"""

from __future__ import annotations

import ast
import difflib
import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import sympy as sp
from sympy.logic.boolalg import ITE

from verifier.errors import ExpressionError
from verifier.expr_budget import (MAX_CHARS, MAX_DIGITS, MAX_MINMAX_ARGS,
                                  MAX_SYMBOLIC_EXPONENT, NOT_REAL, chain_family,
                                  check_bracket_depth, check_exponents, check_magnitude,
                                  check_tree_depth, digits, is_complex, short)
from verifier.vocabulary import (CONDITIONAL_FUNCTIONS, CONSTANTS, FUNCTIONS, REFUSED_WITH_HINT,
                                 STABLE_SHORTHANDS, FunctionSpec, variable_symbol)

_REFUSED_NODES = {
    ast.Attribute: "attribute access", ast.Subscript: "subscripts", ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions", ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings", ast.FormattedValue: "f-strings", ast.List: "lists",
    ast.Dict: "dicts", ast.Set: "sets", ast.Starred: "starred arguments",
    ast.IfExp: "conditional expressions (use Piecewise or where)", ast.NamedExpr: "assignments",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "slices",
}
_ARITH = {ast.Add: sp.Add, ast.Mult: sp.Mul}
# Eq(a, b) and Ne(a, b): how sympy prints == and != (so printed expressions parse again)
_RELATION_CALLS = {"Eq": sp.Eq, "Ne": sp.Ne}
_COMPARE = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge, ast.Eq: sp.Eq,
            ast.NotEq: sp.Ne}


def parse_expression(text: str, *, variable: str = "x",
                     params: Mapping[str, sp.Basic] | None = None,
                     stable_shorthands: bool = False, as_written: bool = False) -> sp.Expr:
    """Parse `text` into a sympy expression in the real symbol `variable`.

    `params` maps declared parameter names to exact sympy values substituted at parse time.
    `stable_shorthands` keeps sigmoid/softplus/Phi as the frameworks' stable implementations
    (for the float-stability check) instead of expanding them to their textbook formulas.
    `as_written` returns the written tree: every operation of the text kept as one unevaluated
    sympy node (`x**3/x**2` stays a quotient, `0*sqrt(x)` a product), only constant sub-terms
    evaluated (they are exact and checked finite), the shorthands kept as the frameworks'
    stable implementations: it is the program a framework runs. Its nodes are the ordinary
    sympy classes, so anything that re-evaluates them (subs, diff, pickling) gets sympy's
    evaluated form back.
    Raises ExpressionError (with a 1-based column where one applies) for anything outside the
    allow-list or the size budgets.
    """
    if as_written:
        return parse_both(text, variable=variable, params=params)[1]
    tree, builder = _prepared(text, variable, params, stable_shorthands)
    return _number_valued(builder.value(tree), text)


def parse_both(text: str, *, variable: str = "x",
               params: Mapping[str, sp.Basic] | None = None) -> tuple[sp.Expr, sp.Expr]:
    """parse_expression(text) and parse_expression(text, as_written=True) from one parse:
    the written pass reuses the evaluated pass's constants where the text names no
    shorthand (whose two readings differ), instead of evaluating everything a second time."""
    tree, builder = _prepared(text, variable, params, stable_shorthands=False)
    evaluated = _number_valued(builder.value(tree), text)
    if any(isinstance(node, ast.Name) and node.id in STABLE_SHORTHANDS
           for node in ast.walk(tree)):
        tree, builder = _prepared(text, variable, params, stable_shorthands=True)
        _number_valued(builder.value(tree), text)
    builder.constants = builder.evaluated   # the checked pass's values of the constant nodes
    builder.evaluated = {}
    builder.variable_nodes = _variable_nodes(tree, variable)
    builder.functions = {**FUNCTIONS, **STABLE_SHORTHANDS}
    with sp.evaluate(False):
        return evaluated, builder.value(tree)


def _prepared(text: str, variable: str, params: Mapping[str, sp.Basic] | None,
              stable_shorthands: bool) -> tuple[ast.expr, _Builder]:
    """The checked syntax tree's body and a builder for it; raises ExpressionError."""
    if not isinstance(text, str):
        raise ExpressionError(f"expression must be text, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise ExpressionError(
            f"expression is {len(text)} characters long; the limit is {MAX_CHARS}")
    if not text.strip():
        raise ExpressionError("expression is empty")
    check_bracket_depth(text)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        column = exc.offset + lead if exc.offset else None
        raise ExpressionError(f"not a valid expression ({exc.msg})", column=column,
                              text=text) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"not a valid expression ({type(exc).__name__})", text=text) from None
    check_tree_depth(tree.body, text, lead)
    functions = {**FUNCTIONS, **STABLE_SHORTHANDS} if stable_shorthands else FUNCTIONS
    return tree.body, _Builder(stripped, lead, variable_symbol(variable), dict(params or {}),
                               variable, functions)


def _number_valued(result: sp.Basic, text: str) -> sp.Expr:
    if not isinstance(result, sp.Expr):
        raise ExpressionError("expression is not a number-valued formula", text=text)
    return result


def parse_constant(text: str) -> sp.Expr:
    """Parse a parameter value: an exact constant expression with no variable."""
    value = parse_expression(text, variable="_no_variable_")
    if value.free_symbols:
        raise ExpressionError("a parameter value must be a constant", text=text)
    return value


def _variable_nodes(root: ast.AST, variable: str) -> set[int]:
    """The ids of the nodes whose sub-tree names the variable (one post-order pass)."""
    found: set[int] = set()
    order, stack = [], [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(ast.iter_child_nodes(node))
    for node in reversed(order):   # children before parents
        if (isinstance(node, ast.Name) and node.id == variable) or any(
                id(child) in found for child in ast.iter_child_nodes(node)):
            found.add(id(node))
    return found


class _Builder:
    """Walks an allow-listed AST and builds sympy objects bottom-up."""

    def __init__(self, text: str, lead: int, symbol: sp.Symbol, params: dict[str, sp.Basic],
                 variable: str, functions: Mapping[str, FunctionSpec]) -> None:
        self.text = text
        self.functions = functions
        self.lead = lead
        self.symbol = symbol
        self.params = params
        self.variable = variable
        # node -> its evaluated value; in the written pass, the first pass's constant values
        self.evaluated: dict[int, sp.Expr] = {}
        self.constants: dict[int, sp.Expr] | None = None
        self.variable_nodes: set[int] = set()   # nodes whose text mentions the variable
        self.vetted: set[int] = set()   # ids of sub-terms whose exponents were checked

    # -- errors -------------------------------------------------------------------------
    def fail(self, node: ast.AST, message: str, hint: str | None = None) -> ExpressionError:
        """The refusal at `node`: "message: 'token'", then the hint ("did you mean ...")."""
        column = getattr(node, "col_offset", None)
        token = ast.get_source_segment(self.text, node) if hasattr(node, "col_offset") else None
        if token and len(token) > 40:
            token = token[:37] + "..."
        shown = f" '{token}'" if token else ""
        return ExpressionError(f"{message}{':' if shown else ''}{shown}"
                               f"{'; ' + hint if hint else ''}",
                               column=None if column is None else column + self.lead + 1,
                               token=token, text=self.text)

    # -- values -------------------------------------------------------------------------
    def value(self, node: ast.AST) -> sp.Expr:
        if (known := self.known_constant(node)) is not None:
            return known
        if chain_family(node) is not None:
            return self.chain(node)
        return self.checked(node, self._value(node))

    def known_constant(self, node: ast.AST) -> sp.Expr | None:
        """In the written pass, a variable-free node takes the checked first pass's value."""
        if self.constants is None or id(node) in self.variable_nodes:
            return None
        return self.constants.get(id(node))

    def chain(self, top: ast.BinOp) -> sp.Expr:
        """a + b - c + ... (or a * b * c ...) built left to right without recursing once per
        term, so a long flat sum costs no stack depth; in the written pass the chain is one
        flat sympy node with its terms in written order (the float program's order)."""
        family, spine = chain_family(top), [top]
        while chain_family(spine[-1].left) == family and \
                self.known_constant(spine[-1].left) is None:
            spine.append(spine[-1].left)
        if self.constants is not None:   # written: Add(a, -b, c) or Mul(a, b, c), in order
            terms = [self.value(spine[-1].left)]
            for node in reversed(spine):
                right = self.value(node.right)
                terms.append(-right if isinstance(node.op, ast.Sub) else right)
            combine = sp.Add if family == "sum" else sp.Mul
            return self.guarded(top, lambda: combine(*terms))
        built = self.value(spine[-1].left)
        for node in reversed(spine):
            built = self.checked(node, self.combine(node, built, self.value(node.right)))
        return built

    def checked(self, node: ast.AST, built: sp.Expr) -> sp.Expr:
        """Record a first-pass value and refuse it if it breaks a budget."""
        if self.constants is not None:
            return built
        self.evaluated[id(node)] = built
        if isinstance(built, sp.Rational) and digits(built) > MAX_DIGITS:
            raise self.fail(node, f"constant has more than {MAX_DIGITS} digits")
        check_magnitude(built, lambda message: self.fail(node, message))
        try:
            not_real = isinstance(built, sp.Basic) and (built.has(*NOT_REAL)
                                                        or is_complex(built))
        except Exception as exc:  # noqa: BLE001 - sympy's evalf raises many kinds
            raise self.fail(node, f"cannot be checked to be real ({type(exc).__name__})") \
                from None
        if not_real:
            cause = next((why for atom, why in NOT_REAL.items() if built.has(atom)),
                         "a complex constant")
            raise self.fail(node, f"is not a finite real value ({cause})")
        check_exponents(built, lambda message: self.fail(node, message), self.vetted)
        return built

    def _value(self, node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.Constant):
            return self.literal(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return -self.value(node.operand)
            if isinstance(node.op, ast.UAdd):
                return self.value(node.operand)
            raise self.fail(node, "operator not allowed (only unary + and -)")
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, (ast.Compare, ast.BoolOp)):
            raise self.fail(node, "a condition is only allowed inside Piecewise or where")
        raise self.fail(node, f"{_REFUSED_NODES.get(type(node), type(node).__name__)} not allowed")

    def literal(self, node: ast.Constant) -> sp.Expr:
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            kind = "strings" if isinstance(node.value, (str, bytes)) else repr(node.value)
            raise self.fail(node, f"{kind} not allowed here")
        source = ast.get_source_segment(self.text, node) or repr(node.value)
        try:
            decimal = Decimal(source.replace("_", ""))
        except InvalidOperation:
            raise self.fail(node, "number literal not understood") from None
        sign, digits, exponent = decimal.as_tuple()
        if not isinstance(exponent, int) or abs(exponent) + len(digits) > MAX_DIGITS:
            raise self.fail(node, f"number literal has more than {MAX_DIGITS} digits")
        mantissa = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
        if exponent >= 0:
            return sp.Integer(mantissa * 10**exponent)
        return sp.Rational(mantissa, 10**-exponent)

    def name(self, node: ast.Name) -> sp.Expr:
        if node.id == self.variable:
            return self.symbol
        if node.id in self.params:
            return self.params[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in FUNCTIONS or node.id in CONDITIONAL_FUNCTIONS:
            raise self.fail(node, "function used without calling it")
        hint = _did_you_mean(node.id, [self.variable, *self.params, *CONSTANTS])
        raise self.fail(node, f"unknown name (the variable is '{self.variable}'; parameters "
                              f"must be declared in params)", hint)

    def binop(self, node: ast.BinOp) -> sp.Expr:
        op = type(node.op)
        if op is ast.BitXor:
            raise self.fail(node, "'^' is not a power; use '**'")
        if op in (ast.BitAnd, ast.BitOr):
            raise self.fail(node, "a condition is only allowed inside Piecewise or where")
        if op not in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
            raise self.fail(node, "operator not allowed (only + - * / **)")
        return self.combine(node, self.value(node.left), self.value(node.right))

    def combine(self, node: ast.BinOp, left: sp.Expr, right: sp.Expr) -> sp.Expr:
        op = type(node.op)
        if op is ast.Pow:
            self.check_power(node, left, right)
            return self.guarded(node, lambda: left**right)
        if op is ast.Sub:
            return self.guarded(node, lambda: left - right)
        if op is ast.Div:
            return self.guarded(node, lambda: left / right)
        return self.guarded(node, lambda: _ARITH[op](left, right))

    def check_power(self, node: ast.BinOp, base: sp.Expr, exponent: sp.Expr) -> None:
        """Refuse powers whose result would explode, estimating before computing."""
        if self.constants is not None or not isinstance(exponent, sp.Rational):
            return
        magnitude = abs(exponent)
        if isinstance(base, sp.Rational):
            if base in (0, 1, -1):
                return
            size = max(abs(int(base.p)), int(base.q))
            estimate = magnitude * math.log10(size)  # digits of the result
            if estimate > MAX_DIGITS:
                raise self.fail(node, f"power would have about {short(estimate)} digits "
                                      f"(limit {MAX_DIGITS})")
        elif magnitude > MAX_SYMBOLIC_EXPONENT:
            raise self.fail(node, f"exponent {short(magnitude)} is too large "
                                  f"(limit {MAX_SYMBOLIC_EXPONENT})")

    def guarded(self, node: ast.AST, build) -> sp.Expr:
        try:
            return build()
        except Exception as exc:  # sympy raises many kinds; all mean "this input cannot be built"
            raise self.fail(node, f"cannot be built ({type(exc).__name__}: {exc})") from None

    # -- calls --------------------------------------------------------------------------
    def call(self, node: ast.Call) -> sp.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node.func, "only calls of vocabulary functions by name are allowed")
        name = node.func.id
        if node.keywords:
            raise self.fail(node.keywords[0], "keyword arguments not allowed")
        if name == "Piecewise":
            return self.piecewise(node)
        if name == "where":
            return self.where(node)
        if name in _RELATION_CALLS:
            raise self.fail(node, "a condition is only allowed inside Piecewise or where")
        spec = self.functions.get(name)
        if spec is None:
            hint = REFUSED_WITH_HINT.get(name) or _did_you_mean(name, [
                *self.functions, *CONDITIONAL_FUNCTIONS])
            raise self.fail(node.func, "function not in the vocabulary", hint)
        count = len(node.args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            raise self.fail(node, f"{name} takes {spec.arity_text()}, got {count}")
        args = [self.value(arg) for arg in node.args]
        if spec.merges_nested is not None and self.constants is None:
            merged = sum(len(a.args) if isinstance(a, spec.merges_nested) else 1 for a in args)
            if merged > MAX_MINMAX_ARGS:
                raise self.fail(node, f"{name} takes at most {MAX_MINMAX_ARGS} arguments, "
                                      f"nested ones included (got {merged})")
        if name == "Heaviside" and len(args) == 2 and not args[1].is_number:
            raise self.fail(node.args[1], "Heaviside's second argument (its value at 0) must "
                                          "be a constant")
        return self.guarded(node, lambda: spec.build(args))

    def piecewise(self, node: ast.Call) -> sp.Expr:
        if not node.args:
            raise self.fail(node, "Piecewise needs at least one (value, condition) pair")
        pairs = []
        for arg in node.args:
            if not isinstance(arg, ast.Tuple) or len(arg.elts) != 2:
                raise self.fail(arg, "Piecewise arguments must be (value, condition) pairs")
            pairs.append((self.value(arg.elts[0]), self.branch_condition(arg.elts[1])))
        return self.guarded(node, lambda: sp.Piecewise(*pairs))

    def where(self, node: ast.Call) -> sp.Expr:
        if len(node.args) != 3:
            raise self.fail(node, f"where takes 3 arguments (condition, a, b), "
                                  f"got {len(node.args)}")
        condition = self.branch_condition(node.args[0])
        a, b = self.value(node.args[1]), self.value(node.args[2])
        return self.guarded(node, lambda: sp.Piecewise((a, condition), (b, True)))

    # -- conditions ---------------------------------------------------------------------
    def branch_condition(self, node: ast.AST) -> sp.Basic:
        condition = self.condition(node)
        if condition.has(sp.Piecewise, ITE):   # sympy turns x <= Piecewise(...) into an ITE
            raise self.fail(node, "a condition may not compare with a Piecewise or where "
                                  "(write its cases out as conditions)")
        return condition

    def condition(self, node: ast.AST) -> sp.Basic:
        if self.constants is not None and id(node) not in self.variable_nodes:
            with sp.evaluate(True):   # written pass: a constant condition is decided, as
                return self._condition(node)   # constant values are
        return self._condition(node)

    def _condition(self, node: ast.AST) -> sp.Basic:
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return sp.true if node.value else sp.false
        if isinstance(node, ast.Compare):
            parts, left = [], self.value(node.left)
            for op, comparator in zip(node.ops, node.comparators):
                if type(op) not in _COMPARE:
                    raise self.fail(node, "comparison not allowed (only < <= > >= == !=)")
                right = self.value(comparator)
                parts.append(self.guarded(node, lambda: _COMPARE[type(op)](left, right)))
                left = right
            return sp.And(*parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            combine = sp.And if isinstance(node.op, ast.BitAnd) else sp.Or
            return combine(self.condition(node.left), self.condition(node.right))
        if isinstance(node, ast.BoolOp):
            combine = sp.And if isinstance(node.op, ast.And) else sp.Or
            return combine(*(self.condition(value) for value in node.values))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in _RELATION_CALLS and not node.keywords):
            if len(node.args) != 2:
                raise self.fail(node, f"{node.func.id} takes 2 arguments, got {len(node.args)}")
            left, right = (self.value(arg) for arg in node.args)
            return self.guarded(node, lambda: _RELATION_CALLS[node.func.id](left, right))
        raise self.fail(node, "expected a condition (a comparison, True, or & | of conditions)")


def _did_you_mean(name: str, known: list[str]) -> str | None:
    """"did you mean 'sigmoid'?" for a near miss of a known name, case aside (difflib's
    ratio >= 0.8: 'sigmoidd', 'ReLU', 'Tanh'; not 'foo' for 'floor')."""
    lowered = {k.lower(): k for k in known}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.8)
    return f"did you mean '{lowered[close[0]]}'?" if close else None
