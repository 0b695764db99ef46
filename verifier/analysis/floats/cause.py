"""Why a float program is not finite at one input: the operation where inf or NaN first
appears, and what turns an inf into NaN further up (0*inf, inf/inf, inf - inf).

`first_failure(program, x, point, dtype)` evaluates the program as written at one float
(verifier.analysis.floats.program), then follows the non-finite value from the root down to the node
whose operands are all finite: that node is the origin (exp overflows, a power overflows, a
denominator underflowed to 0, log of 0, ...). The first node on that path that makes NaN out
of non-NaN operands is the "then".

What it does not guarantee: it names one path (the leftmost non-finite operand at each step),
not every overflowing sub-term; it describes the float program, and proves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from verifier.analysis.floats.program import DTYPES, ArrayWalk


@dataclass(frozen=True)
class FloatCause:
    kind: str            # overflow | underflow-division | log-of-zero | invalid
    operation: str       # the sub-term, as sympy writes it
    result: str          # inf, -inf or nan, what that sub-term gives
    then: str | None     # "0*inf", "inf/inf", "inf - inf" when NaN comes later, else None

    def json(self) -> dict:
        return {"kind": self.kind, "operation": self.operation, "result": self.result,
                "then": self.then}


class _Recording(ArrayWalk):
    records = True

    def __init__(self, x: sp.Symbol, points: np.ndarray, dtype: type) -> None:
        super().__init__(x, points, dtype)
        self.seen: dict[sp.Basic, float] = {}

    def record(self, expr: sp.Basic, values: np.ndarray) -> np.ndarray:
        self.seen.setdefault(expr, float(np.broadcast_to(values, self.points.shape)[0]))
        return values


def first_failure(program: sp.Expr, x: sp.Symbol, point: float, dtype: str) -> FloatCause | None:
    """The origin of the non-finite result at `point`, or None where it is finite (or where
    the path cannot be followed: a node the walk does not record)."""
    walk = _Recording(x, np.array([point], dtype=DTYPES[dtype]), DTYPES[dtype])
    with np.errstate(all="ignore"):
        walk.value(program)
    seen = walk.seen
    node = program
    if node not in seen or np.isfinite(seen[node]):
        return None
    then = None
    while True:
        children = [c for c in _operands(node, seen) if c in seen]
        bad = [c for c in children if not np.isfinite(seen[c])]
        if np.isnan(seen[node]) and not any(np.isnan(seen[c]) for c in bad) and bad:
            then = _nan_maker(node, seen)
        if not bad:
            if isinstance(node, (sp.Add, sp.Mul)) and len(node.args) > 2:
                # finite operands, a non-finite result: a partial sum or product overflowed
                # (a*b*c is computed (a*b)*c), and NaN comes from the next operand
                then = then or (("0*inf" if isinstance(node, sp.Mul) else "inf - inf")
                                if np.isnan(seen[node]) else None)
                return FloatCause("overflow", f"a partial {_kind_of(node)} of {sp.sstr(node)}",
                                  "inf", then)
            return FloatCause(_origin_kind(node, seen), sp.sstr(node), _word(seen[node]), then)
        node = bad[0]


def _operands(node: sp.Basic, seen: dict) -> list[sp.Basic]:
    if isinstance(node, sp.Piecewise):   # the taken branch gave the node's value
        value = seen[node]
        return [branch for branch, _ in node.args if branch in seen and (
            seen[branch] == value or (np.isnan(value) and np.isnan(seen[branch])))][:1]
    return list(node.args)


def _nan_maker(node: sp.Basic, seen: dict) -> str | None:
    values = [seen[c] for c in node.args if c in seen]
    if isinstance(node, sp.Mul):
        divisors = [c for c in node.args if isinstance(c, sp.Pow) and c.exp.is_Integer
                    and c.exp < 0 and c.base in seen]
        if any(np.isinf(seen[d.base]) for d in divisors) and any(np.isinf(v) for v in values
                                                                 if v is not None):
            return "inf/inf"
        return "0*inf"
    if isinstance(node, sp.Add):
        return "inf - inf"
    return None


def _origin_kind(node: sp.Basic, seen: dict) -> str:
    value = seen[node]
    if np.isnan(value):
        return "invalid"
    if isinstance(node, sp.log):
        return "log-of-zero"
    if isinstance(node, (sp.Mul, sp.Pow)) and any(
            isinstance(f, sp.Pow) and f.exp.is_Integer and f.exp < 0 and f.base in seen
            and seen[f.base] == 0 for f in sp.Mul.make_args(node)):
        return "underflow-division"
    return "overflow"


def _kind_of(node: sp.Basic) -> str:
    return "product" if isinstance(node, sp.Mul) else "sum"


def _word(value: float) -> str:
    return "nan" if np.isnan(value) else "inf" if value > 0 else "-inf"
