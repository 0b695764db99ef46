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

from collections.abc import Iterator
from contextlib import contextmanager

import sympy as sp
from flint import arb, ctx

from verifier.analysis.arb.ball_program import ball_program, is_tanh_square
from verifier.analysis.undecided import Undecided

PRECISION_BITS = 128
# what to try, in order, when 128 bits do not hold a number (exp(x) near the float64 limit)
PRECISION_LADDER = (PRECISION_BITS, 1280)
_CONSTANT = sp.Dummy("constant")


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
        result = ball_program(expr, x)(ball)
    if not result.is_finite():
        raise Undecided("the enclosure is not finite")
    return result


def tighten(expr: sp.Expr) -> sp.Expr:
    """The same function with exp(v) / (c + exp(v)) written 1 / (1 + c*exp(-v)).

    Interval arithmetic treats the two occurrences of exp(v) independently, which makes the
    enclosure explode on wide boxes (sigmoid-like ratios far out); one occurrence keeps it
    tight; sums that cancel are written without the cancellation (_cancelling_sum). The
    identities are exact (exp never vanishes)."""
    expr = expr.replace(lambda e: isinstance(e, sp.Add), _cancelling_sum)

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


def _cancelling_sum(total: sp.Add) -> sp.Expr:
    """c - c*tanh(v)**2 as c*sech(v)**2, and c +- c*tanh(v) as 2c / (1 + exp(-+2v)), for any
    x-free c (26829*sqrt(2) in GELU-tanh's f''): exact identities whose right sides do not
    cancel, where the left sides are 0 +- 2**-128 in arb once |v| > 50."""
    constant = sp.Add(*(term for term in total.args if not term.free_symbols))
    if constant == 0:
        return total
    rest = total - constant
    for term in sp.Add.make_args(rest):
        coefficient, factor = term.as_independent(*term.free_symbols, as_Add=False)
        if is_tanh_square(constant, coefficient, factor):
            return rest - term + constant * sp.sech(factor.base.args[0])**2
        if isinstance(factor, sp.tanh) and abs(coefficient) == abs(constant):
            v = factor.args[0] if coefficient == constant else -factor.args[0]
            return rest - term + 2 * constant / (1 + sp.exp(-2 * v))
    return total


def exact_ball(value: sp.Expr, *, least_precision: int = PRECISION_BITS) -> arb:
    """A ball around an exact sympy constant: at PRECISION_BITS, or at 1280 bits when that
    fails (exp(2**1023), the value of tanh(exp(x)) at the float64 limit, needs 1023 bits of
    its argument to be finite); rungs below `least_precision` are skipped. Raises Undecided."""
    if value.is_Rational:   # box ends and sample points: no program, no cache entry
        with working_precision(max(PRECISION_BITS, least_precision)):
            return arb(int(value.p)) / int(value.q)
    failure = None
    for precision in (p for p in PRECISION_LADDER if p >= least_precision):
        try:
            return enclose(value, _CONSTANT, arb(0), precision)
        except Undecided as exc:
            failure = failure or exc
    raise failure


def certainly_nonzero(ball: arb) -> bool:
    return bool(ball > 0) or bool(ball < 0)


def constant_certainly_nonzero(value: sp.Expr) -> bool:
    """An exact constant whose arb ball excludes 0 (False where no ball is found): the cheap
    answer to ask before simplify, which spends 10-100 ms failing to make such a value 0."""
    try:
        return certainly_nonzero(exact_ball(value))
    except Undecided:
        return False
