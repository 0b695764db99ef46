"""One function applied to many items, each call in a killable worker under the same time
limit and memory cap as the analysis (verifier.workers): for the per-activation work that is
not a property (parsing untrusted text, drawing a report page), so that no phase of a run is
unbounded.

The items are split into `parallel` chunks, one worker each; a call that overruns a limit is
killed, its item gets a Failure, and a fresh worker goes on with the rest of the chunk. `fn`
runs in the forked worker (nothing is pickled on the way in); its result comes back pickled.

What it does not do: catch a bug in `fn` (an exception is a Failure "died" after one retry,
with no traceback: `fn` should turn its own expected errors into values).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from verifier import workers
from verifier.workers import DEFAULT_MAX_MEMORY, Failure

T = TypeVar("T")


def map_limited(fn: Callable[[T], Any], items: Sequence[T], *, parallel: int, timeout: float,
                max_memory: int | None = DEFAULT_MAX_MEMORY, deadline: float | None = None,
                meanwhile: Callable[[], None] | None = None) -> list[Any]:
    """[fn(item) or the Failure that stopped it, for each item], in input order.
    `deadline` (time.monotonic()) ends the whole map: what is left fails with cause
    "budget". `meanwhile`: the caller's own work, done while the workers run."""
    count = min(max(parallel, 1), len(items))
    jobs = [workers.Job([str(i) for i in range(start, len(items), count)], args=(fn, items))
            for start in range(count)]
    results: list[Any] = [None] * len(items)
    for job in workers.run(jobs, _apply, parallel=count, timeout=timeout,
                           max_memory=max_memory, deadline=deadline, ordered=False,
                           meanwhile=meanwhile):
        for step, messages in job.messages.items():
            results[int(step)] = messages[0]
    return results


def _apply(send: workers.Send, steps: list[str], fn: Callable[[Any], Any],
           items: Sequence[Any]) -> None:
    for step in steps:
        send(fn(items[int(step)]))


__all__ = ["Failure", "map_limited"]
