"""Replies sent from the web process's pool (bot.runtime.reply_pool) on a real Redis, LINE played by the emulator:
the ack does not wait, the safety copy is dropped once sent and sends the reply when the thread could not,
a copy that runs anyway sends nothing twice, a full pool degrades to the queue, and the token's age decides
reply or push."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rq import SimpleWorker

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import body_of, post, text_event, user_source
from tests.conftest import CHANNEL_SECRET, finish, make_app, rq_queue, services
from tests.services import REDIS_URL, require_redis
from workers.delivery import send_reply_job_id

USER = "U" + "6" * 32
REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"
SAFETY_SECONDS = 0.5


def pool_app(tmp_path: Path, line: LineEmulator, **overrides: Any) -> Flask:
    config = {"REDIS_URL": REDIS_URL, "REPLY_THREADS": 2, "REPLY_POOL_CAPACITY": 8,
              "REPLY_SAFETY_SECONDS": SAFETY_SECONDS, "LINE_ATTEMPTS": 1, "LINE_TIMEOUT_SECONDS": 5.0, "JOB_RETRY_INTERVALS": (1,), **overrides}
    return make_app(f"sqlite:///{tmp_path / 'pool.sqlite3'}", line.base_url, **config)


@pytest.fixture()
def redis_db() -> Iterator[None]:
    redis = require_redis()
    yield
    redis.flushdb()
    redis.close()


def ask(client: FlaskClient, line: LineEmulator, user: str = USER, age_seconds: float = 0.0) -> str:
    """Post a help request; returns its reply's job id."""
    event = text_event(user, "ช่วยเหลือ", line.issue_reply_token(user_source(user)))
    event["timestamp"] -= int(age_seconds * 1000)
    assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200
    return send_reply_job_id(event["webhookEventId"])


def work(app: Flask, after_seconds: float = 0.0) -> None:
    """Run a worker with the scheduler once `after_seconds` have passed, as `flask worker` would by then."""
    time.sleep(after_seconds)
    with app.app_context():
        SimpleWorker([rq_queue(app).queue], connection=rq_queue(app).connection).work(burst=True, with_scheduler=True)


def test_the_pool_replies_without_a_worker_and_drops_its_safety_copy(tmp_path: Path, line: LineEmulator,
                                                                      redis_db: None) -> None:
    app = pool_app(tmp_path, line)
    try:
        line.fail_next(count=1, status=None, latency=1.0, path_prefix=REPLY_PATH)  # LINE is slow to answer
        job_id = ask(app.test_client(), line)
        assert line.delivered(USER) == []  # the ack came back before LINE answered the reply
        assert line.wait_for_deliveries(1, timeout=10, user_id=USER)[0].kind == "reply"
        assert services(app).replies.drain(timeout=10)
        queue = rq_queue(app).queue
        assert job_id not in queue.scheduled_job_registry.get_job_ids() and queue.fetch_job(job_id) is None
        work(app, after_seconds=SAFETY_SECONDS + 0.5)  # a worker finds nothing of it to send
        assert len(line.delivered(USER)) == 1
    finally:
        finish(app)


def test_a_reply_the_thread_could_not_send_is_sent_by_its_safety_copy(tmp_path: Path, line: LineEmulator,
                                                                     redis_db: None) -> None:
    app = pool_app(tmp_path, line)
    try:
        line.fail_next(count=1, status=500, path_prefix=REPLY_PATH)  # the thread's one attempt fails
        job_id = ask(app.test_client(), line)
        assert services(app).replies.drain(timeout=10)
        assert line.delivered(USER) == []
        assert job_id in rq_queue(app).queue.scheduled_job_registry.get_job_ids()
        work(app, after_seconds=SAFETY_SECONDS + 0.5)
        delivery, = line.delivered(USER)
        assert delivery.kind == "reply"  # still within the token's life: a reply, not a paid push
    finally:
        finish(app)


@pytest.mark.parametrize("age_seconds, path, kind", [
    pytest.param(0, REPLY_PATH, "reply", id="fresh token: the copy finds it used"),
    pytest.param(55, PUSH_PATH, "push", id="expired token: the copy's push has the same retry key"),
])
def test_a_safety_copy_that_runs_while_the_thread_sends_sends_nothing_twice(
        age_seconds: float, path: str, kind: str, tmp_path: Path, line: LineEmulator, redis_db: None) -> None:
    app = pool_app(tmp_path, line)
    try:
        line.fail_next(count=1, status=None, latency=SAFETY_SECONDS + 1.5, path_prefix=path)  # slower than the delay
        ask(app.test_client(), line, age_seconds=age_seconds)
        work(app, after_seconds=SAFETY_SECONDS + 0.5)  # the copy runs while the thread's call is in flight
        assert services(app).replies.drain(timeout=10)
        delivery, = line.delivered(USER)
        assert delivery.kind == kind
        assert len([r for r in line.requests if r.path == path]) == 2  # both tried; LINE took one
        assert [r.errors for r in line.rejected] == ([["Invalid reply token"]] if kind == "reply" else [])
        line.reset()
    finally:
        finish(app)


def test_a_full_pool_hands_replies_to_the_queue(tmp_path: Path, line: LineEmulator, redis_db: None) -> None:
    app = pool_app(tmp_path, line, REPLY_THREADS=1, REPLY_POOL_CAPACITY=1, REPLY_SAFETY_SECONDS=30)
    users = [f"U{digit * 32}" for digit in "789"]
    try:
        line.fail_next(count=1, status=None, latency=1.5, path_prefix=REPLY_PATH)  # holds the one thread
        job_ids = [ask(app.test_client(), line, user) for user in users]
        queue = rq_queue(app).queue
        assert [job_id for job_id in queue.job_ids if job_id.startswith("reply-")] == job_ids[1:]
        work(app)
        assert services(app).replies.drain(timeout=10)
        for user in users:
            delivery, = line.delivered(user)
            assert delivery.kind == "reply"
    finally:
        finish(app)


def test_an_old_event_is_pushed_from_the_pool(tmp_path: Path, line: LineEmulator, redis_db: None) -> None:
    app = pool_app(tmp_path, line)
    try:
        ask(app.test_client(), line, age_seconds=55)  # past REPLY_TOKEN_TTL_SECONDS (50)
        delivery, = line.wait_for_deliveries(1, timeout=10, user_id=USER)
        assert delivery.kind == "push" and delivery.retry_key is not None
    finally:
        finish(app)
