"""Rule sets: the shipped ones load (from the installed package), bad ones are input errors
naming the file and key, and findings follow the rules."""

from pathlib import Path

import pytest

from verifier.config import resolve
from verifier.errors import InputError
from verifier.model import Method, PropertyResult, Severity, Verdict
from verifier.rules import SHIPPED, _parse, findings, load_rules


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
     "rule.0.property: unknown property 'speed'"),
    ('[[rule]]\nproperty = "domain"\nexpect = "proved"\nseverity = "fatal"',
     "rule.0.severity: Input should be 'error', 'warning' or 'info'"),
    ('[[rule]]\nproperty = "domain"\nseverity = "error"', "rule.0: give `expect`"),
    ('[[rule]]\nproperty = "domain"\nexpect = "proved"\nseverity = "error"\ncolour = 1',
     "rule.0.colour: unknown key"),
    # a misspelt fact would never match, and never warn
    ('[[rule]]\nproperty = "symmetric"\nforbid = { partiy = ["even"] }\nseverity = "error"',
     "rule.0: forbid.partiy: symmetric has no fact 'partiy' (its facts: parity)"),
    ('[[rule]]\nproperty = "injective"\nforbid = { parity = ["even"] }\nseverity = "error"',
     "rule.0: forbid.parity: injective has no fact 'parity' (its facts: none)"),
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
    assert (found[1].code, found[1].message) == (
        "symmetric.even", "f is even, f(-x) = f(x): it throws away the sign of its input")
    assert "throws away the sign" in found[1].why
    assert found[1].explanation == "an even activation cannot tell x from -x (x**2 loses the sign)"
    assert (found[3].code, found[3].message) == ("bounded.undecided", "bounded not decided: no reason given")


def test_strict_wants_smoothness():
    rules = load_rules("strict")
    kink = {"differentiable": _result(Verdict.refuted, smoothness=0)}
    smooth = {"differentiable": _result(Verdict.proved, smoothness="inf")}
    assert [(f.code, f.message) for f in findings("relu", kink, rules)] == [
        ("differentiable.smoothness", "f is only C^0")]
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


@pytest.mark.slow
def test_the_wheel_ships_the_top_level_rule_sets(tmp_path):
    """rules/ is the one source of truth: a wheel built from the checkout carries each rule
    set, and each loads (parsed from the wheel's own bytes) as the shipped one does."""
    import shutil
    import subprocess
    import sys
    import zipfile

    root = Path(__file__).parent.parent
    source = tmp_path / "source"   # a copy: setuptools writes build/ next to the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, source / name)
    for name in ("verifier", "rules"):
        shutil.copytree(root / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("actverify-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name in SHIPPED:
            text = archive.read(f"verifier/shipped_rules/{name}.toml").decode("utf-8")
            assert _parse(text, name, name) == load_rules(name)
            assert text == (root / "rules" / f"{name}.toml").read_text(encoding="utf-8")
        assert "verifier/data/explanations.toml" in archive.namelist()
