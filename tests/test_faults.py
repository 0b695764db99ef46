"""Faults (issue 15): a killed parent, damaged stores, a full disk, read-only and linked
directories, bad options and settings. Each ends as a clear input error (exit 2) with the
report still written where it can be, never a traceback; real processes and files."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from tests.processes import NewChildren, descendants
from verifier.cli import app

FAST = ["--properties", "domain", "--no-crosscheck", "-q"]


def _run(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    """The command in a process of its own (what a kill or a resource limit needs)."""
    done = subprocess.run([sys.executable, "-m", "verifier", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, **kwargs)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-3000:]
    return done


def _cli(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> SimpleNamespace:
    """The command in this process (its workers are forked as usual), run from `cwd`."""
    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, args, env=env)
    finally:
        os.chdir(here)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        "".join(traceback.format_exception(result.exception))
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout,
                           stderr=result.stderr)


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_kill_9_of_the_parent_kills_its_workers_and_keeps_finished_results(tmp_path):
    # the heavy one starts first (heaviest first) and runs on; the light ones finish beside it
    texts = ["sin(exp(x))*cos(x**3)*tanh(x)", "tanh(x)", "relu(x)", "x*sigmoid(x)", "atan(x)"]
    (tmp_path / "acts.toml").write_text("".join(
        f'[[activation]]\nname = "a{i}"\nexpr = "{t}"\n\n' for i, t in enumerate(texts)))
    parent = subprocess.Popen(
        [sys.executable, "-m", "verifier", "check", "acts.toml", "--store", "s.db", "--jobs",
         "2", "--properties", "domain,monotonic,lipschitz,bounded", "--no-crosscheck", "-q"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while stored < len(texts) - 1 and time.monotonic() < deadline:
        time.sleep(0.2)
        if (tmp_path / "s.db").exists():
            try:
                with sqlite3.connect(tmp_path / "s.db", timeout=1) as db:
                    stored = db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
            except sqlite3.Error:
                continue
    workers = descendants(parent.pid)
    assert stored == len(texts) - 1, "the light results were not stored while the heavy ran"
    assert workers and parent.poll() is None     # the heavy one is still running
    parent.kill()
    parent.wait()
    gone_by = time.monotonic() + 1.0
    while any(_alive(w) for w in workers) and time.monotonic() < gone_by:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)
    with sqlite3.connect(tmp_path / "s.db") as db:
        assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == len(texts) - 1


def _damage(path: Path, how: str) -> None:
    if how == "text":
        path.write_text("hello, not sqlite")
        return
    with sqlite3.connect(path) as db:
        if how == "other schema":
            db.execute("CREATE TABLE results (a, b)")
            return
        db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, canonical TEXT NOT NULL, "
                   "result TEXT NOT NULL)")
    if how == "bad row":
        return
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\xff" * 3900        # a page overwritten mid-file
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["text", "other schema", "torn page"])
def test_a_store_that_is_no_store_is_an_input_error(tmp_path, how):
    _damage(tmp_path / "s.db", how)
    done = _cli(["check", "--expr", "tanh(x)", "--store", "s.db", *FAST], tmp_path)
    assert done.returncode == 2 and "s.db: not a" in done.stderr


def test_a_damaged_row_stops_the_store_but_not_the_run(tmp_path):
    store = tmp_path / "s.db"
    assert _cli(["check", "--expr", "tanh(x)", "--store", "s.db", *FAST], tmp_path
                ).returncode == 0
    with sqlite3.connect(store) as db:
        db.execute("UPDATE results SET result = '{not json'")
    done = _cli(["check", "--expr", "tanh(x)", "--store", "s.db", "--format", "json",
                 "--output", "out.json", *FAST], tmp_path)
    assert done.returncode == 2 and "the result store failed while reading" in done.stderr
    report = json.loads((tmp_path / "out.json").read_text())
    assert report["activations"][0]["properties"]["domain"]["verdict"] == "proved"


def test_results_cut_by_a_limit_are_not_stored(tmp_path):
    slow = "Max(sin(x) + x, Min(x, cos(x)*3), sin(2*x)*x, Min(exp(x), 2 - x))*tanh(x)"
    done = _cli(["check", "--expr", slow, "--store", "s.db", "--timeout", "0.01",
                 "--properties", "domain,monotonic", "--no-crosscheck", "-q"], tmp_path)
    assert done.returncode in (0, 1, 2)
    with sqlite3.connect(tmp_path / "s.db") as db:
        assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 0
    again = _cli(["check", "--expr", slow, "--store", "s.db", "--format", "json",
                  "--properties", "domain,monotonic", "--no-crosscheck", "-q"], tmp_path)
    verdicts = json.loads(again.stdout)["activations"][0]["properties"]
    assert "time limit" not in json.dumps(verdicts)


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (6000, 6000))   # pages fit, plots do not


def test_a_full_disk_is_an_input_error_and_leaves_no_torn_file(tmp_path):
    done = _run(["check", "--expr", "tanh(x)", "--report-dir", "rep", "--format", "json",
                 "--output", "out.json", *FAST], tmp_path, preexec_fn=_limit_file_size)
    assert done.returncode == 2 and "cannot write the file (File too large)" in done.stderr
    assert json.loads((tmp_path / "out.json").read_text())["activations"]
    assert (tmp_path / "rep" / "index.md").is_file()
    assert list((tmp_path / "rep").rglob("*.png")) == []          # none half-written
    assert list(tmp_path.rglob("*.tmp")) == []


def test_a_read_only_report_directory_is_refused_before_the_analysis(tmp_path):
    directory = tmp_path / "ro"
    directory.mkdir()
    if os.geteuid() == 0:   # root writes anywhere: a read-only mount is the real thing
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs",
                                  str(directory)], capture_output=True)
        if mounted.returncode != 0:
            pytest.skip("root without mount: no read-only directory to test with")
    else:
        directory.chmod(0o555)
    try:
        started = time.monotonic()
        done = _cli(["check", "--expr", "tanh(x)", "--report-dir", "ro/rep", *FAST], tmp_path)
        assert done.returncode == 2 and "ro/rep: cannot" in done.stderr
        assert time.monotonic() - started < 20
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(directory)], check=False)
        directory.chmod(0o755)


def test_planted_links_are_refused_and_their_targets_untouched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("keep me")
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "rep").mkdir()
    (tmp_path / "rep" / "tanh.md").symlink_to(secret)
    (tmp_path / "link.json").symlink_to(secret)
    (tmp_path / "acts.toml").write_text('[[activation]]\nname = "tanh"\nexpr = "tanh(x)"\n')
    page = _cli(["check", "acts.toml", "--report-dir", "rep", *FAST], tmp_path)
    assert page.returncode == 2 and "rep/tanh.md: is a symbolic link" in page.stderr
    output = _cli(["check", "acts.toml", "--format", "json", "--output", "link.json", *FAST],
                  tmp_path)
    assert output.returncode == 2 and "link.json: is a symbolic link" in output.stderr
    (tmp_path / "rep" / "tanh.md").unlink()
    shutil.rmtree(tmp_path / "rep" / "plots")    # the first run made it
    (tmp_path / "rep" / "plots").symlink_to(outside, target_is_directory=True)
    plots = _cli(["check", "acts.toml", "--report-dir", "rep", *FAST], tmp_path)
    assert plots.returncode == 2 and "rep/plots: is a symbolic link" in plots.stderr
    summary = tmp_path / "summary.md"
    summary.symlink_to(secret)
    steps = _cli(["check", "acts.toml", *FAST], tmp_path,
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert steps.returncode == 2 and "summary.md: is a symbolic link" in steps.stderr
    assert secret.read_text() == "keep me" and list(outside.iterdir()) == []


@pytest.mark.parametrize("option, value, message", [
    ("--timeout", "inf", "timeout: must be a number of seconds above 0"),
    ("--timeout", "nan", "timeout: must be a number of seconds above 0"),
    ("--max-memory", "0.0001K", "max_memory: must be at least 16MiB"),
    ("--epsilon", "1e-5000", "epsilon: must be a positive decimal number"),
    ("--epsilon", "1e-10000000", "epsilon: must be a positive decimal number"),
    ("--budget", "0", "budget: must be a number of seconds above 0"),
    ("--run-budget", "-1", "run_budget: must be a number of seconds above 0"),
    ("--examples", "0", "examples: must be a whole number from 1"),
    ("--jobs", "-1", "jobs: must be from 0"),
])
def test_bad_options_are_clear_input_errors(tmp_path, option, value, message):
    started = time.monotonic()
    done = _cli(["check", "--expr", "x", option, value, *FAST], tmp_path)
    assert done.returncode == 2 and message in done.stderr
    assert time.monotonic() - started < 20


def test_pyproject_paths_stay_inside_the_project_and_no_value_leaks(tmp_path):
    private = tmp_path / "private.toml"
    private.write_text('token = "ghp_SECRET_VALUE"\n')
    project = tmp_path / "project"
    project.mkdir()
    for setting, expected in [(f'rules = "{private}"', "leaves the project directory"),
                              ('rules = "../private.toml"', "leaves the project directory"),
                              ('report_dir = "../elsewhere"', "leaves the project directory")]:
        (project / "pyproject.toml").write_text(f"[tool.actverify]\n{setting}\n")
        done = _cli(["check", "--expr", "x", *FAST], project)
        assert done.returncode == 2 and expected in done.stderr, done.stderr
        assert "ghp_SECRET" not in done.stderr + done.stdout
    assert not (tmp_path / "elsewhere").exists()
    shutil.copy(private, project / "inside.toml")     # inside, but no rule set: not echoed
    (project / "pyproject.toml").write_text('[tool.actverify]\nrules = "inside.toml"\n')
    done = _cli(["check", "--expr", "x", *FAST], project)
    assert done.returncode == 2 and "not a rule set" in done.stderr
    assert "ghp_SECRET" not in done.stderr + done.stdout


def test_control_characters_never_reach_the_terminal(tmp_path):
    done = _cli(["check", "--expr", "x\x1b[2J\x1b]0;owned\x07", "--expr", "tanh(x)", *FAST],
                tmp_path)
    assert done.returncode == 2
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr


def test_every_bad_entry_is_reported_and_the_good_ones_checked(tmp_path):
    (tmp_path / "acts.toml").write_text(
        '[[activation]]\nname = "good"\nexpr = "tanh(x)"\n\n'
        '[[activation]]\nname = "a/b"\nexpr = "x"\n\n'
        '[[activation]]\nname = "good"\nexpr = "x"\n\n'
        '[[activation]]\nname = "extra"\nexpr = "x"\nbogus = 1\n\n'
        '[[activation]]\nname = "src"\nexpr = "x"\nsource = "two\\nlines"\n\n'
        '[[activation]]\nname = "also_good"\nexpr = "relu(x)"\n')
    done = _cli(["check", "acts.toml", "--format", "json", *FAST], tmp_path)
    assert done.returncode == 2
    assert [a["name"] for a in json.loads(done.stdout)["activations"]] == ["good", "also_good"]
    for fragment in ["acts.toml:5: activation[1].name", "acts.toml:9: activation[2].name: "
                     "duplicate name 'good'", "acts.toml:13: activation[3].bogus: unknown key",
                     "acts.toml:18: activation[4].source: source must be one line"]:
        assert fragment in done.stderr, done.stderr


def test_no_worker_outlives_an_interrupted_batch_in_process():
    from verifier.engine import check_activations
    from verifier.model import Activation

    new_children = NewChildren()
    check_activations([Activation(name="t", expr="tanh(x)")], properties=("domain",),
                      examples=None, run_budget=30)
    assert new_children() == set()
