"""The web desk through Flask's test client: accounts, sessions, CSRF, scope, actions and figures.
The same flows in a real browser are in tests/test_desk_browser.py."""
from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.desk.charts import Line, bar_chart, line_chart
from bot.desk.throttle import RedisThrottle, throttle_key
from bot.devtools.line_emulator import LineEmulator
from data.models import AuditEntry, Case, CaseStatus, Claim, ClaimMatchDay, StaffAccount, Tip, utcnow
from tests.conftest import finish, make_app, services
from tests.conversation import ask, drain, tip_off
from tests.desk import DESK_EMAIL, OTHER_EMAIL, PASSWORD, SECRET, SUPERVISOR_EMAIL, desk_app, form_token, log_in
from tests.services import require_redis
from tests.test_check import FORWARDED, write_claims
from tests.test_loop import FAKE, RUMOUR

CITIZEN = "U" + "5" * 32


@pytest.fixture()
def desk(database_url: str, line: LineEmulator) -> Iterator[Flask]:
    app = desk_app(database_url, line.base_url)
    yield app
    finish(app)


@pytest.fixture()
def client(desk: Flask) -> FlaskClient:
    return desk.test_client()


def open_case(desk: Flask, client: FlaskClient, line: LineEmulator) -> int:
    """A citizen sends in the bank rumour; it becomes a case of the bank (gsb)."""
    tip_off(desk, client, line, CITIZEN, RUMOUR)
    with services(desk).db.session() as session:
        case = session.scalars(select(Case)).one()
        assert case.agency_code == "gsb"
        return case.id


def audited(desk: Flask, action: str) -> list[AuditEntry]:
    with services(desk).db.session() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_the_desk_is_off_without_a_secret_key(database_url: str, line: LineEmulator) -> None:
    app = make_app(database_url, line.base_url)
    assert app.test_client().get("/desk/login").status_code == 404
    finish(app)


def test_pages_need_a_login_and_the_login_returns_to_the_page(client: FlaskClient) -> None:
    answer = client.get("/desk/cases?status=all")
    assert answer.status_code == 302 and "/desk/login" in answer.location
    token = form_token(client, "/desk/login")
    logged = client.post("/desk/login", data={"email": DESK_EMAIL, "password": PASSWORD, "csrf_token": token,
                                              "next": "/desk/cases?status=all"})
    assert logged.status_code == 302 and logged.location.endswith("/desk/cases?status=all")


def test_a_login_never_sends_anyone_to_another_site(client: FlaskClient) -> None:
    token = form_token(client, "/desk/login")
    for target in ("https://evil.example/desk", "//evil.example/desk", "/callback"):
        answer = client.post("/desk/login", data={"email": DESK_EMAIL, "password": PASSWORD, "csrf_token": token,
                                                  "next": target})
        assert answer.status_code == 302 and answer.location == "/desk/", target
        token = form_token(client, "/desk/login")


def test_a_wrong_password_is_refused_and_audited(desk: Flask, client: FlaskClient) -> None:
    answer = log_in(client, DESK_EMAIL, "not the password at all")
    assert answer.status_code == 401 and "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in answer.get_data(as_text=True)
    assert client.get("/desk/").status_code == 302
    (entry,) = audited(desk, "staff.login_failed")
    assert entry.detail == {"email": DESK_EMAIL} and DESK_EMAIL not in entry.object_id


def test_logins_are_refused_after_five_failures_for_one_email(desk: Flask, client: FlaskClient) -> None:
    for _ in range(5):
        assert log_in(client, SUPERVISOR_EMAIL, "wrong password 123").status_code == 401
    blocked = log_in(client, SUPERVISOR_EMAIL)  # even the right password, until the window passes
    assert blocked.status_code == 429 and "กรุณารอ 15 นาที" in blocked.get_data(as_text=True)
    assert log_in(client, DESK_EMAIL).status_code == 302  # another e-mail from the same address is not blocked
    assert audited(desk, "staff.login_blocked")


def test_the_redis_throttle_counts_failures_and_a_success_clears_them() -> None:
    redis = require_redis()
    throttle = RedisThrottle(redis, attempts=2, window=timedelta(minutes=1))
    key, now = throttle_key("a@b.example", "127.0.0.1"), utcnow()
    throttle.failed(key, now)
    assert not throttle.is_blocked(None, key, now)  # type: ignore[arg-type]  # Redis needs no session
    throttle.failed(key, now)
    assert throttle.is_blocked(None, key, now)  # type: ignore[arg-type]
    assert 0 < redis.ttl(f"chuaycheck:desk-login:{key}") <= 60
    throttle.succeeded(key)
    assert not throttle.is_blocked(None, key, now)  # type: ignore[arg-type]


