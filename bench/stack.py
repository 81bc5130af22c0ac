"""The production shape as processes a benchmark starts and kills: the LINE emulator, Redis, gunicorn as in the
Procfile, and `flask worker`s, on a PostgreSQL schema of their own. Each process's CPU time is readable, so a
benchmark can say what a reply costs per process."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests
from redis import Redis
from rq import Worker
from sqlalchemy import create_engine, text

from tests.conftest import CHANNEL_SECRET, CHANNEL_TOKEN
from tests.services import POSTGRES_URL, RedisServer, free_port, kill_tree, process_tree

REPO = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
READY_TIMEOUT_SECONDS = 240.0
"""Starting gunicorn includes its warm-up (the first check loads the embedding model): slow on a busy box."""


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and all its descendants, alive or reaped (RQ's work horses are reaped children)."""
    total = 0.0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
        total += (utime + stime + cutime + cstime) / CLOCK_TICKS
    return total


def machine_ticks() -> tuple[int, int]:
    """(busy, all) CPU ticks of the whole machine so far: every process, PostgreSQL's and Redis's too."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its descendants, in MiB."""
    total = 0
    for member in process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0)
    return total / 1024


@contextmanager
def postgres_schema(name: str) -> Iterator[str]:
    """A fresh schema of the shared test database, dropped afterwards; yields its URL."""
    schema = f"{name}_{os.getpid()}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


class Process:
    """A child in a session of its own: killing it by PID takes what it forked along."""

    def __init__(self, name: str, command: list[str], env: Mapping[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, dict(env), log
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        with self.log.open("ab") as output:
            self.popen = subprocess.Popen(self.command, cwd=REPO, env=self.env, stdout=output,
                                          stderr=subprocess.STDOUT, start_new_session=True)
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def cpu(self) -> float:
        return cpu_seconds(self.pid) if self.popen is not None else 0.0

    def kill(self) -> None:
        """SIGKILL to the process and all it started, as a crash or an OOM kill would."""
        if self.popen is not None and self.popen.poll() is None:
            kill_tree(self.popen.pid)
            self.popen.wait()
        self.popen = None

    def stop(self) -> None:
        """SIGTERM, as a deploy would; SIGKILL if it does not end."""
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def tail(self, characters: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-characters:] if self.log.exists() else ""


def wait_for_http(url: str, timeout: float = READY_TIMEOUT_SECONDS, process: Process | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        if process is not None and process.popen is not None and process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} not ready after {timeout:.0f} s" + (f":\n{process.tail()}" if process else ""))
        time.sleep(0.25)


class Stack:
    """Emulator + Redis + PostgreSQL schema + gunicorn + workers, seeded as `make run` seeds them."""

    def __init__(self, directory: Path, database_url: str, settings: Mapping[str, str] | None = None) -> None:
        self.directory = directory
        self.database_url = database_url
        self.redis = RedisServer(directory)
        self.line_port, self.web_port = free_port(), free_port()
        self.line_url = f"http://127.0.0.1:{self.line_port}"
        self.web_url = f"http://127.0.0.1:{self.web_port}"
        self.settings = dict(settings or {})
        self.line = Process("line", [sys.executable, "-m", "bench.line_process", str(self.line_port), CHANNEL_TOKEN],
                            os.environ, directory / "line.log")
        self.web: Process | None = None
        self.workers: list[Process] = []

    def env(self, **extra: str) -> dict[str, str]:
        return {**os.environ, "FLASK_APP": "app", "PYTHAINLP_OFFLINE": "1", "OMP_NUM_THREADS": "1",
                "OMP_WAIT_POLICY": "PASSIVE",
                "DATABASE_URL": self.database_url, "REDIS_URL": self.redis.url, "LOG_LEVEL": "WARNING",
                "LINE_CHANNEL_SECRET": CHANNEL_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": CHANNEL_TOKEN,
                "LINE_API_BASE_URL": self.line_url, "LINE_DATA_API_BASE_URL": self.line_url,
                **self.settings, **extra}

    def flask(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "flask", *args], cwd=REPO, env=self.env(), check=True,
                       stdout=subprocess.DEVNULL)

    def seed(self) -> None:
        """As `make run` does: schema, the AFNC claims, agencies, centres, courses, FAQ."""
        self.flask("db", "upgrade")
        self.flask("claims", "import", "data/afnc_claims.csv", "--if-empty")
        self.flask("agencies", "sync")
        self.flask("centres", "import", "data/sample/centres.csv")
        self.flask("courses", "import", "data/sample/courses.csv")
        self.flask("faq", "import", "data/sample/faq.csv")

    def start_base(self) -> None:
        self.line.start()
        self.redis.start()
        wait_for_http(f"{self.line_url}/_emulator/rejected", 30, self.line)

    def start_web(self, web_processes: int = 2, threads: int = 4, **extra: str) -> None:
        """gunicorn as the Procfile runs it; returns once /healthz says ready (warmed up)."""
        command = [sys.executable, "-m", "gunicorn", "app:create_app()", "--bind", f"127.0.0.1:{self.web_port}",
                   "--workers", str(web_processes), "--threads", str(threads), "--timeout", "30"]
        self.web = Process("web", command, self.env(WARM_UP="1", **extra), self.directory / "web.log").start()
        ready_in_a_row = 0
        while ready_in_a_row < 10 * web_processes:  # each process warms up on its own; /healthz lands on any
            wait_for_http(f"{self.web_url}/healthz", process=self.web)
            ready_in_a_row += 1
            if requests.get(f"{self.web_url}/healthz", timeout=5).status_code != 200:
                ready_in_a_row = 0

    def wait_for_workers(self, redis: Redis) -> None:
        """Until every worker has warmed up and registered with RQ (it takes jobs from then on)."""
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while Worker.count(connection=redis) < len(self.workers):
            for worker in self.workers:
                if worker.popen is not None and worker.popen.poll() is not None:
                    raise RuntimeError(f"a worker exited:\n{worker.tail()}")
            if time.monotonic() > deadline:
                raise TimeoutError("workers not ready")
            time.sleep(0.5)

    def start_workers(self, count: int, **extra: str) -> None:
        for index in range(count):
            log = self.directory / f"worker-{len(self.workers) + index}.log"
            self.workers.append(Process("worker", [sys.executable, "-m", "flask", "worker"],
                                        self.env(**extra), log).start())

    def stop_app(self) -> None:
        for process in [*self.workers, *([self.web] if self.web else [])]:
            process.stop()
        self.workers, self.web = [], None

    def close(self) -> None:
        self.stop_app()
        self.redis.kill()
        self.line.kill()


@contextmanager
def stack(name: str, settings: Mapping[str, str] | None = None) -> Iterator[Stack]:
    """A seeded stack with the emulator and Redis running; the caller starts web and workers."""
    if shutil.which("redis-server") is None:
        raise RuntimeError("redis-server is not installed")
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as tmp, postgres_schema(name) as database_url:
        built = Stack(Path(tmp), database_url, settings)
        try:
            built.start_base()
            built.seed()
            yield built
        finally:
            built.close()
