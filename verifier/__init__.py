"""actverify: proves or refutes properties of neural-network activation functions.

The public names load on first use (PEP 562), so `actverify --version` and `import verifier`
do not pay for sympy, numpy and hypothesis until something needs them.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False   # typing's own flag: 7 ms the command pays before re-executing itself

__version__ = "0.2.0"   # the one place the version is written (pyproject.toml reads it)

_WHERE = {
    "verify": "verifier.api", "verify_file": "verifier.api",
    "DEFAULT_TIMEOUT": "verifier.defaults", "check_activations": "verifier.engine",
    "exit_code": "verifier.exit_codes", "ExpressionError": "verifier.errors",
    "InputError": "verifier.errors", "VerifierError": "verifier.errors",
    "parse_expression": "verifier.expr", "load_catalog": "verifier.functions",
    "load_function_file": "verifier.functions", "Activation": "verifier.model",
    "ActivationResult": "verifier.model", "Finding": "verifier.model",
    "FindingsError": "verifier.model", "PropertyResult": "verifier.model",
    "Report": "verifier.model", "Severity": "verifier.model", "Verdict": "verifier.model",
    "PROPERTY_IDS": "verifier.properties.registry", "STATEMENTS": "verifier.properties.registry",
    "RuleSet": "verifier.rules", "load_rules": "verifier.rules",
}

__all__ = [
    "Activation", "ActivationResult", "DEFAULT_TIMEOUT", "ExpressionError", "Finding",
    "FindingsError", "InputError", "PROPERTY_IDS", "PropertyResult", "Report", "RuleSet",
    "STATEMENTS", "Severity", "Verdict", "VerifierError", "__version__", "check_activations",
    "exit_code", "load_catalog", "load_function_file", "load_rules", "parse_expression",
    "verify", "verify_file",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from typing import Any

    from verifier.api import verify, verify_file
    from verifier.defaults import DEFAULT_TIMEOUT
    from verifier.engine import check_activations
    from verifier.exit_codes import exit_code
    from verifier.errors import ExpressionError, InputError, VerifierError
    from verifier.expr import parse_expression
    from verifier.functions import load_catalog, load_function_file
    from verifier.model import (Activation, ActivationResult, Finding, FindingsError,
                                PropertyResult, Report, Severity, Verdict)
    from verifier.properties.registry import PROPERTY_IDS, STATEMENTS
    from verifier.rules import RuleSet, load_rules
