"""Rule sets: the shipped ones load (from the installed package), bad ones are input errors
naming the file and key, and findings follow the rules."""

import pytest

from verifier.config import resolve
from verifier.errors import InputError
from verifier.model import Method, PropertyResult, Severity, Verdict
from verifier.rules import SHIPPED, findings, load_rules


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_rule_sets_load(name):
    rules = load_rules(name)
    assert rules.name == name and rules.rule
    assert {r.property for r in rules.rule} >= {"domain", "nonlinear", "finite_gradient"}


def test_search_is_cheap_and_skips_the_crosscheck():
    settings = resolve(rules="search")
    assert settings.examples is None and settings.timeout == 10
    assert settings.properties == ("domain", "continuous", "finite_gradient", "no_dead_zone",
                                   "nonlinear")


@pytest.mark.parametrize("text, message", [
    ('[[rule]]\nproperty = "speed"\nexpect = "proved"\nseverity = "error"',
     "rule.0.property: Value error, unknown property 'speed'"),
    ('[[rule]]\nproperty = "domain"\nexpect = "proved"\nseverity = "fatal"',
     "rule.0.severity: Input should be 'error', 'warning' or 'info'"),
    ('[[rule]]\nproperty = "domain"\nseverity = "error"', "rule.0: give `expect`"),
    ('[[rule]]\nproperty = "domain"\nexpect = "proved"\nseverity = "error"\ncolour = 1',
     "rule.0.colour: unknown key"),
    ('rule = []', "not a rule set (it has no [[rule]] tables)"),
    ('[[rule]\n', "not valid TOML"),
])
def test_a_bad_rule_file_names_file_and_key(tmp_path, text, message):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_rules(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


def test_a_missing_rule_file_names_the_shipped_sets(tmp_path):
    with pytest.raises(InputError, match="shipped rule sets: default, strict, search"):
        load_rules(tmp_path / "none.toml")


def _result(verdict: Verdict, **facts) -> PropertyResult:
    return PropertyResult(verdict=verdict, statement="s", method=Method.symbolic,
                          evidence=["because"], facts=facts)


def test_findings_follow_the_rules():
    rules = load_rules("default")
    properties = {"domain": _result(Verdict.refuted), "symmetric": _result(Verdict.proved,
                                                                            parity="even"),
                  "no_dead_zone": _result(Verdict.refuted), "bounded": _result(Verdict.unknown),
                  "nonlinear": _result(Verdict.proved)}
    found = findings("q", properties, rules)
    assert [(f.property, f.severity) for f in found] == [
        ("domain", Severity.error), ("symmetric", Severity.error),
        ("no_dead_zone", Severity.warning), ("bounded", Severity.info)]
    assert found[1].message == "q: symmetric: parity is even"
    assert "throws away the sign" in found[1].why


def test_strict_wants_smoothness():
    rules = load_rules("strict")
    kink = {"differentiable": _result(Verdict.refuted, smoothness=0)}
    smooth = {"differentiable": _result(Verdict.proved, smoothness="inf")}
    assert [f.message for f in findings("relu", kink, rules)] == [
        "relu: differentiable: smoothness C^0, at least C^inf required"]
    assert findings("tanh", smooth, rules) == []


def test_pyproject_settings_and_their_errors(tmp_path):
    project = tmp_path / "pyproject.toml"
    project.write_text('[tool.actverify]\nrules = "strict"\nepsilon = "1e-4"\ntimeout = 5\n')
    settings = resolve(project=project)
    assert settings.rules.name == "strict" and settings.timeout == 5
    assert str(settings.epsilon) == "1/10000"
    assert resolve(project=project, timeout=7.0).timeout == 7.0   # the command line wins
    project.write_text('[tool.actverify]\nspeed = 1\n')
    with pytest.raises(InputError, match=r"pyproject.toml: tool.actverify.speed: unknown key"):
        resolve(project=project)
