"""The engine: time limits that really stop work, crash isolation, report assembly."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from verifier import Activation, check_activations, exit_code
from verifier.engine import check_activation
from verifier.properties.registry import PROPERTY_IDS
from verifier.model import Verdict
from verifier.properties import registry

from tests.processes import NewChildren

# sympy's univariate inequality solver does not finish on this within minutes
HANGS_SYMPY = "sqrt((x**2 - 2)**25 - 3)"


def test_time_limit_stops_the_check_and_the_batch_goes_on():
    new_children = NewChildren()
    report = check_activations(
        [Activation(name="hang", expr=HANGS_SYMPY), Activation(name="tanh", expr="tanh(x)")],
        properties=["domain", "nonlinear"], timeout=2)
    hang, tanh = report.activations
    assert hang["domain"].verdict is Verdict.unknown
    assert hang["domain"].reason.startswith("time limit")
    assert hang["domain"].seconds == 2   # the limit it was cut at, recorded (not measured)
    assert hang["nonlinear"].verdict is Verdict.proved  # a fresh worker took over
    assert hang.error.kind == "limit" and "domain" in hang.error.message
    assert tanh.error is None
    assert [tanh[p].verdict for p in ("domain", "nonlinear")] == [Verdict.proved] * 2
    assert new_children() == set()
    assert report.summary.errors == {"parse": 0, "limit": 1, "internal": 0}
    assert exit_code(report) == 0


def _raising(ctx):
    raise RuntimeError("checker bug")


def _dying(ctx):
    os._exit(7)


@pytest.mark.parametrize("broken, message", [(_raising, "RuntimeError: checker bug"),
                                             (_dying, "worker process died")])
def test_a_broken_checker_costs_one_property(monkeypatch, broken, message):
    new_children = NewChildren()
    real = registry.checker
    monkeypatch.setattr("verifier.activation_job.checker",
                        lambda pid: broken if pid == "domain" else real(pid))
    result = check_activation(Activation(name="relu", expr="relu(x)"),
                              properties=["domain", "nonlinear"], timeout=10)
    assert result["domain"].verdict is Verdict.unknown
    assert message in result["domain"].reason
    assert result["nonlinear"].verdict is Verdict.proved
    assert result.error.kind == "internal"
    assert new_children() == set()


def _oracle_bug(result, probe):
    raise KeyError("claimed_points")   # what reading a claim the oracle misnames raises


def test_a_bug_in_an_oracle_is_an_internal_error_not_a_quiet_skip(monkeypatch):
    from verifier.crosscheck import run
    monkeypatch.setitem(run.ORACLES, "domain", _oracle_bug)
    result = check_activation(Activation(name="relu", expr="relu(x)"),
                              properties=["domain", "nonlinear"], timeout=10, examples=20)
    assert result["domain"].verdict is Verdict.proved       # the verdict itself stands
    assert result["domain"].crosscheck.status == "skipped"
    assert result["domain"].crosscheck.detail == \
        "internal error in the cross-check: KeyError: 'claimed_points'"
    assert result["nonlinear"].crosscheck.status == "agrees"
    assert result.error.kind == "internal"
    assert "domain: cross-check: KeyError" in result.error.message


def test_parse_error_is_reported_not_raised():
    result = check_activation(Activation(name="bad", expr="x + foo(x)", file="f.toml", line=3))
    assert result.error.kind == "parse"
    assert result.error.message == ("f.toml:3: activation 'bad': expr: column 5: "
                                    "function not in the vocabulary: 'foo'")
    assert result.properties == {}


def test_every_property_id_has_a_checker():
    result = check_activation(Activation(name="t", expr="log(1 + exp(x))"))
    assert set(result.properties) == set(PROPERTY_IDS)
    assert all(r.reason != "not implemented yet" for r in result.properties.values())
    assert result["float_stable"].verdict is Verdict.refuted   # exp overflows in float32


def test_summary_counts_and_findings():
    report = check_activations([Activation(name=n, expr=e) for n, e in
                                [("sqrt", "sqrt(x)"), ("lin", "2*x"), ("tanh", "tanh(x)")]],
                               properties=["domain", "nonlinear"])
    assert report.summary.counts["domain"] == {Verdict.proved: 2, Verdict.refuted: 1,
                                               Verdict.unknown: 0}
    assert report.summary.counts["nonlinear"][Verdict.refuted] == 1
    assert [(f.activation, f.property) for f in report.findings] == [
        ("sqrt", "domain"), ("lin", "nonlinear")]
    assert not report.ok and exit_code(report) == 1
    assert report["tanh"]["domain"].verdict is Verdict.proved


def test_parallel_batches_give_the_same_results_in_input_order():
    from verifier.engine import check_activations
    from verifier.model import Activation

    batch = [Activation(name=n, expr=e) for n, e in
             (("relu", "relu(x)"), ("bad", "foo(x)"), ("tanh", "tanh(x)"), ("sqrt", "sqrt(x)"))]
    quick = dict(properties=("domain", "monotonic"), examples=None)
    one, two = check_activations(batch, jobs=1, **quick), check_activations(batch, jobs=2, **quick)
    assert [a.name for a in two.activations] == ["relu", "bad", "tanh", "sqrt"]
    strip = [{pid: (o.verdict, o.facts) for pid, o in a.properties.items()} for a in
             one.activations]
    assert strip == [{pid: (o.verdict, o.facts) for pid, o in a.properties.items()}
                     for a in two.activations]
    assert two.activations[1].error.kind == "parse"
    assert [f.message for f in one.findings] == [f.message for f in two.findings]


def test_a_worker_killed_mid_batch_is_replaced_and_nothing_is_lost(tmp_path):
    """SIGKILL one worker of a running `actverify check --jobs 2` from outside."""
    texts = ["relu(x)", "tanh(x)", "x*sigmoid(x)", "sqrt(x)", "atan(x)", "x/(1 + abs(x))"]
    (tmp_path / "acts.toml").write_text("".join(
        f'[[activation]]\nname = "a{i}"\nexpr = "{text}"\n\n' for i, text in enumerate(texts)))
    running = subprocess.Popen(
        [sys.executable, "-m", "verifier", "check", "acts.toml", "--jobs", "2", "--format",
         "json", "--no-crosscheck", "--properties", "domain,monotonic,differentiable", "-q"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.time() + 60
    while killed is None and time.time() < deadline and running.poll() is None:
        workers = _children_of(running.pid)
        if workers:
            killed = min(workers)
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.05)
    out, err = running.communicate(timeout=300)
    assert killed is not None
    assert running.returncode == 1, err            # sqrt's domain: an error finding, no more
    report = json.loads(out)
    assert [a["name"] for a in report["activations"]] == [f"a{i}" for i in range(6)]
    assert all(a["error"] is None for a in report["activations"])
    assert all(set(a["properties"]) == {"domain", "monotonic", "differentiable"} and all(
        p["verdict"] != "unknown" for p in a["properties"].values())
        for a in report["activations"])
    assert not _children_of(running.pid)


def _children_of(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found |= {int(p) for p in (task / "children").read_text().split()}
    except (FileNotFoundError, ProcessLookupError):
        pass
    return found
