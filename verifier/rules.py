"""Declarative rule sets: which verdicts a CI gate expects, and how much a miss matters.

A rule set is TOML (shipped ones in the top-level rules/: default, strict, search; they
install as the package data of verifier.shipped_rules):

    description = "..."
    crosscheck = true            # optional: false skips the numeric cross-check
    timeout = 30                 # optional: seconds per property
    epsilon = "1e-3"             # optional: the no_vanishing_gradient threshold
    ulps = { float32 = 4 }       # optional: float_accurate's dtypes and the ulps each may be
                                 # off (default: float16 2, bfloat16 2, float32 4, float64 4)
    properties = ["domain"]      # optional: check only these (default: all)
    [[rule]]
    property = "domain"          # a property id
    expect = "proved"            # the verdict it expects (proved or refuted), or
    forbid = { parity = ["even"] }   # facts that must not take these values
    min_smoothness = 1           # differentiable only: at least C^1 ("inf": smooth)
    severity = "error"           # error | warning | info
    why = "shown with the finding"

The logic stays here: `findings(...)` turns verdicts into Findings. An `unknown` verdict is
never a finding (it is not a failure of the activation), but it is listed as `info`.
What a rule set does not do: change how a property is decided.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import (BaseModel, ConfigDict, Field, ValidationError, field_validator,
                      model_validator)

from verifier.defaults import DEFAULT_ULPS
from verifier.errors import InputError
from verifier.finding_messages import describe
from verifier.model import Finding, PropertyResult, Severity, Verdict
from verifier.properties.registry import FACTS, PROPERTY_IDS
from verifier.escape import plain

SHIPPED = ("default", "strict", "search")


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    property: str
    expect: Literal["proved", "refuted"] | None = None
    forbid: dict[str, list[str]] = Field(default_factory=dict)
    min_smoothness: int | Literal["inf"] | None = None
    severity: Severity
    why: str = ""

    @field_validator("property")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in PROPERTY_IDS:
            raise ValueError(f"unknown property {value!r}; known: {', '.join(PROPERTY_IDS)}")
        return value

    @model_validator(mode="after")
    def _known_facts(self) -> Rule:
        """A misspelt fact would never match: refused, with the property's facts."""
        for fact in self.forbid:
            if fact not in FACTS[self.property]:
                known = ", ".join(FACTS[self.property]) or "none"
                raise ValueError(f"forbid.{fact}: {self.property} has no fact {fact!r} "
                                 f"(its facts: {known})")
        return self


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "custom"
    description: str = ""
    crosscheck: bool = True
    timeout: float | None = Field(default=None, gt=0)
    epsilon: str | None = None
    ulps: dict[str, float] | None = None   # float_accurate's dtypes and allowed ulps
    properties: list[str] | None = None   # what to check (default: every property)
    rule: list[Rule] = Field(min_length=1)

    @field_validator("ulps")
    @classmethod
    def _known_dtypes(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return None
        if not value:
            raise ValueError("give at least one dtype")
        for dtype, allowed in value.items():
            if dtype not in DEFAULT_ULPS:
                raise ValueError(f"unknown dtype {dtype!r}; known: {', '.join(DEFAULT_ULPS)}")
            if not (0 <= allowed < 2 ** 20):
                raise ValueError(f"{dtype}: allowed ulps must be in [0, 2**20), got {allowed}")
        return value

    @field_validator("properties")
    @classmethod
    def _known_ids(cls, value: list[str] | None) -> list[str] | None:
        unknown = [p for p in value or [] if p not in PROPERTY_IDS]
        if unknown:
            raise ValueError(f"unknown property id(s) {unknown}")
        return value


def load_rules(name_or_path: str | Path = "default") -> RuleSet:
    """A shipped rule set by name, or a rule file by path (raises InputError naming the file,
    key and value)."""
    if str(name_or_path) in SHIPPED:
        source = resources.files("verifier.shipped_rules").joinpath(f"{name_or_path}.toml")
        return _parse(source.read_text(encoding="utf-8"), str(name_or_path), str(name_or_path))
    path = Path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the rule set ({exc}); shipped rule sets: "
                         f"{', '.join(SHIPPED)}") from None
    return _parse(text, str(path), path.stem)


