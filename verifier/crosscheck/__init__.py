"""Numeric cross-check of every verdict: each proved/refuted claim is challenged by an
independent test built from the claim itself (hypothesis draws the inputs, mpmath evaluates at
50 digits). A conflict is a defect of the verifier, never hidden.

What it does not do: prove anything. `agrees` means the drawn inputs did not contradict the
claim; an `unknown` verdict is probed for a counterexample, reported as a `hint`.
"""

from verifier.crosscheck.probe import Subject
from verifier.defaults import DEFAULT_EXAMPLES
from verifier.crosscheck.run import crosscheck, withdraw_if_contradicted

__all__ = ["DEFAULT_EXAMPLES", "Subject", "crosscheck", "withdraw_if_contradicted"]
