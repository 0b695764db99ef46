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
from verifier.expr import parse_both, parse_constant, parse_expression
from verifier.model import Activation
from verifier.escape import plain
from verifier.vocabulary import RESERVED_NAMES

CATALOG_NAME = "<catalog>"
MAX_NAME = 200
MAX_SOURCE = 300
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
        if not value.strip() or len(value) > MAX_NAME or any(c in value for c in "/\\") \
                or plain(value) != value:
            raise ValueError(f"name must be non-empty, at most {MAX_NAME} characters, with "
                             f"no / \\ line break or control character")
        return value

    @field_validator("source")
    @classmethod
    def _source_ok(cls, value: str | None) -> str | None:
        if value is not None and (len(value) > MAX_SOURCE or plain(value) != value):
            raise ValueError(f"source must be one line of at most {MAX_SOURCE} characters "
                             f"with no control character")
        return value

    @field_validator("params")
    @classmethod
    def _params_ok(cls, value: dict) -> dict:
        for key in value:
            if not _IDENTIFIER.match(key) or key in RESERVED_NAMES:
                raise ValueError(f"parameter name {key!r} is not an identifier or is reserved")
        return value


class _FunctionFile(BaseModel):
    """The file's frame; each [[activation]] table is validated on its own (_Entry)."""
    model_config = ConfigDict(extra="forbid")

    variable: str = "x"
    activation: list[dict]

    @field_validator("variable")
    @classmethod
    def _variable_ok(cls, value: str) -> str:
        if not _IDENTIFIER.match(value) or value in RESERVED_NAMES:
            raise ValueError(f"variable {value!r} is not an identifier or is reserved")
        return value


def load_function_file(path: str | Path) -> list[Activation]:
    """Read and validate a function file. Raises InputError naming the file, key and line of
    every bad entry."""
    activations, problems = read_function_file(path)
    if problems:
        raise InputError("; ".join(problems))
    return activations


def read_function_file(path: str | Path) -> tuple[list[Activation], list[str]]:
    """The good entries of a function file, and one message (file:line: key: problem) per
    bad one: a mistake in one entry does not hide the others. A file that cannot be read or
    is not a function file at all is one problem and no entries."""
    path = Path(path)
    if not path.exists():
        return [], [f"{path}: no such file"]
    if path.is_dir():
        return [], [f"{path}: a directory (give it alone to check the activation*.toml files "
                    f"in it)"]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot read ({type(exc).__name__}: "
                    f"{getattr(exc, 'strerror', None) or exc.reason})"]
    return parse_function_text(text, str(path))


