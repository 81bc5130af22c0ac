"""Keep one RQ worker running through Redis outages: `flask worker` runs it in a child process and starts a new
one whenever it dies or retires, until it is asked to stop.

A worker retires (exits 0) after WORKER_MAX_JOBS jobs: jobs run in the worker process itself (SimpleWorker), so
whatever a job leaks is bounded, as gunicorn's max_requests bounds it for web processes. Its successor starts at
once, after `rewarm` has brought this process's indexes up to date, so each successor inherits them by fork.

RQ's worker retries a lost connection only while it waits for a job. If Redis fails while a job ends or during
its own upkeep, it logs "found an unhandled exception, quitting" and exits; nothing queued after Redis comes
back would then run until someone restarts it. The supervisor itself never talks to RQ, so it cannot die that
way, and its signal handling is its own: SIGTERM or SIGINT is passed to the worker (a warm shutdown) and ends
the loop.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RESTART_DELAY_SECONDS = 1.0
"""The least wait before a new worker: a worker that dies at start (a bad deploy) must not spin a core."""
MAX_REDIS_WAIT_SECONDS = 30.0
"""Redis is polled with doubling waits up to this: an outage of minutes costs a few pings, and recovery is
noticed within half a minute."""


def supervise(run_worker: Callable[[], None], redis: Redis, rewarm: Callable[[], None]) -> None:
    """Run `run_worker` in a child process, again and again, until SIGTERM or SIGINT."""
    stopping = threading.Event()
    child: list[int] = []  # the running worker's pid, for the signal handler

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.set()
        for pid in child:
            os.kill(pid, signum)  # RQ's warm shutdown: the job in hand finishes first

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping.is_set():
        pid = _start(run_worker)
        child.append(pid)
        if stopping.is_set():  # the signal came before the handler knew this pid
            os.kill(pid, signal.SIGTERM)
        _pid, status = os.waitpid(pid, 0)
        child.clear()
        if stopping.is_set():
            break
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            log.info("RQ worker %d retired after its job limit; starting a fresh one", pid)
            rewarm()
            continue
        log.warning("RQ worker %d exited (%s); starting another once Redis answers", pid, _describe(status))
        stopping.wait(RESTART_DELAY_SECONDS)
        _wait_for_redis(redis, stopping)


def _start(run_worker: Callable[[], None]) -> int:
    pid = os.fork()
    if pid:
        return pid
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # RQ installs its own once it starts
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    code = 1
    try:
        run_worker()
        code = 0
    except BaseException:  # the child must never return into the supervisor's loop
        log.exception("RQ worker failed")
    finally:
        logging.shutdown()
        os._exit(code)


def _wait_for_redis(redis: Redis, stopping: threading.Event) -> None:
    delay = RESTART_DELAY_SECONDS
    while not stopping.is_set():
        try:
            redis.ping()
            return
        except RedisError as error:
            log.warning("Redis unreachable (%s); next try in %.0f s", error, delay)
        stopping.wait(delay)
        delay = min(delay * 2, MAX_REDIS_WAIT_SECONDS)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
