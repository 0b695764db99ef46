"""Numbers and sets as people write them: one formatter for evidence, findings, reports,
pytest failures and SARIF (JSON keeps its exact strings; this is only for reading).

- Numbers: the exact form when it is short (`1/1000`, `-10*sqrt(10)`, `log(2)`), else a
  decimal of 7 significant digits (`-3.737349`); the float64 limit reads `1.797693e308`,
  never as its 309 digits; complex infinity reads "complex infinity (pole)", never `zoo`.
- Certified numbers (a root in a rational bracket, an arb ball): the decimal, with the
  enclosure where the reader needs the proof (`enclosure=True`).
- Sets: interval notation, unions with ∪, ∞ for oo, adjacent pieces merged, so
  `(-oo, 0) U {0}` reads `(-∞, 0]`; the empty set reads "no point".

What it does not do: round anything used for a decision. The text is for people; the
analysis keeps exact values and JSON carries them.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import sympy as sp
from flint import arb

EXACT_LIMIT = 24          # characters of an exact form shown as it is
DIGITS = 7                # significant digits of a decimal
FLOAT64_MAX = sp.Integer(int(1.7976931348623157e308))
EMPTY = "no point"
SET_NAMES = {"Integers": "the integers ℤ", "Naturals": "the positive integers",
             "Naturals0": "the nonnegative integers"}


def decimal(value: float, digits: int = DIGITS) -> str:
    """A float in short scientific-or-plain form: 0.001, -3.737349, 1.797693e308, 5.4e-20."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + (f"e{int(exponent)}" if exponent else "")


def number(value: sp.Expr | float | int | str | None) -> str:
    """An exact sympy number (or a float, or a JSON "oo"/"-oo" word) for a reader."""
    if value is None:
        return "undefined"
    if isinstance(value, str):
        return text_number(value)
    if isinstance(value, float):
        return decimal(value)
    value = sp.Integer(value) if isinstance(value, int) else value
    if value == sp.oo:
        return "∞"
    if value == -sp.oo:
        return "-∞"
    if value == sp.zoo:
        return "complex infinity (pole)"
    if value is sp.nan:
        return "undefined (NaN)"
    if value in (FLOAT64_MAX, -FLOAT64_MAX):
        return ("-" if value < 0 else "") + decimal(1.7976931348623157e308)
    if isinstance(value, sp.Float):
        return decimal(float(value))
    if value.is_real is False:
        return f"{sp.sstr(value)[:EXACT_LIMIT]} (not a real number)"
    text = sp.sstr(value)
    if len(text) <= EXACT_LIMIT and not _huge_integer(value):
        if _elementary(text):
            return text
        try:   # LambertW(exp(-1)) reads better with its value
            return f"{decimal(float(sp.N(value, 17)))} (= {text})"
        except (TypeError, ValueError, OverflowError):
            return text
    try:
        return decimal(float(sp.N(value, 17)))
    except (TypeError, ValueError, OverflowError):
        return text[:EXACT_LIMIT] + "…"


_RATIONAL = re.compile(r"-?\d+(/\d+)?")
_ELEMENTARY = {"sqrt", "log", "exp", "pi", "E", "e"}


def _elementary(text: str) -> bool:
    """An exact form a reader evaluates at a glance: numbers, sqrt, log, exp, pi."""
    return set(re.findall(r"[A-Za-z_]+", text)) <= _ELEMENTARY


def _huge_integer(value: sp.Expr) -> bool:
    return any(isinstance(a, sp.Integer) and abs(int(a)) >= 10**12
               for a in sp.preorder_traversal(value))


_BALL = re.compile(r"^\[(?P<mid>[-+0-9.e]+)? ?\+/- (?P<rad>[-+0-9.e]+)\]$")
_DECIMAL_TEXT = re.compile(r"(?P<mantissa>[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))"
                           r"(?:[eE](?P<exponent>[-+]?[0-9]+))?")
_ZERO_EXPONENT = re.compile(r"^[-+]?0e(?P<exp>[-+]?\d+)$")