def test_session_cookies_are_secure_http_only_and_same_site(database_url: str, line: LineEmulator) -> None:
    app = make_app(database_url, line.base_url, SECRET_KEY=SECRET)
    cookie = app.test_client().get("/desk/login", base_url="https://localhost").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finish(app)


def test_an_idle_session_expires(database_url: str, line: LineEmulator) -> None:
    app = desk_app(database_url, line.base_url, DESK_IDLE_MINUTES=0.02)  # 1.2 s
    client = app.test_client()
    assert log_in(client, DESK_EMAIL).status_code == 302
    assert client.get("/desk/").status_code == 200
    time.sleep(1.5)
    answer = client.get("/desk/")
    assert answer.status_code == 302 and "expired=1" in answer.location
    assert "หมดเวลาการใช้งาน" in client.get(answer.location).get_data(as_text=True)
    finish(app)


def test_removing_an_account_ends_its_sessions(desk: Flask, client: FlaskClient) -> None:
    log_in(client, DESK_EMAIL)
    assert client.get("/desk/").status_code == 200
    result = desk.test_cli_runner().invoke(args=["staff", "remove", "--email", DESK_EMAIL])
    assert result.exit_code == 0, result.output
    assert client.get("/desk/").status_code == 302
    assert log_in(client, DESK_EMAIL).status_code == 401


def test_staff_add_reads_the_password_from_stdin_and_checks_the_scope(desk: Flask, client: FlaskClient) -> None:
    runner = desk.test_cli_runner()
    both = runner.invoke(args=["staff", "add", "--email", "x@y.example", "--desk", "--agency", "gsb"], input="p" * 12)
    assert both.exit_code != 0 and "exactly one" in both.output
    short = runner.invoke(args=["staff", "add", "--email", "x@y.example", "--desk"], input="short\n")
    assert short.exit_code != 0 and "at least 12" in short.output
    added = runner.invoke(args=["staff", "add", "--email", "New@Y.example", "--agency", "gsb"],
                          input="a long enough password\n")
    assert added.exit_code == 0 and "new@y.example" in added.output
    assert log_in(client, "new@y.example", "a long enough password").status_code == 302
    with services(desk).db.session() as session:
        account = session.scalars(select(StaffAccount).where(StaffAccount.email == "new@y.example")).one()
        assert account.password_hash and PASSWORD not in account.password_hash and account.agency_code == "gsb"


