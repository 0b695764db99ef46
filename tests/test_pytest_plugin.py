"""The pytest plugin, run for real in a subprocess: one item per (activation, rule), the
failing one shows its finding, witness and evidence, and JUnit XML records both."""

import subprocess
import sys
import xml.etree.ElementTree as ElementTree


def test_plugin_collects_one_item_per_activation_and_rule(tmp_path):
    (tmp_path / "acts.toml").write_text(
        '[[activation]]\nname = "good"\nexpr = "tanh(x)"\n\n'
        '[[activation]]\nname = "bad"\nexpr = "sqrt(x)"\n')
    (tmp_path / "rules.toml").write_text(
        '[[rule]]\nproperty = "domain"\nexpect = "proved"\nseverity = "error"\n'
        'why = "defined everywhere"\n\n'
        '[[rule]]\nproperty = "nonlinear"\nexpect = "proved"\nseverity = "error"\n')
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--actverify",
         "acts.toml", "--actverify-rules", "rules.toml", "--actverify-no-crosscheck",
         "--junitxml", "out.xml", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "3 passed" in done.stdout and "1 failed" in done.stdout
    assert "acts.toml:7:9: error[domain.outside] bad: f is undefined on (-∞, 0)" in done.stdout
    assert "why: inputs there give NaN" in done.stdout
    assert "why: defined everywhere" in done.stdout
    assert "witness: x = -1; x_exact = -1; exact_value = I; re-checked at 50 digits: x = -1, " \
        "value = 1.0*I" in done.stdout
    assert "{'" not in done.stdout and "None" not in done.stdout
    cases = ElementTree.parse(tmp_path / "out.xml").getroot().iter("testcase")
    outcome = {c.get("name"): c.find("failure") is not None for c in cases}
    assert outcome == {"good[domain]": False, "good[nonlinear]": False, "bad[domain]": True,
                       "bad[nonlinear]": False}


def test_a_withdrawn_verdict_fails_its_item(tmp_path, monkeypatch, capsys):
    """The real domain checker with a wrong claimed domain planted (log(x) is not defined on
    (-1, 0]): the cross-check contradicts it, and the item fails though the verdict shown is
    unknown (in-process, so that the planted checker reaches the forked workers)."""
    import pytest

    from tests.test_cli import _planting_wrong_domain

    _planting_wrong_domain(monkeypatch)
    (tmp_path / "acts.toml").write_text('[[activation]]\nname = "log"\nexpr = "log(x)"\n')
    (tmp_path / "rules.toml").write_text(
        '[[rule]]\nproperty = "domain"\nexpect = "proved"\nseverity = "info"\n')
    monkeypatch.chdir(tmp_path)
    code = pytest.main(["--actverify", "acts.toml", "--actverify-rules", "rules.toml", "-q",
                        "-p", "no:cacheprovider", "--rootdir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "log: domain: the refuted verdict was withdrawn: withdrawn: the numeric " \
           "cross-check contradicts it" in out


def test_a_parse_error_is_one_failure_and_settings_come_from_pyproject(tmp_path):
    """An activation that does not parse fails once (its other rules' items are skipped),
    at the file:line:col of the refused name; [tool.actverify] is found from a subdirectory
    (its rule set picks the properties); JUnit times are per item."""
    (tmp_path / "pyproject.toml").write_text('[tool.actverify]\nrules = "checks.toml"\n')
    (tmp_path / "checks.toml").write_text(
        '[[rule]]\nproperty = "domain"\nexpect = "proved"\nseverity = "error"\n\n'
        '[[rule]]\nproperty = "nonlinear"\nexpect = "proved"\nseverity = "error"\n')
    work = tmp_path / "sub"
    work.mkdir()
    (work / "acts.toml").write_text('[[activation]]\nname = "typo"\nexpr = "2*tanhh(x)"\n\n'
                                    '[[activation]]\nname = "ok"\nexpr = "tanh(x)"\n')
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--actverify", "acts.toml", "--actverify-no-crosscheck",
         "--junitxml", "out.xml", "-q", "-p", "no:cacheprovider", "--rootdir", str(work)],
        cwd=work, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 2 passed, 1 skipped" in done.stdout
    assert "acts.toml:3:11: error[parse] typo: function not in the vocabulary: 'tanhh'; did " \
           "you mean 'tanh'?" in done.stdout
    cases = {c.get("name"): float(c.get("time"))
             for c in ElementTree.parse(work / "out.xml").getroot().iter("testcase")}
    assert set(cases) == {"typo[domain]", "typo[nonlinear]", "ok[domain]", "ok[nonlinear]"}
    assert all(seconds < 30 for seconds in cases.values())
