"""The web desk's pages at 100k cases and 1M tips on PostgreSQL: server time per page (Flask's test client, so
no network), 30 requests each after warming up. Synthetic rows are bulk-inserted with generate_series into a
database of their own. The naive figures (the earlier agency_stats: every case of an agency loaded into Python,
one agency at a time) and the pages without migration 0015's indexes are timed in the same run."""
from __future__ import annotations

import os
import re
import statistics
import time
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.orm import Session

from bot.devtools.line_emulator import LineEmulator
from data.figures import agency_figures
from data.models import BANGKOK, Case, utcnow
from data.staff import add_staff
from tests.conftest import make_app

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CASES, TIPS, USERS, CLAIMS = 100_000, 1_000_000, 300_000, 5_000
ROUNDS, WARM = 30, 3
ROUNDS_UNINDEXED = 10
"""Without the indexes some pages take seconds: fewer rounds are enough to show it."""
TARGET_MS = 300
PASSWORD = "bench password 1234"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
CATEGORIES = ("สุขภาพ", "การเงิน-หุ้น", "ภัยพิบัติ", "นโยบายรัฐ", "เศรษฐกิจ", "ผลิตภัณฑ์", "ยาเสพติด", "ความมั่นคง",
              "การศึกษา", "การเมือง", "อาชญากรรม", "อื่น ๆ")
INDEXES = ("ix_cases_open_queue", "ix_cases_created_at", "ix_cases_answered_at", "ix_cases_category",
           "ix_cases_figures", "ix_tips_trends")

SEED = """
INSERT INTO agencies (code, name, categories, keywords, aliases, sla_hours, active)
SELECT 'a' || i, 'หน่วยงานสังเคราะห์ ' || i, '[]', '[]', '[]', 2.0, true FROM generate_series(1, 9) i;
INSERT INTO agencies (code, name, categories, keywords, aliases, sla_hours, active)
VALUES ('afnc', 'ศูนย์ต่อต้านข่าวปลอม', '[]', '[]', '[]', 2.0, true);
INSERT INTO users (line_user_id, role, is_active, created_at, last_seen_at)
SELECT 'U' || lpad(i::text, 32, '0'), 'citizen', true, now(), now() FROM generate_series(1, :users) i;
INSERT INTO cases (text, status, category, agency_code, routed_by, routing_reason, requester_count, created_at,
                   last_seen_at, due_at, answered_at)
SELECT 'ข่าวลือสังเคราะห์ที่ ' || i || ' แจกเงินช่วยเหลือผ่านลิงก์ ส่งต่อด่วน',
       CASE WHEN r < 0.06 THEN 'open' WHEN r < 0.08 THEN 'taken' WHEN r < 0.10 THEN 'merged' ELSE 'answered' END,
       (CAST(:categories AS text[]))[1 + i % 12],
       CASE WHEN i % 10 = 0 THEN 'afnc' ELSE 'a' || (1 + i % 9) END, 'keywords',
       'คำสำคัญตรงกับหน่วยงาน', 1 + floor(60 * power(random(), 4))::int, created, created,
       created + interval '2 hours',
       CASE WHEN r >= 0.10 THEN created + random() * interval '6 hours' END
FROM (SELECT i, random() AS r, now() - random() * interval '365 days' AS created
      FROM generate_series(1, :cases) i) rows;
INSERT INTO tips (user_id, text, source_type, case_id, created_at, submitted_at, province_code, routed_at,
                  acknowledged_at)
SELECT 1 + floor(random() * :users)::int, 'ข้อความสังเคราะห์ที่ส่งมา ' || t.i, 'text', c.id, at, at,
       CASE WHEN random() < 0.7 THEN (10 + floor(random() * 77)::int)::text END, at, at
FROM (SELECT i, 1 + floor(random() * :cases)::int AS case_id FROM generate_series(1, :tips) i) t
JOIN cases c ON c.id = t.case_id
CROSS JOIN LATERAL (SELECT c.created_at + random() * interval '1 day' AS at) s;
INSERT INTO claims (id, text, explanation, verdict, category, origin, created_at, updated_at)
SELECT 'bench-' || i, 'คำกล่าวอ้างสังเคราะห์ที่ ' || i, 'คำอธิบาย', (ARRAY['fake', 'true', 'distorted'])[1 + i % 3],
       (CAST(:categories AS text[]))[1 + i % 12], 'afnc_import', now(), now() FROM generate_series(1, :claims) i;
INSERT INTO claim_match_days (claim_id, day, matches)
SELECT 'bench-' || i, current_date - d, 1 + floor(random() * 20)::int
FROM generate_series(1, :claims) i CROSS JOIN generate_series(0, 29) d;
INSERT INTO audit_log (actor, action, object_type, object_id, detail, created_at)
SELECT 'U' || lpad((1 + id % 50)::text, 32, 'c'), 'case.verdict', 'case', id::text, '{}', answered_at
FROM cases WHERE answered_at IS NOT NULL;
"""


