"""Fixtures in the flaskr style: a fresh app per test on a real database, LINE played by the emulator."""
from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from app import create_app  # noqa: E402  (after the offline switch)
from bot.devtools.line_emulator import LineEmulator  # noqa: E402
from bot.runtime.queue import InProcessQueue, RQJobQueue  # noqa: E402
from bot.runtime.services import Services, current_services  # noqa: E402
from data import migrate  # noqa: E402
from tests.services import require_postgres  # noqa: E402

CHANNEL_SECRET = "test-channel-secret"
CHANNEL_TOKEN = "test-channel-token"


@pytest.fixture(autouse=True)
def keep_signal_handlers() -> Iterator[None]:
    """RQ workers take over SIGINT and SIGTERM and never give them back; Ctrl-C must still stop pytest."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


@pytest.fixture(scope="session")
def emulator() -> Iterator[LineEmulator]:
    with LineEmulator(channel_access_token=CHANNEL_TOKEN) as server:
        yield server


@pytest.fixture()
def line(emulator: LineEmulator) -> Iterator[LineEmulator]:
    """The emulator, emptied for this test; every request the bot made must have been valid (a reply resent
    after its first attempt timed out on a loaded machine is not a mistake; tests/test_delivery.py covers it)."""
    emulator.reset()
    emulator.reply_token_ttl = 60.0
    yield emulator
    assert not emulator.mistakes, [(r.path, r.status, r.errors) for r in emulator.mistakes]


def make_app(database_url: str, line_url: str, **overrides: Any) -> Flask:
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "REDIS_URL": None,
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": CHANNEL_TOKEN,
        "LINE_API_BASE_URL": line_url,
        "LINE_DATA_API_BASE_URL": line_url,
        "LINE_TIMEOUT_SECONDS": 5.0,  # a loaded CI machine can take seconds to answer; a hang test sets its own
        "LINE_BACKOFF_SECONDS": 0.05,
        "JOB_RETRY_INTERVALS": (0.2, 0.5),
        "REPLY_THREADS": 0,  # replies through the queue, as most tests drive it; tests/test_reply_pool.py turns it on
        **overrides,
    }
    app = create_app(config)
    migrate.upgrade(database_url)
    return app


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return require_postgres()


@pytest.fixture()
def app(database_url: str, line: LineEmulator) -> Iterator[Flask]:
    app = make_app(database_url, line.base_url)
    yield app
    finish(app)


def finish(app: Flask) -> None:
    """Let in-process jobs and replies end before the emulator is reset for the next test."""
    assert services(app).replies.drain(timeout=30), "replies still in hand after 30 s"
    queue = services(app).queue
    if isinstance(queue, InProcessQueue):
        assert queue.drain(timeout=30), "in-process jobs still running after 30 s"
    services(app).db.engine.dispose()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def services(app: Flask) -> Services:
    with app.app_context():
        return current_services()


def rq_queue(app: Flask) -> RQJobQueue:
    """The job queue of an app made with REDIS_URL: RQ's."""
    queue = services(app).queue
    assert isinstance(queue, RQJobQueue)
    return queue
