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


def _layers() -> dict[str, int]:
    """README's layer table: each named module or folder -> its row (0 = the top)."""
    section = ROOT.joinpath("README.md").read_text().split("## Layers")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines()
            if line.startswith("| ") and not line.startswith("| layer")]
    return {name: row for row, line in enumerate(rows)
            for name in re.findall(r"`([a-z_/<>]+(?:\.py|/))`", line.split("|")[2])}


def test_each_layer_builds_only_on_the_layers_above_it_and_support():
    from tests.test_import_graph import _graph
    layers = _layers()
    support = max(layers.values())

    def row(module: str) -> int:
        path = "/".join(module.split(".")[1:])
        for name in (f"{path}.py", f"{path.split('/')[0]}/", "properties/<id>.py"):
            if name in layers and (name != "properties/<id>.py" or path.startswith(
                    "properties/")):
                return layers[name]
        raise AssertionError(f"{module} is in no layer of the README")
    upward = sorted(f"{a} imports {b}" for a, deps in _graph().items()
                    if a not in ("verifier", "verifier.__main__")
                    for b in deps if b != "verifier" and
                    row(b) != support and row(b) > row(a))
    assert upward == []