def _seed(url: str) -> float:
    started = time.perf_counter()
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in filter(str.strip, SEED.split(";")):
            connection.execute(text(statement), {"users": USERS, "cases": CASES, "tips": TIPS, "claims": CLAIMS,
                                                  "categories": list(CATEGORIES)})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("cases", "tips", "users", "claims", "claim_match_days", "audit_log"):
            connection.execute(text(f"VACUUM ANALYZE {table}"))  # as autovacuum would: index-only scans need it
    engine.dispose()
    return time.perf_counter() - started


def _create_database(name: str) -> str:
    """A database of the benchmark's own (other runs on this server drop test schemas they do not know)."""
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_database(name: str) -> None:
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    engine.dispose()


def _logged_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    found = TOKEN.search(client.get("/desk/login").get_data(as_text=True))
    assert found
    answer = client.post("/desk/login", data={"email": email, "password": PASSWORD, "csrf_token": found.group(1)})
    assert answer.status_code == 302, answer.status_code
    return client


def _timed(client: FlaskClient, path: str, rounds: int = ROUNDS) -> list[float]:
    for _ in range(WARM):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, path
    return times


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def naive_agency_stats(session: Session, agency_code: str) -> tuple[int, int, float | None]:
    """The figures as agency_stats computed them before the desk: every case of the agency loaded as an object."""
    cases = list(session.scalars(select(Case).where(Case.agency_code == agency_code)))
    answered = [case for case in cases if case.answered_at is not None]
    minutes = [(case.answered_at - case.created_at).total_seconds() / 60 for case in answered if case.answered_at]
    today = utcnow().astimezone(BANGKOK).date()
    return (sum(1 for case in cases if case.is_open),
            sum(1 for case in answered if case.answered_at and case.answered_at.astimezone(BANGKOK).date() == today),
            statistics.median(minutes) if minutes else None)


