"""RQ worker classes side by side on the bot's own jobs: `python -m bench workers`.

One stack (PostgreSQL seeded as `make run` seeds it, a Redis of its own, the LINE emulator in a process of its
own), and one worker process at a time (bench.worker_process): RQ's `Worker`, which forks a work horse per job
(as `flask worker` shipped), the same with `gc.freeze()` after the warm-up, and `SimpleWorker`, which runs jobs
in its own process. Each drains the same batches of fresh jobs of each kind the queue really carries:

- replies: the safety copy a web process leaves in RQ, sent as a reply (a fresh token from the emulator);
- profile lookups: a first contact's LINE profile, fetched and stored;
- routing: a submitted tip joined to a case or opening one (with the announcement and SLA timers a new case
  queues, which the worker then also runs).

Jobs per second: jobs finished over the time from the first enqueue to the queue drained. CPU per job: the
worker process and the work horses it forked and reaped, over the jobs it ran.
"""
from __future__ import annotations

import os
import random
import sys
import time
from dataclasses import dataclass
from typing import Any

import requests
from redis import Redis
from rq import Queue, Worker
from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry
from sqlalchemy import insert, select, update

from bench.load import PLACES, UNKNOWN_RUMOURS
from bench.stack import Process, Stack, rss_mib, stack
from bot.line.client import OutgoingReply
from bot.runtime.queue import QUEUE_NAME
from data.coordinators import make_coordinator
from data.db import connect
from data.models import OPEN_CASE_STATUSES, Case, CaseStatus, Tip, User, utcnow
from workers.delivery import send_reply, send_reply_job_id
from workers.profiles import fetch_profile, fetch_profile_job_id
from workers.tips import route_tip, route_tip_job_id

JOBS_PER_KIND = 150
VARIANTS = (("fork", "Worker: a forked work horse per job (shipped)"),
            ("frozen", "Worker, gc.freeze() after the warm-up"),
            ("simple", "SimpleWorker: jobs in the worker process"))
KINDS = ("reply", "profile", "routing")
COORDINATOR = "U" + "c" * 32
DRAIN_TIMEOUT_SECONDS = 600.0


@dataclass
class Drained:
    variant: str
    kind: str
    jobs: int
    failed: int
    seconds: float
    cpu: float
    peak_rss: float

    @property
    def per_second(self) -> float:
        return self.jobs / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.jobs


class Jobs:
    """Fresh work of each kind: new users, new tokens, new tips, so no job finds its work already done."""

    def __init__(self, built: Stack) -> None:
        self.built = built
        self.database = connect(built.database_url)
        self.rng = random.Random(11)
        self.serial = 0
        with self.database.session() as session:  # new cases' cards go to the AFNC desk, as multicasts
            make_coordinator(session, COORDINATOR, "afnc", actor="bench")

    def close_open_cases(self) -> None:
        """Routing reads every open case: each worker class starts from none, so none routes against more."""
        with self.database.session() as session:
            session.execute(update(Case).where(Case.status.in_(OPEN_CASE_STATUSES))
                            .values(status=CaseStatus.ANSWERED))

    def _users(self, count: int) -> list[str]:
        ids = [f"U{self.rng.getrandbits(128):032x}" for _ in range(count)]
        now = utcnow()
        with self.database.session() as session:
            session.execute(insert(User), [{"line_user_id": line_id, "created_at": now, "last_seen_at": now}
                                           for line_id in ids])
        return ids

    def _token(self, user: str) -> str:
        response = requests.post(f"{self.built.line_url}/_emulator/reply-tokens",
                                 json={"source": {"type": "user", "userId": user}}, timeout=10)
        return str(response.json()["replyToken"])

    def enqueue(self, queue: Queue, kind: str) -> int:
        """Queue JOBS_PER_KIND new jobs of `kind`; returns how many."""
        users = self._users(JOBS_PER_KIND)
        calls: list[tuple[Any, tuple[Any, ...], str]] = []
        if kind == "reply":
            for user in users:
                self.serial += 1
                event_id = f"bench-workers-{self.serial}"
                reply = OutgoingReply(event_id=event_id, chat_id=user, reply_token=self._token(user),
                                      event_timestamp_ms=int(time.time() * 1000),
                                      messages=[{"type": "text", "text": "ได้รับข้อความแล้วค่ะ 🙏"}])
                calls.append((send_reply, (reply.as_job_payload(),), send_reply_job_id(event_id)))
        elif kind == "profile":
            for user in users:
                requests.put(f"{self.built.line_url}/_emulator/profiles/{user}",
                             json={"displayName": "ผู้ใช้ทดสอบ"}, timeout=10)
                calls.append((fetch_profile, (user,), fetch_profile_job_id(user)))
        else:
            self.close_open_cases()
            now = utcnow()
            with self.database.session() as session:
                user_ids = session.scalars(select(User.id).where(User.line_user_id.in_(users))).all()
                tips = [Tip(user_id=user_id, source_type="user", created_at=now, submitted_at=now,
                            text=self.rng.choice(UNKNOWN_RUMOURS).format(place=self.rng.choice(PLACES),
                                                                         n=self.rng.randint(2, 900)))
                        for user_id in user_ids]
                session.add_all(tips)
                session.flush()
                calls = [(route_tip, (tip.id,), route_tip_job_id(tip.id)) for tip in tips]
        for func, args, job_id in calls:
            queue.enqueue(func, *args, job_id=job_id, result_ttl=3600)
        return len(calls)

    def close(self) -> None:
        self.database.engine.dispose()


