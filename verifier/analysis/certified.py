"""Certified evaluation of sympy expressions with python-flint arb balls.

`enclose(expr, x, ball)` returns an arb ball guaranteed to contain expr(t) for every real t in
`ball` where expr is defined. Every operation uses arb's own rigorous functions (exp, log, erf,
tanh, lambertw, ...). A branch (Piecewise condition, sign, Heaviside, floor) that the ball does
not decide, or a function outside the supported set, raises Undecided: never a guess.

What it does not guarantee: that expr is *defined* on the whole ball (log of a ball that
straddles 0 raises Undecided, but callers must intersect with the domain themselves), or
tight enclosures (wide balls give wide results; bisect).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sympy as sp
from flint import arb, ctx

from verifier.analysis.quotients import T as QUOTIENT_T
from verifier.analysis.quotients import vanishing_quotient
from verifier.analysis.undecided import Undecided

PRECISION_BITS = 128
# what to try, in order, when 128 bits do not hold a number (exp(x) near the float64 limit)
PRECISION_LADDER = (PRECISION_BITS, 1280)
_CONSTANT = sp.Dummy("constant")

_UNARY: dict[type, Callable[[arb], arb]] = {
    sp.exp: arb.exp, sp.sin: arb.sin, sp.cos: arb.cos, sp.tan: arb.tan,
    sp.tanh: arb.tanh, sp.sinh: arb.sinh, sp.cosh: arb.cosh, sp.atan: arb.atan,
    sp.asinh: arb.asinh, sp.erf: arb.erf, sp.erfc: arb.erfc, sp.Abs: abs, sp.sech: arb.sech,
}


@contextmanager
def working_precision(bits: int) -> Iterator[None]:
    """arb's working precision inside the block. It rounds comparisons too: two exact balls
    that differ in the 60th bit compare as neither < nor > at the default 53 bits."""
    saved = ctx.prec
    ctx.prec = bits
    try:
        yield
    finally:
        ctx.prec = saved


def enclose(expr: sp.Expr, x: sp.Symbol, ball: arb, precision: int = PRECISION_BITS) -> arb:
    """A certified enclosure of expr over `ball` (raises Undecided)."""
    with working_precision(precision):
        result = _Evaluator(x, ball).value(expr)
    if not result.is_finite():
        raise Undecided("the enclosure is not finite")
    return result


def tighten(expr: sp.Expr) -> sp.Expr:
    """The same function with exp(v) / (c + exp(v)) written 1 / (1 + c*exp(-v)).

    Interval arithmetic treats the two occurrences of exp(v) independently, which makes the
    enclosure explode on wide boxes (sigmoid-like ratios far out); one occurrence keeps it
    tight; 1 - tanh(v)**2 is 0 +- 2**-128 in arb once |v| > 50, sech(v)**2 stays accurate.
    The identities are exact (exp never vanishes)."""
    expr = expr.replace(lambda e: isinstance(e, sp.Add), _secant_squared)

    def single(product: sp.Mul) -> sp.Expr:
        factors = list(product.args)
        for i, numerator in enumerate(factors):
            if not isinstance(numerator, sp.exp):
                continue
            for j, power in enumerate(factors):
                if (isinstance(power, sp.Pow) and power.exp.is_Integer and power.exp < 0
                        and isinstance(power.base, sp.Add) and numerator in power.base.args):
                    rest = power.base - numerator
                    ratio = sp.Pow(1 + rest * sp.exp(-numerator.args[0]), -1)
                    others = [f for k, f in enumerate(factors) if k not in (i, j)]
                    if power.exp != -1:
                        others.append(power.base ** (power.exp + 1))
                    return sp.Mul(ratio, *others, evaluate=False)
        return product
    return expr.replace(lambda e: isinstance(e, sp.Mul), single)


def _secant_squared(total: sp.Add) -> sp.Expr:
    constant, rest = total.as_coeff_Add()
    if constant == 0:
        return total
    for term in sp.Add.make_args(rest):
        coefficient, factor = term.as_coeff_Mul()
        if _is_tanh_square(constant, coefficient, factor):
            return rest - term + constant * sp.sech(factor.base.args[0])**2
    return total


def _is_tanh_square(constant: sp.Expr, coefficient: sp.Expr, factor: sp.Expr) -> bool:
    """constant + coefficient*factor is c - c*tanh(v)**2."""
    return (coefficient == -constant and isinstance(factor, sp.Pow) and factor.exp == 2
            and isinstance(factor.base, sp.tanh))


def exact_ball(value: sp.Expr, *, least_precision: int = PRECISION_BITS) -> arb:
    """A ball around an exact sympy constant: at PRECISION_BITS, or at 1280 bits when that
    fails (exp(2**1023), the value of tanh(exp(x)) at the float64 limit, needs 1023 bits of
    its argument to be finite); rungs below `least_precision` are skipped. Raises Undecided."""
    failure = None
    for precision in (p for p in PRECISION_LADDER if p >= least_precision):
        try:
            return enclose(value, _CONSTANT, arb(0), precision)
        except Undecided as exc:
            failure = failure or exc
    raise failure


def certainly_nonzero(ball: arb) -> bool:
    return bool(ball > 0) or bool(ball < 0)


class _Evaluator:
    def __init__(self, x: sp.Symbol, ball: arb) -> None:
        self.x = x
        self.ball = ball

    def value(self, expr: sp.Basic) -> arb:
        if expr == self.x:
            return self.ball
        if expr.is_Integer:
            return arb(int(expr))
        if expr.is_Rational:
            return arb(int(expr.p)) / int(expr.q)
        if expr is sp.pi:
            return arb.pi()
        if expr is sp.E:
            return arb.const_e()
        if isinstance(expr, sp.Add):
            return self.sum(expr)
        if isinstance(expr, sp.Mul):
            return self.product(expr)
        if isinstance(expr, sp.Pow):
            return self.power(*expr.args)
        if isinstance(expr, sp.log):
            return self.logarithm(expr.args[0])
        function = _UNARY.get(type(expr))
        if function is not None:
            return self.checked(function, self.value(expr.args[0]), expr)
        return self.special(expr)

    def product(self, expr: sp.Mul) -> arb:
        """phi(t) / t with t = exp(w) small is phi'([0, t]) (verifier.analysis.quotients)."""
        quotient = vanishing_quotient(expr, self.x)
        if quotient is None:
            return _fold(expr.args, self.value, lambda a, b: a * b)
        t = self.value(sp.exp(quotient.w))
        if not t < 1:
            return _fold(expr.args, self.value, lambda a, b: a * b)
        mean_value = _Evaluator(QUOTIENT_T, arb(0).union(t)).value(quotient.slope)
        try:   # both enclose the product: keep the tighter one
            direct = _fold(expr.args, self.value, lambda a, b: a * b)
        except Undecided:
            return mean_value
        return direct if direct.is_finite() and direct.rad() < mean_value.rad() else mean_value

    def sum(self, expr: sp.Add) -> arb:
        """Sums that cancel catastrophically use arb's accurate forms: c + c*erf(u) is
        c*erfc(-u), c - c*erf(u) is c*erfc(u), k*exp(u) - k is k*expm1(u), c - c*tanh(u)**2 is
        c*sech(u)**2."""
        constant, rest = expr.as_coeff_Add()
        terms = list(rest.args) if isinstance(rest, sp.Add) else [rest]
        if constant != 0:
            for index, term in enumerate(terms):
                coefficient, factor = term.as_coeff_Mul()
                special = self.cancelling(constant, coefficient, factor)
                if special is not None:
                    others = [self.value(t) for t in terms[:index] + terms[index + 1:]]
                    return _fold_balls([special, *others], lambda a, b: a + b)
        return _fold(expr.args, self.value, lambda a, b: a + b)

    def cancelling(self, constant: sp.Rational, coefficient: sp.Rational,
                   factor: sp.Expr) -> arb | None:
        if isinstance(factor, sp.erf) and abs(coefficient) == abs(constant):
            u = self.value(factor.args[0])
            return self.value(constant) * (arb.erfc(-u) if coefficient == constant else
                                           arb.erfc(u))
        if isinstance(factor, sp.exp) and coefficient == -constant:
            return self.value(coefficient) * arb.expm1(self.value(factor.args[0]))
        if isinstance(factor, sp.tanh) and abs(coefficient) == abs(constant):
            # c + c*tanh(u) = 2c / (1 + exp(-2u)), c - c*tanh(u) = 2c / (1 + exp(2u))
            u = self.value(factor.args[0]) * (-2 if coefficient == constant else 2)
            if u > 0:   # exp(u) may overflow even arb's exponent: use exp(-u) / (1 + exp(-u))
                return 2 * self.value(constant) * (-u).exp() / (1 + (-u).exp())
            return 2 * self.value(constant) / (1 + u.exp())
        if _is_tanh_square(constant, coefficient, factor):
            secant = arb.sech(self.value(factor.base.args[0]))
            return self.value(constant) * secant * secant
        return None

    def power(self, base: sp.Expr, exponent: sp.Expr) -> arb:
        b = self.value(base)
        if exponent.is_Integer:
            n = int(exponent)
            if n < 0 and b.contains(0):
                raise Undecided("a reciprocal of a ball that may contain 0")
            return integer_power(b, n)
        if exponent == sp.Rational(1, 2):
            return self.checked(arb.sqrt, b, base, need_nonnegative=True)
        if not (b > 0):
            raise Undecided("a power whose base is not certainly positive")
        return (self.value(exponent) * b.log()).exp()

    def logarithm(self, argument: sp.Expr) -> arb:
        """log(1 + v) is log1p(v): accurate when v is tiny (softplus far to the left)."""
        if isinstance(argument, sp.Add) and sp.Integer(1) in argument.args:
            rest = argument - 1
            return self.checked(arb.log1p, self.value(rest), argument)
        return self.checked(arb.log, self.value(argument), argument)

    def checked(self, function: Callable[[arb], arb], argument: arb, expr: sp.Basic,
                need_nonnegative: bool = False) -> arb:
        if need_nonnegative and argument < 0:
            raise Undecided("sqrt of a negative ball")
        result = function(argument)
        if result.is_nan():
            raise Undecided(f"{type(expr).__name__} is not finite over the ball")
        return result

    def special(self, expr: sp.Basic) -> arb:
        args = [self.value(a) for a in expr.args] if not isinstance(expr, sp.Piecewise) else []
        if isinstance(expr, sp.Max):
            return _fold_balls(args, arb.max)
        if isinstance(expr, sp.Min):
            return _fold_balls(args, arb.min)
        if isinstance(expr, (sp.sign, sp.Heaviside, sp.floor, sp.ceiling)):
            return self.decided_step(expr, args[0])
        if isinstance(expr, sp.LambertW) and len(expr.args) == 1:
            return args[0].lambertw()
        if isinstance(expr, sp.Piecewise):
            return self.piecewise(expr)
        raise Undecided(f"no certified evaluation for {type(expr).__name__}")

    def decided_step(self, expr: sp.Basic, u: arb) -> arb:
        if isinstance(expr, (sp.floor, sp.ceiling)):
            low = u.lower().floor() if isinstance(expr, sp.floor) else u.lower().ceil()
            high = u.upper().floor() if isinstance(expr, sp.floor) else u.upper().ceil()
            if low == high:
                return low
            raise Undecided(f"{type(expr).__name__} jumps inside the ball")
        if u > 0:
            return arb(1)
        if u < 0:
            return arb(0) if isinstance(expr, sp.Heaviside) else arb(-1)
        if u.is_zero() and isinstance(expr, sp.sign):
            return arb(0)
        if u.is_zero() and isinstance(expr, sp.Heaviside):
            return self.value(expr.args[1]) if len(expr.args) > 1 else arb(1) / 2
        raise Undecided(f"{type(expr).__name__} changes inside the ball")

    def piecewise(self, expr: sp.Piecewise) -> arb:
        for value, condition in expr.args:
            truth = self.condition(condition)
            if truth is True:
                return self.value(value)
            if truth is None:
                raise Undecided("a Piecewise condition is not decided over the ball")
        raise Undecided("no Piecewise branch applies")

    def condition(self, condition: sp.Basic) -> bool | None:
        if condition in (sp.true, True):
            return True
        if condition in (sp.false, False):
            return False
        if isinstance(condition, (sp.And, sp.Or)):
            return combine_truths(condition, [self.condition(c) for c in condition.args])
        d = self.value(condition.lhs) - self.value(condition.rhs)
        tests = {sp.Lt: (d < 0, d >= 0), sp.Le: (d <= 0, d > 0), sp.Gt: (d > 0, d <= 0),
                 sp.Ge: (d >= 0, d < 0), sp.Eq: (d == 0, d != 0), sp.Ne: (d != 0, d == 0)}
        if type(condition) not in tests:
            raise Undecided(f"cannot evaluate the condition {condition}")
        certainly, certainly_not = tests[type(condition)]
        return True if certainly else (False if certainly_not else None)


def combine_truths(condition: sp.And | sp.Or, truths: list[bool | None]) -> bool | None:
    """Three-valued And/Or: None (not decided over the box) unless one part decides."""
    if isinstance(condition, sp.And):
        return False if False in truths else (None if None in truths else True)
    return True if True in truths else (None if None in truths else False)


def integer_power(ball: arb, n: int) -> arb:
    """ball**n by repeated squaring: arb's own power returns nan once the result's exponent
    passes about 2**64 (sech(1e923)**2), where products stay finite."""
    if n < 0:
        return 1 / integer_power(ball, -n)
    result, square = arb(1), ball
    while n:
        if n & 1:
            result *= square
        n >>= 1
        if n:
            square *= square
    return result


def _fold(items, value: Callable[[sp.Basic], arb], combine: Callable[[arb, arb], arb]) -> arb:
    result = value(items[0])
    for item in items[1:]:
        result = combine(result, value(item))
    return result


def _fold_balls(balls: list[arb], pick: Callable[[arb, arb], arb]) -> arb:
    result = balls[0]
    for ball in balls[1:]:
        result = pick(result, ball)
    return result
