"""Inputs decoded from hypothesis's bytes: the cross-check's few strategies, one draw a batch.

Hypothesis pays about 0.1-0.3 ms for every value it draws (a float through `one_of` costs
0.32 ms, more than evaluating f at 50 digits); a claim draws hundreds. So a batch of inputs
is one `st.binary` draw, cut into one fixed-width slot per input, and each slot is decoded
here by a small, pure combinator (`floats`, `sampled_from`, `one_of`, `tuples`, `map`).
Hypothesis still chooses the bytes (derandomized: the same bytes on every run) and still
shrinks them toward zero, and zero bytes decode to the simplest values: 0 (or the end
nearest 0), an interval's ends, the first special points. Slot i adds i to each of its
choices, so the first batch (all zero bytes) is a spread of those simple values instead of
one value 25 times.

What a decoded float is not: uniform. It is one of eight kinds - the simplest value, uniform
over the interval, uniform over [-8, 8], log-uniform magnitude (every binade from subnormals
to the largest float the interval allows), an end, a point near an end (distances 2**-k of
the end's size, down to the next float), a small number (+-1, +-2, +-0.5, ... +-10), or
raw float bits.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

_KINDS = 8
_SMALL = (1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0, 1.5, -1.5, 4.0, -4.0, 6.0, -6.0,
          10.0, -10.0, 0.25, -0.25)
_WIDTHS = {16: np.float16, 32: np.float32, 64: np.float64}


class Draw:
    """A value decoded from `width` bytes; `index` (the slot's place in its batch) offsets
    every choice, so equal slots still give different values within a batch."""

    width = 0

    def decode(self, data: bytes, index: int) -> Any:
        raise NotImplementedError

    def map(self, function: Callable[[Any], Any]) -> Draw:
        return _Mapped(self, function)

    def every_value(self) -> list[Any] | None:
        """All the values it can give, when they are a short list known in advance (claimed
        points, witness cases), else None: such a list is checked value by value."""
        return None


def _choice(data: bytes, index: int, count: int) -> int:
    """The first byte (two when count > 256) plus index, modulo count."""
    size = 1 if count <= 256 else 2
    return (int.from_bytes(data[:size], "big") + index) % count


class _Just(Draw):
    def __init__(self, value: Any) -> None:
        self.value = value

    def decode(self, data: bytes, index: int) -> Any:
        return self.value

    def every_value(self) -> list[Any]:
        return [self.value]


class _Sampled(Draw):
    def __init__(self, values: Sequence[Any]) -> None:
        if not values:
            raise ValueError("sampled_from needs at least one value")
        self.values = list(values)
        self.width = 1 if len(self.values) <= 256 else 2

    def decode(self, data: bytes, index: int) -> Any:
        return self.values[_choice(data, index, len(self.values))]

    def every_value(self) -> list[Any]:
        return list(self.values)


class _OneOf(Draw):
    def __init__(self, parts: Sequence[Draw]) -> None:
        if not parts:
            raise ValueError("one_of needs at least one part")
        self.parts = list(parts)
        self.width = 1 + max(part.width for part in self.parts)

    def decode(self, data: bytes, index: int) -> Any:
        part = self.parts[_choice(data, index, len(self.parts))]
        return part.decode(data[1:], index // len(self.parts))   # the part's own count


class _Tuples(Draw):
    def __init__(self, parts: Sequence[Draw]) -> None:
        self.parts = list(parts)
        self.width = sum(part.width for part in self.parts)

    def decode(self, data: bytes, index: int) -> tuple:
        values, at = [], 0
        for offset, part in enumerate(self.parts):
            values.append(part.decode(data[at:at + part.width], index + offset))
            at += part.width
        return tuple(values)


class _Mapped(Draw):
    def __init__(self, inner: Draw, function: Callable[[Any], Any]) -> None:
        self.inner, self.function = inner, function
        self.width = inner.width

    def decode(self, data: bytes, index: int) -> Any:
        return self.function(self.inner.decode(data, index))


class _Floats(Draw):
    """Floats of [lo, hi] (ends excluded on request), representable in `bits` bits."""

    width = 9   # a kind byte, then 64 payload bits

    def __init__(self, lo: float, hi: float, exclude_lo: bool, exclude_hi: bool,
                 bits: int) -> None:
        self.kind = _WIDTHS[bits]
        self.lo = _representable(math.nextafter(lo, math.inf) if exclude_lo else lo,
                                 self.kind, up=True)
        self.hi = _representable(math.nextafter(hi, -math.inf) if exclude_hi else hi,
                                 self.kind, up=False)
        if not self.lo <= self.hi:
            raise ValueError(f"no float in the interval from {lo!r} to {hi!r}")
        self.simplest = 0.0 if self.lo <= 0.0 <= self.hi else min(
            (self.lo, self.hi), key=abs)

    def decode(self, data: bytes, index: int) -> float:
        data = data.ljust(9, b"\0")
        kind = _choice(data, index, _KINDS)
        payload = int.from_bytes(data[1:9], "big") + index // _KINDS
        return self._fit(self._value(kind, payload))

    def _value(self, kind: int, payload: int) -> float:
        """The kind's value; payload 0 gives its simplest one (0, the middle, the end just
        inside hi, 1, ...), so that a zero batch is a spread of simple values."""
        lo, hi = self.lo, self.hi
        unit = (payload / 2.0**64 + 0.5) % 1.0
        if kind == 0:
            return self.simplest
        if kind == 1:
            return lo * (1 - unit) + hi * unit
        if kind == 2:
            return self._magnitude(payload)
        if kind == 3:
            return hi if payload & 1 else lo
        if kind == 4:
            return self._near_end(payload)
        if kind == 5:
            value = _SMALL[payload % len(_SMALL)]
            return value if lo <= value <= hi else self._magnitude(payload)
        if kind == 6:
            value = struct.unpack(">d", (payload % 2**64).to_bytes(8, "big"))[0]
            return value if math.isfinite(value) and lo <= value <= hi else self._magnitude(
                payload)
        low, high = max(lo, -8.0), min(hi, 8.0)
        if low > high:
            return lo * (1 - unit) + hi * unit
        return low * (1 - unit) + high * unit

    def _magnitude(self, payload: int) -> float:
        """Sign, then a binade uniformly among those the interval reaches, then a mantissa."""
        lo, hi = self.lo, self.hi
        top = max(abs(lo), abs(hi))
        bottom = 0.0 if lo <= 0.0 <= hi else min(abs(lo), abs(hi))
        low_exponent = math.frexp(bottom)[1] if bottom else -1073
        high_exponent = math.frexp(top)[1] if top else -1073
        exponent = low_exponent + (payload >> 53) % (high_exponent - low_exponent + 1)
        mantissa = 0.5 + (payload & (2**52 - 1)) / 2.0**53
        negative = hi < 0.0 or (lo < 0.0 and payload >> 52 & 1)
        value = math.ldexp(mantissa, exponent)
        return -value if negative else value

    def _near_end(self, payload: int) -> float:
        """hi or lo, moved inward by one float (k = 0) or by 2**-k of max(1, |end|)."""
        at_lo = payload & 1
        end, inward = (self.lo, math.inf) if at_lo else (self.hi, -math.inf)
        k = (payload >> 1) % 64
        if k == 0:
            return math.nextafter(end, inward)
        distance = max(1.0, abs(end)) * 2.0**-k * (1 + (payload >> 7 & 0xFFFF) / 2.0**16)
        return end + distance if at_lo else end - distance

    def _fit(self, value: float) -> float:
        """value clamped into [lo, hi], rounded to the width (whose floats the ends are)."""
        value = min(max(value, self.lo), self.hi)   # (no NaN is ever decoded)
        return value if self.kind is np.float64 else float(self.kind(value))


def _representable(value: float, kind: type, *, up: bool) -> float:
    """value, or the nearest float of `kind` on the inner side (up: above) when it is none."""
    if kind is np.float64:
        return value
    with np.errstate(over="ignore"):
        rounded = kind(value)
    if (float(rounded) < value) if up else (float(rounded) > value):
        rounded = np.nextafter(rounded, kind(math.inf if up else -math.inf))
    return float(rounded)


def floats(lo: float, hi: float, *, exclude_min: bool = False, exclude_max: bool = False,
           width: int = 64) -> Draw:
    """Floats in [lo, hi] (finite ends), `width`-bit floats when width is 16 or 32."""
    return _Floats(lo, hi, exclude_min, exclude_max, width)


def any_float(width: int = 64) -> Draw:
    """Every finite float of the width."""
    largest = float(np.finfo(_WIDTHS[width]).max)
    return _Floats(-largest, largest, False, False, width)


def just(value: Any) -> Draw:
    return _Just(value)


def sampled_from(values: Sequence[Any]) -> Draw:
    return _Sampled(values)


def one_of(*parts: Draw) -> Draw:
    return _OneOf(parts)


def tuples(*parts: Draw) -> Draw:
    return _Tuples(parts)
