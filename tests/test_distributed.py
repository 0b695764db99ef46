"""The dask executor, against a LocalCluster of worker processes started here: the same
results as the local run, the same limits, the same store semantics."""

import subprocess
import sys

import pytest

from verifier.engine import check_activations
from verifier.errors import InputError
from verifier.model import Activation
from verifier.store import ResultStore

distributed = pytest.importorskip("distributed")

from verifier.distributed import DaskExecutor  # noqa: E402

pytestmark = pytest.mark.xdist_group("dask-cluster")   # its module fixture, built once

BATCH = [Activation(name="relu", expr="relu(x)"), Activation(name="bad", expr="foo(x)"),
         Activation(name="hang", expr="sqrt((x**2 - 2)**25 - 3)"),
         Activation(name="tanh", expr="tanh(x)"), Activation(name="max0", expr="Max(0, x)")]
OPTIONS = dict(properties=("domain", "monotonic", "nonlinear"), timeout=3, examples=20)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as running:
        yield running


def _verdicts(report):
    return [(a.name, a.error and a.error.kind,
             {pid: (r.verdict, r.facts, r.crosscheck and r.crosscheck.status)
              for pid, r in a.properties.items()}) for a in report.activations]


@pytest.mark.slow
def test_a_dask_run_gives_the_local_results_and_reuses_the_store(cluster, tmp_path):
    executor = DaskExecutor(cluster.scheduler_address)
    try:
        store = ResultStore(tmp_path / "s.sqlite")
        remote = check_activations(BATCH, executor=executor, store=store, **OPTIONS)
        local = check_activations(BATCH, jobs=2, **OPTIONS)
        assert _verdicts(remote) == _verdicts(local)
        hang = remote["hang"]
        assert hang.error.kind == "limit" and hang["domain"].reason.startswith("time limit")
        assert remote["max0"].properties == remote["relu"].properties   # analysed once
        # relu and tanh: bad is never stored, nor hang (cut by a limit: a rerun may decide it)
        assert store.stats()["results"] == 2
        again = check_activations(BATCH, executor=executor, store=store, **OPTIONS)
        assert _verdicts(again) == _verdicts(remote)
        assert store.stats()["results"] == 2
    finally:
        executor.close()


@pytest.mark.slow
def test_the_cli_runs_on_a_scheduler(cluster, tmp_path):
    (tmp_path / "acts.toml").write_text('[[activation]]\nname = "s"\nexpr = "sqrt(x)"\n')
    done = subprocess.run(
        [sys.executable, "-m", "verifier", "check", "acts.toml", "--executor", "dask",
         "--scheduler", cluster.scheduler_address, "--properties", "domain", "--format",
         "json", "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr            # sqrt: domain refuted, an error
    assert '"verdict": "refuted"' in done.stdout


def test_an_unreachable_scheduler_is_an_input_error():
    with pytest.raises(InputError, match="scheduler: cannot connect to 'tcp://127.0.0.1:9'"):
        DaskExecutor("tcp://127.0.0.1:9", connect_timeout=1)
