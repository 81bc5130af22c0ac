"""PDPA rights through the webhook: the privacy notice, "ข้อมูลของฉัน", and "ลบข้อมูลของฉัน" with its
confirmation; erasure keeps shared records anonymously, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import body_of, follow_event, post, user_source
from bot.flex.components import PRIVACY_COMMAND
from bot.line import postback
from data.audit import AuditAction
from data.coordinators import create_invite, make_coordinator, redeem_invite
from data.courses import interest_count, register_interest
from data.models import (
    Agency,
    AuditEntry,
    Base,
    Case,
    CaseRequester,
    CaseStatus,
    Claim,
    CoordinatorInvite,
    CourseInterest,
    CourseSession,
    Role,
    Tip,
    User,
    Verdict,
    VerdictFeedback,
    Volunteer,
    utcnow,
)
from data.privacy import ANONYMISED_LINKS, DELETED_LINKS, ERASED_PREFIX
from data.users import find_user
from data.volunteers import register_volunteer
from handlers.privacy import (
    ASK_TO_ERASE,
    ERASE_COMMAND,
    ERASED,
    KEPT,
    MY_DATA_COMMAND,
    PRIVACY_NOTICE,
    STALE_CONFIRMATION,
)
from nlp.places import load_gazetteer
from tests.conftest import CHANNEL_SECRET, finish, make_app, services
from tests.conversation import (
    button_data,
    confirm_title,
    drain,
    last_to,
    quick_reply_data,
    rule,
    send_postback,
    send_text,
    tip_off,
)
from tests.knowledge import days_ahead, seed_knowledge, seed_sessions, session_row
from tests.services import REDIS_URL, require_redis

CITIZEN, NEIGHBOUR, COORDINATOR = "U" + "a1" * 16, "U" + "b2" * 16, "U" + "c3" * 16
RUMOUR = "ด่วน!! ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์ ส่งต่อด้วยนะ"
OTHER_RUMOUR = "ออมสินเปิดให้กู้ฉุกเฉิน 50,000 บาท ไม่ต้องค้ำประกัน สมัครผ่านเพจเฟซบุ๊กนี้เท่านั้น"
DRAFT = "เพื่อนบอกว่าน้ำมะนาวผสมโซดารักษามะเร็งได้ทุกชนิดภายในเจ็ดวัน จริงไหมคะ"
POTAK_DISTRICT = "4317"
"""อ.โพธิ์ตาก จ.หนองคาย, where the sample course session is."""


@pytest.fixture()
def desk(app: Flask) -> Flask:
    """The central desk and the bank, which the rumour names."""
    with services(app).db.session() as session:
        session.add(Agency(code="afnc", name="ศูนย์ต่อต้านข่าวปลอม", categories=[], keywords=[], aliases=[]))
        session.add(Agency(code="gsb", name="ธนาคารออมสิน", categories=[], keywords=["ออมสิน"], aliases=[]))
    return app


def texts_to(line: LineEmulator, user: str) -> list[str]:
    return [message.get("text") or message.get("altText", "") for delivery in line.delivered(user)
            for message in delivery.messages]


def user_row(app: Flask, line_user_id: str) -> User | None:
    with services(app).db.session() as session:
        user = find_user(session, line_user_id)
        if user is not None:
            session.expunge(user)
        return user


def profile_requests(line: LineEmulator, user: str) -> int:
    return sum(1 for request in line.requests if request.method == "GET" and request.path.endswith(f"/profile/{user}"))


def ask_to_erase(app: Flask, client: FlaskClient, line: LineEmulator, user: str) -> dict[str, Any]:
    send_text(client, line, user, ERASE_COMMAND)
    drain(app)
    return next(message for delivery in reversed(line.delivered(user)) for message in delivery.messages
                if message.get("text") == ASK_TO_ERASE)


# -- the notice -----------------------------------------------------------------------------------------------


def test_following_shows_the_full_notice_and_records_when(app: Flask, client: FlaskClient, line: LineEmulator) -> None:
    post(client, body_of(follow_event(CITIZEN, line.issue_reply_token(user_source(CITIZEN)))), CHANNEL_SECRET)
    drain(app)
    messages = line.delivered(CITIZEN)[0].messages
    assert [message["type"] for message in messages] == ["text", "flex", "text"]
    assert messages[-1]["text"] == PRIVACY_NOTICE and "quickReply" in messages[-1]
    for stored in ("รหัสผู้ใช้ LINE", "ชื่อที่แสดงในโปรไฟล์ LINE", "ส่งให้เจ้าหน้าที่", "สนใจ", "สมัครอาสา",
                   "เพื่อตอบคุณ", "จนกว่าคุณจะขอลบ", MY_DATA_COMMAND, ERASE_COMMAND):
        assert stored in PRIVACY_NOTICE, stored
    user = user_row(app, CITIZEN)
    assert user is not None and user.privacy_notice_at is not None


def test_help_leads_to_the_notice_and_the_command_shows_it(app: Flask, client: FlaskClient,
                                                            line: LineEmulator) -> None:
    send_text(client, line, CITIZEN, "ช่วยเหลือ")
    drain(app)
    guide = last_to(line, CITIZEN).messages[0]
    footer = guide["contents"]["footer"]["contents"]
    privacy_line = next(part for part in footer if part["type"] == "text")
    assert privacy_line["action"] == {"type": "message", "label": PRIVACY_COMMAND, "text": PRIVACY_COMMAND}
    user = user_row(app, CITIZEN)
    assert user is not None and user.privacy_notice_at is None  # the one-line footer is not the notice

    send_text(client, line, CITIZEN, f"  {PRIVACY_COMMAND} ")
    drain(app)
    notice = last_to(line, CITIZEN).messages[0]
    assert notice["text"] == PRIVACY_NOTICE
    assert [item["action"]["text"] for item in notice["quickReply"]["items"]] == [
        MY_DATA_COMMAND, ERASE_COMMAND, "ช่วยเหลือ"]
    user = user_row(app, CITIZEN)
    assert user is not None and user.privacy_notice_at is not None


# -- what is stored -------------------------------------------------------------------------------------------


def seed_citizen(app: Flask, client: FlaskClient, line: LineEmulator, tmp_path: Path) -> None:
    """CITIZEN, named by LINE, a volunteer of อ.โพธิ์ตาก, with a tip in a case NEIGHBOUR also asked about, an unsent
    draft, a course session they are interested in and a 👍 on a verdict."""
    seed_knowledge(app)
    seed_sessions(app, tmp_path, session_row("dcc-live-commerce", "dcc-43-pho-tak", days_ahead(10)))
    line.set_profile(CITIZEN, "สมศรี ใจดี")
    line.set_profile(NEIGHBOUR, "ป้าข้างบ้าน")
    tip_off(app, client, line, CITIZEN, RUMOUR)
    tip_off(app, client, line, NEIGHBOUR, RUMOUR)
    send_text(client, line, CITIZEN, DRAFT)  # offered, never sent
    with services(app).db.session() as session:
        user = find_user(session, CITIZEN)
        assert user is not None
        register_volunteer(session, user, "ศรีอาสา", "43", POTAK_DISTRICT, auto_approve=True)
        course_session = session.scalars(select(CourseSession)).one()
        register_interest(session, user, course_session, utcnow())
        session.add(Claim(id="afnc-0000000001", text="ดื่มน้ำมะนาวรักษามะเร็ง", verdict=Verdict.FAKE))
    send_postback(client, line, CITIZEN, postback.encode("fb", c="afnc-0000000001", v=1))
    drain(app)


def test_my_data_shows_what_is_stored_about_the_sender_only(app: Flask, desk: Flask, client: FlaskClient,
                                                             line: LineEmulator, tmp_path: Path) -> None:
    seed_citizen(app, client, line, tmp_path)
    send_text(client, line, CITIZEN, MY_DATA_COMMAND)
    drain(app)
    text = last_to(line, CITIZEN).messages[0]["text"]
    place = load_gazetteer().place(POTAK_DISTRICT)
    assert place is not None
    for expected in ("ชื่อจากโปรไฟล์ LINE: สมศรี ใจดี", "บทบาท: อาสาสมัครดิจิทัล (อสด.)", f"พื้นที่: {place.label()}",
                     "สมัครอาสา: อนุมัติแล้ว (ชื่อที่แจ้ง: ศรีอาสา)", "ให้ความยินยอมเมื่อ:", "เริ่มใช้ช่วยเช็ก:",
                     "ใช้งานล่าสุด:", "ข้อความที่ส่งให้เจ้าหน้าที่: 1 เรื่อง (รอผลตรวจ 1 เรื่อง)",
                     "รอบอบรมที่สนใจ 1 รอบ:", "ถ่ายทอดสดสำหรับการค้าออนไลน์",
                     "ความเห็นต่อผลตรวจ: 👍 มีประโยชน์ 1 ครั้ง · 👎 ไม่ตรง 0 ครั้ง"):
        assert expected in text, (expected, text)
    assert "ป้าข้างบ้าน" not in text and RUMOUR not in text and NEIGHBOUR not in text and CITIZEN not in text

    send_text(client, line, NEIGHBOUR, MY_DATA_COMMAND)
    drain(app)
    theirs = last_to(line, NEIGHBOUR).messages[0]["text"]
    for expected in ("ชื่อจากโปรไฟล์ LINE: ป้าข้างบ้าน", "บทบาท: ประชาชนทั่วไป", "สมัครอาสา: ยังไม่ได้สมัคร",
                     "ข้อความที่ส่งให้เจ้าหน้าที่: 1 เรื่อง", "รอบอบรมที่สนใจ: ยังไม่มี", "ความเห็นต่อผลตรวจ: ยังไม่มี"):
        assert expected in theirs, (expected, theirs)
    assert "สมศรี" not in theirs and "ศรีอาสา" not in theirs and "พื้นที่" not in theirs


# -- erasure --------------------------------------------------------------------------------------------------


def test_erasure_asks_first_and_cancelling_keeps_everything(app: Flask, client: FlaskClient,
                                                             line: LineEmulator) -> None:
    question = ask_to_erase(app, client, line, CITIZEN)
    assert [item["action"]["type"] for item in question["quickReply"]["items"]] == ["postback", "postback"]
    send_postback(client, line, CITIZEN, quick_reply_data(question, "ยกเลิก"))
    drain(app)
    assert last_to(line, CITIZEN).messages[0]["text"] == KEPT
    send_postback(client, line, CITIZEN, quick_reply_data(question, "ยืนยันลบ"))  # the cancelled request
    drain(app)
    assert last_to(line, CITIZEN).messages[0]["text"] == STALE_CONFIRMATION

    late = ask_to_erase(app, client, line, CITIZEN)
    with services(app).db.session() as session:
        user = find_user(session, CITIZEN)
        assert user is not None and user.state_data is not None
        user.state_data = {**user.state_data, "asked_at": (utcnow() - timedelta(minutes=11)).isoformat()}
    send_postback(client, line, CITIZEN, quick_reply_data(late, "ยืนยันลบ"))
    drain(app)
    assert last_to(line, CITIZEN).messages[0]["text"] == STALE_CONFIRMATION
    assert user_row(app, CITIZEN) is not None


def test_erasure_deletes_the_person_and_keeps_counts_anonymously(app: Flask, desk: Flask, client: FlaskClient,
                                                                 line: LineEmulator, tmp_path: Path) -> None:
    seed_citizen(app, client, line, tmp_path)
    line.rich_menus.user_links[CITIZEN] = "richmenu-volunteer"  # as the approval's menu job left it
    with services(app).db.session() as session:
        user = find_user(session, CITIZEN)
        assert user is not None and user.role is Role.VOLUNTEER
        citizen_id = user.id
        case = session.scalars(select(Case)).one()
        case_id, requesters = case.id, case.requester_count
        seats = interest_count(session, session.scalars(select(CourseSession.id)).one())
        assert requesters == 2 and seats == 1
        assert session.scalars(select(AuditEntry).where(AuditEntry.object_id == CITIZEN)).all()

    question = ask_to_erase(app, client, line, CITIZEN)
    profile_fetches = profile_requests(line, CITIZEN)
    send_postback(client, line, CITIZEN, quick_reply_data(question, "ยืนยันลบ"))
    drain(app)
    assert last_to(line, CITIZEN).messages[0]["text"] == ERASED
    assert CITIZEN not in line.rich_menus.user_links  # unlinked by the role-menu job, which found no user
    assert profile_requests(line, CITIZEN) == profile_fetches  # nothing in the erasing event fetched a profile

    with services(app).db.session() as session:
        assert find_user(session, CITIZEN) is None and session.get(User, citizen_id) is None
        tips = session.scalars(select(Tip).order_by(Tip.id)).all()
        assert [(tip.text, tip.user_id is None) for tip in tips] == [(RUMOUR, True), (RUMOUR, False)]  # draft gone
        case = session.get(Case, case_id)
        assert case is not None and case.requester_count == requesters
        neighbour = find_user(session, NEIGHBOUR)
        assert neighbour is not None
        assert session.scalars(select(CaseRequester.user_id)).all() == [neighbour.id]
        interest = session.scalars(select(CourseInterest)).one()
        assert interest.user_id is None and interest_count(session, interest.session_id) == seats
        assert session.scalars(select(VerdictFeedback.user_id)).all() == [None]
        assert session.scalars(select(Volunteer)).all() == []
        audit = session.scalars(select(AuditEntry)).all()
        assert not [entry for entry in audit if CITIZEN in json.dumps(
            [entry.actor, entry.object_id, entry.detail], ensure_ascii=False)]
        erase = [entry for entry in audit if entry.action == AuditAction.USER_ERASE]
        assert len(erase) == 1 and erase[0].object_id.startswith(ERASED_PREFIX)
        assert erase[0].detail["tips.user_id"] == 1 and erase[0].detail["tips.draft"] == 1
        role_change = [entry for entry in audit if entry.action == "role.change"]
        assert [entry.object_id for entry in role_change] == [erase[0].object_id]  # still countable, by nobody


def test_the_next_message_after_erasure_starts_a_fresh_user(app: Flask, desk: Flask, client: FlaskClient,
                                                            line: LineEmulator) -> None:
    line.set_profile(CITIZEN, "สมศรี ใจดี")
    tip_off(app, client, line, CITIZEN, RUMOUR)
    before = user_row(app, CITIZEN)
    question = ask_to_erase(app, client, line, CITIZEN)
    send_postback(client, line, CITIZEN, quick_reply_data(question, "ยืนยันลบ"))
    drain(app)
    assert user_row(app, CITIZEN) is None

    send_text(client, line, CITIZEN, MY_DATA_COMMAND)
    drain(app)
    text = last_to(line, CITIZEN).messages[0]["text"]
    assert "ข้อความที่ส่งให้เจ้าหน้าที่: 0 เรื่อง" in text and "บทบาท: ประชาชนทั่วไป" in text
    after = user_row(app, CITIZEN)
    assert before is not None and after is not None
    assert after.created_at > before.created_at and after.state is None and after.role is Role.CITIZEN
    with services(app).db.session() as session:
        assert session.scalars(select(Tip.user_id)).all() == [None]  # the old tip does not follow them back


def test_a_confirmation_only_ever_erases_its_own_sender(app: Flask, client: FlaskClient, line: LineEmulator) -> None:
    theirs = quick_reply_data(ask_to_erase(app, client, line, CITIZEN), "ยืนยันลบ")
    send_postback(client, line, NEIGHBOUR, theirs)  # someone else replays it
    drain(app)
    ask_to_erase(app, client, line, NEIGHBOUR)
    send_postback(client, line, NEIGHBOUR, theirs)  # with a pending request of their own
    send_postback(client, line, CITIZEN, theirs.replace("n=", "n=0"))  # edited
    drain(app)
    assert texts_to(line, NEIGHBOUR).count(STALE_CONFIRMATION) == 2
    assert last_to(line, CITIZEN).messages[0]["text"] == STALE_CONFIRMATION
    assert user_row(app, CITIZEN) is not None and user_row(app, NEIGHBOUR) is not None

    send_postback(client, line, CITIZEN, theirs)
    drain(app)
    assert user_row(app, CITIZEN) is None and user_row(app, NEIGHBOUR) is not None
    send_postback(client, line, CITIZEN, theirs)  # tapped again: a new, empty user is not erased by it
    drain(app)
    assert last_to(line, CITIZEN).messages[0]["text"] == STALE_CONFIRMATION
    with services(app).db.session() as session:
        assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.USER_ERASE)).all()) == 1


def test_erasing_a_coordinator_keeps_their_verdicts_and_frees_their_cases(app: Flask, desk: Flask,
                                                                          client: FlaskClient,
                                                                          line: LineEmulator) -> None:
    send_text(client, line, COORDINATOR, "สวัสดีค่ะ")
    with services(app).db.session() as session:
        coordinator = find_user(session, COORDINATOR)
        assert coordinator is not None
        redeem_invite(session, create_invite(session, "gsb", actor="test"), coordinator)
    tip_off(app, client, line, CITIZEN, RUMOUR)
    tip_off(app, client, line, NEIGHBOUR, OTHER_RUMOUR)
    answered, taken = [delivery.messages[0] for delivery in line.delivered(COORDINATOR) if delivery.kind == "multicast"]
    for card, steps in ((answered, ("รับเรื่อง", "ข่าวปลอม")), (taken, ("รับเรื่อง",))):
        for label in steps:
            send_postback(client, line, COORDINATOR, button_data(card, label))
            drain(app)  # each answer arrives before the next tap, so the title question is the last message
    send_text(client, line, COORDINATOR, "ออมสินไม่มีโครงการแจกเงินผ่านลิงก์ในไลน์ https://www.gsb.or.th/news")
    confirm_title(app, client, line, COORDINATOR)
    line.rich_menus.user_links[COORDINATOR] = "richmenu-coordinator"
    with services(app).db.session() as session:
        acted = len(session.scalars(select(AuditEntry).where(AuditEntry.actor == COORDINATOR)).all())
        assert acted >= 3  # took two cases, gave a verdict

    question = ask_to_erase(app, client, line, COORDINATOR)
    send_postback(client, line, COORDINATOR, quick_reply_data(question, "ยืนยันลบ"))
    drain(app)
    assert COORDINATOR not in line.rich_menus.user_links
    with services(app).db.session() as session:
        assert find_user(session, COORDINATOR) is None
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        assert [(case.status, case.taken_by) for case in cases] == [(CaseStatus.ANSWERED, None), (CaseStatus.OPEN, None)]
        assert session.scalars(select(Claim.verified_by)).all() == [None]
        assert session.scalars(select(CoordinatorInvite.used_by)).all() == [None]
        erase = session.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.USER_ERASE)).one()
        assert len(session.scalars(select(AuditEntry).where(AuditEntry.actor == erase.actor)).all()) == acted + 1
        assert not session.scalars(select(AuditEntry).where(
            (AuditEntry.actor == COORDINATOR) | (AuditEntry.object_id == COORDINATOR))).all()


def test_every_link_to_users_is_erased_explicitly() -> None:
    """A new table that points at users must be listed in data.privacy, or erasing would miss it (SQLite and
    PostgreSQL would then also disagree on what is left)."""
    links = {(table.name, column.name) for table in Base.metadata.tables.values() for column in table.columns
             for key in column.foreign_keys if key.column.table.name == "users"}
    handled = {(column.class_.__tablename__, column.key) for column in (*ANONYMISED_LINKS, *DELETED_LINKS)}
    assert links == handled


# -- logs -----------------------------------------------------------------------------------------------------


def test_logs_at_info_never_contain_what_people_wrote(app: Flask, desk: Flask, client: FlaskClient,
                                                      line: LineEmulator, caplog: pytest.LogCaptureFixture) -> None:
    seed_knowledge(app)
    caplog.set_level(logging.INFO)
    centre_question = "ศูนย์ดิจิทัลชุมชน อำเภอโพธิ์ตาก เปิดกี่โมงคะ"
    sent = [RUMOUR, centre_question, MY_DATA_COMMAND, DRAFT, ERASE_COMMAND]
    tip_off(app, client, line, CITIZEN, RUMOUR)
    for text in sent[1:-1]:
        send_text(client, line, CITIZEN, text)
        drain(app)
    assert "ส่งให้เจ้าหน้าที่ตรวจสอบไหม" in last_to(line, CITIZEN).messages[-1]["text"]  # DRAFT was offered
    send_postback(client, line, CITIZEN, quick_reply_data(ask_to_erase(app, client, line, CITIZEN), "ยืนยันลบ"))
    drain(app)
    assert last_to(line, CITIZEN).messages[0]["text"] == ERASED
    assert any("webhook_event" in record.getMessage() for record in caplog.records)  # logging was captured
    for record in caplog.records:
        logged = record.getMessage() + repr(record.args)
        for text in sent:
            assert text not in logged and json.dumps(text)[1:-1] not in logged, (record.name, logged)


def test_logs_at_debug_never_contain_a_line_user_id(tmp_path: Path, line: LineEmulator,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    """Through RQ on Redis, with the worker `flask worker` runs (non-forking, so its records are captured here),
    a first contact, a tip, a coordinator's verdict and its fan-out, at DEBUG: no record names either user."""
    redis = require_redis()
    app = make_app(f"sqlite:///{tmp_path / 'logs.sqlite3'}", line.base_url, REDIS_URL=REDIS_URL)
    try:
        with services(app).db.session() as session:
            session.add(Agency(code="afnc", name="ศูนย์ต่อต้านข่าวปลอม", categories=[], keywords=[], aliases=[]))
            session.add(Agency(code="gsb", name="ธนาคารออมสิน", categories=[], keywords=["ออมสิน"], aliases=[]))
            session.flush()
            make_coordinator(session, COORDINATOR, "gsb", actor="test")
        line.set_profile(CITIZEN, "สมชาย")
        caplog.set_level(logging.DEBUG)
        client = app.test_client()
        post(client, body_of(follow_event(CITIZEN, line.issue_reply_token(user_source(CITIZEN)))), CHANNEL_SECRET)
        tip_off(app, client, line, CITIZEN, RUMOUR)
        card = line.delivered(COORDINATOR)[0].messages[0]
        rule(app, client, line, COORDINATOR, card, "ข่าวปลอม", "ไม่จริง ธนาคารไม่มีโครงการนี้")
        confirm_title(app, client, line, COORDINATOR)
        assert "ผลตรวจสอบ" in texts_to(line, CITIZEN)[-2]  # the verdict reached the citizen
        assert any(record.name.startswith("rq.") for record in caplog.records)  # the worker's logging was captured
        for record in caplog.records:
            logged = record.getMessage() + repr(record.args) + (record.exc_text or "")
            for user in (CITIZEN, COORDINATOR):
                assert user not in logged, (record.name, logged)
    finally:
        finish(app)
        redis.flushdb()
        redis.close()
