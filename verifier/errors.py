"""User-facing errors. Everything a user can cause raises a subclass of VerifierError.

Messages name where the problem is (file, activation, key, column) and what was found, so a
CI log line is enough to fix the input without reading the source.
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base of every error caused by user input (files, expressions, options)."""


class InputError(VerifierError):
    """A function file, rule file or option is malformed: names the file, key and value."""


class ExpressionError(VerifierError):
    """An expression text was refused by the safe parser.

    `column` is 1-based within the expression text; `token` is the offending source text.
    `where` says whose expression it is (file and activation) once the loader knows it.
    """

    def __init__(self, message: str, *, column: int | None = None, token: str | None = None,
                 text: str | None = None, where: str | None = None) -> None:
        self.reason = message
        self.column = column
        self.token = token
        self.text = text
        self.where = where
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [self.where] if self.where else []
        if self.column is not None:
            parts.append(f"column {self.column}")
        parts.append(self.reason)
        return ": ".join(parts)

    def located(self, where: str) -> "ExpressionError":
        """The same error, said of `where` (e.g. "acts.toml: activation 'swish': expr")."""
        return ExpressionError(self.reason, column=self.column, token=self.token,
                               text=self.text, where=where)
