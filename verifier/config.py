"""Run settings, resolved once: command-line options, then `[tool.actverify]` in the project's
pyproject.toml, then the rule set's own options, then the defaults.

    [tool.actverify]
    rules = "strict"          # a shipped rule set or a path (relative to pyproject.toml)
    epsilon = "1e-3"
    timeout = 30
    examples = 200
    report_dir = "reports"
    max_memory = "1GiB"       # per worker process; "none" for no cap

A bad value is an InputError naming the file and key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sympy as sp

from verifier.api import (validated_epsilon, validated_examples, validated_memory,
                          validated_properties, validated_timeout)
from verifier.crosscheck import DEFAULT_EXAMPLES
from verifier.engine import DEFAULT_TIMEOUT
from verifier.errors import InputError
from verifier.properties.registry import PROPERTY_IDS
from verifier.rules import SHIPPED, RuleSet, load_rules
from verifier.workers import DEFAULT_MAX_MEMORY

_KEYS = {"rules", "epsilon", "timeout", "examples", "report_dir", "max_memory"}


@dataclass(frozen=True)
class Settings:
    rules: RuleSet
    properties: tuple[str, ...]
    timeout: float
    epsilon: sp.Rational
    examples: int | None          # None: no cross-check
    report_dir: Path | None
    max_memory: int | None        # bytes per worker; None: no cap


def resolve(*, rules: str | None = None, properties: str | None = None,
            timeout: float | None = None, epsilon: str | None = None,
            examples: int | None = None, crosscheck: bool = True,
            report_dir: Path | None = None, max_memory: str | None = None,
            project: Path = Path("pyproject.toml")) -> Settings:
    """Each setting from the first place that gives it (raises InputError)."""
    table, where = _project_table(project)

    def pick(given: Any, key: str, fallback: Any) -> Any:
        return given if given is not None else table.get(key, fallback)
    rule_source = pick(rules, "rules", "default")
    if rules is None and "rules" in table and rule_source not in SHIPPED:
        rule_source = str(project.parent / rule_source)
    rule_set = load_rules(rule_source)
    try:
        chosen = validated_properties(
            properties if properties is not None else rule_set.properties or PROPERTY_IDS)
        seconds = validated_timeout(pick(timeout, "timeout", rule_set.timeout or DEFAULT_TIMEOUT))
        threshold = validated_epsilon(pick(epsilon, "epsilon", rule_set.epsilon or "1e-3"))
        drawn = validated_examples(pick(examples, "examples", DEFAULT_EXAMPLES))
        memory = validated_memory(pick(max_memory, "max_memory", DEFAULT_MAX_MEMORY))
    except InputError as exc:
        raise InputError(f"{exc} (from the command line, {where} or the rule set "
                         f"{rule_set.name!r})") from None
    wanted = crosscheck and (rule_set.crosscheck or examples is not None)
    directory = pick(report_dir, "report_dir", None)
    return Settings(rule_set, chosen, seconds, threshold, drawn if wanted else None,
                    None if directory is None else Path(directory), memory)


def _project_table(project: Path) -> tuple[dict, str]:
    if not project.is_file():
        return {}, "no pyproject.toml"
    try:
        data = tomllib.loads(project.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{project}: not readable TOML: {exc}") from None
    table = data.get("tool", {}).get("actverify", {})
    if not isinstance(table, dict):
        raise InputError(f"{project}: tool.actverify: must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise InputError(f"{project}: tool.actverify.{unknown[0]}: unknown key (known: "
                         f"{', '.join(sorted(_KEYS))})")
    return table, f"{project} [tool.actverify]"
