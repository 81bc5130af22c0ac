"""A verdict to a case with 100,000 requesters, end to end: `python -m bench fanout`.

A `flask worker` process sends it through the LINE emulator (its own process) from PostgreSQL and a Redis of its
own: multicast calls of 500, wall time from enqueue to the last batch accepted, duplicates, and the worker's
peak memory. The naive way, one UPDATE per requester, is timed on the same database for the same rows."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import requests
from redis import Redis
from rq import Queue
from sqlalchemy import func, insert, select, update

from bench.stack import Stack, postgres_schema, rss_mib
from bot.runtime.queue import QUEUE_NAME
from data.coordinators import make_coordinator
from data.db import connect
from data.models import Agency, Case, CaseRequester, CaseStatus, User, Verdict, utcnow
from data.verdicts import give_verdict, mark_told
from workers.coordination import fanout_job_id, send_verdict_to_requesters

REQUESTERS = 100_000
NAIVE_SAMPLE = 5_000
COORDINATOR = "U" + "c" * 32


def _seed(database_url: str) -> tuple[int, str]:
    """The case, its requesters and the verdict; returns the case id and its claim id."""
    database = connect(database_url)
    now = utcnow()
    with database.session() as session:
        session.add(Agency(code="afnc", name="ศูนย์ต่อต้านข่าวปลอม", categories=[], keywords=[], aliases=[]))
        session.flush()
        make_coordinator(session, COORDINATOR, "afnc", actor="bench")
        ids = [f"U{index:032x}" for index in range(1, REQUESTERS + 1)]
        session.execute(insert(User), [{"line_user_id": line_id, "created_at": now, "last_seen_at": now}
                                       for line_id in ids])
        case = Case(text="ข่าวลือที่มีผู้ถามแสนคน", status=CaseStatus.OPEN, agency_code="afnc",
                    requester_count=REQUESTERS, created_at=now, last_seen_at=now)
        session.add(case)
        session.flush()
        user_ids = session.scalars(select(User.id).where(User.line_user_id != COORDINATOR)).all()
        session.execute(insert(CaseRequester), [{"case_id": case.id, "user_id": user_id, "created_at": now}
                                                for user_id in user_ids])
        coordinator = session.scalars(select(User).where(User.line_user_id == COORDINATOR)).one()
        give_verdict(session, case, Verdict.FAKE, "ไม่จริง", None, coordinator, embedder=None)
        case_id, claim_id = case.id, str(case.claim_id)
    database.engine.dispose()
    return case_id, claim_id


def _naive_vs_batched(database_url: str, claim_id: str) -> tuple[float, float]:
    """Seconds to mark NAIVE_SAMPLE requesters told: one UPDATE each, then one per 500 (then undone)."""
    database = connect(database_url)
    with database.session() as session:
        user_ids = list(session.scalars(select(CaseRequester.user_id).order_by(CaseRequester.user_id)
                                        .limit(NAIVE_SAMPLE)))
    started = time.perf_counter()
    with database.session() as session:
        for user_id in user_ids:
            session.execute(update(CaseRequester).where(CaseRequester.user_id == user_id).values(notified_at=utcnow()))
    naive = time.perf_counter() - started
    with database.session() as session:
        session.execute(update(CaseRequester).values(notified_at=None))
    started = time.perf_counter()
    with database.session() as session:
        for start in range(0, len(user_ids), 500):
            mark_told(session, claim_id, user_ids[start:start + 500], utcnow())
    batched = time.perf_counter() - started
    with database.session() as session:
        session.execute(update(CaseRequester).values(notified_at=None))
    database.engine.dispose()
    return naive, batched


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp, postgres_schema("bench_fanout") as url:
        built = Stack(Path(tmp), url)
        try:
            built.start_base()
            built.flask("db", "upgrade")
            case_id, claim_id = _seed(url)
            naive, batched = _naive_vs_batched(url, claim_id)
            built.start_workers(1, SEMANTIC_MATCHING="0")
            redis = Redis.from_url(built.redis.url)
            built.wait_for_workers(redis)
            database = connect(url)
            started = time.time()
            Queue(QUEUE_NAME, connection=redis).enqueue(send_verdict_to_requesters, case_id,
                                                        job_id=fanout_job_id(case_id))
            peak, deadline = 0.0, time.monotonic() + 600
            while time.monotonic() < deadline:
                peak = max(peak, rss_mib(built.workers[0].pid))
                with database.session() as session:
                    if not session.scalar(select(func.count()).select_from(CaseRequester)
                                          .where(CaseRequester.notified_at.is_(None))):
                        break
                time.sleep(0.2)
            database.engine.dispose()
            deliveries = requests.get(f"{built.line_url}/_emulator/deliveries", params={"brief": "1"},
                                      timeout=300).json()["deliveries"]
            multicast = [d for d in deliveries if d["kind"] == "multicast"]
            wall = max(float(d["at"]) for d in multicast) - started  # type: ignore[arg-type]
            calls = len({d["requestId"] for d in multicast})
            duplicates = len(multicast) - len({d["to"] for d in multicast})
            redis.close()
        finally:
            built.close()
    return "\n".join([
        "## Verdict fan-out to 100,000 requesters",
        "",
        f"One `flask worker` (forking, as shipped), PostgreSQL, a Redis and the LINE emulator of its own; "
        f"{REQUESTERS:,} requesters of one answered case. Wall time from enqueueing the fan-out to the emulator "
        "accepting the last batch. Shared, noisy machine.",
        "",
        "| requesters | multicast calls | wall time | delivered | duplicates | worker peak RSS |",
        "|---|---|---|---|---|---|",
        f"| {REQUESTERS:,} | {calls} | {wall:.1f} s | {len({d['to'] for d in multicast}):,} | {duplicates} | "
        f"{peak:.0f} MiB |",
        "",
        f"Marking {NAIVE_SAMPLE:,} requesters told: one UPDATE per requester {naive:.2f} s, one per batch of 500 "
        f"{batched:.2f} s: **{naive / batched:.0f}×** (same database, same rows).",
    ])
