"""Faults caused for real: forked RQ work horses on PostgreSQL, a Redis killed under a running `flask worker`,
a `flask worker` killed by PID while routing a tip and in the middle of a fan-out, and two first messages of one
user at once. Each test failed before its fix."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from rq import Worker
from rq.job import JobStatus
from rq.worker import WorkerStatus
from sqlalchemy import create_engine, func, insert, select, text

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import base_event, body_of, post, text_event, user_source
from bot.runtime.queue import InProcessQueue
from data.cases import ROUTING_LOCK
from data.coordinators import make_coordinator
from data.models import Agency, Case, CaseRequester, CaseStatus, Tip, User, Verdict, utcnow
from data.users import touch_user
from data.verdicts import give_verdict
from tests.conftest import CHANNEL_SECRET, finish, make_app, rq_queue, services
from tests.conversation import drain, last_to, quick_reply_data, send_postback, send_text
from tests.services import (
    REDIS_URL,
    PostgresServer,
    RedisServer,
    kill_tree,
    process_tree,
    require_postgres,
    require_redis,
)
from workers.coordination import fanout_job_id, send_verdict_to_requesters
from workers.tips import route_tip_job_id

REPO = Path(__file__).resolve().parent.parent
COORDINATOR = "U" + "c" * 32
REQUESTERS_PER_CASE = 600
"""More than one multicast batch (500), and far more than the 5 runs of one query after which psycopg
prepares it on the server."""


def answered_case_with_requesters(app: Flask, first_user: int, count: int) -> int:
    """A case with `count` citizens waiting, answered by the coordinator; returns its id."""
    now = utcnow()
    with services(app).db.session() as session:
        ids = [f"U{index:032x}" for index in range(first_user, first_user + count)]
        session.execute(insert(User), [{"line_user_id": line_id, "created_at": now, "last_seen_at": now}
                                       for line_id in ids])
        case = Case(text=f"ข่าวลือเรื่องที่ {first_user}", status=CaseStatus.OPEN, agency_code="afnc",
                    requester_count=count, created_at=now, last_seen_at=now)
        session.add(case)
        session.flush()
        user_ids = session.scalars(select(User.id).where(User.line_user_id.in_(ids))).all()
        session.execute(insert(CaseRequester), [{"case_id": case.id, "user_id": user_id, "created_at": now}
                                                for user_id in user_ids])
        coordinator = session.scalars(select(User).where(User.line_user_id == COORDINATOR)).one()
        give_verdict(session, case, Verdict.FAKE, "ไม่จริง", None, coordinator, embedder=None)
        return case.id


@pytest.fixture()
def pg_rq_app(line: LineEmulator) -> Iterator[Flask]:
    redis = require_redis()
    app = make_app(require_postgres(), line.base_url, REDIS_URL=REDIS_URL, SEMANTIC_MATCHING=0)
    with services(app).db.session() as session:
        session.add(Agency(code="afnc", name="ศูนย์ต่อต้านข่าวปลอม", categories=[], keywords=[], aliases=[]))
        session.flush()
        make_coordinator(session, COORDINATOR, "afnc", actor="test")
    yield app
    finish(app)
    redis.flushdb()
    redis.close()


def test_two_large_fan_outs_in_one_forking_worker_both_succeed(pg_rq_app: Flask, line: LineEmulator) -> None:
    """Before the fix, each work horse used the pooled PostgreSQL connection the worker opened before forking:
    the first fan-out left its prepared statements in that server session and the second failed with
    `DuplicatePreparedStatement: prepared statement "_pg3_0" already exists`."""
    app = pg_rq_app
    rq_queue(app).worker_class = Worker  # WORKER_CLASS=fork: the regression lives in forked work horses
    cases = [answered_case_with_requesters(app, 1 + n * REQUESTERS_PER_CASE, REQUESTERS_PER_CASE) for n in range(2)]
    for case_id in cases:
        rq_queue(app).enqueue(send_verdict_to_requesters, case_id, job_id=fanout_job_id(case_id))
    with app.app_context():  # as the `flask` command runs it: the warm-up fills the pool, then RQ forks
        result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    for case_id in cases:
        job = rq_queue(app).queue.fetch_job(fanout_job_id(case_id))
        assert job is not None and job.get_status() == JobStatus.FINISHED, job and job.latest_result()
    with services(app).db.session() as session:
        waiting = session.scalar(select(func.count()).select_from(CaseRequester)
                                 .where(CaseRequester.notified_at.is_(None)))
    assert waiting == 0
    recipients = [delivery.to for delivery in line.delivered() if delivery.kind == "multicast"]
    assert len(recipients) == len(set(recipients)) == 2 * REQUESTERS_PER_CASE


# -- Redis outage under `flask worker` --------------------------------------------------------------------------


@contextmanager
def flask_worker(app: Flask, log: Path, **settings: str) -> Iterator[subprocess.Popen[bytes]]:
    """`flask worker` as production runs it, in a session of its own: what it forks is killed with it."""
    shared = ("DATABASE_URL", "REDIS_URL", "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN",
              "LINE_API_BASE_URL", "LINE_DATA_API_BASE_URL", "LINE_BACKOFF_SECONDS")
    env = {**os.environ, "FLASK_APP": "app", "PYTHAINLP_OFFLINE": "1", "SEMANTIC_MATCHING": "0",
           **{key: str(app.config[key]) for key in shared}, **settings}
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "flask", "worker"], cwd=REPO, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            kill_tree(process.pid)
            process.wait()


def ask_for_help(app: Flask, line: LineEmulator, user: str) -> None:
    event = text_event(user, "ช่วยเหลือ", line.issue_reply_token(user_source(user)))
    assert post(app.test_client(), body_of(event), CHANNEL_SECRET).status_code == 200


def wait_until_started(app: Flask, job_id: str) -> None:
    deadline = time.monotonic() + 30
    while (job := rq_queue(app).queue.fetch_job(job_id)) is None or job.get_status() != JobStatus.STARTED:
        assert time.monotonic() < deadline, f"job {job_id} never started"
        time.sleep(0.05)


def wait_until_idle(app: Flask, worker: subprocess.Popen[bytes], log: Path) -> None:
    """Until no job waits and the running worker holds none, twice in a row (a job just taken from the queue is
    not yet marked in hand): whatever it would send, it has sent. The killed worker's registration lingers,
    busy, until RQ expires it: only the live one's state counts."""
    queue, idle_in_a_row = rq_queue(app).queue, 0
    deadline = time.monotonic() + RESTART_DEADLINE_SECONDS
    while idle_in_a_row < 2:
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        ours = [w for w in Worker.all(connection=queue.connection) if w.pid in process_tree(worker.pid)]
        idle = bool(ours) and not queue.count and all(w.get_state() == WorkerStatus.IDLE for w in ours)
        idle_in_a_row = idle_in_a_row + 1 if idle else 0
        time.sleep(0.1)