def _drain(redis: Redis, queue: Queue, worker: Process, jobs: Jobs, variant: str, kind: str) -> Drained:
    finished, failed = FinishedJobRegistry(queue=queue), FailedJobRegistry(queue=queue)
    started_registry = StartedJobRegistry(queue=queue)
    done_before, failed_before, cpu_before = finished.count, failed.count, worker.cpu()
    started, peak = time.monotonic(), 0.0
    queued = jobs.enqueue(queue, kind)
    # A job just taken from the queue may not be in the started registry yet: count the ended ones too.
    while queue.count or started_registry.count or finished.count + failed.count < done_before + failed_before + queued:
        peak = max(peak, rss_mib(worker.pid))
        if time.monotonic() - started > DRAIN_TIMEOUT_SECONDS:
            raise TimeoutError(f"{variant}/{kind}: queue not drained:\n{worker.tail()}")
        time.sleep(0.05)
    seconds, cpu = time.monotonic() - started, worker.cpu() - cpu_before
    return Drained(variant, kind, finished.count - done_before, failed.count - failed_before, seconds, cpu, peak)


def run() -> str:
    load_before = os.getloadavg()[0]
    results: list[Drained] = []
    with stack("bench_workers") as built:
        redis = Redis.from_url(built.redis.url)
        queue = Queue(QUEUE_NAME, connection=redis)
        jobs = Jobs(built)
        try:
            for variant, _name in VARIANTS:
                worker = Process(f"worker-{variant}", [sys.executable, "-m", "bench.worker_process", variant],
                                 built.env(), built.directory / f"worker-{variant}.log").start()
                built.workers.append(worker)
                built.wait_for_workers(redis)
                for kind in KINDS:
                    results.append(_drain(redis, queue, worker, jobs, variant, kind))
                worker.stop()
                built.workers.remove(worker)
                deadline = time.monotonic() + 30
                while Worker.count(connection=redis) and time.monotonic() < deadline:  # it unregisters at stop
                    time.sleep(0.1)
        finally:
            jobs.close()
            redis.close()
    load_after = os.getloadavg()[0]
    return _report(results, load_before, load_after)


def _report(results: list[Drained], load_before: float, load_after: float) -> str:
    by = {(r.variant, r.kind): r for r in results}
    rows = []
    for variant, name in VARIANTS:
        drained = [by[(variant, kind)] for kind in KINDS]
        jobs, seconds, cpu = sum(d.jobs for d in drained), sum(d.seconds for d in drained), sum(d.cpu for d in drained)
        cells = " | ".join(f"{d.per_second:.1f} / {d.cpu_ms:.0f}" for d in drained)
        rows.append(f"| {name} | {cells} | {jobs / seconds:.1f} / {1000 * cpu / jobs:.0f} | "
                    f"{sum(d.failed for d in drained)} | {max(d.peak_rss for d in drained):.0f} MiB |")
    fork = [by[("fork", kind)] for kind in KINDS]
    simple = [by[("simple", kind)] for kind in KINDS]
    frozen = [by[("frozen", kind)] for kind in KINDS]

    def rate(drained: list[Drained]) -> float:
        return sum(d.jobs for d in drained) / sum(d.seconds for d in drained)

    return "\n".join([
        "## RQ worker classes (jobs per second and CPU per job)",
        "",
        f"`python -m bench workers`: one worker process at a time drains {JOBS_PER_KIND} fresh jobs of each kind "
        "(replies from the safety copy, first contacts' profile lookups, tip routing with the announcements and "
        "timers new cases queue; each class starts routing with no open case) against PostgreSQL seeded as "
        "`make run`, a Redis of its own and the LINE emulator in its own process. Same run, same data shapes. "
        "Each cell: jobs per second / CPU ms per job (the worker and the work horses it forked). "
        "Shared 2-core machine: 1-minute load average "
        f"{load_before:.1f} at the start, {load_after:.1f} at the end.",
        "",
        "| worker | replies | profile lookups | routing | all | failed | peak RSS |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"SimpleWorker against the forking Worker: **{rate(simple) / rate(fork):.1f}×** the jobs per second; "
        f"gc.freeze() before forking: **{rate(frozen) / rate(fork):.2f}×**.",
    ])
