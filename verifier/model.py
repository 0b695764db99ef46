"""The data contract (pydantic): activations in, reports out.

The JSON report (`actverify check --format json`) is `Report.model_dump(mode="json",
by_alias=True)`; its schema is verifier.schema.report_schema(): these models', with each
property's facts typed by verifier.facts, pinned by a test.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

REPORT_SCHEMA_ID = "actverify/report/v1"


class Verdict(str, Enum):
    proved = "proved"
    refuted = "refuted"
    unknown = "unknown"


class Method(str, Enum):
    symbolic = "symbolic"
    interval = "interval"
    numeric = "numeric"
    none = "none"


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Activation(BaseModel):
    """One candidate as given: its expression text is untrusted until parsed by verifier.expr."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    expr: str
    source: str | None = None
    params: dict[str, str | int | float] = Field(default_factory=dict)
    variable: str = "x"
    file: str | None = None
    line: int | None = None       # the line of its `expr` key in `file`
    column: int | None = None     # where the expression text starts on that line (1-based)


class CrossCheck(BaseModel):
    """The numeric challenge of a verdict (filled in by the cross-check)."""

    status: Literal["agrees", "conflict", "skipped", "hint"]
    examples: int = 0
    tolerance: float | None = None
    detail: str = ""
    counterexample: dict[str, JsonValue] | None = None
    seconds: float = 0.0       # wall time of the cross-check (0: not timed)


class Withdrawn(BaseModel):
    """A proved/refuted verdict that the numeric cross-check contradicted, kept as it was
    for the defect report; it is not the answer (the result is `unknown`)."""

    verdict: Verdict
    method: Method
    evidence: list[str] = Field(default_factory=list)
    witness: dict[str, JsonValue] | None = None
    facts: dict[str, JsonValue] = Field(default_factory=dict)


class PropertyResult(BaseModel):
    """One property's answer. `proved`/`refuted` carry a proof in `evidence`; a refutation
    carries a `witness` re-checked at high precision. `unknown` says why in `reason`; a
    verdict the cross-check contradicted is `unknown` with the verdict under `withdrawn`."""

    verdict: Verdict
    statement: str
    method: Method
    evidence: list[str] = Field(default_factory=list)
    witness: dict[str, JsonValue] | None = None
    facts: dict[str, JsonValue] = Field(default_factory=dict)
    reason: str | None = None
    crosscheck: CrossCheck | None = None
    withdrawn: Withdrawn | None = None
    seconds: float = 0.0


class ActivationError(BaseModel):
    """Why an activation (or part of its analysis) failed. `message` says where and what;
    `detail` only what; `column` is the column in the file line of the activation's `line`
    (for a parse error, where the parser stopped), when known."""

    kind: Literal["parse", "limit", "internal"]
    message: str
    detail: str | None = None
    column: int | None = None


class Finding(BaseModel):
    """A rule's complaint about one activation's property verdict: `code` is stable
    ("<property>.<kind>", documented in the README), `message` one line built from the facts
    (what is wrong, where; without the activation's name), `explanation` what that kind of
    failure does and its fix, `why` the rule's own reason."""

    activation: str
    property: str
    severity: Severity
    expected: Verdict
    verdict: Verdict
    code: str
    message: str
    explanation: str = ""
    why: str = ""

    @property
    def reason(self) -> str:
        """The explanation of its kind when there is one, else the rule's why."""
        return self.explanation or self.why


class ActivationResult(BaseModel):
    name: str
    expr: str
    variable: str = "x"
    file: str | None = None    # where it was defined (function file, line of `expr` and
    line: int | None = None    # the column where the expression starts), for CI lines
    column: int | None = None
    canonical: str | None = None
    latex: str | None = None
    source: str | None = None
    error: ActivationError | None = None
    properties: dict[str, PropertyResult] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    seconds: float = 0.0       # wall time of its checks and cross-checks (0: not analysed)

    def __getitem__(self, property_id: str) -> PropertyResult:
        return self.properties[property_id]


class ToolInfo(BaseModel):
    name: str = "actverify"
    version: str


class Summary(BaseModel):
    activations: int
    counts: dict[str, dict[Verdict, int]]
    findings: dict[Severity, int]
    errors: dict[Literal["parse", "limit", "internal"], int]
    crosschecks: dict[Literal["agrees", "conflict", "skipped", "hint"], int] = Field(
        default_factory=dict)
    seconds: float
    ruled: list[str] = Field(default_factory=list)   # properties the rule set has rules for


class Report(BaseModel):
    """The result of one run. `report["swish"]["domain"].verdict` reads one verdict."""

    model_config = ConfigDict(populate_by_name=True)

    schema_id: Literal["actverify/report/v1"] = Field(REPORT_SCHEMA_ID, alias="schema")
    tool: ToolInfo
    activations: list[ActivationResult]
    summary: Summary

    def __getitem__(self, name: str) -> ActivationResult:
        for activation in self.activations:
            if activation.name == name:
                return activation
        raise KeyError(name)

    @property
    def findings(self) -> list[Finding]:
        return [f for a in self.activations for f in a.findings]

    @property
    def ok(self) -> bool:
        """True when no error-severity finding and no activation error."""
        return not any(f.severity is Severity.error for f in self.findings) and not any(
            a.error for a in self.activations)

    def raise_for_findings(self, *, strict: bool = False) -> None:
        """Raise FindingsError (an AssertionError) listing the error findings (strict: and
        warnings), for plain assertions in a user's own tests."""
        failing = {Severity.error, Severity.warning} if strict else {Severity.error}
        bad = [f for f in self.findings if f.severity in failing]
        errors = [f"{a.name}: {a.error.kind} error: {a.error.message}"
                  for a in self.activations if a.error]
        if bad or errors:
            raise FindingsError("\n".join(errors + [
                f"{f.severity.value}[{f.code}] {f.activation}: {f.message} — {f.reason}"
                for f in bad]))

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2)


class FindingsError(AssertionError):
    """A report with findings its caller treats as failures."""
