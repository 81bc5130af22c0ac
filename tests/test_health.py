"""`/healthz`, `/metrics`, and an app that starts without LINE credentials."""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from app import create_app
from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import body_of, post, text_event, user_source
from bot.runtime import services as bot_services
from bot.runtime.queue import InProcessQueue
from tests.conftest import CHANNEL_SECRET, finish, make_app, services

USER = "U" + "3" * 32
CLOSED_PORT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/test"
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def scrape(client: FlaskClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of `/metrics`, keyed by sample name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def sample(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    # Metrics live for the whole test process, so tests compare before and after; absent means never counted.
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_healthz_is_ok_with_a_database_and_the_in_process_queue(client: FlaskClient, database_url: str) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "warmed_up": True,
        "database": {"ok": True, "dialect": database_url.split(":")[0].split("+")[0]},
        "queue": {"ok": True, "kind": "in-process", "depth": 0},
        "line": {"enabled": True},
    }


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'health.sqlite3'}"


@pytest.mark.parametrize("broken, database_ok, queue", [
    pytest.param({"DATABASE_URL": CLOSED_PORT_POSTGRES}, False, {"ok": True, "kind": "in-process", "depth": 0},
                 id="database unreachable"),
    pytest.param({"REDIS_URL": CLOSED_PORT_REDIS}, True, {"ok": False, "kind": "rq", "depth": -1},
                 id="redis unreachable"),
])
def test_healthz_is_503_when_a_dependency_is_down(broken: dict[str, str], database_ok: bool,
                                                  queue: dict[str, Any], sqlite_url: str,
                                                  line: LineEmulator) -> None:
    # Built without migrating: nothing may need the database before /healthz reports on it.
    app = create_app({"TESTING": True, "DATABASE_URL": sqlite_url, "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
                      "LINE_API_BASE_URL": line.base_url, **broken})
    try:
        response = app.test_client().get("/healthz")
        body = response.json
        assert response.status_code == 503 and body is not None
        assert body["status"] == "unavailable"
        assert body["database"]["ok"] is database_ok
        assert body["queue"] == queue
    finally:
        finish(app)


def test_metrics_count_webhooks_line_calls_and_handler_time(app: Flask, client: FlaskClient,
                                                            line: LineEmulator) -> None:
    before = scrape(client)
    body = body_of(text_event(USER, "ช่วยเหลือ", line.issue_reply_token(user_source(USER))))
    assert post(client, body, CHANNEL_SECRET).status_code == 200
    # The job counts the LINE call after LINE answered, so wait for the job, not for the delivery.
    queue = services(app).queue
    assert isinstance(queue, InProcessQueue) and queue.drain(timeout=10)
    assert len(line.delivered(USER)) == 1
    after = scrape(client)

    def increase(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert increase("chuaycheck_webhook_events_total", type="message", outcome="handled") == 1
    assert increase("chuaycheck_handler_seconds_count", handler="help") == 1
    assert increase("chuaycheck_handler_seconds_bucket", handler="help", le="+Inf") == 1
    assert increase("chuaycheck_line_api_calls_total", operation="reply", status="200") == 1
    assert ("chuaycheck_queue_depth", frozenset()) in after


def test_the_app_starts_without_line_credentials(sqlite_url: str, line: LineEmulator,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        app = make_app(sqlite_url, line.base_url, LINE_CHANNEL_SECRET=None, LINE_CHANNEL_ACCESS_TOKEN=None)
    try:
        warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
        assert any("LINE_CHANNEL_SECRET" in message and "make run" in message and "make chat" in message
                   for message in warnings), warnings

        client = app.test_client()
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json is not None and health.json["line"] == {"enabled": False}

        body = body_of(text_event(USER, "ช่วยเหลือ", line.issue_reply_token(user_source(USER))))
        response = post(client, body, CHANNEL_SECRET)
        assert response.status_code == 503
        assert response.json == {"error": "LINE_CHANNEL_SECRET is not configured"}
        assert line.requests == []
    finally:
        finish(app)


def test_healthz_is_not_ready_until_the_warm_up_has_run(sqlite_url: str, line: LineEmulator,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A load balancer must not send citizens to a process whose first check would take 10 s."""
    gate = threading.Event()
    real_warm_up = bot_services.warm_up

    def held_warm_up(services_: bot_services.Services) -> None:
        gate.wait(timeout=30)
        real_warm_up(services_)

    monkeypatch.setattr(bot_services, "warm_up", held_warm_up)
    app = make_app(sqlite_url, line.base_url, WARM_UP=1, SEMANTIC_MATCHING=0)
    try:
        client = app.test_client()
        waiting = client.get("/healthz")
        assert waiting.status_code == 503 and waiting.json is not None
        assert (waiting.json["status"], waiting.json["warmed_up"]) == ("warming up", False)
        gate.set()
        assert services(app).warmed.wait(timeout=30)
        ready = client.get("/healthz")
        assert ready.status_code == 200 and ready.json is not None and ready.json["warmed_up"] is True
    finally:
        finish(app)
