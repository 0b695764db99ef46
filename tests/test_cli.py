"""The actverify command: exit codes, formats, inputs (run in-process with typer's runner,
and once as a real subprocess for each entry point)."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from verifier.cli import app
from verifier.properties import registry

runner = CliRunner()
QUICK = ["--properties", "domain,nonlinear"]


def run(*args):
    return runner.invoke(app, list(args))


def test_exit_0_when_no_error_finding():
    result = run("check", "--expr", "tanh(x)", *QUICK)
    assert result.exit_code == 0, result.output
    assert "tanh(x)" in result.output and "✓" in result.output


def test_exit_1_on_error_findings():
    result = run("check", "--expr", "sqrt(x)", *QUICK)
    assert result.exit_code == 1
    assert "--expr: error[domain.outside] sqrt(x): f is undefined on (-∞, 0) — inputs there " \
        "give NaN" in result.output
    assert result.output.splitlines()[-1] == "1 activation, 2 properties: 1 error, 0 warnings, " \
        "0 info (exit 1: error findings)"


def test_exit_2_on_parse_error_other_activations_still_checked():
    result = run("check", "--expr", "foo(x)", "--expr", "tanh(x)", *QUICK, "--format", "json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    bad, good = report["activations"]
    assert bad["error"]["kind"] == "parse" and "foo" in bad["error"]["message"]
    assert good["properties"]["domain"]["verdict"] == "proved"


def test_exit_2_on_bad_file_other_files_still_checked(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[activation]]\nname = "a"\n')
    good = tmp_path / "good.toml"
    good.write_text('[[activation]]\nname = "t"\nexpr = "tanh(x)"\n')
    result = run("check", str(bad), str(good), *QUICK, "--format", "json")
    assert result.exit_code == 2
    assert "bad.toml:1: activation[0].expr: Field required" in result.stderr
    assert [a["name"] for a in json.loads(result.stdout)["activations"]] == ["t"]


@pytest.mark.parametrize("args", [["--timeout", "0"], ["--properties", "speed"],
                                  ["--format", "yaml"], ["--no-such-option"],
                                  ["--jobs", "-1"]])
def test_exit_2_on_usage_errors(args):
    assert run("check", "--expr", "x", *args).exit_code == 2


def test_exit_3_on_internal_error(monkeypatch):
    real = registry.checker

    def broken(ctx):
        raise RuntimeError("bug")

    monkeypatch.setattr("verifier.activation_job.checker",
                        lambda pid: broken if pid == "nonlinear" else real(pid))
    assert run("check", "--expr", "tanh(x)", *QUICK).exit_code == 3


def test_json_output_to_file(tmp_path):
    target = tmp_path / "out.json"
    result = run("check", "--expr", "relu(x)", *QUICK, "--format", "json", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    report = json.loads(target.read_text())
    assert report["activations"][0]["properties"]["nonlinear"]["facts"] == {"piecewise_linear": True}


@pytest.mark.parametrize("entry", [["actverify"], [sys.executable, "-m", "verifier"]])
def test_entry_points_run_for_real(entry):
    done = subprocess.run([*entry, "check", "--expr", "2*x + 1", *QUICK], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert "--expr: error[nonlinear.affine] 2*x + 1: f is affine" in done.stdout


def test_quiet_is_accepted_and_output_is_unchanged():
    loud = run("check", "--expr", "tanh(x)", *QUICK, "--format", "json")
    quiet = run("check", "--expr", "tanh(x)", *QUICK, "--format", "json", "--quiet")
    assert loud.exit_code == quiet.exit_code == 0
    assert _timeless(json.loads(loud.stdout)) == _timeless(json.loads(quiet.stdout))
    assert json.loads(quiet.stdout)["activations"][0]["properties"]["domain"]["verdict"] == \
        "proved"


def _timeless(value):
    """A JSON report without its measured seconds (the one thing two runs may differ in)."""
    if isinstance(value, dict):
        return {k: _timeless(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    return value


def _planting_wrong_domain(monkeypatch):
    """The real domain checker, with its claimed domain replaced by a wrong one (log(x) is
    not defined on (-1, 0]): the cross-check must catch it."""
    real = registry.checker

    def wrong_domain(ctx):
        result = real("domain")(ctx)
        result.facts["domain"] = [{"lo": -1.0, "hi": "oo", "lo_closed": False,
                                   "hi_closed": False, "lo_exact": "-1", "hi_exact": "oo"}]
        result.facts["undefined"] = []
        return result
    monkeypatch.setattr("verifier.activation_job.checker",
                        lambda pid: wrong_domain if pid == "domain" else real(pid))


def test_exit_3_on_a_crosscheck_conflict_shown_first(monkeypatch):
    _planting_wrong_domain(monkeypatch)
    result = run("check", "--expr", "log(x)", *QUICK, "--examples", "50")
    assert result.exit_code == 3
    first = result.stdout.splitlines()[0]
    assert first.startswith("--expr: error[crosscheck.conflict] log(x): domain refuted "
                            "(withdrawn), but the cross-check contradicts it")
    assert "1 conflict" in result.stdout


def test_allow_conflicts_and_no_crosscheck(monkeypatch):
    _planting_wrong_domain(monkeypatch)
    allowed = run("check", "--expr", "log(x)", *QUICK, "--examples", "50", "--allow-conflicts")
    assert allowed.exit_code == 0   # the contradicted verdict is withdrawn: unknown, info only
    skipped = run("check", "--expr", "log(x)", *QUICK, "--no-crosscheck", "--format", "json")
    report = json.loads(skipped.stdout)
    assert skipped.exit_code == 1
    assert report["activations"][0]["properties"]["domain"]["crosscheck"] is None
    assert report["summary"]["crosschecks"] == {"agrees": 0, "conflict": 0, "skipped": 0,
                                                "hint": 0}


def test_every_verdict_carries_its_crosscheck():
    result = run("check", "--expr", "relu(x)", *QUICK, "--format", "json", "--examples", "30")
    properties = json.loads(result.stdout)["activations"][0]["properties"]
    assert {p: v["crosscheck"]["status"] for p, v in properties.items()} == {
        "domain": "agrees", "nonlinear": "agrees"}


def test_examples_must_be_positive():
    assert run("check", "--expr", "x", "--examples", "0").exit_code == 2


def test_strict_makes_warnings_fail():
    args = ["check", "--expr", "relu(x)", "--properties", "domain,nonlinear,no_dead_zone",
            "--no-crosscheck"]
    assert run(*args).exit_code == 0            # the dead zone is a warning
    assert run(*args, "--strict").exit_code == 1


def test_rule_set_by_name_and_bad_rule_file(tmp_path):
    even = run("check", "--expr", "x**2", "--rules", "search", "--format", "json")
    report = json.loads(even.stdout)
    assert even.exit_code == 0 and report["activations"][0]["properties"]["domain"][
        "crosscheck"] is None                     # search: cheap properties, no cross-check
    assert set(report["activations"][0]["properties"]) == {
        "domain", "continuous", "finite_gradient", "no_dead_zone", "nonlinear"}
    strict = run("check", "--expr", "x**2", "--rules", "strict", *QUICK, "--properties",
                 "symmetric", "--no-crosscheck")
    assert strict.exit_code == 1 and "error[symmetric.even] x**2: f is even" in strict.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nproperty = "domain"\nseverity = "error"\nexpect = "maybe"\n')
    failed = run("check", "--expr", "x", "--rules", str(bad))
    assert failed.exit_code == 2 and f"{bad}: rule.0.expect" in failed.stderr


def test_markdown_format_and_step_summary(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run("check", "--expr", "sqrt(x)", *QUICK, "--no-crosscheck", "--format",
                 "markdown", "--report-dir", str(tmp_path / "rep"))
    assert result.exit_code == 1
    assert result.stdout.startswith("# actverify report: 1 activations")
    assert "| sqrt(x) | ❌ error (refuted) | ✅ pass (proved) |" in result.stdout
    assert summary.read_text() == result.stdout + "\n"
    (page_file,) = (tmp_path / "rep").glob("sqrt_x-*.md")   # a changed name gets a hash
    page, name = page_file.read_text(), page_file.stem
    assert "$$f(x) = \\sqrt{x}$$" in page and f"![f and f' of sqrt(x)](plots/{name}.png)" in page
    assert (tmp_path / "rep" / "plots" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"


def test_raise_for_findings():
    from verifier import FindingsError, verify

    report = verify("sqrt(x)", properties=["domain"], examples=None)
    with pytest.raises(FindingsError, match="error\\[domain.outside\\] sqrt\\(x\\): f is undefined"):
        report.raise_for_findings()
    verify("tanh(x)", properties=["domain"], examples=None).raise_for_findings()


def test_sarif_output_validates_and_points_at_the_line(tmp_path):
    import jsonschema
    from pathlib import Path

    source = tmp_path / "acts.toml"
    source.write_text('[[activation]]\nname = "ok"\nexpr = "tanh(x)"\n\n'
                      '[[activation]]\nname = "bad"\nexpr = "sqrt(x)"\n')
    result = run("check", str(source), *QUICK, "--no-crosscheck", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    schema = Path(__file__).parent / "data" / "sarif-2.1.0-rtm.5.schema.json"
    jsonschema.Draft4Validator(json.loads(schema.read_text())).validate(log)
    [finding] = log["runs"][0]["results"]
    assert finding["ruleId"] == "domain.outside" and finding["level"] == "error"
    assert finding["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": str(source)}, "region": {"startLine": 7, "startColumn": 9}}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[finding["ruleIndex"]]["id"] == "domain.outside"


def test_version_and_help_do_not_load_the_analysis():
    """`actverify --version` and `--help` import neither sympy nor numpy (the commands
    import the analysis when they run; typer's help loads pydantic on its own): a contract on
    what loads, not a timing."""
    code = ("import sys\nfrom verifier.cli import app\nfrom typer.testing import CliRunner\n"
            "out = CliRunner().invoke(app, ['--version']).output\n"
            "loaded = [m for m in ('sympy', 'numpy', 'pydantic') if m in sys.modules]\n"
            "help_ = CliRunner().invoke(app, ['check', '--help']).output\n"
            "print(out.strip(), loaded, 'PATHS' in help_, "
            "[m for m in ('sympy', 'numpy') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    import verifier

    assert done.stdout.strip() == f"actverify {verifier.__version__} [] True []", done.stderr


def test_report_takes_jobs_and_timeout_like_check(tmp_path):
    """Validated as check validates them, before any analysis (a bad value costs nothing)."""
    bad_jobs = run("report", "--report-dir", str(tmp_path), "--jobs", "-1")
    assert bad_jobs.exit_code == 2
    assert "jobs: must be from 0 (one per core) to 1024, got -1" in bad_jobs.output
    bad_timeout = run("report", "--report-dir", str(tmp_path), "--timeout", "0")
    assert bad_timeout.exit_code == 2 and "timeout" in bad_timeout.output
    assert not any(tmp_path.iterdir())