def text_number(text: str) -> str:
    """A number given as text (sympy, JSON "oo", arb "[m +/- r]", mpmath decimals)."""
    if text in ("oo", "-oo", "zoo", "nan"):
        return number({"oo": sp.oo, "-oo": -sp.oo, "zoo": sp.zoo, "nan": sp.nan}[text])
    match = _BALL.match(text)
    if match:
        mid, rad = float(match["mid"] or 0), float(match["rad"])
        return f"{decimal(mid)} ± {decimal(rad, 2)}" if mid else f"0 ± {decimal(rad, 2)}"
    match = _ZERO_EXPONENT.match(text)
    if match:   # arb's way of writing a ball around 0 of radius about 10**exp
        exponent = int(match["exp"])
        return f"a number of magnitude below 1e{exponent}" if exponent > -400 else \
            "a number below 1e-400 in magnitude"
    match = _DECIMAL_TEXT.fullmatch(text)
    if not match:
        return text
    mantissa = Decimal(match["mantissa"])
    if mantissa == 0:
        return "0"
    # the exponent alone may have 50 digits (arb writes exp(-1e57) exactly): Python ints
    exponent = int(match["exponent"] or 0) + mantissa.adjusted()
    if abs(exponent) > 400:
        sign = "positive" if mantissa > 0 else "negative"
        return f"a {sign} number of magnitude {'below 1e-400' if exponent < 0 else 'above 1e400'}"
    lead = float(mantissa.scaleb(-mantissa.adjusted()))
    return decimal(lead * 10.0 ** exponent) if -300 < exponent < 300 else \
        f"{decimal(lead)}e{exponent}"


def ball(value: arb, *, enclosure: bool = False) -> str:
    """A certified arb ball: its midpoint as a decimal, with the radius when asked (always
    when the radius is not small against the midpoint, so the text never overclaims)."""
    mid, radius = float(value.mid()), value.rad()
    if radius == 0:
        return decimal(mid)
    spread = decimal(float(radius), 2) if float(radius) > 0 else radius.str(2, radius=False)
    if mid == 0:
        return f"0 ± {spread}"
    if float(radius) >= abs(mid) * 1e-6:
        return f"{decimal(mid, 3)} ± {spread}"
    return f"{decimal(mid)} (certified ± {spread})" if enclosure else decimal(mid)


def root(lo: sp.Rational, hi: sp.Rational, *, enclosure: bool = False) -> str:
    """A certified root inside the rational bracket [lo, hi]."""
    middle = decimal(float(sp.N((lo + hi) / 2, 20)))
    if not enclosure:
        return middle
    return f"{middle} (certified in [{sp.N(lo, 18)}, {sp.N(hi, 18)}])"


def region(parts: list[sp.Set] | None, fallback: sp.Set | None = None) -> str:
    """Sorted disjoint intervals and points (verifier.analysis.sets.components) in interval
    notation, touching pieces merged: [(-oo, 0), {0}] reads (-∞, 0]."""
    if parts is None:
        return sp.sstr(fallback) if fallback is not None else "a set with no interval form"
    if not parts:
        return EMPTY
    spans = []
    for part in parts:
        if isinstance(part, sp.FiniteSet):
            spans.append([part.args[0], part.args[0], True, True])
        else:
            spans.append([part.start, part.end, not part.left_open and part.start.is_finite,
                          not part.right_open and part.end.is_finite])
    return union([(_side(lo), _side(hi), lo_in, hi_in) for lo, hi, lo_in, hi_in in spans])


def _side(value: sp.Expr) -> tuple[str, object]:
    return number(value), value


def union(spans: list[tuple[tuple[str, object], tuple[str, object], bool, bool]]) -> str:
    """Spans (lo, hi, lo_closed, hi_closed), each end a (text, key) pair whose keys compare
    equal when the ends are the same point, merged where they touch and joined with ∪."""
    merged: list[list] = []
    for lo, hi, lo_in, hi_in in spans:
        if merged and merged[-1][1][1] == lo[1] and (merged[-1][3] or lo_in):
            merged[-1][1], merged[-1][3] = hi, hi_in
            continue
        merged.append([lo, hi, lo_in, hi_in])
    texts = []
    for lo, hi, lo_in, hi_in in merged:
        if lo[1] == hi[1] and lo_in and hi_in:
            texts.append("{" + lo[0] + "}")
        else:
            texts.append(f"{'[' if lo_in else '('}{lo[0]}, {hi[0]}{']' if hi_in else ')'}")
    return " ∪ ".join(texts) if texts else EMPTY


def points(values: list[sp.Expr]) -> str:
    """A list of points: "0, 1 and 2", or "no point"."""
    return listing([number(v) for v in values]) if values else EMPTY


def interval(lo: object, hi: object, lo_closed: bool = False, hi_closed: bool = False) -> str:
    """One interval; each end a sympy number or anything with a `text()` (a certified Bound
    or Value)."""
    def end(value: object) -> str:
        return value.text() if hasattr(value, "text") else number(value)
    lo_closed = lo_closed and end(lo) not in ("∞", "-∞")
    hi_closed = hi_closed and end(hi) not in ("∞", "-∞")
    return f"{'[' if lo_closed else '('}{end(lo)}, {end(hi)}{']' if hi_closed else ')'}"


