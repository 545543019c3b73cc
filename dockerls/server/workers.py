"""The threads analyses run on, off the event loop: kept once started, reused for the next job."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger("dockerls.server")  # the server's one logger, whichever module logs

_T = TypeVar("_T")


class _Workers:
    """Daemon threads that run analyses, started when first needed and then kept.

    A thread per analysis would cost a keystroke more than the analysis itself:
    ``Thread.start`` waits until the new thread runs, and that thread then holds the
    GIL for up to the switch interval. Kept threads wait on a queue instead. Daemon
    threads, not an executor: an analysis still running must not hold up the process
    when the client says ``exit``. At most as many threads as analyses ever ran at
    once (``MAX_ANALYSES``).
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.idle = threading.Condition()  # notified when a thread becomes idle
        self._idle = 0  # threads waiting for work that no job has claimed yet
        self.threads = 0

    def submit(self, job: Callable[[], None]) -> None:
        with self.idle:
            claimed = self._idle > 0
            if claimed:
                self._idle -= 1
            else:
                self.threads += 1
        self._queue.put(job)
        if not claimed:
            threading.Thread(target=self._work, name="dockerls-analysis", daemon=True).start()

    def idle_threads(self) -> int:
        return self._idle

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                job()
            except Exception:  # jobs report their own failures; this one did not
                log.exception("an analysis job failed")
            del job  # waiting for the next, it must not keep this one's analysis alive
            with self.idle:
                self._idle += 1
                self.idle.notify_all()


_WORKERS = _Workers()


def in_thread(work: Callable[[], _T]) -> asyncio.Future[_T]:
    """Run ``work`` on a worker thread; its outcome arrives on the loop."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def settle(outcome: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(outcome)

    def run() -> None:
        outcome: Any = None
        error: BaseException | None = None
        try:
            outcome = work()
        except Exception as caught:
            error = caught
        with contextlib.suppress(RuntimeError):  # the loop is closed: the server has exited
            loop.call_soon_threadsafe(settle, outcome, error)

    _WORKERS.submit(run)
    return future