def _parse(text: str, filename: str, name: str) -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{filename}: not valid TOML: {exc}") from None
    if not (isinstance(data.get("rule"), list) and data["rule"]
            and all(isinstance(r, dict) for r in data["rule"])):
        # not a rule set at all: say so and nothing more (it may be any file on the machine)
        raise InputError(f"{filename}: not a rule set (it has no [[rule]] tables)")
    try:
        rules = RuleSet.model_validate({"name": name, **data})
    except ValidationError as exc:
        raise InputError("; ".join(_describe(filename, e) for e in exc.errors())) from None
    for index, rule in enumerate(rules.rule):
        if (rule.expect is None) == (not rule.forbid and rule.min_smoothness is None):
            raise InputError(f"{filename}: rule.{index}: give `expect` (a verdict) or a fact "
                             f"condition (`forbid`, `min_smoothness`), not both or neither "
                             f"(property {rule.property!r})")
    return rules


def _describe(filename: str, error: dict) -> str:
    key = ".".join(str(part) for part in error["loc"])
    problem = "unknown key" if error["type"] == "extra_forbidden" else \
        error["msg"].removeprefix("Value error, ")
    shown = error.get("input")
    value = f" (got {plain(repr(shown))[:60]})" if error["type"] != "missing" and isinstance(
        shown, (str, int, float, bool)) and error["type"] != "extra_forbidden" else ""
    return plain(f"{filename}: {key}: {problem}{value}")


def findings(activation: str, properties: dict[str, PropertyResult],
             rules: RuleSet) -> list[Finding]:
    """The findings the rule set calls for, errors first. The message of each is built from
    the facts (verifier.finding_messages), never from the last evidence line."""
    found = []
    for rule in rules.rule:
        outcome = properties.get(rule.property)
        if outcome is None:
            continue
        if outcome.verdict is Verdict.unknown:
            found.append(_finding(activation, rule, outcome, Severity.info, properties))
            continue
        failed = _failed(rule, outcome)
        if failed:
            found.append(_finding(activation, rule, outcome, rule.severity, properties,
                                  on_facts=failed == "facts"))
    order = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
    once: dict[tuple[str, str, str], Finding] = {}
    for finding in sorted(found, key=lambda f: order[f.severity]):
        # two rules on one property can tell the same problem: once, at the higher severity
        once.setdefault((finding.property, finding.code, finding.message), finding)
    return list(once.values())


def _failed(rule: Rule, outcome: PropertyResult) -> str | None:
    """"verdict" or "facts" when the outcome breaks the rule, else None."""
    if rule.expect is not None and outcome.verdict.value != rule.expect:
        return "verdict"
    for fact, values in rule.forbid.items():
        if str(outcome.facts.get(fact)) in values:
            return "facts"
    if rule.min_smoothness is not None:
        order = outcome.facts.get("smoothness")
        needed = float("inf") if rule.min_smoothness == "inf" else rule.min_smoothness
        have = float("inf") if order == "inf" else (-2 if order is None else order)
        if have < needed:
            return "facts"
    return None


def _finding(activation: str, rule: Rule, outcome: PropertyResult, severity: Severity,
             properties: dict[str, PropertyResult], *, on_facts: bool = False) -> Finding:
    expected = Verdict(rule.expect) if rule.expect else Verdict.proved
    told = describe(rule.property, outcome, properties, on_facts=on_facts)
    return Finding(activation=activation, property=rule.property, severity=severity,
                   expected=expected, verdict=outcome.verdict, code=told.code,
                   message=told.message, explanation=told.explanation, why=rule.why)
