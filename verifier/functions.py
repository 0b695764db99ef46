"""Function files (TOML) -> validated Activation records, and the built-in catalog.

A function file:

    variable = "x"                      # optional
    [[activation]]
    name = "swish"
    expr = "x * sigmoid(beta * x)"
    source = "Ramachandran et al. 2017" # optional
    params = { beta = 1 }               # optional, substituted exactly

Loading validates the shape only (unknown keys, duplicate names, missing expr, bad TOML); the
expression text stays untrusted until `build_expression` parses it with the safe parser.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

import sympy as sp
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from verifier.errors import ExpressionError, InputError
from verifier.expr import parse_constant, parse_expression
from verifier.model import Activation
from verifier.vocabulary import RESERVED_NAMES

CATALOG_NAME = "<catalog>"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    expr: str
    source: str | None = None
    params: dict[str, str | int | float] = {}

    @field_validator("name")
    @classmethod
    def _name_ok(cls, value: str) -> str:
        if not value.strip() or len(value) > 200 or any(c in value for c in "/\\\n"):
            raise ValueError(
                "name must be non-empty, at most 200 characters, with no / \\ or newline")
        return value

    @field_validator("params")
    @classmethod
    def _params_ok(cls, value: dict) -> dict:
        for key in value:
            if not _IDENTIFIER.match(key) or key in RESERVED_NAMES:
                raise ValueError(f"parameter name {key!r} is not an identifier or is reserved")
        return value


class _FunctionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    variable: str = "x"
    activation: list[_Entry]

    @field_validator("variable")
    @classmethod
    def _variable_ok(cls, value: str) -> str:
        if not _IDENTIFIER.match(value) or value in RESERVED_NAMES:
            raise ValueError(f"variable {value!r} is not an identifier or is reserved")
        return value


def load_function_file(path: str | Path) -> list[Activation]:
    """Read and validate a function file. Raises InputError naming the file, key and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None
    return parse_function_text(text, str(path))


def load_catalog() -> list[Activation]:
    """The built-in catalog shipped in the package (verifier/data/catalog.toml)."""
    text = resources.files("verifier").joinpath("data/catalog.toml").read_text(encoding="utf-8")
    return parse_function_text(text, CATALOG_NAME)


def parse_function_text(text: str, filename: str) -> list[Activation]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{filename}: not valid TOML: {exc}") from None
    try:
        parsed = _FunctionFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(_describe(filename, exc, text)) from None
    lines = _entry_lines(text)
    seen: dict[str, int] = {}
    activations = []
    for index, entry in enumerate(parsed.activation):
        line = lines[index] if index < len(lines) else None
        if entry.name in seen:
            raise InputError(f"{filename}{_at(line)}: activation[{index}].name: duplicate name "
                             f"{entry.name!r} (first at activation[{seen[entry.name]}])")
        seen[entry.name] = index
        activations.append(Activation(name=entry.name, expr=entry.expr, source=entry.source,
                                      params=entry.params, variable=parsed.variable,
                                      file=filename, line=line))
    return activations


def build_expression(activation: Activation, *, stable_shorthands: bool = False,
                     as_written: bool = False) -> sp.Expr:
    """Parse an activation's parameters and expression; errors say file, activation and key.
    `stable_shorthands`, `as_written`: see verifier.expr.parse_expression."""
    where = f"{activation.file or '<input>'}{_at(activation.line)}: activation {activation.name!r}"
    params: dict[str, sp.Basic] = {}
    for key, value in activation.params.items():
        try:
            params[key] = _param_value(value)
        except ExpressionError as exc:
            raise exc.located(f"{where}: params.{key}") from None
    try:
        return parse_expression(activation.expr, variable=activation.variable, params=params,
                                stable_shorthands=stable_shorthands, as_written=as_written)
    except ExpressionError as exc:
        raise exc.located(f"{where}: expr") from None


def _param_value(value: str | int | float) -> sp.Expr:
    if isinstance(value, bool):
        raise ExpressionError("a parameter must be a number or a constant expression")
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, float):
        # repr is the shortest text that round-trips: what the user wrote in the file
        return parse_constant(str(Decimal(repr(value))))
    return parse_constant(value)


def _entry_lines(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), start=1)
            if line.strip().startswith("[[activation]]")]


def _at(line: int | None) -> str:
    return f":{line}" if line else ""


def _describe(filename: str, exc: ValidationError, text: str) -> str:
    lines = _entry_lines(text)
    messages = []
    for error in exc.errors():
        loc = error["loc"]
        key = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
        line = lines[loc[1]] if len(loc) > 1 and loc[0] == "activation" and isinstance(
            loc[1], int) and loc[1] < len(lines) else None
        problem = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        value = "" if error["type"] == "missing" else f" (got {error.get('input')!r:.60})"
        messages.append(f"{filename}{_at(line)}: {key.lstrip('.')}: {problem}{value}")
    return "; ".join(messages)
