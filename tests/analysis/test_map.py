"""The map in verifier/analysis/__init__.py names every module of the analysis."""

from pathlib import Path

import verifier.analysis

ROOT = Path(verifier.analysis.__file__).parent


def test_the_map_names_every_module():
    text = verifier.analysis.__doc__
    for path in ROOT.rglob("*.py"):
        if path.stem != "__init__":
            assert f"{path.name}" in text, path.relative_to(ROOT)
    for package in (p for p in ROOT.iterdir() if (p / "__init__.py").exists()):
        assert f"{package.name}/" in text
