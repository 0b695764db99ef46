"""Running a batch: the same function analysed once however many names it has, stored results
reused, the rest checked one at a time or `jobs` at once, results streamed in input order.

`run` knows nothing about properties: it gets the per-activation check, an identity (None when
the activation cannot be parsed: never shared), and how to relabel a shared result.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from verifier.model import Activation, ActivationResult
from verifier.store import ResultStore

Check = Callable[[Activation], ActivationResult]


def run(todo: Sequence[Activation], check: Check, *,
        identity: Callable[[Activation], str | None],
        relabel: Callable[[ActivationResult, Activation], ActivationResult],
        fingerprint: str, jobs: int, store: ResultStore | None,
        context: multiprocessing.context.BaseContext,
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
    stream = _checked([todo[i] for i in pending], check, jobs, context)
    results = []
    for index, activation in enumerate(todo):
        while source[index] not in done:
            computed = next(stream)
            at = pending.pop(0)
            done[at] = computed
            if store and keys[at]:
                store.put(_store_key(keys[at], fingerprint), computed)
        result = done[source[index]]
        result = result if source[index] == index and result.name == activation.name else \
            relabel(result, activation)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def _store_key(identity: str | None, fingerprint: str) -> str:
    return ResultStore.key(identity or "", fingerprint)


def _checked(batch: list[Activation], check: Check, jobs: int,
             context: multiprocessing.context.BaseContext) -> Iterator[ActivationResult]:
    if jobs > 1 and len(batch) > 1:
        with ProcessPoolExecutor(min(jobs, len(batch)), mp_context=context) as pool:
            yield from pool.map(check, batch)
    else:
        for activation in batch:
            yield check(activation)
