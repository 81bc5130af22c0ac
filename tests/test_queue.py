"""Replies through RQ on a real Redis: queued, delivered once by a worker, retried on the RQ schedule,
and still delivered in-process when Redis is down."""
from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rq import Queue, SimpleWorker
from rq.job import Job, JobStatus
from sqlalchemy import select

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import body_of, post, text_event, user_source
from data.models import User
from tests.conftest import CHANNEL_SECRET, finish, make_app, rq_queue, services
from tests.services import REDIS_URL, require_redis
from workers.delivery import send_reply_job_id
from workers.profiles import fetch_profile_job_id

USER = "U" + "4" * 32
REPLY_PATH = "/v2/bot/message/reply"
RETRY_SECONDS = 1


def rq_app(tmp_path: Path, line: LineEmulator, redis_url: str) -> Flask:
    # One LINE attempt per job run, so each failure the emulator serves is one failed RQ job run.
    return make_app(f"sqlite:///{tmp_path / 'queue.sqlite3'}", line.base_url, REDIS_URL=redis_url,
                    JOB_RETRY_INTERVALS=(RETRY_SECONDS,), LINE_ATTEMPTS=1)


@pytest.fixture()
def app(tmp_path: Path, line: LineEmulator) -> Iterator[Flask]:
    redis = require_redis()
    app = rq_app(tmp_path, line, REDIS_URL)
    yield app
    finish(app)
    rq_queue(app).connection.close()
    redis.flushdb()
    redis.close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def ask_for_help(client: FlaskClient, line: LineEmulator) -> str:
    """Post a help request from USER; return the id of the reply job it should enqueue."""
    event = text_event(USER, "ช่วยเหลือ", line.issue_reply_token(user_source(USER)))
    assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200
    return send_reply_job_id(event["webhookEventId"])


def run_worker(app: Flask, queue: Queue, with_scheduler: bool = False) -> bool:
    """Work the queue until it is empty, in this process, inside the app context as `flask worker` does."""
    with app.app_context():
        return SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=with_scheduler)


def user_display_name(app: Flask) -> str | None:
    with services(app).db.session() as session:
        return session.scalars(select(User.display_name).where(User.line_user_id == USER)).one()


def test_a_reply_waits_in_redis_until_a_worker_delivers_it_once(app: Flask, client: FlaskClient,
                                                                  line: LineEmulator) -> None:
    line.set_profile(USER, "สมชาย")
    reply_job = ask_for_help(client, line)
    queue = rq_queue(app).queue
    # A first contact also queues the profile lookup, behind the reply whose token expires.
    assert queue.job_ids == [reply_job, fetch_profile_job_id(USER)]
    job = queue.fetch_job(reply_job)
    assert job is not None and job.get_status() == JobStatus.QUEUED
    assert (job.retries_left, job.retry_intervals) == (1, [RETRY_SECONDS])
    time.sleep(0.3)  # nothing in the web process may deliver it
    assert line.requests == []

    assert run_worker(app, queue)
    delivery, = line.delivered(USER)
    assert delivery.kind == "reply" and "ทำอะไรได้บ้าง" in delivery.messages[0]["altText"]
    assert job.get_status(refresh=True) == JobStatus.FINISHED
    assert queue.count == 0
    assert user_display_name(app) == "สมชาย"

    assert not run_worker(app, queue)  # nothing left to do: no second delivery
    assert len(line.delivered(USER)) == 1


