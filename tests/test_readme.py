"""The README keeps exactly two set-up commands, and .ci/run runs the test one."""

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_exactly_two_setup_commands_and_ci_runs_the_test_one():
    setup = ROOT.joinpath("README.md").read_text().split("## Set-up")[1].split("\n## ")[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, flags=re.S)
    assert commands == ["pip install . && actverify", "pip install -e '.[test]' && pytest"]
    ci = ROOT.joinpath(".ci", "run").read_text()
    assert "set -euo pipefail" in ci
    assert "pip install" in ci and "-e '.[test]'" in ci and "\npytest" in ci


def test_every_finding_code_is_documented():
    from verifier.finding_messages import explanations

    readme = ROOT.joinpath("README.md").read_text()
    section = readme.split("## Finding codes")[1].split("\n## ")[0]
    documented = re.findall(r"^\| `([a-z_]+\.[a-z-]+)` \|", section, flags=re.M)
    assert documented == list(explanations())


def test_the_layer_map_names_every_module():
    section = ROOT.joinpath("README.md").read_text().split("## Layers")[1].split("\n## ")[0]
    named = set(re.findall(r"`([a-z_]+(?:\.py|/))", section))
    package = ROOT / "verifier"
    modules = {p.name for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")}
    subpackages = {f"{p.name}/" for p in package.iterdir() if (p / "__init__.py").exists()}
    assert modules - named == set() and subpackages - named == set()
