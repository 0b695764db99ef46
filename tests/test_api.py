"""The Python API resolves its options as the command does (verifier.config.resolve)."""

import json

import pytest
from typer.testing import CliRunner

from verifier import InputError, verify, verify_file
from verifier.cli import app

SEARCH = ["domain", "continuous", "finite_gradient", "no_dead_zone", "nonlinear"]


def _run(report):
    (activation,) = report.activations
    return {pid: (r.verdict.value, r.crosscheck is not None)
            for pid, r in activation.properties.items()}


def test_a_rule_sets_options_apply_to_the_api():
    # search.toml: five properties, no cross-check (it used to run all 15, cross-checked)
    answers = _run(verify("tanh(x)", rules="search"))
    assert list(answers) == SEARCH
    assert not any(checked for _, checked in answers.values())


def test_the_api_and_the_command_give_the_same_run(tmp_path):
    cli = CliRunner().invoke(app, ["check", "--expr", "tanh(x)", "--rules", "search",
                                   "--format", "json", "-q"])
    report = json.loads(cli.stdout)
    from_cli = {pid: (r["verdict"], r["crosscheck"] is not None)
                for pid, r in report["activations"][0]["properties"].items()}
    assert _run(verify("tanh(x)", rules="search")) == from_cli


def test_given_options_beat_the_rule_set(tmp_path):
    answers = _run(verify("tanh(x)", rules="search", properties=["bounded"], examples=20))
    assert answers == {"bounded": ("proved", True)}
    functions = tmp_path / "f.toml"
    functions.write_text('[[activation]]\nname = "t"\nexpr = "tanh(x)"\n', encoding="utf-8")
    assert _run(verify_file(functions, rules="search", examples=None)) == \
        _run(verify("tanh(x)", rules="search"))


def test_no_cross_check_when_examples_is_none():
    answers = _run(verify("relu(x)", properties=["continuous"], examples=None))
    assert answers == {"continuous": ("proved", False)}


@pytest.mark.parametrize("option, value, message", [
    ("timeout", 0, "timeout: must be a number of seconds"),
    ("epsilon", "-1", "epsilon: must be a positive decimal"),
    ("examples", 0, "examples: must be a whole number"),
    ("properties", ["speed"], "properties: unknown property id"),
])
def test_a_bad_option_names_itself(option, value, message):
    with pytest.raises(InputError, match=message):
        verify("x", **{option: value})
