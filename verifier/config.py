"""Run settings, resolved once: command-line options, then `[tool.actverify]` in the project's
pyproject.toml, then the rule set's own options, then the defaults.

    [tool.actverify]
    rules = "strict"          # a shipped rule set or a path (relative to pyproject.toml)
    epsilon = "1e-3"
    timeout = 30
    examples = 200
    report_dir = "reports"
    max_memory = "1GiB"       # per worker process; "none" for no cap
    budget = 150              # seconds per activation, all steps (default 5 x timeout)
    run_budget = 3600         # seconds for the whole run (default: none)

A bad value is an InputError naming the file and key. The paths of pyproject.toml (`rules`,
`report_dir`) come from the repository, so from a pull request: they are resolved relative to
the pyproject's directory and must stay inside it (links resolved); a path given on the command
line is the user's choice and may point anywhere.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sympy as sp

from verifier.api import (validated_epsilon, validated_examples, validated_memory,
                          validated_properties, validated_timeout)
from verifier.report.escape import plain
from verifier.defaults import (DEFAULT_EPSILON, DEFAULT_EXAMPLES, DEFAULT_MAX_MEMORY,
                               DEFAULT_TIMEOUT)
from verifier.errors import InputError
from verifier.properties.registry import PROPERTY_IDS
from verifier.rules import SHIPPED, RuleSet, load_rules

_KEYS = {"rules", "epsilon", "timeout", "examples", "report_dir", "max_memory", "budget",
         "run_budget"}


@dataclass(frozen=True)
class Settings:
    rules: RuleSet
    properties: tuple[str, ...]
    timeout: float
    epsilon: sp.Rational
    examples: int | None          # None: no cross-check
    report_dir: Path | None
    max_memory: int | None        # bytes per worker; None: no cap
    budget: float | None = None   # seconds per activation; None: the engine's default
    run_budget: float | None = None   # seconds for the whole run; None: no limit


def resolve(*, rules: str | None = None, properties: str | None = None,
            timeout: float | None = None, epsilon: str | None = None,
            examples: int | None = None, crosscheck: bool = True,
            report_dir: Path | None = None, max_memory: str | None = None,
            budget: float | None = None, run_budget: float | None = None,
            project: Path | None = None) -> Settings:
    """Each setting from the first place that gives it (raises InputError). `project` is
    the pyproject.toml to read; by default the nearest one above the working directory
    that has a [tool.actverify] table (see find_project)."""
    project = find_project() if project is None else project
    table, where = _project_table(project)
    sources: dict[str, str] = {}

    def pick(given: Any, key: str, fallback: Any, from_rules: bool = False) -> Any:
        if given is not None:
            return given
        if key in table:
            sources[key] = where
            return table[key]
        if from_rules:
            sources[key] = f"the rule set {rule_set.name!r}"
        return fallback
    rule_source = pick(rules, "rules", "default")
    if rules is None and "rules" in table and rule_source not in SHIPPED:
        rule_source = str(_inside(project, "rules", rule_source))
    rule_set = load_rules(rule_source)
    checks = [
        ("properties", lambda: validated_properties(
            properties if properties is not None else rule_set.properties or PROPERTY_IDS)),
        ("timeout", lambda: validated_timeout(pick(timeout, "timeout", rule_set.timeout or
                                                   DEFAULT_TIMEOUT, rule_set.timeout is not None))),
        ("epsilon", lambda: validated_epsilon(pick(epsilon, "epsilon", rule_set.epsilon or DEFAULT_EPSILON,
                                                   rule_set.epsilon is not None))),
        ("examples", lambda: validated_examples(pick(examples, "examples", DEFAULT_EXAMPLES))),
        ("max_memory", lambda: validated_memory(pick(max_memory, "max_memory",
                                                     DEFAULT_MAX_MEMORY))),
        ("budget", lambda: _optional_seconds(pick(budget, "budget", None), "budget")),
        ("run_budget", lambda: _optional_seconds(pick(run_budget, "run_budget", None),
                                                 "run_budget")),
    ]
    values = {}
    for key, check in checks:
        try:
            values[key] = check()
        except InputError as exc:
            source = sources.get(key)
            raise InputError(f"{exc} (from {source})" if source else str(exc)) from None
    wanted = crosscheck and (rule_set.crosscheck or examples is not None)
    if report_dir is not None:
        directory: Path | None = report_dir
    elif "report_dir" in table:
        directory = _inside(project, "report_dir", table["report_dir"])
    else:
        directory = None
    return Settings(rule_set, values["properties"], values["timeout"], values["epsilon"],
                    values["examples"] if wanted else None, directory, values["max_memory"],
                    values["budget"], values["run_budget"])


def find_project(start: Path | None = None) -> Path:
    """The nearest pyproject.toml with a [tool.actverify] table, from `start` (default: the
    working directory) upward, as ruff and pytest look for their settings; the search stops
    at a repository root (a directory with .git). Without one: the working directory's
    pyproject.toml, whether it exists or not (then the defaults)."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and _has_table(candidate):
            return candidate
        if (directory / ".git").exists():
            break
    return here / "pyproject.toml"


def _has_table(project: Path) -> bool:
    try:
        data = tomllib.loads(project.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True   # unreadable: _project_table says so, naming the file
    return isinstance(data.get("tool"), dict) and "actverify" in data["tool"]


def _optional_seconds(value: Any, key: str) -> float | None:
    return None if value is None else validated_timeout(value, key)


def _inside(project: Path, key: str, value: Any) -> Path:
    """A path from pyproject.toml, relative to it, that must stay inside its directory."""
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        raise InputError(f"{project}: tool.actverify.{key}: must be a relative path inside "
                         f"the project")
    root = project.parent.resolve()
    path = (root / value).resolve()
    if path != root and root not in path.parents:
        raise InputError(f"{project}: tool.actverify.{key}: the path {plain(value)[:80]!r} "
                         f"leaves the project directory {root} (a path from pyproject.toml "
                         f"must stay inside it; give it on the command line to go "
                         f"elsewhere)")
    return path


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