def test_the_worker_outlives_a_redis_killed_while_it_works(tmp_path: Path, line: LineEmulator) -> None:
    """Before the fix, RQ's loop met the dead Redis outside its wait for jobs, logged "found an unhandled
    exception, quitting" and `flask worker` exited for good: nothing queued after Redis came back ran."""
    with RedisServer(tmp_path) as redis:
        app = make_app(f"sqlite:///{tmp_path / 'outage.sqlite3'}", line.base_url, REDIS_URL=redis.url)
        try:
            with flask_worker(app, tmp_path / "worker.log") as worker:
                ask_for_help(app, line, "U" + "1" * 32)
                line.wait_for_deliveries(1, timeout=60, user_id="U" + "1" * 32)  # the worker is up

                ended = tmp_path / "long-job-ended"
                rq_queue(app).queue.enqueue(subprocess.check_call, ["sh", "-c", f"sleep 0.5 && touch {ended}"],
                                            job_id="long-job")  # a job in hand when Redis dies
                wait_until_started(app, "long-job")
                redis.kill()
                while not ended.exists():  # the job ends, and RQ reports it to a Redis that is gone
                    assert worker.poll() is None
                    time.sleep(0.02)
                time.sleep(0.3)
                redis.start()  # back, and empty
                ask_for_help(app, line, "U" + "2" * 32)
                assert line.wait_for_deliveries(1, timeout=60, user_id="U" + "2" * 32)[0].kind == "reply", \
                    (tmp_path / "worker.log").read_text()[-3000:]

                assert worker.poll() is None
                worker.send_signal(signal.SIGTERM)  # a deploy: the supervisor passes it on and both end
                assert worker.wait(timeout=30) == 0
        finally:
            finish(app)
    assert len(line.delivered("U" + "2" * 32)) == 1


