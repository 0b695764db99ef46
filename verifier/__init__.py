"""actverify: proves or refutes properties of neural-network activation functions."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("actverify")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

from verifier.api import verify, verify_file
from verifier.engine import DEFAULT_TIMEOUT, check_activations, exit_code
from verifier.errors import ExpressionError, InputError, VerifierError
from verifier.expr import parse_expression
from verifier.functions import load_catalog, load_function_file
from verifier.model import (Activation, ActivationResult, Finding, FindingsError,
                            PropertyResult, Report, Severity, Verdict)
from verifier.properties.registry import PROPERTY_IDS, STATEMENTS
from verifier.rules import RuleSet, load_rules

__all__ = [
    "Activation", "ActivationResult", "DEFAULT_TIMEOUT", "ExpressionError", "Finding",
    "FindingsError", "InputError", "PROPERTY_IDS", "PropertyResult", "Report", "RuleSet",
    "STATEMENTS", "Severity", "Verdict", "VerifierError", "__version__", "check_activations",
    "exit_code", "load_catalog", "load_function_file", "load_rules", "parse_expression",
    "verify", "verify_file",
]