def _time_call(call: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def run() -> str:
    database = f"chuaycheck_desk_bench_{os.getpid()}"
    url = _create_database(database)
    try:
        with LineEmulator(channel_access_token="bench-token") as line:
            app = make_app(url, line.base_url, LOG_LEVEL="WARNING", SECRET_KEY="bench-secret", DESK_COOKIE_SECURE=0,
                           SEMANTIC_MATCHING=0)
            seconds = _seed(url)
            services = app.extensions["chuaycheck"]
            with services.db.session() as session:
                add_staff(session, "desk@bench.example", PASSWORD, None, actor="bench")
                add_staff(session, "boss@bench.example", PASSWORD, "a3", actor="bench")
                popular = session.scalar(select(Case.id).where(Case.status == "open")
                                         .order_by(Case.requester_count.desc()).limit(1))
                province = session.scalar(text("SELECT province_code FROM tips WHERE province_code IS NOT NULL "
                                                "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"))
            desk, boss = _logged_in(app, "desk@bench.example"), _logged_in(app, "boss@bench.example")
            pages = {
                "overview (AFNC desk, all agencies)": (desk, "/desk/"),
                "overview (a supervisor's agency)": (boss, "/desk/"),
                "queue, first page": (desk, "/desk/cases"),
                "queue, page 200 of all statuses": (desk, "/desk/cases?status=all&page=200"),
                "queue, agency + category + overdue": (desk, "/desk/cases?agency=a3&category=สุขภาพ&overdue=1"),
                "queue, sender's province": (desk, f"/desk/cases?province={province}"),
                "case page (most requested open case)": (desk, f"/desk/cases/{popular}"),
                "trends (7 days)": (desk, "/desk/trends"),
                "figures.csv": (desk, "/desk/figures.csv"),
            }
            load_before = os.getloadavg()[0]
            indexed = {name: _timed(client, path) for name, (client, path) in pages.items()}
            with services.db.session() as session:
                codes = [f"a{i}" for i in range(1, 10)] + ["afnc"]
                naive = _time_call(lambda: [naive_agency_stats(session, code) for code in codes], 5)
                ours = _time_call(lambda: agency_figures(session, utcnow(), with_total=True), 5)
            with services.db.engine.begin() as connection:
                for index in INDEXES:
                    connection.execute(text(f"DROP INDEX {index}"))
            unindexed = {name: _timed(client, path, ROUNDS_UNINDEXED) for name, (client, path) in pages.items()
                         if not name.startswith("case page")}
            load_after = os.getloadavg()[0]
            services.db.engine.dispose()
    finally:
        _drop_database(database)
    return _report(indexed, unindexed, naive, ours, seconds, (load_before, load_after))


def _report(indexed: dict[str, list[float]], unindexed: dict[str, list[float]], naive: list[float],
            ours: list[float], seed_seconds: float, load: tuple[float, float]) -> str:
    worst = max(_p95(values) for values in indexed.values())
    rows = []
    for name, values in indexed.items():
        without = f"{statistics.median(unindexed[name]):.0f} ms" if name in unindexed else "-"
        rows.append(f"| {name} | {statistics.median(values):.0f} ms | {_p95(values):.0f} ms | {max(values):.0f} ms "
                    f"| {without} |")
    naive_median, ours_median = statistics.median(naive), statistics.median(ours)
    return "\n".join([
        "## Web desk pages (100k cases, 1M tips, PostgreSQL)",
        "",
        f"Synthetic rows bulk-inserted with generate_series ({CASES:,} cases opened evenly over a year, 10% open or "
        f"taken (an 8,000-case backlog), requesters skewed; "
        f"{TIPS:,} tips, 70% with a province; {USERS:,} users; {CLAIMS:,} claims with 30 days of match counts; an "
        f"audit entry per verdict) in {seed_seconds:.0f} s. Server time per page through Flask's test client "
        f"(no network): {WARM} warm-up requests, then {ROUNDS} timed, logged in as the AFNC desk unless said. "
        f"The last column: the same pages after dropping migration 0015's indexes ({ROUNDS_UNINDEXED} rounds). "
        f"The machine was shared with other engineers' test runs while this was measured (2 cores; one-minute "
        f"load average {load[0]:.1f} when the timing began, {load[1]:.1f} when it ended): every figure carries "
        "that noise, the p95s most.",
        "",
        "| page | median | p95 | max | median without 0015's indexes |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        "",
        f"Worst p95: **{worst:.0f} ms** against the {TARGET_MS} ms target "
        f"({'met' if worst <= TARGET_MS else 'missed'}).",
        "",
        f"Agency figures for all 10 agencies: one grouped query (`data.figures.agency_figures`, with the total) "
        f"{ours_median:.0f} ms median, against {naive_median:.0f} ms for the earlier `agency_stats` called per "
        f"agency (every case loaded into Python): **{naive_median / ours_median:.0f}× faster** (5 runs each).",
    ])
