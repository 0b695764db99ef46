"""The parent's warm-up loads what the analysis loads lazily: a module first imported inside an
activation would make that activation's module-level dummies (and its time) depend on the
jobs its worker served before (verifier.fresh)."""

import json
import os
import subprocess
import sys

import pytest

# kinks, steps, a jump, a log (each with every property)
_SAMPLE = ["relu6", "floor", "heaviside", "log"]

_SCRIPT = """
import json, sys
from verifier.activation_job import warm_up, work
from verifier.defaults import DEFAULT_ULPS
from verifier.functions import load_catalog
from verifier.parsing import _summary
from verifier.properties.no_vanishing_gradient import DEFAULT_EPSILON
from verifier.properties.registry import PROPERTY_IDS

chosen = json.loads(sys.argv[1])
sample = [a for a in load_catalog() if a.name in chosen]
summaries = [_summary(a) for a in sample]
warm_up(PROPERTY_IDS, crosscheck_too=True)
loaded = {}
for activation, summary in zip(sample, summaries):
    before = set(sys.modules)
    work(lambda message: None, list(PROPERTY_IDS), activation, summary,
         (DEFAULT_EPSILON, 20, DEFAULT_ULPS))
    loaded[activation.name] = sorted(set(sys.modules) - before)
print(json.dumps(loaded))
"""


@pytest.mark.slow   # about 10 s: the accuracy properties' warm-up and scans
def test_analysing_after_the_warm_up_imports_no_module():
    environment = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run([sys.executable, "-c", _SCRIPT, json.dumps(_SAMPLE)], env=environment,
                          capture_output=True, text=True, timeout=300, check=True)
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert sorted(loaded) == sorted(_SAMPLE)
    assert {name: modules for name, modules in loaded.items() if modules} == {}


def test_a_single_activation_s_light_warm_up_imports_its_checkers():
    """One activation gets only the checkers' imports before its worker forks: numpy for
    float_stable, not for the shape properties."""
    script = ("import sys; from verifier.activation_job import load_checkers; "
              "load_checkers(sys.argv[1].split(',')); "
              "print('numpy' in sys.modules, 'verifier.properties.float_stable' in sys.modules)")
    runs = {properties: subprocess.run([sys.executable, "-c", script, properties],
                                       capture_output=True, text=True, timeout=120,
                                       check=True).stdout.split()
            for properties in ("domain,monotonic", "domain,float_stable")}
    assert runs == {"domain,monotonic": ["False", "False"],
                    "domain,float_stable": ["True", "True"]}
