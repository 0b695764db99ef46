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
    assert "error: bad: domain refuted (expected proved)" in done.stdout
    assert "why: defined everywhere" in done.stdout and "witness: {" in done.stdout
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
