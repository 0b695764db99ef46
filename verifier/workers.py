"""Isolated workers: each job's properties run in a forked process of its own, at most
`parallel` of them at once, every message awaited under a time limit and a memory cap.

A job is one activation. Its worker runs the `body`, which sends one message per property (the
verdict) and, with `followups`, a second one (its cross-check), in order. The parent waits for
each message at most `timeout` seconds; a worker that overruns, or whose resident memory passes
`max_memory` bytes, is killed (SIGKILL: sympy cannot be interrupted from inside) and a fresh
worker continues with the next property. A job may also have a `budget` (seconds for all
its messages) and the whole run a `deadline`; what they cut fails with cause "budget". A
worker that dies on its own (a crash, the OOM killer,
a stray SIGKILL) is replaced and the property it was on retried once; a second death makes it a
`Failure`. So one bad candidate never stops a batch, and each worker is recycled after its one
job: no state or memory carries from one candidate to the next.

Workers die with the parent (Linux's PR_SET_PDEATHSIG): a killed CLI leaves none running.

What it does not do: cap memory where /proc is missing (the cap needs Linux's
/proc/PID/statm), tie a worker to its parent off Linux, or isolate anything on a platform
without `os.fork`.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any, Literal

from verifier.defaults import DEFAULT_MAX_MEMORY

_MEMORY_POLL = 0.25      # seconds between two looks at the workers' memory
# sympy allocates many short-lived objects: collect the young generation less often (the
# worker lives for one activation; the memory cap still bounds it)
_WORKER_GC = (50_000, 20, 20)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

Send = Callable[[Any], None]
Body = Callable[..., None]     # body(send, properties, *args): one message per step


@dataclass(frozen=True)
class Failure:
    """A message that never came: why, in words a report can show."""
    cause: Literal["time", "memory", "died", "budget"]
    detail: str


@dataclass
class Job:
    properties: list[str]
    args: tuple = ()
    followups: bool = False
    # per property: its verdict message then (with followups) its second one, or a Failure
    messages: dict[str, list[Any]] = field(default_factory=dict)
    seconds: float = 0.0        # wall time from its first worker's start to its last message
    weight: float = 0.0         # expected cost: heavier jobs start first
    index: int = -1             # its position in the input (set by `run`)
    ends: float = float("inf")  # monotonic time its budget runs out (set by `run`)
    cut_by: str = ""            # which budget that is, in words


@dataclass
class _Worker:
    index: int                         # of its job
    job: Job
    pid: int
    receiver: Connection
    steps: list[tuple[str, int]]       # (property, 0 verdict | 1 follow-up) still to come
    deadline: float
    status: str = ""                   # how it ended, once reaped


def run(jobs: Iterable[Job], body: Body, *, parallel: int, timeout: float,
        max_memory: int | None = DEFAULT_MAX_MEMORY, budget: float | None = None,
        deadline: float | None = None, ordered: bool = True) -> Iterator[Job]:
    """Run every job, heaviest (`Job.weight`) first so that a long one does not end the batch
    alone, yielding each finished one in input order (`ordered=False`: as it finishes).
    `budget`: seconds one job may take in all; `deadline`: the time.monotonic() by which the
    whole run ends. Leaves no worker behind, also when the caller stops early or is
    interrupted."""
    queue: list[Job | None] = list(jobs)
    waiting = deque(sorted(range(len(queue)), key=lambda i: -queue[i].weight))  # type: ignore
    started: set[int] = set()
    began: dict[int, float] = {}        # when each running job's first worker started
    finished: list[int] = []
    live: list[_Worker] = []
    retried: set[tuple[int, str]] = set()
    next_out = 0
    ends = float("inf") if deadline is None else deadline
    try:
        while next_out < len(queue):
            while len(live) < parallel and waiting:
                index = waiting.popleft()
                started.add(index)
                job = queue[index]
                if job is not None and job.properties:
                    job.index, began[index] = index, time.monotonic()
                    own = began[index] + (budget or float("inf"))
                    job.ends = min(ends, own)
                    job.cut_by = "the run's budget" if budget is None or ends < own else \
                        f"the activation's {budget:g} s budget"
                    if time.monotonic() >= job.ends:
                        _cut(job, job.properties)
                    else:
                        live.append(_spawn(index, job, body, job.properties, timeout))
                elif job is not None:    # nothing to run: finished at once
                    job.index = index
                    finished.append(index)
            if live:
                _serve(live, body, timeout, max_memory, retried)
            busy = {w.index for w in live}
            for index in (started - busy) & began.keys():   # its last worker just finished
                queue[index].seconds = time.monotonic() - began.pop(index)  # type: ignore
                finished.append(index)
            if not ordered:
                for index in finished:
                    job, queue[index] = queue[index], None
                    started.discard(index)
                    next_out += 1
                    yield job   # type: ignore[misc]
                finished.clear()
                continue
            finished.clear()
            while next_out in started and next_out not in busy:
                job, queue[next_out] = queue[next_out], None
                started.discard(next_out)
                next_out += 1
                yield job   # type: ignore[misc]
    finally:
        for worker in live:
            _stop(worker)


def _budget_detail(job: Job) -> str:
    return f"budget: {job.cut_by} was spent before this was decided"


def _cut(job: Job, properties: list[str]) -> None:
    """Every property of a job not yet started fails: its budget is spent."""
    for prop in properties:
        messages = job.messages.setdefault(prop, [])
        if not messages:
            messages.append(Failure("budget", _budget_detail(job)))


def _serve(live: list[_Worker], body: Body, timeout: float, max_memory: int | None,
           retried: set[tuple[int, str]]) -> None:
    """Wait for the next message, deadline or memory look, and act on what happened."""
    until = min(min(w.deadline, w.job.ends) for w in live) - time.monotonic()
    ready = wait([w.receiver for w in live],
                 timeout=max(0.0, min(until, _MEMORY_POLL) if max_memory else until))
    now = time.monotonic()
    for worker in list(live):
        if worker.receiver in ready:
            _take(worker, body, timeout, live, retried)
        elif now >= worker.job.ends:      # the budget: nothing more of this job runs
            _stop(worker)
            live.remove(worker)
            while worker.steps:
                _record_failure(worker, "budget", _budget_detail(worker.job))
        elif now >= worker.deadline:
            _give_up(worker, "time", f"time limit: not decided within {timeout:g} s "
                                     f"(the analysis was stopped)", body, timeout, live)
    for worker in list(live):   # every pass: a fast worker is measured too
        if max_memory and (used := _resident(worker.pid)) > max_memory:
            _give_up(worker, "memory", f"memory limit: the worker used {used >> 20} MiB, "
                                       f"more than {max_memory >> 20} MiB (it was stopped)",
                     body, timeout, live)


def _spawn(index: int, job: Job, body: Body, properties: list[str], timeout: float) -> _Worker:
    receiver, sender = Pipe(duplex=False)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:   # the worker: never returns into the parent's code
        code = 0
        try:
            _die_with(parent)
            gc.freeze()    # the inherited objects: never scanned (nor their pages copied)
            gc.set_threshold(*_WORKER_GC)
            receiver.close()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            body(sender.send, properties, *job.args)
            sender.close()
        except BaseException:  # noqa: BLE001 - the parent sees the missing messages
            code = 1
        finally:
            os._exit(code)
    sender.close()
    steps = [(p, step) for p in properties for step in ((0, 1) if job.followups else (0,))]
    for p in properties:
        job.messages.setdefault(p, [])
    return _Worker(index, job, pid, receiver, steps, time.monotonic() + timeout)


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Ask Linux to SIGKILL this worker when its parent dies; if the parent is gone already
    (it died between fork and here), leave now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):   # not Linux: the worker is not tied to its parent
        return
    if os.getppid() != parent:
        os._exit(1)


def _take(worker: _Worker, body: Body, timeout: float, live: list[_Worker],
          retried: set[tuple[int, str]]) -> None:
    try:
        message = worker.receiver.recv()
    except (EOFError, OSError):
        status = _stop(worker)
        live.remove(worker)
        if not worker.steps:
            return
        prop = worker.steps[0][0]
        key = (worker.index, prop)
        if key not in retried:      # retry the property (verdict and all) once, afresh
            retried.add(key)
            worker.job.messages[prop].clear()
        else:
            _record_failure(worker, "died", f"the worker process died twice ({status})")
        _respawn_rest(worker, body, timeout, live)
        return
    prop = worker.steps.pop(0)[0]
    worker.job.messages[prop].append(message)
    worker.deadline = time.monotonic() + timeout
    if not worker.steps:
        _stop(worker)
        live.remove(worker)


def _give_up(worker: _Worker, cause: Literal["time", "memory"], detail: str, body: Body,
             timeout: float, live: list[_Worker]) -> None:
    """Stop the worker, fail the step it was on, and let a fresh one do the rest."""
    _stop(worker)
    _record_failure(worker, cause, detail)
    live.remove(worker)
    _respawn_rest(worker, body, timeout, live)


def _record_failure(worker: _Worker, cause: Literal["time", "memory", "died", "budget"],
                    detail: str) -> None:
    """The step it was on fails; a failed verdict takes its follow-up with it."""
    prop = worker.steps[0][0]
    worker.job.messages[prop].append(Failure(cause, detail))
    worker.steps = [(p, s) for p, s in worker.steps if p != prop]


def _respawn_rest(worker: _Worker, body: Body, timeout: float, live: list[_Worker]) -> None:
    if worker.steps:
        live.append(_spawn(worker.index, worker.job, body, _properties_from(worker.steps),
                           timeout))


def _properties_from(steps: list[tuple[str, int]]) -> list[str]:
    return list(dict.fromkeys(p for p, _ in steps))


def _stop(worker: _Worker) -> str:
    """Kill (if still running) and reap; returns how the process ended."""
    if not worker.status:
        try:
            os.kill(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(worker.pid, 0)
        worker.receiver.close()
        worker.status = _describe(status)
    return worker.status


def _describe(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    return f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"


def _resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0
