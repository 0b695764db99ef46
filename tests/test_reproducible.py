"""Answers do not depend on the machine's speed: the same activations checked at --jobs 1 on
a core shared with a CPU hog and at --jobs 2 on an idle machine give the same JSON, seconds
aside. The analysis counts its work (boxes, bisections, precision steps, drawn inputs);
wall-clock limits only stop hangs, and nothing here comes near them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from verifier import Activation, check_activations
from verifier.functions import load_catalog
from verifier.model import ActivationResult

pytestmark = pytest.mark.xdist_group("reproducible")   # its module fixture, built once

# a sign structure by boxes with a certified root (swish: its minimum), a saturating tail
# (softsign) and pieces with kinks (hard_swish)
NAMES = ("swish", "softsign", "hard_swish")


def _answers(activations: list[Activation], jobs: int) -> dict[str, dict]:
    report = check_activations(activations, jobs=jobs, examples=30, timeout=120)
    return {result.name: _json(result) for result in report.activations}


def _json(result: ActivationResult) -> dict:
    assert result.error is None, result.error
    return {pid: outcome.model_dump(mode="json", exclude={"seconds": True,
                                                          "crosscheck": {"seconds"}})
            for pid, outcome in result.properties.items()}


@pytest.fixture(scope="module")
def chosen() -> list[Activation]:
    catalog = {a.name: a for a in load_catalog()}
    return [catalog[name] for name in NAMES]


@pytest.fixture(scope="module")
def idle(chosen: list[Activation]) -> dict[str, dict]:
    return _answers(chosen, jobs=2)


def test_a_loaded_single_core_and_an_idle_pair_give_the_same_answers(chosen, idle) -> None:
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        loaded = _answers(chosen, jobs=1)
    finally:
        hog.kill()
        hog.wait()
    assert list(loaded) == list(NAMES)
    assert loaded == idle


def test_an_activation_checked_alone_gives_the_answers_of_a_batch(chosen, idle) -> None:
    softsign = next(a for a in chosen if a.name == "softsign")
    alone = check_activations([softsign], examples=30, timeout=120).activations[0]
    assert _json(alone) == idle["softsign"]


# machine-made formulas sharing sub-terms (so sharing cached derivatives, domains, limits)
SHARED = ("x*sigmoid(x)", "sigmoid(x)*tanh(x)", "max(x*sigmoid(x), tanh(x))",
          "(x**2)/(cos(x) + 1e-7)", "sqrt(x**2 + 1) - 1", "tanh(x)*exp(-x**2)")


def test_an_answer_does_not_depend_on_what_its_worker_analysed_before() -> None:
    """One worker serving the whole batch (--jobs 1, workers reused) gives each formula the
    answers a fresh worker gives it alone."""
    batch = [Activation(name=f"f{i}", expr=text) for i, text in enumerate(SHARED)]
    properties = ("domain", "continuous", "no_dead_zone", "nonlinear", "bounded")
    served = check_activations(batch, properties=properties, jobs=1, examples=10, timeout=120)
    for activation, result in zip(batch, served.activations):
        alone = check_activations([activation], properties=properties, examples=10,
                                  timeout=120).activations[0]
        assert _json(result) == _json(alone), activation.expr
