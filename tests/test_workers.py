"""The server's analysis threads: started when needed, then kept and reused."""

from __future__ import annotations

import threading
import weakref

from dockerls.server.workers import _Workers

TIMEOUT = 10


def run_together(workers: _Workers, count: int) -> None:
    """Submit ``count`` jobs that can only finish together, so each needs a thread."""
    barrier = threading.Barrier(count + 1, timeout=TIMEOUT)
    for _ in range(count):
        workers.submit(barrier.wait)
    barrier.wait()
    settle(workers, count)


def settle(workers: _Workers, idle: int) -> None:
    with workers.idle:
        assert workers.idle.wait_for(lambda: workers.idle_threads() == idle, timeout=TIMEOUT)


def test_threads_are_started_only_when_all_are_busy() -> None:
    workers = _Workers()
    run_together(workers, 3)
    assert workers.threads == 3
    run_together(workers, 3)  # the same three threads
    assert workers.threads == 3
    run_together(workers, 4)  # one more is needed
    assert workers.threads == 4


def test_a_job_that_raises_does_not_lose_its_thread() -> None:
    workers = _Workers()
    outcome: list[str] = []

    def boom() -> None:
        raise RuntimeError("boom")

    run_together(workers, 1)
    workers.submit(boom)
    settle(workers, 1)
    workers.submit(lambda: outcome.append("ran"))
    settle(workers, 1)
    assert outcome == ["ran"]
    assert workers.threads == 1


def test_a_thread_waiting_for_work_keeps_nothing_of_the_last_job_alive() -> None:
    """A closed document's analysis must be freed although the thread that made it
    waits on: the thread lets go of the job it ran."""

    class Payload:
        pass

    workers = _Workers()
    payload = Payload()
    gone = threading.Event()
    weakref.finalize(payload, gone.set)

    def job(held: Payload = payload) -> None:
        assert isinstance(held, Payload)

    workers.submit(job)
    settle(workers, 1)
    del job, payload
    assert gone.wait(TIMEOUT)
