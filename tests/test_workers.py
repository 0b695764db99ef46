"""The worker scheduler: order, parallelism, limits, retries, and no process left behind."""

import os
import signal
import time
from pathlib import Path

from verifier import workers
from verifier.workers import Failure, Job

from tests.processes import NewChildren


def _echo(send, properties, delay=0.0, followups=False):
    for name in properties:
        time.sleep(delay)
        send(f"{name}!")
        if followups:
            send(f"{name}?")


def _sleeper(send, properties, hang_on):
    for name in properties:
        if name == hang_on:
            time.sleep(60)
        send(name)


def _hog(send, properties, hog_on):
    for name in properties:
        if name == hog_on:
            block = bytearray(400 << 20)   # touched, so resident
            block[::4096] = b"x" * len(block[::4096])
            time.sleep(60)
        send(name)


def _dies_once(send, properties, marker):
    for name in properties:
        if name == "b" and not os.path.exists(marker):
            Path(marker).write_text("died")
            os.kill(os.getpid(), signal.SIGKILL)
        send(name)


def _always_dies_on_b(send, properties):
    for name in properties:
        if name == "b":
            os.kill(os.getpid(), signal.SIGKILL)
        send(name)


def _stamped(send, properties, delay):
    """Each step: (this worker's pid, when it began, when it ended)."""
    for _ in properties:
        began = time.monotonic()
        time.sleep(delay)
        send((os.getpid(), began, time.monotonic()))


def test_results_come_in_input_order_from_parallel_workers():
    new_children = NewChildren()
    jobs = [Job(["a", "b"], args=(0.3 * (3 - i), True), followups=True) for i in range(4)]
    done = list(workers.run(jobs, _echo, parallel=2, timeout=10))
    assert done == jobs
    assert [j.messages for j in done] == [{"a": ["a!", "a?"], "b": ["b!", "b?"]}] * 4
    assert new_children() == set()


def test_parallel_workers_run_at_the_same_time():
    # counted, not timed: two sleeping jobs in two workers overlap on any machine
    jobs = [Job(["a"], args=(0.5,)) for _ in range(2)]
    done = list(workers.run(jobs, _stamped, parallel=2, timeout=60))
    (first_pid, first_began, first_ended), = done[0].messages["a"]
    (second_pid, second_began, second_ended), = done[1].messages["a"]
    assert first_pid != second_pid
    assert first_began < second_ended and second_began < first_ended


def test_the_parents_own_work_runs_once_while_the_first_workers_run():
    # ordered, not timed: both workers began their step before the parent's work (0.6 s)
    # ended, and it began before either ended its own (1 s)
    spans: list[tuple[float, float]] = []

    def meanwhile() -> None:
        began = time.monotonic()
        time.sleep(0.6)
        spans.append((began, time.monotonic()))
    jobs = [Job(["a"], args=(1.0,)) for _ in range(2)]
    done = list(workers.run(jobs, _stamped, parallel=2, timeout=60, meanwhile=meanwhile))
    (mine,) = spans
    for job in done:
        (_, began, ended), = job.messages["a"]
        assert began < mine[1] and mine[0] < ended


def test_the_parents_own_work_is_done_also_when_there_is_no_job():
    moments: list[str] = []
    assert list(workers.run([], _echo, parallel=2, timeout=10,
                            meanwhile=lambda: moments.append("done"))) == []
    assert moments == ["done"]


def test_a_hung_step_is_stopped_and_a_fresh_worker_does_the_rest():
    new_children = NewChildren()
    job = Job(["a", "b", "c"], args=("b",))
    (done,) = workers.run([job], _sleeper, parallel=1, timeout=1)
    assert done.messages["a"] == ["a"] and done.messages["c"] == ["c"]
    assert done.messages["b"] == [Failure("time", "time limit: not decided within 1 s "
                                                  "(the analysis was stopped)")]
    assert new_children() == set()


