"""The console output of a small file, golden: one `path:line:col: severity[code] name:
message` line per problem, grouped by file, the table, and the closing summary line with the
exit reason (in-process; the analysis is real, the cross-check off to keep it short)."""

from typer.testing import CliRunner

from verifier.cli import app

FILE = '''[[activation]]
name = "relu"
expr = "relu(x)"

[[activation]]
name = "inv"
expr = "1/x"

[[activation]]
name = "typo"
   expr = "2*sigmoidd(x)"
'''
PROPERTIES = "domain,no_dead_zone,monotonic"

EXPECTED = """\
acts.toml:3:9: warning[no_dead_zone.dead-zone] relu: f' = 0 on (-∞, 0) — where f' is \
identically 0 a unit gets no gradient and cannot recover (the dead ReLU); fix: a small slope \
there (leaky_relu: Max(x, x/100)), or a smooth variant (softplus, elu, swish)
acts.toml:7:9: error[domain.pole] inv: f has a pole at x = 0: it is infinite there — the \
output is infinite there: one such input makes the loss inf or NaN; fix: keep the denominator \
away from 0 (x/(1 + abs(x)) instead of 1/x)
acts.toml:11:14: error[parse] typo: function not in the vocabulary: 'sigmoidd'; did you mean \
'sigmoid'?

activation  result       rules not met (error, warning)  ✓ ✗ ?
relu        warning      no_dead_zone                    2 1 0
inv         error        domain                          1 2 0
typo        parse error                                  0 0 0
3 activations, 3 properties: 2 errors, 1 warning, 1 info (1 not shown: --min-severity info) \
(exit 2: input errors)
"""


def test_console_output_of_a_small_file(tmp_path, monkeypatch):
    (tmp_path / "acts.toml").write_text(FILE)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "acts.toml", "--properties", PROPERTIES,
                                      "--no-crosscheck"])
    assert result.exit_code == 2
    assert result.stdout == EXPECTED


def test_min_severity_info_shows_the_rest(tmp_path, monkeypatch):
    (tmp_path / "acts.toml").write_text(FILE)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "acts.toml", "--properties", PROPERTIES,
                                      "--no-crosscheck", "--min-severity", "info"])
    lines = result.stdout.splitlines()
    assert "acts.toml:7:9: info[monotonic.not-across] inv: f is decreasing on each of " \
           "(-∞, 0) ∪ (0, ∞) but not across the gaps between them — f is monotone on each " \
           "piece but jumps back between them" in lines
    assert lines[-1] == "3 activations, 3 properties: 2 errors, 1 warning, 1 info " \
                        "(exit 2: input errors)"


def test_a_parse_error_is_in_json_sarif_and_markdown_at_its_column(tmp_path, monkeypatch):
    import json

    (tmp_path / "acts.toml").write_text(FILE)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    base = ["check", "acts.toml", "--properties", "domain", "--no-crosscheck"]
    report = json.loads(runner.invoke(app, [*base, "--format", "json"]).stdout)
    typo = report["activations"][2]
    assert (typo["line"], typo["column"]) == (11, 12)   # where the expression starts
    assert typo["error"]["kind"] == "parse" and typo["error"]["column"] == 14
    sarif = json.loads(runner.invoke(app, [*base, "--format", "sarif"]).stdout)
    (parse,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "error.parse"]
    assert parse["locations"][0]["physicalLocation"]["region"] == {"startLine": 11,
                                                                   "startColumn": 14}
    assert parse["message"]["text"] == "typo: function not in the vocabulary: 'sigmoidd'; " \
                                       "did you mean 'sigmoid'?"
    index = runner.invoke(app, [*base, "--format", "markdown"]).stdout
    assert "- typo: parse error: function not in the vocabulary: 'sigmoidd'; did you mean " \
           "'sigmoid'?" in index
