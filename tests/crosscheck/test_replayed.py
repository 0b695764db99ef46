"""The replay of hypothesis's searches (verifier.crosscheck.replayed): it rests on hypothesis
feeding every search of one length and settings the same strings, and it must give exactly
what hypothesis gives, also when a replayed string violates."""

import random

import pytest
import sympy as sp
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from verifier.crosscheck import replayed
from verifier.crosscheck.probe import Probe, Subject

X = sp.Symbol("x", real=True)


def _fed_by_hypothesis(length: int, examples: int, shrink: bool, busy: bool) -> list[bytes]:
    fed: list[bytes] = []

    def condition(data: bytes) -> bool:
        fed.append(data)
        if busy:   # a different condition: works, and draws from the global generator
            random.random()
            sp.factor(sum(data) * X**2 - 1)
        return False
    with pytest.raises(NoSuchExample):
        find(st.binary(min_size=length, max_size=length), condition,
             settings=settings(max_examples=examples, derandomize=True, database=None,
                               deadline=None, phases=[Phase.explicit, Phase.generate] +
                               ([Phase.shrink] if shrink else []),
                               suppress_health_check=list(HealthCheck)))
    return fed


@pytest.mark.parametrize("length, examples, shrink", [(250, 8, True), (60, 9, True),
                                                      (775, 8, False), (9, 50, True)])
def test_hypothesis_feeds_every_condition_the_same_strings(length, examples, shrink):
    first = _fed_by_hypothesis(length, examples, shrink, busy=False)
    assert len(first) == examples and len(set(first)) == examples
    assert _fed_by_hypothesis(length, examples, shrink, busy=True) == first
    replayed._FED.clear()
    assert replayed.find_bytes(length, examples, shrink=shrink, violated=lambda _: False,
                               afresh=lambda: None) is None
    assert replayed._FED[(length, examples, shrink)] == tuple(first)


def _claim(threshold: float):
    """A claim that fails for inputs beyond the threshold (or never, at None)."""
    def violation(t: float) -> str | None:
        return None if threshold is None or abs(t) <= threshold else f"|{t}| > {threshold}"
    return violation


def _check(threshold: float | None, examples: int = 200):
    subject = Subject(sp.tanh(X), X)
    probe = Probe(subject, examples)
    result = probe.for_all(subject.line(), _claim(threshold), tolerance=None, claim="small")
    return result, probe.drawn


@pytest.mark.parametrize("threshold", [1e6, 0.5, 1e29])
def test_a_violation_met_in_a_replay_gives_what_hypothesis_alone_gives(threshold):
    replayed._FED.clear()
    alone = _check(threshold)            # hypothesis's engine: nothing kept (it found one)
    assert alone[0].status == "conflict" and replayed._FED == {}
    assert _check(None)[0].status == "agrees"   # a search that finds nothing: kept
    assert len(replayed._FED) == 1
    assert _check(threshold) == alone    # replayed until the violation, then hypothesis


def test_a_replayed_search_that_finds_nothing_reads_as_hypothesis_did():
    replayed._FED.clear()
    first = _check(None)
    assert first[0].status == "agrees" and first[1] == 200
    assert _check(None) == first