def test_a_worker_past_the_memory_cap_is_stopped():
    new_children = NewChildren()
    job = Job(["a", "b", "c"], args=("b",))
    (done,) = workers.run([job], _hog, parallel=1, timeout=30,
                          max_memory=_resident_now() + (200 << 20))
    assert done.messages["a"] == ["a"] and done.messages["c"] == ["c"]
    (failure,) = done.messages["b"]
    assert failure.cause == "memory" and failure.detail.startswith("memory limit: the worker used")
    assert new_children() == set()


def test_a_worker_that_dies_is_replaced_and_its_step_retried_once(tmp_path):
    job = Job(["a", "b", "c"], args=(str(tmp_path / "marker"),))
    (done,) = workers.run([job], _dies_once, parallel=1, timeout=10)
    assert done.messages == {"a": ["a"], "b": ["b"], "c": ["c"]}


def test_a_step_that_kills_its_worker_twice_is_a_failure_and_the_rest_goes_on():
    jobs = [Job(["a", "b", "c"]), Job(["a"])]
    first, second = workers.run(jobs, _always_dies_on_b, parallel=2, timeout=10)
    assert first.messages == {"a": ["a"], "b": [Failure(
        "died", "the worker process died twice (killed by SIGKILL)")], "c": ["c"]}
    assert second.messages == {"a": ["a"]}


def test_stopping_early_leaves_no_worker_behind():
    new_children = NewChildren()
    jobs = [Job(["a"], args=(0.0,)), Job(["a"], args=(30.0,)), Job(["a"], args=(30.0,))]
    stream = workers.run(jobs, _echo, parallel=3, timeout=60)
    assert next(stream) is jobs[0]
    assert len(new_children()) == 2          # the two slow ones are running
    stream.close()
    assert new_children() == set()


def _resident_now() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_unordered_runs_yield_each_job_as_it_finishes_and_budgets_cut_the_rest():
    slow, fast, empty = Job(["a", "b"], args=(1.5,)), Job(["a"], args=(0.0,)), Job([])
    done = list(workers.run([slow, fast, empty], _echo, parallel=2, timeout=10, budget=2,
                            ordered=False))
    assert done[-1] is slow and {id(j) for j in done} == {id(slow), id(fast), id(empty)}
    assert [j.index for j in (slow, fast, empty)] == [0, 1, 2]
    assert slow.messages["a"] == ["a!"]
    (cut,) = slow.messages["b"]
    assert cut == Failure("budget", "budget: the activation's 2 s budget was spent before "
                                    "this was decided")


_HELD: list[bytearray] = []


def _pid(send, properties, grow_by=0, hang=False):
    if grow_by:   # kept past the job, as a cache would be
        block = bytearray(grow_by)
        block[::4096] = b"x" * len(block[::4096])
        _HELD.append(block)
    for _ in properties:
        if hang:
            time.sleep(60)
        send(os.getpid())


def test_reused_workers_serve_many_jobs_and_answer_each_in_full():
    new_children = NewChildren()
    jobs = [Job(["a", "b"]) for _ in range(8)]
    done = list(workers.run(jobs, _pid, parallel=2, timeout=10, reuse=True))
    pids = {pid for job in done for messages in job.messages.values() for pid in messages}
    assert [len(job.messages["a"]) + len(job.messages["b"]) for job in done] == [2] * 8
    assert len(pids) <= 2 and os.getpid() not in pids
    assert new_children() == set()


def test_a_reused_worker_that_grew_is_retired_and_one_that_hung_is_replaced():
    grows, after, hangs, last = (Job(["a"], args=(workers._REUSE_GROWTH + (16 << 20),)),
                                 Job(["a"]), Job(["a"], args=(0, True)), Job(["a"]))
    done = list(workers.run([grows, after, hangs, last], _pid, parallel=1, timeout=1,
                            reuse=True))
    assert done == [grows, after, hangs, last]
    assert grows.messages["a"] != after.messages["a"]       # a fresh worker after the growth
    assert hangs.messages["a"] == [Failure("time", "time limit: not decided within 1 s "
                                                   "(the analysis was stopped)")]
    assert isinstance(last.messages["a"][0], int)            # and after the kill
