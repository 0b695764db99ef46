"""Stable rewrites of the formula as written, each proved equal to it before it is offered.

The rules are data (verifier/data/rewrites.toml): a pattern and its replacement in the
parser's vocabulary, `u` standing for any sub-formula. `rewritten(written, x)` applies them
bottom-up to the written tree until none applies and prints the result in the parser's
vocabulary (argument order kept, decimal constants as decimals). `proved_equal` re-parses
that text with the safe parser, as a user pasting it would, and proves it is the same function
as the written formula: the same domain (compared exactly) and a difference that sympy
simplifies to 0.

What it does not do: decide that a rewrite is more accurate (the caller measures that), or
rewrite what no rule names (a series for u - tanh(u) near 0 is no identity: never offered).
"""

from __future__ import annotations

import itertools
import tomllib
from decimal import Decimal, localcontext
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import sympy as sp

from verifier.analysis.context import AnalysisContext
from verifier.analysis.undecided import Undecided
from verifier.errors import ExpressionError
from verifier.expr import parse_both, parse_expression

_WILD = "u"
_PASSES = 8   # rewrites applied at one node before giving up (each rule shrinks the tree)


@dataclass(frozen=True)
class Rule:
    """One rule of the rule base: its two sides as texts in the wildcard u."""

    pattern_text: str
    replacement_text: str
    why: str

    @property
    def text(self) -> str:
        """As the rule base writes it: "exp(u) - 1 -> expm1(u)"."""
        return f"{self.pattern_text} -> {self.replacement_text}"

    @cached_property
    def pattern(self) -> sp.Expr:
        """The pattern as a written tree."""
        return parse_expression(self.pattern_text, variable=_WILD, as_written=True)

    @cached_property
    def replacement(self) -> sp.Expr:
        return parse_expression(self.replacement_text, variable=_WILD, as_written=True)


@cache
def rules() -> tuple[Rule, ...]:
    """The shipped rules (verifier/data/rewrites.toml)."""
    data = tomllib.loads(resources.files("verifier").joinpath("data/rewrites.toml")
                         .read_text(encoding="utf-8"))
    return tuple(Rule(r["pattern"], r["replacement"], r["why"]) for r in data["rewrite"])


@dataclass(frozen=True)
class Rewrite:
    text: str                 # the rewritten formula in the parser's vocabulary
    applied: tuple[str, ...]  # the rules used, "pattern -> replacement"

    def reasons(self) -> list[str]:
        """Why each rule used helps floats (the rule base's `why`)."""
        return [rule.why for rule in rules() if rule.text in self.applied]


def rewritten(written: sp.Expr) -> Rewrite | None:
    """The written tree with every rule applied (None when no rule applies)."""
    applied: list[str] = []
    with sp.evaluate(False):
        result = _rewrite(written, applied)
    if not applied:
        return None
    return Rewrite(written_text(result), tuple(dict.fromkeys(applied)))


def _rewrite(node: sp.Basic, applied: list[str]) -> sp.Basic:
    if node.args and not isinstance(node, (sp.Symbol, sp.Number)):
        args = tuple(_rewrite(arg, applied) for arg in node.args)
        if args != node.args:
            node = node.func(*args)
    for _ in range(_PASSES):
        for rule in rules():
            bound: dict = {}
            if _match(rule.pattern, node, bound):
                wild = sp.Symbol(_WILD, real=True)
                node = rule.replacement.xreplace({wild: bound[wild]})
                applied.append(rule.text)
                break
        else:
            return node
    return node


def _match(pattern: sp.Basic, node: sp.Basic, bound: dict) -> bool:
    """Structural match of a written tree, the wildcard binding one sub-tree (Add and Mul
    match their arguments in any order)."""
    if isinstance(pattern, sp.Symbol) and pattern.name == _WILD:
        if pattern in bound:
            return bound[pattern] == node
        bound[pattern] = node
        return True
    if not pattern.args or not node.args:
        return pattern == node
    if pattern.func != node.func or len(pattern.args) != len(node.args):
        return False
    orders = itertools.permutations(node.args) if isinstance(node, (sp.Add, sp.Mul)) and \
        len(node.args) <= 4 else [node.args]
    for order in orders:
        trial = dict(bound)
        if all(_match(p, n, trial) for p, n in zip(pattern.args, order)):
            bound.update(trial)
            return True
    return False


_RELATIONS = {sp.StrictGreaterThan: ">", sp.GreaterThan: ">=", sp.StrictLessThan: "<",
              sp.LessThan: "<="}
_NAMES = {sp.Abs: "abs", sp.Max: "max", sp.Min: "min"}


