"""Send replies from the web process, right after the commit, on a few threads: no queue trip, no fork.

Why: RQ's forking worker, as first shipped, forked a work horse per job, about 60 ms of CPU each, and a reply is
the most common job by far; under load the queue grew and reply tokens expired before the answer went out
(issue 11). Sending the reply here costs one HTTP call on a thread while the request has already been acknowledged.

What keeps a reply from being lost or doubled:
- Before a thread takes a reply, a *safety copy* of the same `send_reply` job is scheduled in RQ for
  `safety_delay` later. The thread deletes it once LINE has the reply. If the web process dies, or the thread's
  send fails, the copy runs on a worker: lost replies become late ones, never missing ones.
- A copy that runs although the thread sent (its deletion failed, or the thread was slower than the delay)
  finds the reply token used while still fresh, which `LineClient.deliver` counts as sent; a push carries the
  event's retry key, so LINE drops a second one.
- When every thread is busy and `capacity` replies wait, or Redis cannot hold the safety copy, the reply goes
  to the queue at once, as before: a full pool slows replies down, it never drops them.
- Whether the reply uses the token or is pushed is decided when it is sent, by the token's age (`deliver`).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

from bot.metrics import REPLY_PATHS
from bot.runtime.queue import Job, JobQueue, RQJobQueue

log = logging.getLogger(__name__)


class ReplyPool:
    def __init__(self, context: Callable[[], AbstractContextManager[Any]], queue: JobQueue, threads: int,
                 capacity: int, safety_delay: timedelta) -> None:
        self._context = context
        self._queue = queue
        self._threads = threads
        self._capacity = capacity
        self._safety_delay = safety_delay
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._in_hand = 0
        self._executor: ThreadPoolExecutor | None = None

    def _pool(self) -> ThreadPoolExecutor:
        # Started on first use, after gunicorn forked its workers: threads do not survive a fork.
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self._threads, thread_name_prefix="reply")
        return self._executor

    def send(self, send_reply: Job, *args: Any, job_id: str) -> str:
        """Run the reply job `send_reply(*args)` on a thread, or queue it; returns which ("pool" or "queue")."""
        queue = self._queue
        if isinstance(queue, RQJobQueue) and self._threads > 0 and self._take():
            if queue.hold(self._safety_delay, send_reply, *args, job_id=job_id):
                with self._lock:
                    self._pool().submit(self._run, send_reply, args, job_id)
                REPLY_PATHS.labels("pool").inc()
                return "pool"
            self._done()
        queue.enqueue(send_reply, *args, job_id=job_id)
        REPLY_PATHS.labels("queue").inc()
        return "queue"

    def _take(self) -> bool:
        """One more reply in hand, unless `capacity` already are."""
        with self._lock:
            if self._in_hand >= self._capacity:
                return False
            self._in_hand += 1
            return True

    def _run(self, send_reply: Job, args: tuple[Any, ...], job_id: str) -> None:
        try:
            with self._context():
                send_reply(*args)
            assert isinstance(self._queue, RQJobQueue)
            self._queue.release(job_id)
        except Exception:  # the safety copy in RQ sends it, with the queue's retries
            log.warning("reply %s failed on the web thread; its queued copy will send it", job_id, exc_info=True)
        finally:
            self._done()

    def _done(self) -> None:
        with self._idle:
            self._in_hand -= 1
            self._idle.notify_all()

    def drain(self, timeout: float) -> bool:
        """Wait until no reply is in hand; False on timeout (tests, and a clean shutdown)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_hand == 0, timeout)
