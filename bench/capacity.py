"""CPU per event by kind, and per job, so capacity per core is known: `python -m bench capacity`.

One gunicorn process (4 threads, WARM_UP=1, replies from its pool as shipped), PostgreSQL seeded as `make run`
seeds it, a Redis of its own and the LINE emulator in its own process. For each kind of the load benchmark's
mix, EVENTS webhook requests of one event each, from first contacts (the costlier case: a new user row and a
profile lookup), four at a time; the web process's CPU is read once every reply has arrived. No worker runs
meanwhile, so the jobs the events leave in RQ are counted by kind; then one `flask worker` (WORKER_CLASS as
shipped, and then "fork") drains them and its CPU per job is read. PostgreSQL's and Redis's own CPU is not
counted.
"""
from __future__ import annotations

import json
import os
import random
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests
from redis import Redis
from rq import Queue
from rq.registry import FinishedJobRegistry, ScheduledJobRegistry
from sqlalchemy import update

from bench.load import GREETINGS, PLACE_QUESTIONS, PLACES, UNKNOWN_RUMOURS, Traffic
from bench.stack import Process, Stack, stack
from bot.devtools.webhooks import DESTINATION, sign
from bot.runtime.queue import QUEUE_NAME
from data.db import connect
from data.models import User
from tests.conftest import CHANNEL_SECRET

EVENTS = 120
MIX = (("known AFNC claim", 0.4), ("unknown rumour", 0.2), ("greeting or menu tap", 0.2),
       ("centre or course question", 0.2))
"""The load benchmark's mix (bench.load.Traffic)."""
TARGET_EVENTS_PER_SECOND = 500
REPLY_WAIT_SECONDS = 120.0


@dataclass
class Kind:
    name: str
    share: float
    web_ms: float
    jobs: Counter[str]


class Sender:
    def __init__(self, built: Stack) -> None:
        self.built = built
        self.rng = random.Random(5)
        self.traffic = Traffic(5)

    def text(self, kind: str) -> str:
        if kind == "known AFNC claim":
            return self.rng.choice(self.traffic.known)
        if kind == "unknown rumour":
            return self.rng.choice(UNKNOWN_RUMOURS).format(place=self.rng.choice(PLACES), n=self.rng.randint(2, 900))
        if kind == "greeting or menu tap":
            return self.rng.choice(GREETINGS)
        return self.rng.choice(PLACE_QUESTIONS)

    def send(self, kind: str, serial: int) -> None:
        user = f"U{self.rng.getrandbits(128):032x}"
        token = requests.post(f"{self.built.line_url}/_emulator/reply-tokens", timeout=10,
                              json={"source": {"type": "user", "userId": user}}).json()["replyToken"]
        event = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
                 "source": {"type": "user", "userId": user}, "webhookEventId": f"01CAPACITY{serial:016d}",
                 "deliveryContext": {"isRedelivery": False}, "replyToken": token,
                 "message": {"id": str(10**15 + serial), "type": "text", "text": self.text(kind),
                             "quoteToken": f"q{serial}"}}
        body = json.dumps({"destination": DESTINATION, "events": [event]}, ensure_ascii=False).encode()
        response = requests.post(f"{self.built.web_url}/callback", data=body, timeout=30,
                                 headers={"X-Line-Signature": sign(body, CHANNEL_SECRET),
                                          "Content-Type": "application/json"})
        response.raise_for_status()


def _delivered(built: Stack) -> int:
    return len(requests.get(f"{built.line_url}/_emulator/deliveries", params={"brief": "1"},
                            timeout=60).json()["deliveries"])


def _queued(queue: Queue) -> Counter[str]:
    """The jobs waiting in RQ by function (a reply's safety copy, held and released, is not among them)."""
    return Counter(job.func_name.rsplit(".", 1)[-1] for job in queue.get_jobs() if job is not None)


def _web_costs(built: Stack, redis: Redis) -> list[Kind]:
    assert built.web is not None
    queue = Queue(QUEUE_NAME, connection=redis)
    sender, serial, kinds = Sender(built), 0, []
    for name, share in MIX:
        queued_before, delivered_before, cpu_before = _queued(queue), _delivered(built), built.web.cpu()
        with ThreadPoolExecutor(4) as pool:
            for _ in range(EVENTS):
                serial += 1
                pool.submit(sender.send, name, serial)
        deadline = time.monotonic() + REPLY_WAIT_SECONDS
        while _delivered(built) < delivered_before + EVENTS:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name}: replies missing:\n{built.web.tail()}")
            time.sleep(0.2)
        web_ms = 1000 * (built.web.cpu() - cpu_before) / EVENTS
        kinds.append(Kind(name, share, web_ms, _queued(queue) - queued_before))
    while ScheduledJobRegistry(queue=queue).count:  # the last replies' safety copies, released once sent
        time.sleep(0.2)
    return kinds


