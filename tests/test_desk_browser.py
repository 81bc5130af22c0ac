"""The web desk in a real browser: Debian's Chromium, headless, driven by Playwright (its own browsers are never
downloaded; `make browser` installs Chromium with apt). A screenshot of each page goes to tests/artifacts/desk/.
Under CI=true a missing browser fails the run; elsewhere these tests are skipped with the reason."""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from bot.devtools.line_emulator import LineEmulator
from data.models import Case, CaseStatus, utcnow
from tests.conftest import finish, services
from tests.conversation import drain, tip_off
from tests.desk import DESK_EMAIL, OTHER_EMAIL, PASSWORD, SUPERVISOR_EMAIL, desk_app
from tests.services import free_port
from tests.test_loop import RUMOUR

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts" / "desk"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CITIZEN = "U" + "7" * 32
PHONE = {"width": 390, "height": 844}


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: CI must run the browser tests (make browser installs Chromium)", pytrace=False)
    pytest.skip(f"{reason}; `make browser` installs it")


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[Any]:
    """A fresh Chromium profile per test, as a new member of staff would have."""
    if not (os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            locale="th-TH", viewport={"width": 1200, "height": 900})
        context.set_default_timeout(30_000)
        yield context
        context.close()


Serve = Callable[..., tuple[Flask, str]]


@pytest.fixture()
def serve(tmp_path: Path, line: LineEmulator) -> Iterator[Serve]:
    """Start the app (desk on, seeded) on a real port; returns (app, base URL)."""
    started: list[tuple[Flask, Any, threading.Thread]] = []

    def start(**overrides: Any) -> tuple[Flask, str]:
        app = desk_app(f"sqlite:///{tmp_path / f'desk{len(started)}.sqlite3'}", line.base_url, **overrides)
        server = make_server("127.0.0.1", free_port(), app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append((app, server, thread))
        return app, f"http://127.0.0.1:{server.server_port}"

    yield start
    for app, server, thread in started:
        server.shutdown()
        thread.join(timeout=10)
        finish(app)


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Any, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/desk/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("#login button[type=submit]")
    page.wait_for_load_state()


def seed_history(app: Flask) -> None:
    """Answered cases over the last days, so the charts have lines and bars to draw."""
    now = utcnow()
    with services(app).db.session() as session:
        for day in range(1, 12):
            created = now - timedelta(days=day)
            session.add(Case(text=f"เรื่องเก่า {day}", status=CaseStatus.ANSWERED, agency_code="gsb",
                             category="สุขภาพ" if day % 3 else "การเงิน-หุ้น", requester_count=day % 4 + 1,
                             created_at=created, last_seen_at=created, due_at=created + timedelta(hours=2),
                             answered_at=created + timedelta(minutes=40 * day)))


def test_staff_log_in_see_charts_filter_open_a_case_and_rule_and_the_citizen_hears(
        browser: Any, serve: Serve, line: LineEmulator) -> None:
    app, base = serve()
    seed_history(app)
    tip_off(app, app.test_client(), line, CITIZEN, RUMOUR)
    with services(app).db.session() as session:
        case_id = session.scalars(select(Case.id).where(Case.status == CaseStatus.OPEN)).one()
    page = browser.new_page()
    page.goto(f"{base}/desk/")
    assert "/desk/login" in page.url
    shot(page, "login")
    log_in(page, base, SUPERVISOR_EMAIL)
    assert page.url.endswith("/desk/")
    lines = page.locator("#daily-chart svg polyline")
    assert lines.count() == 2 and lines.first.bounding_box()["width"] > 300
    assert page.locator("#category-chart svg rect.bar").count() >= 2
    assert page.inner_text("#open-total") == "1"
    shot(page, "overview")
    page.set_viewport_size(PHONE)
    shot(page, "overview-phone")
    page.set_viewport_size({"width": 1200, "height": 900})

    page.goto(f"{base}/desk/cases")
    page.select_option("#filters select[name=status]", "answered")
    page.select_option("#filters select[name=category]", "สุขภาพ")
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    assert "status=answered" in page.url and page.locator("#queue tbody tr").count() == 8  # days 1-11 but every third
    shot(page, "queue-filtered")
    page.select_option("#filters select[name=status]", "open")
    page.select_option("#filters select[name=category]", "")
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    page.click(f"#queue a[href$='/desk/cases/{case_id}']")
    page.wait_for_load_state()
    assert page.inner_text("#requesters").startswith("1 คน") and CITIZEN not in page.content()
    shot(page, "case")

    page.check("#rule input[value=fake]")
    page.fill("#rule textarea[name=explanation]", "ธนาคารออมสินไม่มีโครงการแจกเงินผ่านลิงก์ในไลน์")
    page.click("#rule button[type=submit]")
    page.wait_for_load_state()
    assert "บันทึกผลตรวจเรื่องที่" in page.inner_text(".flash")
    assert "ข่าวปลอม" in page.inner_text("#verdict")
    shot(page, "case-ruled")
    drain(app)
    verdict = line.delivered(CITIZEN)[-1]
    assert verdict.kind == "multicast" and "ธนาคารออมสินไม่มีโครงการแจกเงินผ่านลิงก์ในไลน์" in str(verdict.messages)

    page.goto(f"{base}/desk/trends")
    assert page.locator("#national").count() == 1
    shot(page, "trends")


def test_refusals_wrong_password_missing_token_other_agency_and_an_expired_session(
        browser: Any, serve: Serve, line: LineEmulator) -> None:
    app, base = serve()
    tip_off(app, app.test_client(), line, CITIZEN, RUMOUR)  # a gsb case
    with services(app).db.session() as session:
        case_id = session.scalars(select(Case.id)).one()
    page = browser.new_page()
    log_in(page, base, DESK_EMAIL, "this is not the password")
    assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in page.inner_text("#error")
    shot(page, "login-wrong-password")

    log_in(page, base, DESK_EMAIL)
    page.goto(f"{base}/desk/cases/{case_id}")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    page.click("#take")
    page.wait_for_load_state()
    assert "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง" in page.content()
    shot(page, "csrf-missing")
    with services(app).db.session() as session:
        assert session.get(Case, case_id).taken_by is None  # type: ignore[union-attr]

    other = browser.new_page()
    other.context.clear_cookies()
    log_in(other, base, OTHER_EMAIL)  # afnc's supervisor
    answer = other.goto(f"{base}/desk/cases/{case_id}")
    assert answer.status == 403 and "คุณไม่มีสิทธิ์ดูหน้านี้" in other.content()
    shot(other, "forbidden-other-agency")

    short_app, short_base = serve(DESK_IDLE_MINUTES=0.02)  # sessions idle for 1.2 s end
    expiring = browser.new_page()
    log_in(expiring, short_base, DESK_EMAIL)
    assert expiring.url.endswith("/desk/")
    expiring.wait_for_timeout(1600)
    expiring.goto(f"{short_base}/desk/cases")
    assert "/desk/login" in expiring.url and "หมดเวลาการใช้งาน" in expiring.inner_text("#notice")
    shot(expiring, "session-expired")