@pytest.mark.parametrize("failures, delivered, final_status", [
    pytest.param(1, 1, JobStatus.FINISHED, id="LINE recovers: delivered on the retry"),
    pytest.param(2, 0, JobStatus.FAILED, id="LINE still down: kept as a failed job"),
])
def test_a_failed_delivery_is_retried_on_the_rq_schedule(failures: int, delivered: int, final_status: JobStatus,
                                                        app: Flask, client: FlaskClient,
                                                        line: LineEmulator) -> None:
    line.fail_next(count=failures, status=500, path_prefix=REPLY_PATH)
    reply_job = ask_for_help(client, line)
    queue = rq_queue(app).queue

    run_worker(app, queue)
    job = Job.fetch(reply_job, connection=queue.connection)
    assert job.get_status() == JobStatus.SCHEDULED
    assert reply_job in queue.scheduled_job_registry.get_job_ids()
    assert job.retries_left == 0
    assert line.delivered(USER) == []

    due = queue.scheduled_job_registry.get_scheduled_time(reply_job).timestamp()
    assert due <= time.time() + RETRY_SECONDS
    time.sleep(max(0.0, due - time.time()) + 0.1)
    run_worker(app, queue, with_scheduler=True)  # the scheduler moves the due retry back onto the queue

    assert job.get_status(refresh=True) == final_status
    assert len(line.delivered(USER)) == delivered
    assert [r.status for r in line.requests if r.path == REPLY_PATH] == [500] * failures + [200] * delivered
    assert (reply_job in queue.failed_job_registry.get_job_ids()) is (final_status == JobStatus.FAILED)


def test_flask_worker_burst_delivers_queued_replies(app: Flask, client: FlaskClient, line: LineEmulator) -> None:
    line.set_profile(USER, "สมหญิง")
    ask_for_help(client, line)
    with app.app_context():  # the `flask` command (FlaskGroup) pushes it before running any app command
        result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert line.wait_for_deliveries(1, user_id=USER)[0].kind == "reply"
    assert rq_queue(app).queue.count == 0
    assert user_display_name(app) == "สมหญิง"


@pytest.mark.parametrize(("setting", "in_worker_process"), [(None, True), ("simple", True), ("fork", False)])
def test_flask_worker_runs_jobs_with_the_configured_worker_class(tmp_path: Path, line: LineEmulator,
                                                                 setting: str | None, in_worker_process: bool) -> None:
    """WORKER_CLASS decides where `flask worker` runs a job: in its own process (RQ's SimpleWorker, the default,
    bench/RESULTS.md "RQ worker classes") or in a work horse forked for the job."""
    redis = require_redis()
    app = make_app(f"sqlite:///{tmp_path / 'queue.sqlite3'}", line.base_url, REDIS_URL=REDIS_URL,
                   **({"WORKER_CLASS": setting} if setting else {}))
    try:
        job = rq_queue(app).queue.enqueue(os.getpid)
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["worker", "--burst"])
        assert result.exit_code == 0, result.output
        ran_in = job.latest_result()
        assert ran_in is not None and (ran_in.return_value == os.getpid()) is in_worker_process
    finally:
        finish(app)
        rq_queue(app).connection.close()
        redis.flushdb()
        redis.close()


def test_an_unknown_worker_class_stops_the_app_at_start(tmp_path: Path, line: LineEmulator) -> None:
    with pytest.raises(ValueError, match="WORKER_CLASS must be one of simple, fork"):
        make_app(f"sqlite:///{tmp_path / 'queue.sqlite3'}", line.base_url, REDIS_URL=REDIS_URL, WORKER_CLASS="threads")


def test_replies_run_in_process_when_redis_is_down(tmp_path: Path, line: LineEmulator,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    line.set_profile(USER, "สมศักดิ์")
    app = rq_app(tmp_path, line, "redis://127.0.0.1:1/0")
    try:
        started = time.perf_counter()
        reply_job = ask_for_help(app.test_client(), line)
        assert time.perf_counter() - started < 2.0, "a dead Redis must not hold up the webhook's ack"
        assert line.wait_for_deliveries(1, user_id=USER)[0].kind == "reply"
        fallbacks = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
        assert f"Redis unreachable; running job {reply_job} in-process" in fallbacks
        deadline = time.monotonic() + 5  # the profile lookup, queued first, also ran in-process
        while user_display_name(app) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert user_display_name(app) == "สมศักดิ์"
    finally:
        finish(app)
