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

from verifier.crosscheck import DEFAULT_EXAMPLES
from verifier.engine import DEFAULT_TIMEOUT, check_activations
from verifier.errors import InputError
from verifier.functions import load_function_file
from verifier.model import Activation, Report
from verifier.properties.registry import PROPERTY_IDS
from verifier.rules import RuleSet, load_rules


def verify(expression: str | sp.Expr, *, name: str | None = None,
           properties: Sequence[str] | None = None, timeout: float = DEFAULT_TIMEOUT,
           params: dict[str, str | int | float] | None = None, variable: str = "x",
           epsilon: float | str = "1e-3", examples: int | None = DEFAULT_EXAMPLES,
           rules: RuleSet | str | None = None) -> Report:
    """Check one activation given as text (parsed safely) or as a sympy expression.

    A sympy expression is printed with `sstr` and re-parsed by the safe parser, so both paths
    accept exactly the same vocabulary. `epsilon` is the no_vanishing_gradient threshold, taken
    exactly as written in decimal ("1e-3" is 1/1000). `examples`: inputs the numeric
    cross-check draws per verdict (None: no cross-check). `rules`: a RuleSet, a shipped rule
    set's name or a rule file (default: "default").
    """
    text = expression if isinstance(expression, str) else sp.sstr(expression)
    activation = Activation(name=name or text, expr=text, params=params or {},
                            variable=variable, file="<api>")
    return check_activations([activation], properties=validated_properties(properties),
                             timeout=validated_timeout(timeout),
                             epsilon=validated_epsilon(epsilon),
                             examples=None if examples is None else validated_examples(examples),
                             rules=_rule_set(rules))


def verify_file(path: str | Path, *, properties: Sequence[str] | None = None,
                timeout: float = DEFAULT_TIMEOUT, epsilon: float | str = "1e-3",
                examples: int | None = DEFAULT_EXAMPLES,
                rules: RuleSet | str | None = None) -> Report:
    """Check every activation of a function file (raises InputError for a malformed file)."""
    return check_activations(load_function_file(path),
                             properties=validated_properties(properties),
                             timeout=validated_timeout(timeout),
                             epsilon=validated_epsilon(epsilon),
                             examples=None if examples is None else validated_examples(examples),
                             rules=_rule_set(rules))


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


def validated_timeout(timeout: float) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise InputError(f"timeout: must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def validated_examples(examples: int) -> int:
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise InputError(f"examples: must be a positive whole number, got {examples!r}")
    return examples


def validated_epsilon(epsilon: float | str) -> sp.Rational:
    """The decimal as written, exactly (a float by its shortest repr: 0.001 is 1/1000)."""
    text = repr(epsilon) if isinstance(epsilon, float) else epsilon
    if isinstance(epsilon, bool) or not isinstance(text, (str, int)):
        raise InputError(f"epsilon: must be a positive decimal number, got {epsilon!r}")
    try:
        value = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError):
        raise InputError(f"epsilon: must be a positive decimal number, got {epsilon!r}") from None
    if not value > 0:
        raise InputError(f"epsilon: must be positive, got {epsilon!r}")
    return sp.Rational(value.numerator, value.denominator)


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMG])(?:i?B)?\s*", re.IGNORECASE)


def validated_memory(size: str | int | None) -> int | None:
    """A worker memory cap in bytes from "1GiB", "512M", "300MiB" (units are binary) or a
    whole number of bytes; "none" (or None) for no cap."""
    if size is None or (isinstance(size, str) and size.strip().lower() == "none"):
        return None
    if isinstance(size, int) and not isinstance(size, bool) and size > 0:
        return size
    match = _SIZE.fullmatch(size) if isinstance(size, str) else None
    if match is None or float(match[1]) <= 0:
        raise InputError(f"max_memory: must be a size such as 1GiB or 512MiB, or none; "
                         f"got {size!r}")
    return int(float(match[1]) * 1024 ** "KMG".index(match[2].upper()) * 1024)
