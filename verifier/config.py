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

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy as sp

from verifier.escape import plain
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


def resolve(*, rules: RuleSet | str | Path | None = None,
            properties: str | Sequence[str] | None = None,
            timeout: float | None = None, epsilon: float | str | None = None,
            examples: int | None = None, crosscheck: bool = True,
            report_dir: Path | None = None, max_memory: str | int | None = None,
            budget: float | None = None, run_budget: float | None = None,
            project: Path | None = None, read_project: bool = True) -> Settings:
    """Each setting from the first place that gives it (raises InputError): the command line
    or the API call, [tool.actverify], the rule set, the defaults. `project` is the
    pyproject.toml to read; by default the nearest one above the working directory that has
    a [tool.actverify] table (see find_project); `read_project=False` reads none (the
    Python API: a library call does not depend on the working directory)."""
    if not read_project:
        table, where = {}, "no pyproject.toml"
    else:
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
    rule_set = rule_source if isinstance(rule_source, RuleSet) else load_rules(rule_source)
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


# -- validators: each option's check, with an error naming the option ------------------

def validated_properties(properties: Sequence[str] | None) -> tuple[str, ...]:
    if properties is None:
        return PROPERTY_IDS
    if isinstance(properties, str):
        properties = [p.strip() for p in properties.split(",") if p.strip()]
    unknown = [p for p in properties if p not in PROPERTY_IDS]
    if unknown or not properties:
        raise InputError(f"properties: unknown property id(s) {unknown or '(none given)'}; "
                         f"known: {', '.join(PROPERTY_IDS)}")
    return tuple(dict.fromkeys(properties))


MAX_SECONDS = 7 * 24 * 3600.0     # a week: beyond it a limit is no limit
MAX_EXAMPLES = 100_000
MIN_MEMORY = 16 << 20             # a worker cannot start in less


def validated_timeout(timeout: float, key: str = "timeout") -> float:
    """Seconds: a finite positive number up to a week (`key` names the option)."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or \
            not 0 < timeout <= MAX_SECONDS:
        raise InputError(f"{key}: must be a number of seconds above 0 and at most "
                         f"{MAX_SECONDS:g}, got {_shown(timeout)}")
    return float(timeout)


def validated_examples(examples: int) -> int:
    if isinstance(examples, bool) or not isinstance(examples, int) or \
            not 1 <= examples <= MAX_EXAMPLES:
        raise InputError(f"examples: must be a whole number from 1 to {MAX_EXAMPLES}, got "
                         f"{_shown(examples)}")
    return examples


_DECIMAL = re.compile(r"\s*(\d{1,30}(?:\.\d{1,30})?|\.\d{1,30})(?:[eE]([+-]?\d{1,3}))?\s*")


def validated_epsilon(epsilon: float | str) -> sp.Rational:
    """The decimal as written, exactly (a float by its shortest repr: 0.001 is 1/1000):
    at most 30 digits each side of the point and an exponent within +-100, so that no
    epsilon costs time to read (1e-10000000 would)."""
    text = repr(epsilon) if isinstance(epsilon, float) else epsilon
    match = _DECIMAL.fullmatch(str(text)) if not isinstance(epsilon, bool) and isinstance(
        text, (str, int)) else None
    if match is None or abs(int(match[2] or 0)) > 100:
        raise InputError(f"epsilon: must be a positive decimal number such as 1e-3 (at most "
                         f"30 digits, exponent within +-100), got {_shown(epsilon)}")
    value = Fraction(match[1]) * Fraction(10) ** int(match[2] or 0)
    if not value > 0:
        raise InputError(f"epsilon: must be positive, got {_shown(epsilon)}")
    return sp.Rational(value.numerator, value.denominator)


def _shown(value: object) -> str:
    """A value for an error message: short, one line, no terminal control."""
    text = plain(str(value))
    return repr(text[:40] + "..." if len(text) > 40 else text) if isinstance(value, str) \
        else text[:40]


_SIZE = re.compile(r"\s*(\d{1,12}(?:\.\d{1,12})?)\s*([KMG])(?:i?B)?\s*", re.IGNORECASE)


def validated_memory(size: str | int | None) -> int | None:
    """A worker memory cap in bytes from "1GiB", "512M", "300MiB" (units are binary) or a
    whole number of bytes; "none" (or None) for no cap."""
    if size is None or (isinstance(size, str) and size.strip().lower() == "none"):
        return None
    if isinstance(size, int) and not isinstance(size, bool):
        amount = size
    else:
        match = _SIZE.fullmatch(size) if isinstance(size, str) else None
        if match is None:
            raise InputError(f"max_memory: must be a size such as 1GiB or 512MiB, or none; "
                             f"got {_shown(size)}")
        amount = int(float(match[1]) * 1024 ** "KMG".index(match[2].upper()) * 1024)
    if amount < MIN_MEMORY:
        raise InputError(f"max_memory: must be at least {MIN_MEMORY >> 20}MiB (a worker "
                         f"needs that much to start), or none; got {_shown(size)}")
    return amount