def _drain(built: Stack, redis: Redis, worker_class: str) -> tuple[int, float]:
    """Jobs finished and the worker's CPU seconds for them, from its start with the queue full to the queue empty
    (the warm-up's CPU is read before the first job and left out)."""
    queue = Queue(QUEUE_NAME, connection=redis)
    finished = FinishedJobRegistry(queue=queue)
    done_before = finished.count
    worker = Process(f"worker-{worker_class}", [sys.executable, "-m", "bench.worker_process",
                                                 "simple" if worker_class == "simple" else "fork"],
                     built.env(), built.directory / f"capacity-worker-{worker_class}.log")
    # Warm-up first, on an empty queue: the jobs wait in a second queue until the worker listens. A released
    # safety copy can leave its id in the queue without its job, which RQ skips: only real jobs are counted.
    jobs = [job.id for job in queue.get_jobs() if job is not None]
    parked = Queue("parked", connection=redis)
    while redis.lmove(queue.key, parked.key, "LEFT", "RIGHT"):
        pass
    worker.start()
    built.workers.append(worker)
    built.wait_for_workers(redis)
    cpu_before = worker.cpu()
    while redis.lmove(parked.key, queue.key, "LEFT", "RIGHT"):
        pass
    while queue.count or finished.count < done_before + len(set(jobs)):  # a job id queued twice runs twice
        time.sleep(0.05)
    cpu = worker.cpu() - cpu_before
    worker.stop()
    built.workers.remove(worker)
    return finished.count - done_before, cpu


def run() -> str:
    load_before = os.getloadavg()[0]
    with stack("bench_capacity") as built:
        built.start_web(web_processes=1)
        redis = Redis.from_url(built.redis.url)
        try:
            kinds = _web_costs(built, redis)
            built.stop_app()
            queue = Queue(QUEUE_NAME, connection=redis)
            saved = [(job.id, redis.dump(job.key)) for job in queue.get_jobs() if job is not None]
            simple_jobs, simple_cpu = _drain(built, redis, "simple")
            database = connect(built.database_url)
            with database.session() as session:  # the profile lookups find work to do again
                session.execute(update(User).values(profile_fetched_at=None))
            database.engine.dispose()
            redis.delete(FinishedJobRegistry(queue=queue).key)  # the same ids will finish again
            for job_id, dumped in saved:  # the same jobs again, for the forking worker
                if dumped is not None:
                    redis.restore(f"rq:job:{job_id}", 0, dumped, replace=True)
                    queue.push_job_id(job_id)
            fork_jobs, fork_cpu = _drain(built, redis, "fork")
        finally:
            redis.close()
    load_after = os.getloadavg()[0]
    return _report(kinds, simple_jobs, simple_cpu, fork_jobs, fork_cpu, load_before, load_after)


def _report(kinds: list[Kind], simple_jobs: int, simple_cpu: float, fork_jobs: int, fork_cpu: float,
            load_before: float, load_after: float) -> str:
    simple_ms, fork_ms = 1000 * simple_cpu / max(simple_jobs, 1), 1000 * fork_cpu / max(fork_jobs, 1)
    rows = [f"| {k.name} | {k.share:.0%} | {k.web_ms:.1f} | {sum(k.jobs.values()) / EVENTS:.2f} "
            f"({', '.join(f'{name} {count / EVENTS:.2f}' for name, count in sorted(k.jobs.items())) or 'none'}) |"
            for k in kinds]
    web_ms = sum(k.share * k.web_ms for k in kinds)
    jobs_per_event = sum(k.share * sum(k.jobs.values()) / EVENTS for k in kinds)
    worker_ms = jobs_per_event * simple_ms
    total = web_ms + worker_ms
    web_cores = TARGET_EVENTS_PER_SECOND * web_ms / 1000
    worker_cores = TARGET_EVENTS_PER_SECOND * worker_ms / 1000
    return "\n".join([
        "## CPU per event and per job (capacity per core)",
        "",
        f"`python -m bench capacity`: one gunicorn process (4 threads, WARM_UP=1, replies from its pool), "
        f"{EVENTS} webhook requests of one event per kind, each from a first contact (a new user row and a profile "
        "lookup: the costlier case), 4 at a time; CPU of the web process over the kind's events, read once every "
        "reply had arrived. The jobs the events left in RQ (no worker ran meanwhile) were then drained by one "
        "worker process, first SimpleWorker (WORKER_CLASS=simple, shipped), then the same jobs by a forking "
        "Worker. PostgreSQL's and Redis's CPU is not counted. Shared 2-core machine: 1-minute load average "
        f"{load_before:.1f} at the start, {load_after:.1f} at the end.",
        "",
        "| event kind | share of the mix | web CPU ms per event | jobs per event |",
        "|---|---|---|---|",
        *rows,
        "",
        f"Worker CPU per job over those jobs: SimpleWorker **{simple_ms:.1f} ms** ({simple_jobs} jobs), forking "
        f"Worker {fork_ms:.1f} ms ({fork_jobs} jobs): {fork_ms / simple_ms:.1f}×.",
        "",
        f"Per event of the mix: web {web_ms:.1f} ms + worker {jobs_per_event:.2f} jobs × {simple_ms:.1f} ms = "
        f"**{total:.1f} ms of CPU**, so one core serves about **{1000 / total:.0f} events/s** of this mix from first "
        f"contacts. {TARGET_EVENTS_PER_SECOND} events/s needs about {web_cores:.1f} cores of web processes "
        f"(`WEB_CONCURRENCY` one per core) and {worker_cores:.1f} of `flask worker`s, "
        f"{web_cores + worker_cores:.1f} cores in all before PostgreSQL, Redis and headroom: at 70% busy, "
        f"{(web_cores + worker_cores) / 0.7:.0f} cores.",
    ])