def listing(texts: list[str]) -> str:
    """Items in a sentence: "a", "a and b", "a, b and c"; "none" for no item."""
    if not texts:
        return "none"
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


# -- facts as JSON (verifier.model): points {"value", "exact"}, intervals, lists of both --

def fact_number(point: dict | str | float | None, *, long_exact: bool = False) -> str:
    """A JSON point of the contract: the exact form when short, else the decimal (followed
    by a long closed form of up to 200 characters with `long_exact`, for pages; never by a
    long fraction)."""
    if point is None:
        return "undefined"
    if not isinstance(point, dict):
        return text_number(point) if isinstance(point, str) else decimal(float(point))
    exact, value = point.get("exact"), point.get("value")
    if exact in ("-(2 - 2**-52)*2**1023", "(2 - 2**-52)*2**1023"):
        return ("-" if exact.startswith("-") else "") + decimal(1.7976931348623157e308)
    if exact and len(exact) <= EXACT_LIMIT and exact not in ("oo", "-oo"):
        if _elementary(exact) or not isinstance(value, (int, float)):
            return exact
        return f"{decimal(float(value))} (= {exact})"
    shown = text_number(value) if isinstance(value, str) else decimal(float(value))
    if long_exact and exact and len(exact) <= 200 and isinstance(value, (int, float)) and \
            not _RATIONAL.fullmatch(exact) and not re.search(r"\d{13}", exact):
        # a long fraction (or a form built on huge integers) says no more than its decimal
        return f"{shown} (= {exact})"
    return shown


def fact_region(parts: list | dict | None, *, long_exact: bool = False) -> str:
    """A JSON interval set of the contract in interval notation, merged where it touches
    (`long_exact`: see fact_number)."""
    if parts is None:
        return "not enumerated"
    if isinstance(parts, dict):
        text = parts.get("text", "a set with no interval form")
        return SET_NAMES.get(text, text)
    spans = []
    for part in parts:
        if "lo" in part:
            lo = ({"value": part["lo"], "exact": part.get("lo_exact")})
            hi = ({"value": part["hi"], "exact": part.get("hi_exact")})
            spans.append(((fact_number(lo, long_exact=long_exact), _key(lo)),
                          (fact_number(hi, long_exact=long_exact), _key(hi)),
                          bool(part.get("lo_closed")), bool(part.get("hi_closed"))))
        else:
            shown = fact_number(part, long_exact=long_exact)
            spans.append(((shown, _key(part)), (shown, _key(part)), True, True))
    return union(spans)


def _key(point: dict) -> object:
    value = point.get("value")
    return value if isinstance(value, (int, float)) or value in ("oo", "-oo") else \
        point.get("exact")


def witness(data: dict) -> str:
    """A witness as a sentence of `key = value` parts (its 50-digit re-check last). A key
    `k_text` is how `k` reads (the digits that identify a float input, which seven rounded
    digits may not), shown in its place, the re-check's x too."""
    def shown(key: str, value: object) -> str:
        text = data.get(f"{key}_text")
        return text if isinstance(text, str) else _witness_value(value)
    parts = [f"{key} = {shown(key, value)}" for key, value in data.items()
             if not (key == "recheck" and isinstance(value, dict))
             and not (key.endswith("_text") and key.removesuffix("_text") in data)]
    recheck = data.get("recheck")
    if isinstance(recheck, dict):
        parts.append("re-checked at 50 digits: " + ", ".join(
            f"{key} = {shown(key, value)}" for key, value in recheck.items() if key != "kind"))
    return "; ".join(parts)


def _witness_value(value: object) -> str:
    if isinstance(value, dict) and "value" in value and "exact" in value:
        return fact_number(value)
    if isinstance(value, dict):
        return "(" + witness(value) + ")"
    if isinstance(value, list):
        return listing([_witness_value(v) for v in value])
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, (int, float)):
        return decimal(float(value))
    return text_number(str(value))


def ulps(value: float | str) -> str:
    """An error in units in the last place: "0.5 ulps", "1 ulp", "∞ ulps" (JSON "oo" too)."""
    if value == "oo" or (isinstance(value, float) and math.isinf(value)):
        return "∞ ulps"
    shown = decimal(float(value), 4)
    return f"{shown} ulp" + ("" if shown == "1" else "s")


def count(number: int, word: str) -> str:
    """"1 error", "2 errors", "3 properties", "5 info" (info has no plural), "10,283 inputs"."""
    if number == 1 or word == "info":
        return f"{number:,} {word}"
    return f"{number:,} {word[:-1]}ies" if word.endswith("y") else f"{number:,} {word}s"