def function_files(directory: Path) -> tuple[list[Path], list[str]]:
    """The activation*.toml files below `directory`, sorted, and a problem when there is
    none. Links are not followed (a link in a checked-out pull request may point anywhere);
    hidden directories (.git, .venv) are skipped."""
    found, problems = [], []
    for path in sorted(directory.rglob("activation*.toml")):
        relative = path.relative_to(directory)
        if any(part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.is_symlink() or not path.is_file():
            problems.append(f"{path}: a link or special file, not read")
            continue
        found.append(path)
    if not found and not problems:
        problems.append(f"{directory}: no activation*.toml file in this directory")
    return found, problems


def load_catalog() -> list[Activation]:
    """The built-in catalog shipped in the package (verifier/data/catalog.toml)."""
    text = resources.files("verifier").joinpath("data/catalog.toml").read_text(encoding="utf-8")
    activations, problems = parse_function_text(text, CATALOG_NAME)
    if problems:
        raise InputError("; ".join(problems))
    return activations


def parse_function_text(text: str, filename: str) -> tuple[list[Activation], list[str]]:
    """The good entries and the problems (see read_function_file)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [f"{filename}: not valid TOML: {exc}"]
    if not data.get("activation"):
        return [], [f"{filename}: no [[activation]] table (a function file has one per "
                    f"candidate: name and expr)"]
    try:
        parsed = _FunctionFile.model_validate(data)
    except ValidationError as exc:
        return [], _describe(filename, exc, text)
    lines = _entry_lines(text)
    positions = _expr_positions(text, lines)
    seen: dict[str, int] = {}
    activations, problems = [], []
    for index, raw in enumerate(parsed.activation):
        line = lines[index] if index < len(lines) else None
        expr_line, expr_column = positions[index] if index < len(positions) else (line, None)
        try:
            entry = _Entry.model_validate(raw)
        except ValidationError as exc:
            problems += _describe(filename, exc, text, entry=index)
            continue
        if entry.name in seen:
            problems.append(f"{filename}{_at(line)}: activation[{index}].name: duplicate name "
                            f"'{entry.name}' (first at activation[{seen[entry.name]}])")
            continue
        seen[entry.name] = index
        activations.append(Activation(name=entry.name, expr=entry.expr, source=entry.source,
                                      params=entry.params, variable=parsed.variable,
                                      file=filename, line=expr_line, column=expr_column))
    return activations, problems


def build_expression(activation: Activation, *, stable_shorthands: bool = False,
                     as_written: bool = False) -> sp.Expr:
    """Parse an activation's parameters and expression; errors say file, activation and key.
    `stable_shorthands`, `as_written`: see verifier.expr.parse_expression."""
    params = _params(activation)
    try:
        return parse_expression(activation.expr, variable=activation.variable, params=params,
                                stable_shorthands=stable_shorthands, as_written=as_written)
    except ExpressionError as exc:
        raise exc.located(f"{_where(activation)}: expr") from None


def build_both(activation: Activation) -> tuple[sp.Expr, sp.Expr]:
    """build_expression(activation) and build_expression(activation, as_written=True), from
    one parse (verifier.expr.parse_both)."""
    params = _params(activation)
    try:
        return parse_both(activation.expr, variable=activation.variable, params=params)
    except ExpressionError as exc:
        raise exc.located(f"{_where(activation)}: expr") from None


def _where(activation: Activation) -> str:
    return f"{activation.file or '<input>'}{_at(activation.line)}: activation {activation.name!r}"


def _params(activation: Activation) -> dict[str, sp.Basic]:
    params: dict[str, sp.Basic] = {}
    for key, value in activation.params.items():
        try:
            params[key] = _param_value(value)
        except ExpressionError as exc:
            raise exc.located(f"{_where(activation)}: params.{key}") from None
    return params


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


_EXPR_KEY = re.compile(r"""^\s*(?:expr|"expr"|'expr')\s*=\s*("{3}|'{3}|"|')""")


def _expr_positions(text: str, headers: list[int]) -> list[tuple[int | None, int | None]]:
    """Per entry, the line of its `expr` key and the 1-based column where the expression
    text starts on that line (None when it does not start there: a multi-line string, an
    inline table). Without an `expr` line: the entry's header line."""
    rows = text.splitlines()
    positions = []
    for index, header in enumerate(headers):
        end = headers[index + 1] - 1 if index + 1 < len(headers) else len(rows)
        found: tuple[int | None, int | None] = (header, None)
        for number in range(header + 1, end + 1):
            match = _EXPR_KEY.match(rows[number - 1])
            if match:
                quote = match.group(1)
                starts_here = len(quote) == 1 or len(rows[number - 1]) > match.end()
                found = (number, match.end() + 1 if starts_here else None)
                break
        positions.append(found)
    return positions


def _at(line: int | None) -> str:
    return f":{line}" if line else ""


def _describe(filename: str, exc: ValidationError, text: str, *,
              entry: int | None = None) -> list[str]:
    """One message per error: file:line: key: problem. Values are not repeated (the line
    shows them, and a log is no place to copy a file's contents to)."""
    lines = _entry_lines(text)
    messages = []
    for error in exc.errors():
        loc = ("activation", entry, *error["loc"]) if entry is not None else error["loc"]
        key = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
        line = lines[loc[1]] if len(loc) > 1 and loc[0] == "activation" and isinstance(
            loc[1], int) and loc[1] < len(lines) else None
        problem = "unknown key" if error["type"] == "extra_forbidden" else \
            error["msg"].removeprefix("Value error, ")
        messages.append(plain(f"{filename}{_at(line)}: {key.lstrip('.')}: {problem}"))
    return messages
