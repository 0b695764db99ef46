"""Batches: one analysis per distinct function, a result store that survives kill -9."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from verifier.engine import check_activations
from verifier.model import Activation
from verifier.store import ResultStore

QUICK = dict(properties=("domain", "nonlinear", "symmetric"), examples=None)


def test_the_same_function_under_two_names_is_analysed_once_and_reported_twice(tmp_path):
    store = ResultStore(tmp_path / "results.sqlite")
    batch = [Activation(name="relu", expr="relu(x)"), Activation(name="tanh", expr="tanh(x)"),
             Activation(name="max0", expr="Max(0, x)"), Activation(name="bad", expr="foo(")]
    first = check_activations(batch, store=store, **QUICK)
    assert [a.name for a in first.activations] == ["relu", "tanh", "max0", "bad"]
    relu, _, max0, bad = first.activations
    assert max0.properties == relu.properties and max0.expr == "Max(0, x)"
    assert [f.activation for f in max0.findings] == ["max0"] * len(max0.findings)
    assert bad.error.kind == "parse"
    assert store.stats() == {"results": 2, "distinct expressions": 2}
    again = check_activations(batch, store=store, **QUICK)   # nothing new: all reused
    assert [a.properties for a in again.activations] == [a.properties for a in first.activations]
    assert store.stats()["results"] == 2
    other = check_activations(batch[:1], store=store, properties=("domain",), examples=None)
    assert store.stats()["results"] == 3                       # other options: stored apart
    assert other.activations[0].properties.keys() == {"domain"}


def test_a_killed_run_resumes_without_losing_or_duplicating(tmp_path):
    # the heavier three go first (0.2-0.4 s each here): the run is still going when the
    # second result is stored, however fast the machine
    names = ["relu(x)", "tanh(x)", "x*sigmoid(x)", "sqrt(x)", "exp(x)", "atan(x)",
             "x*tanh(exp(x))", "x*atan(exp(x))", "log(1 + exp(x))*tanh(x)"]
    (tmp_path / "acts.toml").write_text("".join(
        f'[[activation]]\nname = "a{i}"\nexpr = "{text}"\n\n' for i, text in enumerate(names)))
    command = [sys.executable, "-m", "verifier", "check", "acts.toml", "--store", "s.sqlite",
               "--jobs", "1", "--no-crosscheck", "--properties", "domain,monotonic", "-q"]
    running = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and running.poll() is None:
        if (tmp_path / "s.sqlite").exists():
            try:
                with sqlite3.connect(tmp_path / "s.sqlite", timeout=1) as db:
                    stored = db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
            except sqlite3.Error:   # being created or written just now: look again
                continue
            if stored >= 2:
                break
        time.sleep(0.02)
    assert running.poll() is None, "the run ended before it could be killed"
    os.killpg(running.pid, signal.SIGKILL)
    running.wait()
    done = subprocess.run(command + ["--format", "json"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1, done.stderr       # sqrt: domain refuted
    stats = subprocess.run([sys.executable, "-m", "verifier", "store", "stats", "--store",
                            "s.sqlite"], cwd=tmp_path, capture_output=True, text=True)
    assert stats.stdout == "results: 9\ndistinct expressions: 9\n"
