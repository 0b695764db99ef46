"""Sympy expressions compiled into arb ball programs: the certified evaluator's engine.

`ball_program(expr, x)` walks the sympy tree once and returns a function from an arb ball (the
values of x) to an arb ball enclosing expr over it. All the structural decisions (which sums
cancel catastrophically, which products are vanishing quotients, which Piecewise branches
exist) are taken at compile time; a call only does arb arithmetic. Branch and bound evaluates
one expression on thousands of boxes, so this is where the verifier spends its time.

Every operation uses arb's rigorous functions. A branch (Piecewise condition, sign,
Heaviside, floor) the ball does not decide, a function outside the supported set, or a NaN
result raises Undecided when the program runs: never a guess. Constants are evaluated at the
caller's working precision (arb's ctx.prec) and kept for that precision only; a subexpression
that occurs more than once (f' repeats f's terms) is evaluated once per ball and precision.
Both caches only skip recomputing: arb's results depend on nothing but the ball and ctx.prec.

What it does not guarantee: that expr is defined on the whole ball, or tight enclosures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import sympy as sp
from flint import arb, ctx

from verifier.analysis.arb.quotients import T as QUOTIENT_T
from verifier.analysis.arb.quotients import vanishing_quotient
from verifier.analysis.undecided import Undecided
from verifier.fresh import memo
from verifier.vocabulary import Phi, expm1, log1p, sigmoid, softplus

Program = Callable[[arb], arb]
Test = Callable[[arb], "bool | None"]

UNARY: dict[type, Callable[[arb], arb]] = {
    sp.exp: arb.exp, sp.sin: arb.sin, sp.cos: arb.cos, sp.tan: arb.tan,
    sp.tanh: arb.tanh, sp.sinh: arb.sinh, sp.cosh: arb.cosh, sp.atan: arb.atan,
    sp.asinh: arb.asinh, sp.erf: arb.erf, sp.erfc: arb.erfc, sp.Abs: abs, sp.sech: arb.sech,
    # in the solver's answers (the zeros of cos(x) + c, tanh(x) + c, cosh(x) - c): NaN, so
    # Undecided, outside their domains
    sp.acos: arb.acos, sp.asin: arb.asin, sp.atanh: arb.atanh, sp.acosh: arb.acosh,
    # the stable shorthands of the written formula (their true values: the exact functions)
    expm1: arb.expm1, log1p: arb.log1p, sigmoid: lambda u: 1 / (1 + (-u).exp()),
    softplus: lambda u: u.exp().log1p(), Phi: lambda u: (-u / arb(2).sqrt()).erfc() / 2,
}
_RELATIONS: dict[type, Callable[[arb], tuple[bool, bool]]] = {
    sp.Lt: lambda d: (d < 0, d >= 0), sp.Le: lambda d: (d <= 0, d > 0),
    sp.Gt: lambda d: (d > 0, d <= 0), sp.Ge: lambda d: (d >= 0, d < 0),
    sp.Eq: lambda d: (d == 0, d != 0), sp.Ne: lambda d: (d != 0, d == 0),
}


@memo(4096)
def ball_program(expr: sp.Basic, x: sp.Symbol) -> Program:
    """expr as a function of a ball of x values (raises Undecided when run, never here)."""
    return _Compiler(x, expr).compile(expr)


class _Compiler:
    def __init__(self, x: sp.Symbol, whole: sp.Basic) -> None:
        self.x = x
        self.occurrences = Counter(sp.preorder_traversal(whole))
        self.programs: dict[sp.Basic, Program] = {}

    def compile(self, expr: sp.Basic) -> Program:
        """expr's program, one per distinct subexpression: a constant kept per precision, a
        repeated subexpression kept for the last ball."""
        program = self.programs.get(expr)
        if program is None:
            program = self.uncached(expr)
            if not expr.free_symbols and not expr.is_Integer:
                program = _per_precision(program)
            elif self.occurrences[expr] > 1 and not expr.is_Atom:
                program = _per_ball(program)
            self.programs[expr] = program
        return program

    def uncached(self, expr: sp.Basic) -> Program:
        if expr == self.x:
            return lambda ball: ball
        if expr.is_Integer:
            exact = arb(int(expr))
            return lambda ball: exact
        if expr.is_Rational:
            p, q = int(expr.p), int(expr.q)
            return lambda ball: arb(p) / q
        if expr is sp.pi:
            return lambda ball: arb.pi()
        if expr is sp.E:
            return lambda ball: arb.const_e()
        if isinstance(expr, sp.Add):
            return self.sum(expr)
        if isinstance(expr, sp.Mul):
            return self.product(expr)
        if isinstance(expr, sp.Pow):
            return self.power(*expr.args)
        if isinstance(expr, sp.log):
            return self.logarithm(expr.args[0])
        function = UNARY.get(type(expr))
        if function is not None:
            return _checked(function, self.compile(expr.args[0]), type(expr).__name__)
        return self.special(expr)

    def product(self, expr: sp.Mul) -> Program:
        """phi(t) / t with t = exp(w) small is phi'([0, t]) (verifier.analysis.arb.quotients):
        both enclose the product; the tighter one is kept."""
        direct = _folded([self.compile(a) for a in expr.args], lambda a, b: a * b)
        quotient = vanishing_quotient(expr, self.x)
        if quotient is None:
            return direct
        t_of = self.compile(sp.exp(quotient.w))
        slope = _Compiler(QUOTIENT_T, quotient.slope).compile(quotient.slope)

        def run(ball: arb) -> arb:
            t = t_of(ball)
            if not t < 1:
                return direct(ball)
            mean_value = slope(arb(0).union(t))
            try:
                plain = direct(ball)
            except Undecided:
                return mean_value
            return plain if plain.is_finite() and plain.rad() < mean_value.rad() else mean_value
        return run

    def sum(self, expr: sp.Add) -> Program:
        """Sums that cancel catastrophically use arb's accurate forms: c + c*erf(u) is
        c*erfc(-u), c - c*erf(u) is c*erfc(u), k*exp(u) - k is k*expm1(u), c - c*tanh(u)**2 is
        c*sech(u)**2, c +- c*tanh(u) is 2c / (1 + exp(-+2u))."""
        constant, rest = expr.as_coeff_Add()
        terms = list(rest.args) if isinstance(rest, sp.Add) else [rest]
        if constant != 0:
            for index, term in enumerate(terms):
                coefficient, factor = term.as_coeff_Mul()
                special = self.cancelling(constant, coefficient, factor)
                if special is not None:
                    others = [self.compile(t) for t in terms[:index] + terms[index + 1:]]
                    return _folded([special, *others], lambda a, b: a + b)
        return _folded([self.compile(a) for a in expr.args], lambda a, b: a + b)

    def cancelling(self, constant: sp.Rational, coefficient: sp.Rational,
                   factor: sp.Expr) -> Program | None:
        c = self.compile(constant)
        if isinstance(factor, sp.erf) and abs(coefficient) == abs(constant):
            u, sign = self.compile(factor.args[0]), -1 if coefficient == constant else 1
            return lambda ball: c(ball) * arb.erfc(sign * u(ball))
        if isinstance(factor, sp.exp) and coefficient == -constant:
            k, u = self.compile(coefficient), self.compile(factor.args[0])
            return lambda ball: k(ball) * arb.expm1(u(ball))
        if isinstance(factor, sp.tanh) and abs(coefficient) == abs(constant):
            u_of, scale = self.compile(factor.args[0]), -2 if coefficient == constant else 2

            def tanh_sum(ball: arb) -> arb:
                u = u_of(ball) * scale
                if u > 0:   # exp(u) may overflow even arb's exponent: use exp(-u)
                    return 2 * c(ball) * (-u).exp() / (1 + (-u).exp())
                return 2 * c(ball) / (1 + u.exp())
            return tanh_sum
        if is_tanh_square(constant, coefficient, factor):
            v = self.compile(factor.base.args[0])

            def secant_square(ball: arb) -> arb:
                secant = arb.sech(v(ball))
                return c(ball) * secant * secant
            return secant_square
        return None

    def power(self, base: sp.Expr, exponent: sp.Expr) -> Program:
        b_of = self.compile(base)
        if exponent.is_Integer:
            n = int(exponent)

            def integer(ball: arb) -> arb:
                b = b_of(ball)
                if n < 0 and b.contains(0):
                    raise Undecided("a reciprocal of a ball that may contain 0")
                return integer_power(b, n)
            return integer
        if exponent == sp.Rational(1, 2):
            def root(ball: arb) -> arb:
                b = b_of(ball)
                if b < 0:
                    raise Undecided("sqrt of a negative ball")
                return _finite_or_undecided(b.sqrt(), "Pow")
            return root
        e_of = self.compile(exponent)

        def general(ball: arb) -> arb:
            b = b_of(ball)
            if not (b > 0):
                raise Undecided("a power whose base is not certainly positive")
            return (e_of(ball) * b.log()).exp()
        return general

    def logarithm(self, argument: sp.Expr) -> Program:
        """log(1 + v) is log1p(v): accurate when v is tiny (softplus far to the left)."""
        if isinstance(argument, sp.Add) and sp.Integer(1) in argument.args:
            return _checked(arb.log1p, self.compile(argument - 1), "Add")
        return _checked(arb.log, self.compile(argument), type(argument).__name__)

    def special(self, expr: sp.Basic) -> Program:
        if isinstance(expr, sp.Piecewise):
            return self.piecewise(expr)
        name = type(expr).__name__
        if isinstance(expr, (sp.Max, sp.Min)):
            pick = arb.max if isinstance(expr, sp.Max) else arb.min
            return _folded([self.compile(a) for a in expr.args], pick)
        if isinstance(expr, (sp.floor, sp.ceiling)):
            return self.rounding(expr)
        if isinstance(expr, (sp.sign, sp.Heaviside)):
            return self.step(expr)
        if isinstance(expr, sp.CRootOf) and expr.is_real:
            return lambda ball: _algebraic_ball(expr)
        if isinstance(expr, sp.LambertW) and len(expr.args) == 1:
            w = self.compile(expr.args[0])
            return lambda ball: w(ball).lambertw()

        def unsupported(ball: arb) -> arb:
            raise Undecided(f"no certified evaluation for {name}")
        return unsupported

    def rounding(self, expr: sp.floor | sp.ceiling) -> Program:
        u_of, name = self.compile(expr.args[0]), type(expr).__name__
        down = isinstance(expr, sp.floor)

        def run(ball: arb) -> arb:
            u = u_of(ball)
            low = u.lower().floor() if down else u.lower().ceil()
            high = u.upper().floor() if down else u.upper().ceil()
            if low == high:
                return low
            raise Undecided(f"{name} jumps inside the ball")
        return run

    def step(self, expr: sp.sign | sp.Heaviside) -> Program:
        u_of, name = self.compile(expr.args[0]), type(expr).__name__
        heaviside = isinstance(expr, sp.Heaviside)
        at_zero = self.compile(expr.args[1] if heaviside and len(expr.args) > 1 else
                               sp.Rational(1, 2) if heaviside else sp.Integer(0))

        def run(ball: arb) -> arb:
            u = u_of(ball)
            if u > 0:
                return arb(1)
            if u < 0:
                return arb(0) if heaviside else arb(-1)
            if u.is_zero():
                return at_zero(ball)
            raise Undecided(f"{name} changes inside the ball")
        return run

    def piecewise(self, expr: sp.Piecewise) -> Program:
        branches = [(self.compile(value), self.condition(condition))
                    for value, condition in expr.args]

        def run(ball: arb) -> arb:
            for value, test in branches:
                truth = test(ball)
                if truth is True:
                    return value(ball)
                if truth is None:
                    raise Undecided("a Piecewise condition is not decided over the ball")
            raise Undecided("no Piecewise branch applies")
        return run

    def condition(self, condition: sp.Basic) -> Test:
        if condition in (sp.true, True):
            return lambda ball: True
        if condition in (sp.false, False):
            return lambda ball: False
        if isinstance(condition, (sp.And, sp.Or)):
            parts = [self.condition(c) for c in condition.args]
            return lambda ball: combine_truths(condition, [p(ball) for p in parts])
        relation = _RELATIONS.get(type(condition))
        if relation is None:
            def unsupported(ball: arb) -> bool | None:
                raise Undecided(f"cannot evaluate the condition {condition}")
            return unsupported
        lhs, rhs = self.compile(condition.lhs), self.compile(condition.rhs)

        def test(ball: arb) -> bool | None:
            certainly, certainly_not = relation(lhs(ball) - rhs(ball))
            return True if certainly else (False if certainly_not else None)
        return test


def _algebraic_ball(root: sp.CRootOf) -> arb:
    """A real algebraic number held by sympy as an isolating interval (the exact zeros of
    verifier.analysis.exp_polynomials): the interval refined by bisection below 10**-(n + 2)
    of its centre c, n digits being the working precision and 3 more, so |root - c| is below
    half that; the ball is twice as wide. Relative, so a root near 1e-100 is as tight as one
    near 1 (a real CRootOf of an irreducible factor is never 0)."""
    digits = (ctx.prec + 8) * 3 // 10 + 3
    centre = root.eval_rational(n=digits)
    middle = arb(int(centre.p)) / int(centre.q)
    radius = abs(middle) / arb(10) ** (digits + 2)
    return middle + arb(0).union(radius).union(-radius)


def _per_precision(program: Program) -> Program:
    """A constant's program evaluated once per working precision (an Undecided one each
    time: never kept)."""
    kept: dict[int, arb] = {}

    def run(ball: arb) -> arb:
        value = kept.get(ctx.prec)
        if value is None:
            value = kept[ctx.prec] = program(ball)
        return value
    return run


def _per_ball(program: Program) -> Program:
    """A repeated subexpression's program evaluated once for the same ball object at the same
    precision. The entry holds its ball, so no other ball can take its identity; it is
    replaced whole, one assignment, so a reader never sees half of it."""
    last: list[tuple[arb | None, int, arb | None]] = [(None, 0, None)]

    def run(ball: arb) -> arb:
        seen, precision, value = last[0]
        if seen is ball and precision == ctx.prec:
            return value
        value = program(ball)
        last[0] = (ball, ctx.prec, value)
        return value
    return run


def _checked(function: Callable[[arb], arb], argument: Program, name: str) -> Program:
    return lambda ball: _finite_or_undecided(function(argument(ball)), name)


def _finite_or_undecided(result: arb, name: str) -> arb:
    if result.is_nan():
        raise Undecided(f"{name} is not finite over the ball")
    return result


def _folded(programs: list[Program], combine: Callable[[arb, arb], arb]) -> Program:
    if len(programs) == 2:
        first, second = programs
        return lambda ball: combine(first(ball), second(ball))

    def run(ball: arb) -> arb:
        result = programs[0](ball)
        for program in programs[1:]:
            result = combine(result, program(ball))
        return result
    return run


def combine_truths(condition: sp.And | sp.Or, truths: list[bool | None]) -> bool | None:
    """Three-valued And/Or: None (not decided over the box) unless one part decides."""
    if isinstance(condition, sp.And):
        return False if False in truths else (None if None in truths else True)
    return True if True in truths else (None if None in truths else False)


def is_tanh_square(constant: sp.Expr, coefficient: sp.Expr, factor: sp.Expr) -> bool:
    """constant + coefficient*factor is c - c*tanh(v)**2."""
    return (coefficient == -constant and isinstance(factor, sp.Pow) and factor.exp == 2
            and isinstance(factor.base, sp.tanh))


def integer_power(ball: arb, n: int) -> arb:
    """ball**n as an interval: the powers of its two ends (and 0 for an even n across 0), so
    (10 +/- 6)**2 is [16, 256], not the [-56, 256] that squaring a ball by multiplication
    gives (sqrt(x**2 + 1) over [4, 16] was 'not certainly positive'). A ball narrow against
    its midpoint (20 bits or more) is squared up as it is: there both agree to within r**2,
    and the ends' two roundings would only widen it."""
    if n < 0:
        return 1 / integer_power(ball, -n)
    if n < 2 or not ball.is_finite() or ball.rel_accuracy_bits() >= _NARROW_BITS:
        return _squared_up(ball, n)
    result = _squared_up(ball.lower(), n).union(_squared_up(ball.upper(), n))
    if n % 2:
        return result
    return (result.union(arb(0)) if ball.contains(0) else result).nonnegative_part()


_NARROW_BITS = 20


def _squared_up(ball: arb, n: int) -> arb:
    """ball**n by repeated squaring: arb's own power returns nan once the result's exponent
    passes about 2**64 (sech(1e923)**2), where products stay finite."""
    result, square = arb(1), ball
    while n:
        if n & 1:
            result *= square
        n >>= 1
        if n:
            square *= square
    return result