def written_text(node: sp.Basic) -> str:
    """A written tree in the parser's vocabulary, read back into the same tree and so the
    same float program: arguments in the written order (sums and products are evaluated left
    to right in floats), a/b as one division, terminating fractions as their decimals. A
    node the vocabulary has no name for prints as sympy does, and the parser refuses it."""
    if isinstance(node, sp.Add):
        text = _operand(node.args[0], sp.Add)
        for term in node.args[1:]:
            negated = isinstance(term, sp.Mul) and term.args[0] == -1
            shown = sp.Mul(*term.args[1:], evaluate=False) if negated and \
                len(term.args) > 2 else term.args[1] if negated else term
            text += f" - {_operand(shown, sp.Mul)}" if negated else \
                f" + {_operand(term, sp.Add)}"
        return text
    if isinstance(node, sp.Mul):
        return _product(node)
    if isinstance(node, sp.Pow):
        if node.exp == sp.S.Half:
            return f"sqrt({written_text(node.base)})"
        if node.exp == -1:
            return f"1/{_operand(node.base, sp.Pow)}"
        return f"{_operand(node.base, sp.Pow)}**{_operand(node.exp, sp.Pow)}"
    if isinstance(node, sp.Rational):
        return _number(node)
    if isinstance(node, sp.Piecewise):
        return "Piecewise(" + ", ".join(f"({written_text(value)}, {written_text(condition)})"
                                        for value, condition in node.args) + ")"
    if type(node) in _RELATIONS:
        return f"{written_text(node.lhs)} {_RELATIONS[type(node)]} {written_text(node.rhs)}"
    if isinstance(node, (sp.Function, sp.Max, sp.Min)):
        name = _NAMES.get(type(node), type(node).__name__)
        return f"{name}({', '.join(written_text(arg) for arg in node.args)})"
    return sp.sstr(node)


def _product(node: sp.Mul) -> str:
    if node.args[0] == -1:
        rest = node.args[1:]
        inner = rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
        return f"-{_operand(inner, sp.Mul)}"
    divisors = [f for f in node.args if isinstance(f, sp.Pow) and f.exp.is_Integer and
                f.exp < 0]
    numerator = [f for f in node.args if f not in divisors]
    text = "*".join(_operand(f, sp.Mul) for f in numerator) if numerator else "1"
    for divisor in divisors:
        base = _operand(divisor.base, sp.Pow)
        text += f"/{base}" if divisor.exp == -1 else f"/{base}**{-int(divisor.exp)}"
    return text


def _operand(node: sp.Basic, within: type) -> str:
    """node's text, in parentheses where the enclosing operation would bind it otherwise."""
    text = written_text(node)
    atomic = isinstance(node, (sp.Symbol, sp.Function, sp.Max, sp.Min, sp.NumberSymbol)) or (
        isinstance(node, sp.Rational) and node >= 0 and "/" not in text) or (
        isinstance(node, sp.Pow) and within is not sp.Pow and node.exp != -1) or (
        isinstance(node, sp.Mul) and within is sp.Add and not text.startswith("-"))
    return text if atomic else f"({text})"


def _number(value: sp.Rational) -> str:
    p, q = int(value.p), int(value.q)
    rest = q >> ((q & -q).bit_length() - 1)   # q without its factors 2
    while rest % 5 == 0:
        rest //= 5
    if q == 1 or rest != 1:   # an integer, or no terminating decimal: a quotient
        return str(p) if q == 1 else f"{p}/{q}"
    with localcontext() as exact:   # p/(2**a * 5**b) has at most digits(p) + max(a, b)
        exact.prec = len(str(p)) + q.bit_length() + 2
        return str((Decimal(p) / Decimal(q)).normalize()).lower()


def proved_equal(context: AnalysisContext, rewrite: Rewrite) -> list[str]:
    """Evidence that the rewrite's text is the same function as the written formula (raises
    Undecided when that is not shown, or the text does not parse): its domain equals f's
    (exactly), and either sympy evaluates both to one expression, or every rule used is an
    identity wherever its pattern is defined. Then wherever f is defined each rewritten
    sub-formula was defined and equal to what replaced it, so the rewrite has f's value."""
    x = context.x
    try:
        evaluated, written = parse_both(rewrite.text, variable=x.name)
    except ExpressionError as exc:
        raise Undecided(f"the rewrite does not parse: {exc}") from None
    other = AnalysisContext(evaluated, x, written=written)
    if not _same_set(context.domain.region, other.domain.region):
        raise Undecided(f"the rewrite {rewrite.text} has another domain")
    domains = "its domain is f's (compared exactly)"
    if context.expr - evaluated == 0:
        return [f"proved equal: {domains}, and sympy evaluates both to one expression"]
    identities = [rule_identity(rule) for rule in rules() if rule.text in rewrite.applied]
    return [f"proved equal: {domains}, and each rule used is an identity: "
            f"{'; '.join(identities)}"]


@cache
def rule_identity(rule: Rule) -> str:
    """Why `pattern = replacement` wherever the pattern is defined: the replacement is defined
    there too, and sympy simplifies their difference to 0 (raises Undecided otherwise)."""
    u = sp.Symbol(_WILD, real=True)
    pattern, pattern_written = parse_both(rule.pattern_text, variable=_WILD)
    replacement, replacement_written = parse_both(rule.replacement_text, variable=_WILD)
    covered = sp.Complement(AnalysisContext(pattern, u, written=pattern_written).domain.region,
                            AnalysisContext(replacement, u,
                                            written=replacement_written).domain.region)
    if covered != sp.S.EmptySet:
        raise Undecided(f"{rule.text}: the replacement is undefined at some u of {covered}")
    difference = pattern - replacement
    for step in (lambda d: d, sp.simplify, lambda d: sp.simplify(d.rewrite(sp.exp))):
        if step(difference) == 0:
            return f"{rule.text} (difference simplified to 0)"
    raise Undecided(f"{rule.text}: the difference was not simplified to 0")


def _same_set(a: sp.Set, b: sp.Set) -> bool:
    return a == b or (sp.Complement(a, b) == sp.S.EmptySet and
                      sp.Complement(b, a) == sp.S.EmptySet)
