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
`Failure`. So one bad candidate never stops a batch.

With `reuse`, a worker that finished a job within its limits takes the next one (the job's
arguments are pickled to it; the first job's are inherited by the fork): a batch of small jobs
does not pay a fork, and the copying of the parent's pages it touches, per job. A worker is
retired instead once it has served `_REUSE_JOBS` jobs or its resident memory grew by more than
`_REUSE_GROWTH` bytes since it was forked, so one job's caches cannot take another's memory.
An answer is independent of the jobs its worker served before only if the body keeps no state
between jobs beyond caches of pure functions. Without `reuse`, each worker serves one job.

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
# memory cap still bounds a worker)
_WORKER_GC = (50_000, 20, 20)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_REUSE_JOBS = 200          # jobs one reused worker serves at most
_REUSE_GROWTH = 48 << 20   # bytes of resident growth since its fork that retire it

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
    orders: Connection | None = None   # where its next job is sent (reused workers only)
    born: int = 0                      # resident bytes just after its fork
    served: int = 1                    # jobs it was given
    status: str = ""                   # how it ended, once reaped


@dataclass
class _Pool:
    """What every step of one run needs: the body, the limits, the workers."""
    body: Body
    timeout: float
    max_memory: int | None
    reuse: bool
    live: list[_Worker] = field(default_factory=list)    # working on a job
    idle: list[_Worker] = field(default_factory=list)    # reused, waiting for the next job
    retried: set[tuple[int, str]] = field(default_factory=set)


def run(jobs: Iterable[Job], body: Body, *, parallel: int, timeout: float,
        max_memory: int | None = DEFAULT_MAX_MEMORY, budget: float | None = None,
        deadline: float | None = None, ordered: bool = True,
        reuse: bool = False, meanwhile: Callable[[], None] | None = None) -> Iterator[Job]:
    """Run every job, heaviest (`Job.weight`) first so that a long one does not end the batch
    alone, yielding each finished one in input order (`ordered=False`: as it finishes).
    `budget`: seconds one job may take in all; `deadline`: the time.monotonic() by which the
    whole run ends; `reuse`: workers serve several jobs (see the module's docstring; the
    jobs' args must pickle); `meanwhile`: the parent's own work, done once the first workers
    run (a limit falls due only when it returns: keep it short). Leaves no worker behind,
    also when the caller stops early or is interrupted."""
    queue: list[Job | None] = list(jobs)
    waiting = deque(sorted(range(len(queue)), key=lambda i: -queue[i].weight))  # type: ignore
    started: set[int] = set()
    began: dict[int, float] = {}        # when each running job's first worker started
    finished: list[int] = []
    pool = _Pool(body, timeout, max_memory, reuse)
    next_out = 0
    ends = float("inf") if deadline is None else deadline
    try:
        while next_out < len(queue):
            while len(pool.live) < parallel and waiting:
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
                        _start(pool, index, job)
                elif job is not None:    # nothing to run: finished at once
                    job.index = index
                    finished.append(index)
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            if pool.live:
                _serve(pool)
            busy = {w.index for w in pool.live}
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
        if meanwhile is not None:   # no job at all: the parent's work is still done
            meanwhile()
    finally:
        for worker in pool.live + pool.idle:
            _stop(worker)


def _budget_detail(job: Job) -> str:
    return f"budget: {job.cut_by} was spent before this was decided"


def _cut(job: Job, properties: list[str]) -> None:
    """Every property of a job not yet started fails: its budget is spent."""
    for prop in properties:
        messages = job.messages.setdefault(prop, [])
        if not messages:
            messages.append(Failure("budget", _budget_detail(job)))


def _serve(pool: _Pool) -> None:
    """Wait for the next message, deadline or memory look, and act on what happened."""
    live = pool.live
    until = min(min(w.deadline, w.job.ends) for w in live) - time.monotonic()
    ready = wait([w.receiver for w in live],
                 timeout=max(0.0, min(until, _MEMORY_POLL) if pool.max_memory else until))
    now = time.monotonic()
    for worker in list(live):
        if worker.receiver in ready:
            _take(pool, worker)
        elif now >= worker.job.ends:      # the budget: nothing more of this job runs
            _stop(worker)
            live.remove(worker)
            while worker.steps:
                _record_failure(worker, "budget", _budget_detail(worker.job))
        elif now >= worker.deadline:
            _give_up(pool, worker, "time", f"time limit: not decided within "
                                           f"{pool.timeout:g} s (the analysis was stopped)")
    for worker in list(live):   # every pass: a fast worker is measured too
        if pool.max_memory and (used := _resident(worker.pid)) > pool.max_memory:
            _give_up(pool, worker, "memory",
                     f"memory limit: the worker used {used >> 20} MiB, more than "
                     f"{pool.max_memory >> 20} MiB (it was stopped)")


def _start(pool: _Pool, index: int, job: Job) -> None:
    """The job on an idle reused worker, or on a fresh one."""
    while pool.idle:
        worker = pool.idle.pop()
        try:
            worker.orders.send((job.properties, job.args))  # type: ignore[union-attr]
        except (OSError, ValueError):     # it died while idle
            _stop(worker)
            continue
        worker.index, worker.job, worker.served = index, job, worker.served + 1
        worker.steps = _steps(job, job.properties)
        worker.deadline = time.monotonic() + pool.timeout
        pool.live.append(worker)
        return
    pool.live.append(_spawn(pool, index, job, job.properties))


def _steps(job: Job, properties: list[str]) -> list[tuple[str, int]]:
    for p in properties:
        job.messages.setdefault(p, [])
    return [(p, step) for p in properties for step in ((0, 1) if job.followups else (0,))]


def _spawn(pool: _Pool, index: int, job: Job, properties: list[str]) -> _Worker:
    receiver, sender = Pipe(duplex=False)
    order_in, order_out = Pipe(duplex=False) if pool.reuse else (None, None)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:   # the worker: never returns into the parent's code
        code = 0
        try:
            die_with(parent)
            gc.freeze()    # the inherited objects: never scanned (nor their pages copied)
            gc.set_threshold(*_WORKER_GC)
            receiver.close()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            pool.body(sender.send, properties, *job.args)
            if order_in is not None:      # reused: the next job, until the parent stops it
                order_out.close()   # type: ignore[union-attr]
                while True:
                    next_properties, args = order_in.recv()
                    pool.body(sender.send, next_properties, *args)
            sender.close()
        except BaseException:  # noqa: BLE001 - the parent sees the missing messages
            code = 1
        finally:
            os._exit(code)
    sender.close()
    if order_in is not None:
        order_in.close()
    return _Worker(index, job, pid, receiver, _steps(job, properties),
                   time.monotonic() + pool.timeout, orders=order_out, born=_resident(pid))


_PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """Ask Linux to SIGKILL this process when `parent` dies; if the parent is gone already
    (it died before this was asked), leave now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):   # not Linux: the worker is not tied to its parent
        return
    if os.getppid() != parent:
        os._exit(1)


def _take(pool: _Pool, worker: _Worker) -> None:
    try:
        message = worker.receiver.recv()
    except (EOFError, OSError):
        status = _stop(worker)
        pool.live.remove(worker)
        if not worker.steps:
            return
        prop = worker.steps[0][0]
        key = (worker.index, prop)
        if key not in pool.retried:      # retry the property (verdict and all) once, afresh
            pool.retried.add(key)
            worker.job.messages[prop].clear()
        else:
            _record_failure(worker, "died", f"the worker process died twice ({status})")
        _respawn_rest(pool, worker)
        return
    prop = worker.steps.pop(0)[0]
    worker.job.messages[prop].append(message)
    worker.deadline = time.monotonic() + pool.timeout
    if not worker.steps:
        pool.live.remove(worker)
        if _may_serve_again(pool, worker):
            pool.idle.append(worker)
        else:
            _stop(worker)


def _may_serve_again(pool: _Pool, worker: _Worker) -> bool:
    return pool.reuse and worker.served < _REUSE_JOBS and \
        _resident(worker.pid) - worker.born <= _REUSE_GROWTH


def _give_up(pool: _Pool, worker: _Worker, cause: Literal["time", "memory"],
             detail: str) -> None:
    """Stop the worker, fail the step it was on, and let a fresh one do the rest."""
    _stop(worker)
    _record_failure(worker, cause, detail)
    pool.live.remove(worker)
    _respawn_rest(pool, worker)


def _record_failure(worker: _Worker, cause: Literal["time", "memory", "died", "budget"],
                    detail: str) -> None:
    """The step it was on fails; a failed verdict takes its follow-up with it."""
    prop = worker.steps[0][0]
    worker.job.messages[prop].append(Failure(cause, detail))
    worker.steps = [(p, s) for p, s in worker.steps if p != prop]


def _respawn_rest(pool: _Pool, worker: _Worker) -> None:
    if worker.steps:
        pool.live.append(_spawn(pool, worker.index, worker.job,
                                _properties_from(worker.steps)))


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
        if worker.orders is not None:
            worker.orders.close()
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
