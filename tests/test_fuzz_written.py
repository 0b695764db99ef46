"""Differential fuzz: machine-made formulas full of cancellations, step functions times partial
functions, inverse compositions, atan/sign sums, removable singularities and disconnected
domains. Every decided verdict of the real engine is compared with the tests' own dense
evaluation of the written text at 50 digits (tests.written_eval); a decided verdict that it
contradicts is a wrong verdict, and there must be none."""

import mpmath
import pytest
import sympy as sp
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from verifier.engine import check_activations
from verifier.model import Activation, Verdict
from tests.written_eval import AMBIGUOUS, evaluate_text

PROPERTIES = ("domain", "nonlinear", "symmetric")
GRID = sorted({sp.Rational(k, 8) for k in range(-40, 41)} | {
    sp.Rational(s * v) for s in (1, -1) for v in (7, 10, 33, 100, 1000)} | {
    sp.Rational(s, 10**6) for s in (1, -1)})

_UNARY = ["exp", "log", "sqrt", "sin", "tanh", "atan", "abs", "sign", "Heaviside", "relu",
          "sigmoid"]
_leaves = st.sampled_from(["x", "x", "x", "1", "2", "-1", "0.5", "3", "0"])
_TEMPLATES = [
    "({a})/({a})", "({a})**3/({a})**2", "0*({a})", "Heaviside({b})*({a})", "relu({b})*({a})",
    "exp(log({a}))", "sqrt({a})**2", "atan({a}) - atan(-1/({a}))", "sin({a})/({a})",
    "log(({a})**2 - 1)", "({a}) - ({a}) + ({b})", "x*({a})/x", "where({a} > 0, {b}, {a})",
    "sign({a})*({b})", "({a})*({b})/({b})", "atan(({a})/({b}))",
]


def _extend(inner):
    return st.one_of(
        st.tuples(st.sampled_from(_UNARY), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        st.tuples(st.sampled_from(_TEMPLATES), inner, inner).map(
            lambda t: t[0].format(a=t[1], b=t[2])),
    )


TREES = st.recursive(_leaves, _extend, max_leaves=5)


def _draw(count: int) -> list[str]:
    drawn: list[str] = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(TREES)
    def collect(text):
        if "x" in text:
            drawn.append(text)

    collect()
    return list(dict.fromkeys(drawn))


def _membership(parts):
    """t -> whether the exact rational t is in the claimed set (ends read once, compared at
    60 digits, exactly only where they come close)."""
    ends = []
    for part in parts:
        if "value" in part:
            point = sp.sympify(part["exact"])
            ends.append((point, point, True, True))
        else:
            ends.append((sp.sympify(part["lo_exact"]), sp.sympify(part["hi_exact"]),
                         part["lo_closed"], part["hi_closed"]))
    numeric = [tuple(mpmath.mpf(str(sp.N(e, 60))) if e.is_finite else (
        mpmath.inf if e > 0 else -mpmath.inf) for e in end[:2]) for end in ends]

    def side(t, t_mp, end, end_mp, closed, above: bool) -> bool:
        if abs(t_mp - end_mp) > 1e-40:
            return t_mp > end_mp if above else t_mp < end_mp
        return (t > end if above else t < end) or (closed and t == end)

    def contains(t) -> bool:
        t_mp = mpmath.mpf(int(t.p)) / int(t.q)
        return any(side(t, t_mp, lo, lo_mp, lo_closed, True)
                   and side(t, t_mp, hi, hi_mp, hi_closed, False)
                   for (lo, hi, lo_closed, hi_closed), (lo_mp, hi_mp) in zip(ends, numeric))
    return contains


def _contradictions(text: str, results) -> list[str]:
    with mpmath.workdps(50):
        return _compare(text, results)


def _compare(text: str, results) -> list[str]:
    values = {t: evaluate_text(text, t) for t in GRID}
    known = {t: v for t, v in values.items() if v is not AMBIGUOUS}
    found = []
    domain = results["domain"]
    if domain.verdict is not Verdict.unknown and isinstance(domain.facts["domain"], list):
        contains = _membership(domain.facts["domain"])
        for t, v in known.items():
            if contains(t) != (v is not None):
                found.append(f"domain: x = {t} is {'in' if v is None else 'outside'} the "
                             f"claimed domain but f there is {v}")
                break
        if domain.verdict is Verdict.refuted and domain.witness:
            if evaluate_text(text, domain.witness["x_exact"]) not in (None, AMBIGUOUS):
                found.append("domain: the witness is defined")
    line = results["nonlinear"]
    defined = {t: v for t, v in known.items() if v is not None}
    if line.verdict is Verdict.refuted:
        a, b = (sp.sympify(line.witness[k]) for k in ("slope", "intercept"))
        for t, v in defined.items():
            if abs(v - mpmath.mpf(str((a * t + b).evalf(60)))) > 1e-25 * (1 + abs(v)):
                found.append(f"nonlinear: f({t}) = {v} is off the line {a}*x + {b}")
                break
    elif line.verdict is Verdict.proved and len(defined) >= 3:
        (t0, v0), (t1, v1), *_ = defined.items()
        slope = (v1 - v0) / (mpmath.mpf(t1.p) / t1.q - mpmath.mpf(t0.p) / t0.q)
        if all(abs(v - (v0 + slope * (mpmath.mpf(t.p) / t.q - mpmath.mpf(t0.p) / t0.q)))
               <= 1e-25 * (1 + abs(v)) for t, v in defined.items()):
            found.append("nonlinear: proved, but every grid value is on one line")
    parity = results["symmetric"]
    if parity.verdict is Verdict.proved:
        signs = {"odd": [-1], "even": [1], "both": [1, -1]}[parity.facts["parity"]]
        for t, v in known.items():
            mirror = values.get(-t, AMBIGUOUS)
            if mirror is AMBIGUOUS:
                continue
            if (v is None) != (mirror is None) or v is not None and not any(
                    abs(mirror - s * v) <= 1e-25 * (1 + abs(v)) for s in signs):
                found.append(f"symmetric: {parity.facts['parity']} fails at x = {t}")
                break
    return found


def _run(texts: list[str], timeout: float):
    activations = [Activation(name=f"t{i}", expr=text, file="<fuzz>")
                   for i, text in enumerate(texts)]
    report = check_activations(activations, properties=PROPERTIES, timeout=timeout,
                               examples=None, jobs=2)
    tally = {"trees": len(texts), "decided": 0, "contradictions": 0}
    wrong = []
    for text, result in zip(texts, report.activations):
        assert result.error is None or result.error.kind != "internal", (text, result.error)
        if not result.properties:
            continue
        tally["decided"] += sum(r.verdict is not Verdict.unknown
                                for r in result.properties.values())
        for problem in _contradictions(text, result.properties):
            wrong.append(f"{text}: {problem}")
    tally["contradictions"] = len(wrong)
    return tally, wrong


def test_machine_made_formulas_get_no_wrong_verdict():
    texts = _draw(300)
    tally, wrong = _run(texts, timeout=5)
    assert wrong == [], "\n".join(wrong)
    assert tally["trees"] >= 100 and tally["decided"] >= 2 * tally["trees"], tally


@pytest.mark.slow
def test_many_machine_made_formulas_get_no_wrong_verdict():
    texts = _draw(700)
    tally, wrong = _run(texts, timeout=10)
    assert wrong == [], "\n".join(wrong)
