"""Becoming a digital volunteer in the chat: name, province and district (geothai), consent; approval by an
admin or automatically; the rich menu switches at once, through the LINE emulator."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.devtools.line_emulator import LineEmulator
from data.models import AuditEntry, Role, Tip, User, Volunteer, VolunteerStatus
from data.users import find_user
from tests import conversation
from tests.conftest import finish, make_app, services
from tests.conversation import drain, last_to, quick_reply_data, send_postback, tip_off

USER = "U" + "b4" * 16


def ask(app: Flask, line: LineEmulator, text: str) -> dict[str, Any]:
    return conversation.ask(app, line, USER, text)[-1]


def pick(app: Flask, client: FlaskClient, line: LineEmulator, message: dict[str, Any], label: str) -> dict[str, Any]:
    send_postback(client, line, USER, quick_reply_data(message, label))
    drain(app)
    return last_to(line, USER).messages[-1]


def labels(message: dict[str, Any]) -> list[str]:
    return [item["action"]["label"] for item in message.get("quickReply", {}).get("items", [])]


def register(app: Flask, line: LineEmulator) -> dict[str, Any]:
    """สมัครอาสา → name → หนองคาย (9 districts: picked from quick replies) → consent."""
    client = app.test_client()
    assert "ขอชื่อที่ใช้แสดง" in ask(app, line, "สมัครอาสา")["text"]
    assert "จังหวัดไหน" in ask(app, line, "น้องฝน")["text"]
    districts = ask(app, line, "หนองคาบ")  # a typo still finds หนองคาย
    assert "อำเภอไหนใน จ.หนองคาย" in districts["text"] and "อ.โพธิ์ตาก" in labels(districts)
    consent = pick(app, client, line, districts, "อ.โพธิ์ตาก")
    assert "ยินยอมไหม" in consent["text"] and "น้องฝน · อ.โพธิ์ตาก จ.หนองคาย" in consent["text"]
    return pick(app, client, line, consent, "ยินยอม")


def role_of(app: Flask) -> Role:
    with services(app).db.session() as session:
        user = find_user(session, USER)
        assert user is not None
        return user.role


@pytest.fixture()
def auto_app(database_url: str, line: LineEmulator) -> Iterator[Flask]:
    app = make_app(database_url, line.base_url, VOLUNTEER_AUTO_APPROVE=1)
    yield app
    finish(app)


def deploy_menus(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["richmenu", "deploy"])
    assert result.exit_code == 0, result.output


def test_with_auto_approval_registration_makes_a_volunteer_and_switches_the_menu(
        auto_app: Flask, line: LineEmulator) -> None:
    deploy_menus(auto_app)
    welcome = register(auto_app, line)
    assert welcome["text"].startswith("ยินดีต้อนรับ อสด. น้องฝน")
    assert role_of(auto_app) is Role.VOLUNTEER
    assert line.rich_menus.menu_for(USER) == line.rich_menus.aliases["volunteer"]
    with services(auto_app).db.session() as session:
        user = find_user(session, USER)
        assert user is not None and (user.province_code, user.district_code) == ("43", "4317")
        volunteer = session.get(Volunteer, user.id)
        assert volunteer is not None and volunteer.status is VolunteerStatus.APPROVED and volunteer.approved_by == "auto"
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == USER)).all() == ["role.change"]
    profile = ask(auto_app, line, "โปรไฟล์ อสด.")
    assert "น้องฝน" in profile["text"] and "อ.โพธิ์ตาก จ.หนองคาย" in profile["text"] and "✅" in profile["text"]


def test_without_auto_approval_an_admin_approves_and_the_volunteer_is_told(app: Flask, line: LineEmulator) -> None:
    deploy_menus(app)
    assert register(app, line)["text"].startswith("ได้รับใบสมัครแล้ว")
    assert role_of(app) is Role.CITIZEN and line.rich_menus.menu_for(USER) == line.rich_menus.aliases["citizen"]
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["volunteers", "list", "--pending"])
    assert listing.exit_code == 0 and USER in listing.output and "น้องฝน" in listing.output
    assert runner.invoke(args=["volunteers", "approve", "--user-id", USER]).exit_code == 0
    drain(app)
    assert role_of(app) is Role.VOLUNTEER
    assert line.rich_menus.menu_for(USER) == line.rich_menus.aliases["volunteer"]
    welcome = last_to(line, USER).messages[0]["text"]
    assert last_to(line, USER).kind == "push" and "ยินดีต้อนรับ อสด." in welcome and "เมนูอาสาสมัคร" in welcome
    assert runner.invoke(args=["volunteers", "remove", "--user-id", USER]).exit_code == 0
    drain(app)
    assert role_of(app) is Role.CITIZEN and line.rich_menus.menu_for(USER) == line.rich_menus.aliases["citizen"]
    assert runner.invoke(args=["volunteers", "approve", "--user-id", USER]).exit_code != 0  # nothing to approve


def test_a_province_with_many_districts_is_answered_by_typing(auto_app: Flask, line: LineEmulator) -> None:
    ask(auto_app, line, "สมัครอาสา")
    ask(auto_app, line, "ป้าแดง")
    question = ask(auto_app, line, "โคราช")
    assert "จ.นครราชสีมา" in question["text"] and "พิมพ์ชื่ออำเภอ" in question["text"]
    assert "ไม่พบอำเภอนี้" in ask(auto_app, line, "โพธิ์ตาก")["text"]  # a district of another province
    consent = ask(auto_app, line, "สูงเนิน")
    assert "อ.สูงเนิน จ.นครราชสีมา" in consent["text"]


def test_the_sign_up_can_be_cancelled_and_answers_are_validated(app: Flask, line: LineEmulator) -> None:
    ask(app, line, "สมัครอาสา")
    assert "ไม่มีลิงก์" in ask(app, line, "ดูที่ https://example.com")["text"]
    ask(app, line, "น้องฝน")
    assert "ไม่พบจังหวัดนี้" in ask(app, line, "ดาวอังคาร")["text"]
    assert "ยกเลิกการสมัครแล้ว" in ask(app, line, "ยกเลิก")["text"]
    with services(app).db.session() as session:
        user = find_user(session, USER)
        assert user is not None and user.state is None and session.get(Volunteer, user.id) is None


def test_declining_consent_stores_nothing(app: Flask, line: LineEmulator) -> None:
    client = app.test_client()
    ask(app, line, "สมัครอาสา")
    ask(app, line, "น้องฝน")
    districts = ask(app, line, "หนองคาย")
    consent = pick(app, client, line, districts, "อ.โพธิ์ตาก")
    assert "ยกเลิกการสมัครแล้ว" in pick(app, client, line, consent, "ไม่ยินยอม")["text"]
    with services(app).db.session() as session:
        user = find_user(session, USER)
        assert user is not None and user.province_code is None and session.get(Volunteer, user.id) is None


def test_a_volunteers_tip_carries_their_province(auto_app: Flask, line: LineEmulator) -> None:
    register(auto_app, line)
    tip_off(auto_app, auto_app.test_client(), line, USER, "ด่วน!! ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์")
    with services(auto_app).db.session() as session:
        assert session.scalars(select(Tip.province_code)).all() == ["43"]


def test_a_citizen_asking_for_a_profile_is_invited_to_register(app: Flask, line: LineEmulator) -> None:
    reply = ask(app, line, "โปรไฟล์ อสด.")
    assert "ยังไม่ได้สมัคร" in reply["text"] and labels(reply) == ["สมัครอาสา"]
    with services(app).db.session() as session:
        assert session.scalars(select(User)).one().role is Role.CITIZEN


def test_a_menu_tap_during_sign_up_is_not_taken_as_an_answer(app: Flask, line: LineEmulator) -> None:
    ask(app, line, "สมัครอาสา")
    assert "จังหวัดไหน" not in ask(app, line, "หลักสูตร")["text"]  # not "คุณหลักสูตร อยู่จังหวัดไหนคะ"
    assert "จังหวัดไหน" in ask(app, line, "น้องฝน")["text"]  # the sign-up still waits for its answer


def test_an_abandoned_sign_up_expires(app: Flask, line: LineEmulator) -> None:
    ask(app, line, "สมัครอาสา")
    with services(app).db.session() as session:
        user = find_user(session, USER)
        assert user is not None and user.state_data is not None
        user.state_data = {**user.state_data, "asked_at": "2020-01-01T00:00:00+00:00"}
    assert "ส่งให้เจ้าหน้าที่ตรวจสอบไหม" in ask(app, line, "ด่วน ออมสินปิดทุกสาขาพรุ่งนี้ ส่งต่อด้วย")["text"]