def test_a_worker_retires_after_its_job_limit_and_a_fresh_one_runs_the_rest(tmp_path: Path,
                                                                           line: LineEmulator) -> None:
    """Jobs run in the worker process itself (SimpleWorker): WORKER_MAX_JOBS bounds what they may leak."""
    with RedisServer(tmp_path) as redis:
        app = make_app(f"sqlite:///{tmp_path / 'retire.sqlite3'}", line.base_url, REDIS_URL=redis.url)
        log = tmp_path / "worker.log"
        try:
            with flask_worker(app, log, WORKER_MAX_JOBS="2") as worker:
                done = [tmp_path / f"job-{n}" for n in range(5)]
                for n, path in enumerate(done):
                    rq_queue(app).queue.enqueue(subprocess.check_call, ["touch", str(path)], job_id=f"job-{n}")
                deadline = time.monotonic() + 60
                while not all(path.exists() for path in done):
                    assert time.monotonic() < deadline and worker.poll() is None, log.read_text()[-3000:]
                    time.sleep(0.05)
                assert worker.poll() is None  # the supervisor carries on
        finally:
            finish(app)
    # 5 jobs and the housekeeping each new worker queues: at least three workers, each retired after 2 jobs.
    assert log.read_text().count("retired after its job limit") >= 2, log.read_text()[-3000:]


# -- a worker killed by PID mid-job --------------------------------------------------------------------------------

FAN_OUT_REQUESTERS = 3000
MULTICAST_PATH = "/v2/bot/message/multicast"
RESTART_DEADLINE_SECONDS = 45
"""Well under LOST_JOB_GRACE (2 min) and RQ's abandoned-job pass (minutes): the restart itself re-drives."""


def kill(worker: subprocess.Popen[bytes]) -> None:
    kill_tree(worker.pid)  # the supervisor, its worker and the work horse
    worker.wait()


