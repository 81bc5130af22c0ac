"""The job queue: RQ on Redis in production, a thread pool inside the process for `make run`.

Both run the same plain job functions with the same retry schedule, so handlers never know which.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry, SimpleWorker, Worker
from rq.job import Job as RQJob
from rq.worker import BaseWorker

log = logging.getLogger(__name__)

QUEUE_NAME = "chuaycheck"
FAILED_JOB_TTL_SECONDS = 7 * 24 * 3600
"""Failed jobs stay inspectable (and requeueable) for a week."""
RESULT_TTL_SECONDS = 3600
LOST_JOB_GRACE = timedelta(minutes=2)
"""Work not done this long after it was due lost its job (Redis restarted empty, a worker was killed), and
housekeeping re-drives it from the database. Longer than the queue's usual wait, so a job that is merely late
is seldom run twice; when it is, the job finds its work done, or LINE drops the repeat by its retry key."""

Job = Callable[..., Any]

WORKER_CLASSES: dict[str, type[BaseWorker]] = {"simple": SimpleWorker, "fork": Worker}
"""`WORKER_CLASS`, the RQ worker `flask worker` runs. "simple" (the default) runs each job in the worker process:
the bot's jobs are short (a reply or a profile lookup is 6-10 ms of CPU), and a forked work horse per job cost
about 50 ms more each and capped a worker at 10-14 such jobs a second (bench/RESULTS.md, "RQ worker classes").
What forking would add is isolation, which RQ advises keeping unless all three hold: jobs of a few ms, fork time
a proven bottleneck, and trusted code that neither leaks nor crashes. Here a crash is covered anyway: the
supervisor (workers.supervisor) starts a new worker, and its start re-drives from the database whatever the
dead one had in hand. A job's time limit still holds (RQ raises it in the job by SIGALRM), but cannot cut short
a call into C. "fork": a work horse per job, for a deployment that would rather pay for isolation, or that
suspects a leak."""


def hashed_job_id(kind: str, outside_id: str) -> str:
    """A job id for work on an id LINE made (a user or an event). RQ allows only letters, digits, `_` and `-` in
    job ids and logs them at INFO, and a LINE user id must never reach a log: the id is hashed."""
    return f"{kind}-{hashlib.blake2b(outside_id.encode(), digest_size=10).hexdigest()}"


class JobQueue(Protocol):
    kind: str

    def enqueue(self, func: Job, *args: Any, job_id: str) -> None: ...

    def enqueue_at(self, when: datetime, func: Job, *args: Any, job_id: str) -> None:
        """Run later; RQ keeps it in Redis until a worker with the scheduler moves it."""

    def depth(self) -> int: ...

    def is_reachable(self) -> bool: ...


class InProcessQueue:
    """Runs jobs on worker threads, each inside `context()` (the app context), retrying on failure."""

    kind = "in-process"

    def __init__(self, context: Callable[[], AbstractContextManager[Any]], retry_intervals: Sequence[float],
                 max_workers: int = 4) -> None:
        self._context = context
        self._retry_intervals = tuple(retry_intervals)
        self._max_workers = max_workers
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0

    def _pool(self) -> ThreadPoolExecutor:
        # Started on first use, so a gunicorn master that imports the app and then forks owns no threads.
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self._max_workers, thread_name_prefix="job")
            return self._executor

    def enqueue(self, func: Job, *args: Any, job_id: str) -> None:
        with self._lock:
            self._pending += 1
        self._pool().submit(self._run, func, args, job_id, 0)

    def _run(self, func: Job, args: tuple[Any, ...], job_id: str, attempt: int) -> None:
        try:
            with self._context():
                func(*args)
        except Exception:
            if attempt < len(self._retry_intervals):
                delay = self._retry_intervals[attempt]
                log.warning("job %s failed (attempt %d); retrying in %ss", job_id, attempt + 1, delay, exc_info=True)
                timer = threading.Timer(delay, lambda: self._pool().submit(self._run, func, args, job_id, attempt + 1))
                timer.daemon = True
                timer.start()
                return
            log.exception("job %s failed after %d attempts", job_id, attempt + 1)
        self._finish()

    def _finish(self) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def enqueue_at(self, when: datetime, func: Job, *args: Any, job_id: str) -> None:
        """A timer in this process: fine for `make run`, lost on restart (production uses RQ)."""
        delay = max((when - datetime.now(UTC)).total_seconds(), 0.0)
        timer = threading.Timer(delay, lambda: self.enqueue(func, *args, job_id=job_id))
        timer.daemon = True
        timer.start()

    def depth(self) -> int:
        return self._pending

    def is_reachable(self) -> bool:
        return True

    def drain(self, timeout: float) -> bool:
        """Wait until every job, retries included, has finished; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)


