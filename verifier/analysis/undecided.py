"""The one internal signal of the analysis: this question could not be decided exactly; and
`kept`, the memo of analysis steps that may raise it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from verifier.fresh import memo

F = TypeVar("F", bound=Callable[..., Any])


class Undecided(Exception):
    """Raised by analysis steps that cannot answer exactly; its text becomes an `unknown`
    verdict's reason. Not a user error: never shown as a failure of the input."""


def kept(maxsize: int) -> Callable[[F], F]:
    """`memo` for a pure analysis step that may raise Undecided: its value or its
    reason is kept per (positional, hashable) arguments, and a kept reason is raised again as
    a fresh Undecided with the same text. Only for steps whose answer depends on nothing but
    the arguments (sympy expressions are immutable, so sharing a value is safe); a step that
    raises anything else is not kept."""
    def keep(step: F) -> F:
        @memo(maxsize)
        def outcome(*args: Any) -> tuple[bool, Any]:
            try:
                return True, step(*args)
            except Undecided as exc:
                return False, str(exc)

        @functools.wraps(step)
        def kept_step(*args: Any) -> Any:
            decided, value = outcome(*args)
            if decided:
                return value
            raise Undecided(value)
        return kept_step   # type: ignore[return-value]
    return keep
