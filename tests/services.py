"""Real PostgreSQL and Redis for tests: fail under CI=true when missing, skip with a reason elsewhere.

Fault tests kill and restart Redis and PostgreSQL, so they get a `RedisServer` or `PostgresServer` of their own,
never the shared one."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from glob import glob
from pathlib import Path

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


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants, parents first. A process group is not enough: RQ's work horses
    call setsid() and leave their worker's group."""
    found = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in map(int, children):
        found += process_tree(child)
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL a process and everything it started, as an OOM kill of the container would."""
    for member in process_tree(pid):
        try:
            os.kill(member, signal.SIGKILL)
        except ProcessLookupError:
            pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """A redis-server of this test's own, keeping nothing on disk: killed, it comes back empty, as a Redis
    without persistence does after a crash."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            _missing("redis-server", "not installed")
        self._command = [str(binary), "--bind", "127.0.0.1", "--port", str(free_port()), "--save", "",
                         "--appendonly", "no", "--dir", str(directory)]
        self.url = f"redis://127.0.0.1:{self._command[4]}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(self._command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM kill would: no shutdown, no save."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.kill()


class PostgresServer:
    """A PostgreSQL cluster of this test's own (initdb in a temporary directory, a free port), killed by PID and
    started again as after a crash: what was committed survives, what was in flight is lost. PostgreSQL refuses
    to run as root, so under root its programs run as the `postgres` user, in a directory it owns (pytest's
    tmp_path is private to root)."""

    def __init__(self) -> None:
        binaries = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
        initdb = shutil.which("initdb") or (binaries[-1] if binaries else None)
        if initdb is None:
            _missing("PostgreSQL's initdb", "not installed (apt-get install postgresql)")
        self._bin = Path(str(initdb)).parent
        # As the postgres user (under root) through Popen's own setuid, not runuser: the postmaster must be our
        # child, reaped when killed, or its pid lingers as a zombie and the restart finds postmaster.pid "in use".
        self._as_owner: dict[str, str] = {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}
        self.directory = Path(tempfile.mkdtemp(prefix="chuaycheck-pg-"))
        self.data = self.directory / "pgdata"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._process: subprocess.Popen[bytes] | None = None
        self._log = self.directory / "postgres.log"
        if self._as_owner:
            shutil.chown(self.directory, "postgres")
        result = subprocess.run([str(self._bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                                 "--no-sync", "-E", "UTF8", "--locale", "C"], capture_output=True, text=True,
                                cwd=self.directory, **self._as_owner)
        if result.returncode != 0:
            shutil.rmtree(self.directory, ignore_errors=True)
            _missing("PostgreSQL (initdb)", result.stderr.strip().splitlines()[-1] if result.stderr else "failed")

    def start(self) -> None:
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                [str(self._bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
                 "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.data}",
                 "-c", "fsync=off", "-c", "full_page_writes=off"], stdout=log, stderr=subprocess.STDOUT,
                cwd=self.directory, **self._as_owner)
        engine = create_engine(self.url)
        deadline = time.monotonic() + 30
        try:
            while True:
                try:
                    with engine.connect() as connection:
                        connection.execute(text("SELECT 1"))
                    return
                except OperationalError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
        finally:
            engine.dispose()

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend, as a crash would."""
        if self._process is not None:
            kill_tree(self._process.pid)
            self._process.wait()
            self._process = None

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.kill()
        shutil.rmtree(self.directory, ignore_errors=True)