def test_a_fan_out_killed_midway_reaches_everyone_once_after_a_restart(pg_rq_app: Flask, line: LineEmulator,
                                                                      tmp_path: Path) -> None:
    app = pg_rq_app
    case_id = answered_case_with_requesters(app, 1, FAN_OUT_REQUESTERS)
    line.fail_next(count=FAN_OUT_REQUESTERS // 500, status=None, latency=0.25, path_prefix=MULTICAST_PATH)
    rq_queue(app).enqueue(send_verdict_to_requesters, case_id, job_id=fanout_job_id(case_id))

    def multicast_recipients() -> list[str]:
        return [delivery.to for delivery in line.delivered() if delivery.kind == "multicast"]

    with flask_worker(app, tmp_path / "worker.log") as worker:
        deadline = time.monotonic() + 60
        while len(multicast_recipients()) < 1000:  # two batches of six accepted
            assert time.monotonic() < deadline and worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
            time.sleep(0.02)
        kill(worker)
    assert len(multicast_recipients()) < FAN_OUT_REQUESTERS  # killed in the middle

    restarted = time.monotonic()
    with flask_worker(app, tmp_path / "worker-again.log") as worker:
        while len(set(multicast_recipients())) < FAN_OUT_REQUESTERS:
            assert time.monotonic() - restarted < RESTART_DEADLINE_SECONDS, \
                (tmp_path / "worker-again.log").read_text()[-3000:]
            time.sleep(0.05)
        wait_until_idle(app, worker, tmp_path / "worker-again.log")  # a second copy, had there been one, is out
    recipients = multicast_recipients()
    assert len(recipients) == len(set(recipients)) == FAN_OUT_REQUESTERS
    with services(app).db.session() as session:
        assert session.scalar(select(func.count()).select_from(CaseRequester)
                              .where(CaseRequester.notified_at.is_(None))) == 0


def test_a_tip_whose_worker_was_killed_while_routing_is_routed_after_a_restart(pg_rq_app: Flask, line: LineEmulator,
                                                                              tmp_path: Path) -> None:
    app, citizen = pg_rq_app, "U" + "7" * 32
    client = app.test_client()
    send_text(client, line, citizen, "ด่วน! พรุ่งนี้ธนาคารจะปิดบัญชีที่ไม่ได้ใช้ทุกบัญชี ให้กดลิงก์ยืนยันตัวตน")
    drain(app)
    send_postback(client, line, citizen, quick_reply_data(last_to(line, citizen).messages[-1], "ส่งเลย"))
    with services(app).db.session() as session:
        tip_id = session.scalars(select(Tip.id).where(Tip.submitted_at.is_not(None))).one()

    blocker = create_engine(str(app.config["DATABASE_URL"])).connect()
    try:
        blocker.execute(text("SELECT pg_advisory_lock(:lock)"), {"lock": ROUTING_LOCK})  # routing waits on it
        with flask_worker(app, tmp_path / "worker.log") as worker:
            wait_until_started(app, route_tip_job_id(tip_id))
            kill(worker)
        blocker.execute(text("SELECT pg_advisory_unlock(:lock)"), {"lock": ROUTING_LOCK})
    finally:
        blocker.close()

    restarted = time.monotonic()
    with flask_worker(app, tmp_path / "worker-again.log") as worker:
        while not line.delivered(COORDINATOR):  # the new case's card reaches the desk
            assert time.monotonic() - restarted < RESTART_DEADLINE_SECONDS, \
                (tmp_path / "worker-again.log").read_text()[-3000:]
            time.sleep(0.05)
        wait_until_idle(app, worker, tmp_path / "worker-again.log")
    with services(app).db.session() as session:
        assert session.get(Tip, tip_id).routed_at is not None  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).select_from(Case)) == 1
    assert len(line.delivered(COORDINATOR)) == 1
    assert "เลขที่อ้างอิง T-" in line.delivered(citizen)[-1].messages[0]["text"]  # the reference, once
    assert sum("เลขที่อ้างอิง" in message.get("text", "") for delivery in line.delivered(citizen)
               for message in delivery.messages) == 1


# -- PostgreSQL restarted under webhook traffic --------------------------------------------------------------------

CITIZENS_DURING_RESTART = 24
RUMOUR = "ด่วน! ธนาคารจะปิดบัญชีที่ไม่ได้ใช้ใน 7 วัน ให้กดลิงก์ยืนยันตัวตนทันที แชร์ต่อด้วย"
REDELIVERY_SECONDS = 60


