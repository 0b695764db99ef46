"""Each activation starts afresh: its answers do not depend on what the process did before."""

import sympy as sp

from verifier import activation_job, parsing
from verifier.defaults import DEFAULT_ULPS
from verifier.properties.no_vanishing_gradient import DEFAULT_EPSILON
from verifier.analysis.derivatives import derivative
from verifier.fresh import start_afresh
from verifier.model import Activation


def _dummies_after_start(identity: str) -> list[tuple[str, int]]:
    start_afresh(identity)
    return [(d.name, d.dummy_index) for d in (sp.Dummy(), sp.Dummy("n"))]


def test_dummies_are_numbered_alike_whatever_came_before():
    first = _dummies_after_start("tanh(x)")
    for _ in range(333):
        sp.Dummy()
    assert _dummies_after_start("tanh(x)") == first
    other = _dummies_after_start("sin(x)")
    # another activation's block: its dummies never equal this one's
    assert {index for _, index in other}.isdisjoint(index for _, index in first)
    assert min(index for _, index in first) > 10**9   # far above sympy's own numbering


def test_memos_and_sympy_cache_are_emptied():
    x = sp.Symbol("x")
    derivative(sp.tanh(x) * sp.exp(x), x)
    assert derivative.cache_info().currsize > 0
    start_afresh("anything")
    assert derivative.cache_info().currsize == 0
    assert all(cached.cache_info().currsize == 0 for cached in sp.core.cache.CACHE)


def _answers(expr: str) -> dict[str, str]:
    out: dict[str, str] = {}

    def send(message: tuple) -> None:
        if len(message) == 3:
            out[message[0]] = message[1]["verdict"]
    activation = Activation(name="f", expr=expr)
    activation_job.work(send, ["domain", "monotonic", "symmetric"], activation,
                        parsing._summary(activation), (DEFAULT_EPSILON, None, DEFAULT_ULPS))
    return out


def test_an_answer_does_not_depend_on_the_jobs_served_before():
    # found by machine-made trees: its answers changed with the dummies made before it
    case = "tan(where(x > 0, (-12) - (1), (where(x > 0, -1, 12)) - (x)))"
    alone = _answers(case)
    _answers("sqrt(x**2 - 2)**25 - 3")
    for _ in range(333):
        sp.Dummy()
    assert _answers(case) == alone


def test_facts_cached_on_long_lived_objects_are_forgotten():
    from verifier.analysis.arb.quotients import T   # a module-level Dummy('t', nonnegative=True)
    half = sp.S.Half
    assert T.is_zero is None and half.is_positive is True   # queried: now cached on them
    assert "zero" in T._assumptions and "positive" in half._assumptions
    start_afresh("anything")
    assert "zero" not in T._assumptions and T.is_nonnegative is True
    assert "positive" not in half._assumptions and half.is_positive is True
