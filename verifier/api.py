"""The Python API: `verify` one expression, `verify_file` a function file.

    >>> from verifier import verify
    >>> report = verify("x * sigmoid(x)", name="swish")
    >>> report["swish"]["domain"].verdict
    <Verdict.proved: 'proved'>

Options are keyword-only, resolved and validated by verifier.config exactly as the command
resolves them; a bad one raises InputError naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path

import sympy as sp

from verifier.config import resolve
from verifier.engine import check_activations
from verifier.functions import load_function_file
from verifier.model import Activation, Report
from verifier.rules import RuleSet


class _Unset(Enum):
    FROM_RULES = "from the rule set"


FROM_RULES = _Unset.FROM_RULES   # examples=FROM_RULES: cross-check if the rule set does


def verify(expression: str | sp.Expr, *, name: str | None = None,
           properties: Sequence[str] | None = None, timeout: float | None = None,
           params: dict[str, str | int | float] | None = None, variable: str = "x",
           epsilon: float | str | None = None, examples: int | None | _Unset = FROM_RULES,
           rules: RuleSet | str | Path | None = None, budget: float | None = None) -> Report:
    """Check one activation given as text (parsed safely) or as a sympy expression.

    A sympy expression is printed with `sstr` and re-parsed by the safe parser, so both paths
    accept exactly the same vocabulary. Options left out come from the rule set (`rules`: a
    RuleSet, a shipped rule set's name or a rule file; default "default"), then the
    defaults, resolved as the command resolves them (verifier.config.resolve; no
    pyproject.toml is read): `properties`, `timeout` (seconds per step), `epsilon` (the
    no_vanishing_gradient threshold, taken exactly as written in decimal: "1e-3" is 1/1000),
    `examples` (inputs the numeric cross-check draws per verdict; None: no cross-check;
    left out: a cross-check if the rule set asks for one), `budget` (seconds the activation
    may take in all, default 5 x timeout).
    """
    text = expression if isinstance(expression, str) else sp.sstr(expression)
    activation = Activation(name=name or text, expr=text, params=params or {},
                            variable=variable, file="<api>")
    return _check([activation], properties, timeout, epsilon, examples, rules, budget)


def verify_file(path: str | Path, *, properties: Sequence[str] | None = None,
                timeout: float | None = None, epsilon: float | str | None = None,
                examples: int | None | _Unset = FROM_RULES,
                rules: RuleSet | str | Path | None = None,
                budget: float | None = None) -> Report:
    """Check every activation of a function file (raises InputError for a malformed file);
    the options as in `verify`."""
    return _check(load_function_file(path), properties, timeout, epsilon, examples, rules,
                  budget)


def _check(activations: list[Activation], properties: Sequence[str] | None,
           timeout: float | None, epsilon: float | str | None,
           examples: int | None | _Unset, rules: RuleSet | str | Path | None,
           budget: float | None) -> Report:
    settings = resolve(rules=rules, properties=properties, timeout=timeout, epsilon=epsilon,
                       examples=None if isinstance(examples, _Unset) else examples,
                       crosscheck=examples is not None, budget=budget, read_project=False)
    return check_activations(activations, properties=settings.properties,
                             timeout=settings.timeout, epsilon=settings.epsilon,
                             examples=settings.examples, rules=settings.rules,
                             max_memory=settings.max_memory, budget=settings.budget)
