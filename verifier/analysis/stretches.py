"""A sign structure: where a function u is positive, negative or identically zero on an open
interval, as ordered stretches between certified bounds, with how it was decided.

What it does not guarantee by itself: anything. It is the answer verifier.analysis.signs
computes and verifier.analysis.boxes certifies; their evidence says how.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier.analysis.bounds import Bound


@dataclass
class Stretch:
    """u has constant sign `sign` (+1, -1, or 0: identically 0) on the open (lo, hi)."""

    lo: Bound
    hi: Bound
    sign: int


@dataclass
class SignStructure:
    stretches: list[Stretch]
    method: str                 # "symbolic" or "interval"
    clipped: bool = False       # only [-FLOAT_MAX, FLOAT_MAX] was decided
    evidence: list[str] = field(default_factory=list)
    undecided: list[tuple[Bound, Bound]] = field(default_factory=list)  # sign not known there

    @property
    def zeros(self) -> list[Bound]:
        return [s.hi for s in self.stretches[:-1]]
