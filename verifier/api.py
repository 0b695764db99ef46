"""The Python API: `verify` one expression, `verify_file` a function file.

    >>> from verifier import verify
    >>> report = verify("x * sigmoid(x)", name="swish")
    >>> report["swish"]["domain"].verdict
    <Verdict.proved: 'proved'>

Options are keyword-only and validated here; a bad one raises InputError naming it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import sympy as sp

from verifier.defaults import DEFAULT_EPSILON, DEFAULT_EXAMPLES, DEFAULT_TIMEOUT
from verifier.engine import check_activations
from verifier.errors import InputError
from verifier.functions import load_function_file
from verifier.model import Activation, Report
from verifier.properties.registry import PROPERTY_IDS
from verifier.report.escape import plain
from verifier.rules import RuleSet, load_rules


def verify(expression: str | sp.Expr, *, name: str | None = None,
           properties: Sequence[str] | None = None, timeout: float = DEFAULT_TIMEOUT,
           params: dict[str, str | int | float] | None = None, variable: str = "x",
           epsilon: float | str = DEFAULT_EPSILON, examples: int | None = DEFAULT_EXAMPLES,
           rules: RuleSet | str | None = None, budget: float | None = None) -> Report:
    """Check one activation given as text (parsed safely) or as a sympy expression.

    A sympy expression is printed with `sstr` and re-parsed by the safe parser, so both paths
    accept exactly the same vocabulary. `epsilon` is the no_vanishing_gradient threshold, taken
    exactly as written in decimal ("1e-3" is 1/1000). `examples`: inputs the numeric
    cross-check draws per verdict (None: no cross-check). `rules`: a RuleSet, a shipped rule
    set's name or a rule file (default: "default"). `budget`: seconds the activation may
    take in all (default 5 x timeout).
    """
    text = expression if isinstance(expression, str) else sp.sstr(expression)
    activation = Activation(name=name or text, expr=text, params=params or {},
                            variable=variable, file="<api>")
    return check_activations([activation], properties=validated_properties(properties),
                             timeout=validated_timeout(timeout),
                             epsilon=validated_epsilon(epsilon),
                             examples=None if examples is None else validated_examples(examples),
                             rules=_rule_set(rules), budget=_budget(budget))


def verify_file(path: str | Path, *, properties: Sequence[str] | None = None,
                timeout: float = DEFAULT_TIMEOUT, epsilon: float | str = DEFAULT_EPSILON,
                examples: int | None = DEFAULT_EXAMPLES,
                rules: RuleSet | str | None = None, budget: float | None = None) -> Report:
    """Check every activation of a function file (raises InputError for a malformed file;
    `budget`: seconds per activation, as in `verify`)."""
    return check_activations(load_function_file(path),
                             properties=validated_properties(properties),
                             timeout=validated_timeout(timeout),
                             epsilon=validated_epsilon(epsilon),
                             examples=None if examples is None else validated_examples(examples),
                             rules=_rule_set(rules), budget=_budget(budget))


def _budget(budget: float | None) -> float | None:
    return None if budget is None else validated_timeout(budget, "budget")


def _rule_set(rules: RuleSet | str | Path | None) -> RuleSet:
    return rules if isinstance(rules, RuleSet) else load_rules(rules or "default")


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
