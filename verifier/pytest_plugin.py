"""The pytest plugin: `pytest --actverify activations.toml` collects one test item per
(activation, rule), so JUnit XML (--junitxml) and CI test views come for free.

An item fails when its rule's finding is an error (or a warning, with --actverify-strict), or
when the cross-check contradicted the verdict (withdrawn: a defect of actverify itself);
the failure shows the finding, the rule's why, the witness and the evidence. Options:
--actverify-rules NAME|PATH (default: "default"), --actverify-timeout S, and
--actverify-no-crosscheck. The activations of a file are checked once, on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from verifier.escape import plain

# pytest loads this plugin in every run of every project that has actverify installed: the
# analysis (sympy, numpy, the rules) is imported only when an --actverify file is collected.
if TYPE_CHECKING:
    from verifier.config import Settings
    from verifier.model import ActivationResult
    from verifier.rules import Rule, RuleSet


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("actverify", "activation function verification")
    group.addoption("--actverify", action="append", default=[], metavar="FILE",
                    help="function file (TOML) to verify: one test per activation and rule")
    group.addoption("--actverify-rules", default=None, metavar="NAME|PATH",
                    help="rule set for the --actverify items (default: [tool.actverify] "
                         "rules, else default)")
    group.addoption("--actverify-timeout", type=float, default=None,
                    help="seconds per property per activation (default: [tool.actverify] "
                         "timeout, else 30)")
    group.addoption("--actverify-strict", action="store_true",
                    help="warning findings fail too")
    group.addoption("--actverify-no-crosscheck", action="store_true",
                    help="skip the numeric cross-check")


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    files = config.getoption("actverify")
    if not files:
        return
    from verifier.config import find_project, resolve

    settings = resolve(rules=config.getoption("actverify_rules"),
                       timeout=config.getoption("actverify_timeout"),
                       crosscheck=not config.getoption("actverify_no_crosscheck"),
                       project=find_project(config.invocation_params.dir))
    for name in files:
        collector = FunctionFile.from_parent(session, path=Path(name).resolve())
        collector.rules, collector.settings = settings.rules, settings
        items.extend(collector.collect())


class FunctionFile(pytest.File):
    rules: RuleSet
    settings: "Settings"
    _results: dict[str, ActivationResult] | None = None

    def collect(self):
        from verifier.functions import load_function_file

        for activation in load_function_file(self.shown_path()):
            for rule in self.rules.rule:
                yield RuleItem.from_parent(
                    self, name=plain(f"{activation.name}[{rule.property}]"),
                    activation=activation.name, rule=rule)

    def shown_path(self) -> Path:
        """The file as the user named it (relative to where pytest was started, when it is
        below it), so failures read `acts.toml:3:9:` as in the console."""
        start = self.config.invocation_params.dir
        return self.path.relative_to(start) if self.path.is_relative_to(start) else self.path

    def results(self) -> dict[str, ActivationResult]:
        if self._results is None:
            from verifier.engine import check_activations
            from verifier.functions import load_function_file

            settings = self.settings
            report = check_activations(
                load_function_file(self.shown_path()), rules=self.rules,
                properties=list(dict.fromkeys(r.property for r in self.rules.rule)),
                timeout=settings.timeout, epsilon=settings.epsilon,
                examples=settings.examples, max_memory=settings.max_memory,
                budget=settings.budget)
            self._results = {a.name: a for a in report.activations}
        return self._results


class RuleItem(pytest.Item):
    def __init__(self, *, activation: str, rule: Rule, **kwargs) -> None:
        super().__init__(**kwargs)
        self.activation, self.rule = activation, rule

    def runtest(self) -> None:
        from verifier import notation
        from verifier.model import Severity
        from verifier.report.text import location

        result = self.parent.results()[self.activation]
        if result.error and not result.properties:   # one failure, not one per rule
            first = next(r for r in self.parent.rules.rule if r.property in _checked(
                self.parent.rules))
            if self.rule is not first:
                pytest.skip(f"{self.activation} was not analysed ({result.error.kind} error, "
                            f"reported by its {first.property} item)")
            raise RuleFailure(f"{location(result, result.error.column)}: error"
                              f"[{result.error.kind}] {self.activation}: "
                              f"{result.error.detail or result.error.message}")
        if result.error:
            raise RuleFailure(f"{location(result)}: error[{result.error.kind}] "
                              f"{self.activation}: {result.error.detail or result.error.message}")
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
                lines = [f"{location(result)}: {finding.severity.value}[{finding.code}] "
                         f"{self.activation}: {finding.message}"]
                lines += [f"why: {text}" for text in dict.fromkeys(
                    t for t in (finding.explanation, finding.why) if t)]
                if outcome.witness:
                    lines.append(f"witness: {notation.witness(outcome.witness)}")
                lines += [f"evidence: {step}" for step in outcome.evidence]
                raise RuleFailure("\n".join(lines))

    def seconds(self) -> float | None:
        """The analysis time of this item's property (for JUnit), once it ran."""
        results = self.parent._results
        outcome = results and results.get(self.activation) and \
            results[self.activation].properties.get(self.rule.property)
        return outcome.seconds if outcome else None

    def repr_failure(self, excinfo, style=None) -> str:
        if isinstance(excinfo.value, RuleFailure):   # one clean line each, no terminal control
            return "\n".join(plain(line) for line in str(excinfo.value).split("\n"))
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, plain(f"actverify {self.activation}: {self.rule.property}")


def _checked(rules: RuleSet) -> list[str]:
    return [r.property for r in rules.rule]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Per-test times in JUnit: an item's property's own analysis time, not the whole
    file's (which its first item would otherwise carry)."""
    outcome = yield
    if isinstance(item, RuleItem) and call.when == "call":
        seconds = item.seconds()
        if seconds is not None:
            outcome.get_result().duration = seconds


class RuleFailure(Exception):
    """An activation breaks a rule (shown without a traceback)."""
