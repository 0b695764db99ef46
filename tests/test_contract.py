"""The JSON contract: the committed schema is what the models generate, real output validates
against it, and the public API is exactly what __all__ says."""

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

import verifier
from verifier.cli import app
from verifier.schema import report_schema
from verifier.properties.registry import PROPERTY_IDS

SCHEMA_FILE = Path(__file__).parent / "data" / "report.schema.json"


def test_committed_schema_matches_the_models():
    # regenerate with: actverify schema > tests/data/report.schema.json (a deliberate change)
    assert json.loads(SCHEMA_FILE.read_text()) == report_schema()


def test_cli_json_validates_against_the_schema():
    result = CliRunner().invoke(app, ["check", "--expr", "sqrt(x)", "--expr", "tan(x)",
                                      "--expr", "foo(x)", "--format", "json"])
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads(SCHEMA_FILE.read_text()))
    assert report["schema"] == "actverify/report/v1"
    assert report["tool"] == {"name": "actverify", "version": verifier.__version__}
    assert set(report["summary"]) == {"activations", "counts", "findings", "errors",
                                      "crosschecks", "seconds", "ruled"}
    sqrt = report["activations"][0]
    assert set(sqrt) == {"name", "expr", "variable", "file", "line", "column", "canonical",
                         "latex", "source", "error", "properties", "findings", "seconds"}
    assert list(sqrt["properties"]) == list(PROPERTY_IDS)
    domain = sqrt["properties"]["domain"]
    assert set(domain) == {"verdict", "statement", "method", "evidence", "witness", "facts",
                           "reason", "crosscheck", "withdrawn", "seconds"}
    assert domain["facts"]["undefined"] == [{"lo": "-oo", "hi": 0.0, "lo_closed": False,
                                             "hi_closed": False, "lo_exact": "-oo",
                                             "hi_exact": "0"}]
    assert domain["crosscheck"]["status"] == "agrees"
    assert set(domain["crosscheck"]) == {"status", "examples", "tolerance", "detail",
                                         "counterexample", "seconds"}
    assert domain["crosscheck"]["seconds"] > 0
    assert report["activations"][1]["properties"]["domain"]["facts"]["domain"].keys() == {"text"}


def test_public_api():
    assert sorted(verifier.__all__) == sorted([
        "Activation", "ActivationResult", "DEFAULT_TIMEOUT", "ExpressionError", "Finding",
        "FindingsError", "InputError", "PROPERTY_IDS", "PropertyResult", "Report", "RuleSet",
        "STATEMENTS", "Severity", "Verdict", "VerifierError", "__version__",
        "check_activations", "exit_code", "load_catalog", "load_function_file", "load_rules",
        "parse_expression", "verify", "verify_file"])
    assert all(hasattr(verifier, name) for name in verifier.__all__)


def test_verify_api(tmp_path):
    report = verifier.verify("x * sigmoid(beta * x)", name="swish", params={"beta": 1},
                             properties=["domain", "nonlinear"])
    assert report["swish"]["domain"].verdict is verifier.Verdict.proved
    assert report.ok
    path = tmp_path / "a.toml"
    path.write_text('[[activation]]\nname = "log"\nexpr = "log(x)"\n')
    report = verifier.verify_file(path, properties="domain")
    assert report["log"]["domain"].verdict is verifier.Verdict.refuted and not report.ok


def test_api_validates_options():
    import pytest

    with pytest.raises(verifier.InputError, match="timeout: must be a number of seconds above 0"):
        verifier.verify("x", timeout=-1)
    with pytest.raises(verifier.InputError, match="unknown property id"):
        verifier.verify("x", properties=["speed"])
