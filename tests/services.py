"""Real PostgreSQL and Redis for tests: fail under CI=true when missing, skip with a reason elsewhere."""
from __future__ import annotations

import os

import pytest
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _missing(service: str, reason: str) -> None:
    message = f"{service} is not reachable ({reason})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}: CI must run against real services", pytrace=False)
    pytest.skip(f"{message}; start it to run this test")


def require_postgres() -> str:
    """Return a URL to an empty schema of the `test` database, private to this test process.

    A schema per process (selected through search_path) lets two test runs share one server safely.
    """
    schema = f"test_{os.getpid()}"
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as error:
        _missing("PostgreSQL", str(error.orig).strip().splitlines()[0])
    finally:
        engine.dispose()
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


def require_redis() -> Redis:
    """Return a connection to an emptied Redis database reserved for tests."""
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.flushdb()
    except RedisError as error:
        _missing("Redis", str(error))
    return connection
