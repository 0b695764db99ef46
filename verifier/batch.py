"""Running a batch: the same function analysed once however many names it has, stored results
reused, the rest checked by `check_many`, results streamed in input order.

`run` knows nothing about properties or processes: it gets the check of a list of activations
(yielding (position, result) pairs as each is finished, in any order), an identity (None when
the activation cannot be parsed: never shared), and how to relabel a shared result. Each
result is stored the moment it arrives (a kill loses only what was still running), but only
when a rerun with the same options would give it again: a result cut by a time, memory or
budget limit, or by a worker's death, is never stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from verifier.model import Activation, ActivationResult
from verifier.store import ResultStore

CheckMany = Callable[[list[Activation]], Iterator[tuple[int, ActivationResult]]]


def run(todo: Sequence[Activation], check_many: CheckMany, *,
        identity: Callable[[Activation], str | None],
        relabel: Callable[[ActivationResult, Activation], ActivationResult],
        fingerprint: str, store: ResultStore | None,
        on_result: Callable[[ActivationResult], None] | None) -> list[ActivationResult]:
    keys = [identity(a) for a in todo]
    source: list[int] = []            # which activation's result each one reports
    first: dict[str, int] = {}
    for index, key in enumerate(keys):
        source.append(index if key is None else first.setdefault(key, index))
    done: dict[int, ActivationResult] = {}
    pending = []
    for index in sorted(set(source)):
        stored = store.get(_store_key(keys[index], fingerprint)) if store and keys[
            index] else None
        if stored is not None:
            done[index] = stored
        else:
            pending.append(index)
    stream = check_many([todo[i] for i in pending])
    results = []
    try:
        for index, activation in enumerate(todo):
            while source[index] not in done:
                position, computed = next(stream)
                at = pending[position]
                done[at] = computed
                if store and keys[at] and computed.error is None:
                    store.put(_store_key(keys[at], fingerprint), computed)
            result = done[source[index]]
            result = result if source[index] == index and result.name == activation.name \
                else relabel(result, activation)
            results.append(result)
            if on_result is not None:
                on_result(result)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()     # stops the workers of an interrupted batch now, not at collection
    return results


def _store_key(identity: str | None, fingerprint: str) -> str:
    return ResultStore.key(identity or "", fingerprint)