class LineDelivery:
    """Posts webhooks as LINE does: a request not answered 200 is sent again, marked as a redelivery."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self.refused = 0
        self._lock = threading.Lock()

    def send(self, event: dict[str, object]) -> None:
        client = self._app.test_client()
        deadline = time.monotonic() + REDELIVERY_SECONDS
        while True:
            try:
                status = post(client, body_of(event), CHANNEL_SECRET).status_code
            except Exception:  # noqa: BLE001  (TESTING propagates the app's error: LINE sees a 500)
                status = 500
            if status == 200:
                return
            with self._lock:
                self.refused += 1
            assert time.monotonic() < deadline, f"webhook still answered {status} after {REDELIVERY_SECONDS} s"
            event["deliveryContext"] = {"isRedelivery": True}
            time.sleep(0.3)


def references_to(line: LineEmulator, user: str) -> int:
    return sum("เลขที่อ้างอิง T-" in message.get("text", "") for delivery in line.delivered(user)
               for message in delivery.messages)


def test_tips_sent_while_postgresql_restarts_are_all_stored_routed_and_acknowledged_once(line: LineEmulator) -> None:
    citizens = [f"U{index:032x}" for index in range(100, 100 + CITIZENS_DURING_RESTART)]
    with PostgresServer() as postgres:
        app = make_app(postgres.url, line.base_url, JOB_RETRY_INTERVALS=(1, 2, 4, 8), SEMANTIC_MATCHING=0,
                       LINE_TIMEOUT_SECONDS=5.0)
        with services(app).db.session() as session:
            session.add(Agency(code="afnc", name="ศูนย์ต่อต้านข่าวปลอม", categories=[], keywords=[], aliases=[]))
            session.flush()
            make_coordinator(session, COORDINATOR, "afnc", actor="test")
        webhooks, finished = LineDelivery(app), []

        def tip_off(citizen: str) -> None:
            webhooks.send(text_event(citizen, RUMOUR, line.issue_reply_token(user_source(citizen))))
            offer = line.wait_for_deliveries(1, timeout=REDELIVERY_SECONDS, user_id=citizen)[0].messages[-1]
            assert "quickReply" in offer, offer
            data = quick_reply_data(offer, "ส่งเลย")
            webhooks.send(base_event("postback", user_source(citizen), postback={"data": data},
                                     replyToken=line.issue_reply_token(user_source(citizen))))
            finished.append(citizen)

        try:
            with ThreadPoolExecutor(4) as pool:
                futures = [pool.submit(tip_off, citizen) for citizen in citizens]
                while len(finished) < CITIZENS_DURING_RESTART // 4:
                    time.sleep(0.02)
                postgres.kill()  # in the middle of the traffic
                time.sleep(1.0)
                postgres.start()
                for future in futures:
                    future.result()
            queue = services(app).queue
            assert isinstance(queue, InProcessQueue) and queue.drain(timeout=60)
            assert webhooks.refused > 0  # the restart was felt: LINE had to redeliver
            with services(app).db.session() as session:
                tips = session.scalars(select(Tip).where(Tip.submitted_at.is_not(None))).all()
                assert len(tips) == CITIZENS_DURING_RESTART  # stored, once each
                assert all(tip.routed_at is not None for tip in tips)  # routed
            assert [references_to(line, citizen) for citizen in citizens] == [1] * CITIZENS_DURING_RESTART
            assert len(line.delivered(COORDINATOR)) == 1  # one case, announced once
        finally:
            finish(app)
    # A reply call that timed out on a busy machine was retried and found its token spent: counted as sent
    # (bot.client.deliver), as the single reference per citizen above shows.
    assert {error for request in line.rejected for error in request.errors} <= {"Invalid reply token"}
    line.reset()


# -- two first messages at once ---------------------------------------------------------------------------------


def test_two_first_messages_of_one_user_at_once_make_one_user(line: LineEmulator) -> None:
    """The first transaction inserts the user and stays open; the second, started meanwhile, finds no row and
    inserts too. Before the fix it waited on the first's row and then failed with UniqueViolation."""
    app = make_app(require_postgres(), line.base_url)
    user = "U" + "5" * 32
    inserted, outcomes = threading.Event(), {}

    def first() -> None:
        with services(app).db.session() as session:
            outcomes["first"] = touch_user(session, user)[1]
            inserted.set()
            time.sleep(0.5)  # long enough for the second to be waiting on this row

    def second() -> None:
        inserted.wait()
        try:
            with services(app).db.session() as session:
                outcomes["second"] = touch_user(session, user)[1]
        except Exception as error:  # noqa: BLE001  (the failure under test, reported below)
            outcomes["second"] = error

    try:
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert outcomes == {"first": True, "second": False}  # created once; the second found it
        with services(app).db.session() as session:
            assert session.scalar(select(func.count()).select_from(User)) == 1
    finally:
        finish(app)