def test_a_form_without_its_token_is_refused(desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    case_id = open_case(desk, client, line)
    log_in(client, DESK_EMAIL)
    answer = client.post(f"/desk/cases/{case_id}/take", data={})
    assert answer.status_code == 400 and "แบบฟอร์มหมดอายุ" in answer.get_data(as_text=True)
    with services(desk).db.session() as session:
        assert session.get(Case, case_id).status is CaseStatus.OPEN  # type: ignore[union-attr]


def test_a_supervisor_sees_only_their_agency(desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    case_id = open_case(desk, client, line)  # a gsb case
    log_in(client, OTHER_EMAIL)  # afnc's supervisor
    assert client.get(f"/desk/cases/{case_id}").status_code == 403
    token = form_token(client, "/desk/")
    assert client.post(f"/desk/cases/{case_id}/take", data={"csrf_token": token}).status_code == 403
    assert f"#{case_id}" not in client.get("/desk/cases?agency=gsb").get_data(as_text=True)
    assert {entry.action for entry in audited(desk, "refused.view") + audited(desk, "refused.take")} == \
        {"refused.view", "refused.take"}
    client.post("/desk/logout", data={"csrf_token": token})
    log_in(client, SUPERVISOR_EMAIL)
    assert client.get(f"/desk/cases/{case_id}").status_code == 200


def test_a_verdict_given_on_the_desk_reaches_the_citizen_in_line(desk: Flask, client: FlaskClient,
                                                                 line: LineEmulator) -> None:
    case_id = open_case(desk, client, line)
    log_in(client, SUPERVISOR_EMAIL)
    page = client.get(f"/desk/cases/{case_id}").get_data(as_text=True)
    assert CITIZEN not in page and "1 คน" in page
    token = form_token(client, f"/desk/cases/{case_id}")
    client.post(f"/desk/cases/{case_id}/take", data={"csrf_token": token})
    answer = client.post(f"/desk/cases/{case_id}/rule", data={
        "csrf_token": token, "verdict": "fake", "title": "ออมสินแจกเงินผู้สูงอายุผ่านลิงก์ในไลน์",
        "explanation": "ออมสินไม่มีโครงการนี้", "url": "https://www.gsb.or.th/news"})
    assert answer.status_code == 302
    drain(desk)
    card = line.delivered(CITIZEN)[-1]
    assert card.kind == "multicast" and "ออมสินไม่มีโครงการนี้" in str(card.messages)
    with services(desk).db.session() as session:
        claim = session.scalars(select(Claim)).one()
        assert claim.text == "ออมสินแจกเงินผู้สูงอายุผ่านลิงก์ในไลน์" and claim.source_url == "https://www.gsb.or.th/news"
    page = client.get(f"/desk/cases/{case_id}").get_data(as_text=True)
    assert "ผลตรวจ: ข่าวปลอม" in page and "ให้ผลตรวจ · " + SUPERVISOR_EMAIL in page
    again = client.post(f"/desk/cases/{case_id}/rule", data={
        "csrf_token": token, "verdict": "true", "title": "x", "explanation": "y"}, follow_redirects=True)
    assert "ปิดไปแล้ว" in again.get_data(as_text=True)


def test_reroute_and_merge_use_the_coordinator_flows(desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    case_id = open_case(desk, client, line)
    with services(desk).db.session() as session:
        other = Case(text="ข่าวอื่น", status=CaseStatus.OPEN, agency_code="afnc", requester_count=2,
                     created_at=utcnow(), last_seen_at=utcnow())
        session.add(other)
        session.flush()
        other_id = other.id
    log_in(client, DESK_EMAIL)
    token = form_token(client, f"/desk/cases/{case_id}")
    client.post(f"/desk/cases/{other_id}/reroute", data={"csrf_token": token, "agency": "gsb"})
    drain(desk)
    assert any(f"#{other_id}" in str(d.messages) or str(other_id) in str(d.messages)
               for d in line.delivered("U" + "c" * 32) if d.kind == "multicast")  # to gsb's coordinator
    merged = client.post(f"/desk/cases/{other_id}/merge", data={"csrf_token": token, "into": f"#{case_id}"})
    assert merged.status_code == 302 and merged.location.endswith(f"/desk/cases/{case_id}")
    with services(desk).db.session() as session:
        assert session.get(Case, other_id).status is CaseStatus.MERGED  # type: ignore[union-attr]
        assert session.get(Case, case_id).requester_count == 3  # type: ignore[union-attr]
        assert {entry.actor for entry in session.scalars(select(AuditEntry).where(
            AuditEntry.action.in_(["case.reroute", "case.merge"])))} == {"staff:1"}


def test_the_queue_filters_pages_and_exports_without_formulas(desk: Flask, client: FlaskClient) -> None:
    now = utcnow()
    with services(desk).db.session() as session:
        for number in range(30):
            session.add(Case(text=f"=HYPERLINK(\"x\") เรื่อง {number}", status=CaseStatus.OPEN, agency_code="gsb",
                             category="การเงิน-หุ้น" if number % 2 else "สุขภาพ", requester_count=number,
                             created_at=now, last_seen_at=now, due_at=now + timedelta(hours=-1 if number < 3 else 2)))
        case = Case(text="เรื่องจากเชียงใหม่", status=CaseStatus.OPEN, agency_code="afnc", requester_count=0,
                    created_at=now, last_seen_at=now)
        session.add(case)
        session.flush()
        session.add(Tip(text="เรื่องจากเชียงใหม่", source_type="text", case_id=case.id, province_code="50",
                        submitted_at=now))
    log_in(client, DESK_EMAIL)
    first = client.get("/desk/cases?agency=gsb").get_data(as_text=True)
    assert "(30 เรื่อง)" in first and "หน้า 1 / 2" in first and first.index("เรื่อง 29") < first.index("เรื่อง 28")
    assert "(3 เรื่อง)" in client.get("/desk/cases?agency=gsb&overdue=1").get_data(as_text=True)
    assert "(15 เรื่อง)" in client.get("/desk/cases?category=สุขภาพ").get_data(as_text=True)
    assert "(1 เรื่อง)" in client.get("/desk/cases?province=50").get_data(as_text=True)
    assert client.get("/desk/cases?status=nonsense").status_code == 400
    exported = client.get("/desk/cases.csv?agency=gsb&overdue=1")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 3 and all(row["text"].startswith("'=HYPERLINK") for row in rows)
    assert audited(desk, "desk.export")


def test_the_desk_and_the_admin_api_show_the_same_figures(database_url: str, line: LineEmulator) -> None:
    app = desk_app(database_url, line.base_url, ADMIN_TOKEN="admin-token")
    now = utcnow()
    with services(app).db.session() as session:
        for minutes, due_hours in ((30, 2), (90, 2), (200, 2), (400, 1)):
            created = now - timedelta(days=2)  # answered (≤ 400 min later) before today in Thai time, at any hour
            session.add(Case(text="x", status=CaseStatus.ANSWERED, agency_code="gsb", requester_count=1,
                             created_at=created, last_seen_at=created, due_at=created + timedelta(hours=due_hours),
                             answered_at=created + timedelta(minutes=minutes)))
        session.add(Case(text="y", status=CaseStatus.OPEN, agency_code="gsb", requester_count=1, created_at=now,
                         last_seen_at=now, due_at=now - timedelta(minutes=1)))
    api = app.test_client().get("/api/v1/admin/agencies", headers={"Authorization": "Bearer admin-token"}).get_json()
    gsb = next(row for row in api["agencies"] if row["code"] == "gsb")
    assert gsb["open"] == 1 and gsb["overdue"] == 1 and gsb["median_minutes_to_verdict"] == pytest.approx(145)
    assert gsb["answered_within_sla"] == pytest.approx(0.5)
    client = app.test_client()
    log_in(client, SUPERVISOR_EMAIL)
    figures = list(csv.DictReader(io.StringIO(client.get("/desk/figures.csv").get_data(as_text=True).lstrip("\ufeff"))))
    desk_gsb = next(row for row in figures if row["agency"] == "gsb")
    assert [row["agency"] for row in figures] == ["gsb", "*"]  # a supervisor's figures are their agency's
    assert float(desk_gsb["median_minutes_to_verdict"]) == pytest.approx(145) and desk_gsb["overdue"] == "1"
    page = client.get("/desk/").get_data(as_text=True)
    assert 'id="overdue-total">1<' in page and "<polyline" in page
    assert "· ธนาคารออมสิน</p>" in page  # the supervisor's agency by its Thai name, never its code
    daily = client.get("/desk/daily.csv").get_data(as_text=True).splitlines()
    assert len(daily) == 31 and daily[-1].endswith(",1,0")
    finish(app)


def test_charts_scale_to_their_largest_value() -> None:
    from datetime import date
    svg = line_chart("t", [date(2026, 12, 1), date(2026, 12, 2)], [Line("a", [0, 7], "#000")])
    assert ">10</text>" in svg and "36.0,192.0 592.0,66.0" in svg  # 7 of 10, drawn from the bottom
    bars = bar_chart("t", [("สุขภาพ", 4), ("การเงิน", 2)])
    assert bars.count('class="bar"') == 2 and 'width="350.0"' in bars and 'width="175.0"' in bars


def test_the_trends_page_lists_claims_the_bot_answered_with(desk: Flask, client: FlaskClient, line: LineEmulator,
                                                           tmp_path: Path) -> None:
    claims = write_claims(tmp_path / "claims.csv", (FAKE,))
    assert desk.test_cli_runner().invoke(args=["claims", "import", str(claims)]).exit_code == 0
    for user in ("U" + "a" * 32, "U" + "b" * 32):
        (verdict,) = ask(desk, line, user, FORWARDED)
        assert verdict["type"] == "flex"
    with services(desk).db.session() as session:
        assert [(row.claim_id, row.matches) for row in session.scalars(select(ClaimMatchDay))] == [(FAKE, 2)]
    log_in(client, SUPERVISOR_EMAIL)
    page = client.get("/desk/trends").get_data(as_text=True)
    assert "ตอบ 2 ครั้ง" in page and "ข่าวปลอม" in page
