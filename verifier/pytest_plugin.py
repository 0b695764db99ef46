"""The pytest plugin: `pytest --actverify activations.toml` collects one test item per
(activation, rule), so JUnit XML (--junitxml) and CI test views come for free.

An item fails when its rule's finding is an error (or a warning, with --actverify-strict), or
when the cross-check contradicted the verdict (withdrawn: a defect of actverify itself);
the failure shows the finding, the rule's why, the witness and the evidence. Options:
--actverify-rules NAME|PATH (default: "default"), --actverify-timeout S, and
--actverify-no-crosscheck. The activations of a file are checked once, on first use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.model import ActivationResult, Severity
from verifier.report.escape import plain
from verifier.rules import Rule, RuleSet, load_rules


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("actverify", "activation function verification")
    group.addoption("--actverify", action="append", default=[], metavar="FILE",
                    help="function file (TOML) to verify: one test per activation and rule")
    group.addoption("--actverify-rules", default="default", metavar="NAME|PATH",
                    help="rule set for the --actverify items (default: default)")
    group.addoption("--actverify-timeout", type=float, default=30.0,
                    help="seconds per property per activation")
    group.addoption("--actverify-strict", action="store_true",
                    help="warning findings fail too")
    group.addoption("--actverify-no-crosscheck", action="store_true",
                    help="skip the numeric cross-check")


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    files = config.getoption("actverify")
    if not files:
        return
    rules = load_rules(config.getoption("actverify_rules"))
    for name in files:
        collector = FunctionFile.from_parent(session, path=Path(name).resolve())
        collector.rules = rules
        items.extend(collector.collect())


class FunctionFile(pytest.File):
    rules: RuleSet
    _results: dict[str, ActivationResult] | None = None

    def collect(self):
        from verifier.functions import load_function_file

        for activation in load_function_file(self.path):
            for rule in self.rules.rule:
                yield RuleItem.from_parent(
                    self, name=plain(f"{activation.name}[{rule.property}]"),
                    activation=activation.name, rule=rule)

    def results(self) -> dict[str, ActivationResult]:
        if self._results is None:
            from verifier.api import verify_file

            config = self.config
            report = verify_file(self.path, rules=self.rules,
                                 properties=[r.property for r in self.rules.rule],
                                 timeout=config.getoption("actverify_timeout"),
                                 examples=None if config.getoption(
                                     "actverify_no_crosscheck") else 200)
            self._results = {a.name: a for a in report.activations}
        return self._results


class RuleItem(pytest.Item):
    def __init__(self, *, activation: str, rule: Rule, **kwargs) -> None:
        super().__init__(**kwargs)
        self.activation, self.rule = activation, rule

    def runtest(self) -> None:
        result = self.parent.results()[self.activation]
        if result.error:
            raise RuleFailure(f"{self.activation}: {result.error.kind} error: "
                              f"{result.error.message}")
        outcome = result.properties.get(self.rule.property)
        if outcome and outcome.withdrawn:   # a defect of actverify, as the CLI's exit 3 says
            raise RuleFailure(f"{self.activation}: {self.rule.property}: the "
                              f"{outcome.withdrawn.verdict.value} verdict was withdrawn: "
                              f"{outcome.reason}")
        failing = {Severity.error, Severity.warning} if self.config.getoption(
            "actverify_strict") else {Severity.error}
        for finding in result.findings:
            if finding.property == self.rule.property and finding.severity in failing:
                outcome = result.properties[self.rule.property]
                lines = [f"{finding.severity.value}: {finding.message}", f"why: {finding.why}"]
                if outcome.witness:
                    lines.append(f"witness: {json.dumps(outcome.witness)}")
                lines += [f"evidence: {step}" for step in outcome.evidence]
                raise RuleFailure("\n".join(lines))

    def repr_failure(self, excinfo, style=None) -> str:
        if isinstance(excinfo.value, RuleFailure):   # one clean line each, no terminal control
            return "\n".join(plain(line) for line in str(excinfo.value).split("\n"))
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, plain(f"actverify {self.activation}: {self.rule.property}")


class RuleFailure(Exception):
    """An activation breaks a rule (shown without a traceback)."""