class RQJobQueue:
    """RQ on Redis. If Redis is unreachable, jobs run in-process so the citizen still gets an answer."""

    kind = "rq"

    def __init__(self, redis_url: str, retry_intervals: Sequence[int], fallback: InProcessQueue,
                 worker_class: type[BaseWorker] = SimpleWorker) -> None:
        self.connection = Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=2)
        self.queue = Queue(QUEUE_NAME, connection=self.connection)
        self.worker_class = worker_class
        self._retry_intervals = list(retry_intervals)
        self._fallback = fallback

    def _retry(self) -> Retry | None:
        return Retry(max=len(self._retry_intervals), interval=self._retry_intervals) if self._retry_intervals else None

    def enqueue(self, func: Job, *args: Any, job_id: str) -> None:
        try:
            # In a pipeline of our own: without one, RQ registers the queue in a round trip of its own before
            # the one that stores and queues the job; together they cost a third more CPU (issue 11).
            with self.connection.pipeline() as pipeline:
                self.queue.enqueue(func, *args, job_id=job_id, retry=self._retry(), pipeline=pipeline,
                                   failure_ttl=FAILED_JOB_TTL_SECONDS, result_ttl=RESULT_TTL_SECONDS)
                pipeline.execute()
        except RedisError:
            log.error("Redis unreachable; running job %s in-process", job_id, exc_info=True)
            self._fallback.enqueue(func, *args, job_id=job_id)

    def enqueue_at(self, when: datetime, func: Job, *args: Any, job_id: str) -> None:
        try:
            self.queue.enqueue_at(when, func, *args, job_id=job_id, retry=self._retry(),
                                  failure_ttl=FAILED_JOB_TTL_SECONDS, result_ttl=RESULT_TTL_SECONDS)
        except RedisError:
            log.error("Redis unreachable; timer %s kept in-process", job_id, exc_info=True)
            self._fallback.enqueue_at(when, func, *args, job_id=job_id)

    def hold(self, delay: timedelta, func: Job, *args: Any, job_id: str) -> bool:
        """Schedule a safety copy of work another thread is about to do (bot.runtime.reply_pool); False when Redis
        cannot keep it, and the caller must queue the work itself."""
        try:
            self.queue.enqueue_in(delay, func, *args, job_id=job_id, retry=self._retry(),
                                  failure_ttl=FAILED_JOB_TTL_SECONDS, result_ttl=RESULT_TTL_SECONDS)
            return True
        except RedisError:
            log.warning("Redis unreachable; job %s not held", job_id, exc_info=True)
            return False

    def release(self, job_id: str) -> None:
        """Drop a held copy whose work is done. One already moved to the queue (the work was slow) loses its
        job hash, which RQ skips; one already running, or kept because Redis is down, finds the work done."""
        try:
            with self.connection.pipeline() as pipeline:
                pipeline.zrem(self.queue.scheduled_job_registry.key, job_id)
                pipeline.delete(RQJob.key_for(job_id))
                pipeline.execute()
        except RedisError:
            log.warning("Redis unreachable; held job %s not released", job_id, exc_info=True)

    def worker(self, worker_class: type[BaseWorker] | None = None) -> BaseWorker:
        """A worker on this queue as `flask worker` runs it, of the configured class unless one is given. RQ
        logs each job it starts at INFO: without its description, which holds the arguments (LINE user ids),
        only its id, in which LINE's ids are hashed."""
        return (worker_class or self.worker_class)([self.queue], connection=self.connection,
                                                   log_job_description=False)

    def depth(self) -> int:
        try:
            return self.queue.count
        except RedisError:
            return -1

    def is_reachable(self) -> bool:
        try:
            return bool(self.connection.ping())
        except RedisError:
            return False
