"""hypothesis's search for a byte string that violates a claim, without running hypothesis's
engine again where it would only repeat itself.

Derandomized, hypothesis seeds its search from the code of `find`'s own inner test, not from
the condition it is given: every search for a string of the same length, with the same
settings, is fed the same strings in the same order until one violates. (The catalog's 861
cross-check searches have 14 such keys; the engine costs about 0.6 ms per fed string, a
sixth of the catalog's work.) So the strings of a search that found nothing are kept for the
process, per (length, examples, shrink), and fed to a later search with the same key
directly. The first string that violates, or that raises, sends that search back to
hypothesis from the start (`afresh` undoes what the replay counted), which finds it again
and shrinks it exactly as it would have without the replay.

What it relies on: the premise above, for the installed hypothesis (a test feeds two
different conditions and compares what each was fed). What it keeps: byte strings only,
which depend on nothing an activation did, so a worker's answers still do not depend on the
jobs it served before (verifier.fresh).
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

_FED: dict[tuple[int, int, bool], tuple[bytes, ...]] = {}


def find_bytes(length: int, examples: int, *, shrink: bool,
               violated: Callable[[bytes], bool],
               afresh: Callable[[], None]) -> bytes | None:
    """What hypothesis's find returns for strings of `length` bytes, at most `examples` of
    them, derandomized, shrunk when `shrink` (None: no string violated). `violated` is
    called with each string fed, in order; `afresh` must undo whatever it counted, for the
    search hypothesis then runs from the start after a replayed string violated."""
    key = (length, examples, shrink)
    fed = _FED.get(key)
    if fed is not None:
        try:
            if not any(violated(data) for data in fed):
                return None
        except Exception:  # noqa: BLE001 - hypothesis, from the start, meets it again
            pass
        afresh()
    seen: list[bytes] = []

    def recorded(data: bytes) -> bool:
        seen.append(data)
        return violated(data)
    try:
        return find(st.binary(min_size=length, max_size=length), recorded,
                    settings=settings(max_examples=examples, derandomize=True, database=None,
                                      deadline=None, phases=[Phase.explicit, Phase.generate] +
                                      ([Phase.shrink] if shrink else []),
                                      suppress_health_check=list(HealthCheck)))
    except NoSuchExample:
        _FED.setdefault(key, tuple(seen))
        return None
