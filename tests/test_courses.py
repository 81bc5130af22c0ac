"""Courses in LINE: the catalogue, one course, sessions near the user or in a named place, "สนใจ" with a
reminder the day before (fired by moving the clock, never by sleeping), and "ยกเลิก"."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from bot.devtools.line_emulator import LineEmulator
from bot.line import postback
from data.courses import reminder_time
from data.models import BANGKOK, CourseInterest, CourseSession
from tests import conversation
from tests.conftest import finish, make_app, rq_queue, services
from tests.conversation import button_data, drain, last_to, quick_reply_data, send_postback, send_text
from tests.knowledge import days_ahead, seed_knowledge, seed_sessions, send_location, session_row
from tests.services import REDIS_URL, require_redis
from workers.reminders import reminder_job_id, sweep_course_reminders

USER = "U" + "f2" * 16
TITLES = ["ผู้ประกอบการดิจิทัล", "พาณิชย์ดิจิทัล", "ถ่ายทอดสดสำหรับการค้าออนไลน์", "การตลาดดิจิทัล",
          "การตระหนักรู้ด้านดิจิทัล", "หลักสูตรอาสาสมัครดิจิทัล (อสด.)"]


def seed(app: Flask, tmp_path: Path) -> None:
    seed_knowledge(app)
    seed_sessions(app, tmp_path,
                  session_row("dcc-live-commerce", "dcc-43-pho-tak", days_ahead(10)),
                  session_row("dcc-digital-marketing", "dcc-65-phitsanulok-pittayakhom", days_ahead(12, 13)),
                  session_row("dcc-digital-commerce", "dcc-43-pho-tak", days_ahead(20, 13),
                              note="illustrative (not a real session)"),
                  session_row("dcc-digital-awareness", "dcc-10-de-hq-building-c", days_ahead(-3)))


@pytest.fixture()
def seeded(app: Flask, tmp_path: Path) -> Flask:
    seed(app, tmp_path)
    return app


def ask(app: Flask, line: LineEmulator, text: str) -> list[dict[str, Any]]:
    return conversation.ask(app, line, USER, text)


def flat(node: Any) -> str:
    return json.dumps(node, ensure_ascii=False)


def session_id(app: Flask, course: str) -> int:
    with services(app).db.session() as session:
        return session.scalars(select(CourseSession.id).where(CourseSession.course_code == course)).one()


def test_the_catalogue_lists_every_course(seeded: Flask, line: LineEmulator) -> None:
    _intro, catalogue = ask(seeded, line, "หลักสูตร")
    assert catalogue["type"] == "flex" and catalogue["contents"]["type"] == "carousel"
    text = flat(catalogue["contents"])
    assert all(title in text for title in TITLES)


def test_a_named_course_shows_its_details(seeded: Flask, line: LineEmulator) -> None:
    (card,) = ask(seeded, line, "คอร์สการตลาดดิจิทัลมีไหมคะ")
    assert card["altText"] == "หลักสูตร การตลาดดิจิทัล"


def test_sessions_in_a_named_province_are_upcoming_only_and_examples_say_so(seeded: Flask, line: LineEmulator) -> None:
    intro, sessions = ask(seeded, line, "อบรมที่หนองคาย มีรอบไหนบ้าง")
    assert "จ.หนองคาย" in intro["text"] and "ตัวอย่าง" in intro["text"]
    text = flat(sessions["contents"])
    assert "ถ่ายทอดสดสำหรับการค้าออนไลน์" in text and "พาณิชย์ดิจิทัล" in text
    assert "การตลาดดิจิทัล" not in text  # Phitsanulok
    assert "ตัวอย่างเพื่อสาธิต ไม่ใช่รอบจริง" in text


def test_sessions_near_a_shared_location_come_nearest_first(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    assert "ส่งตำแหน่ง" in ask(seeded, line, "รอบอบรมใกล้ฉัน")[0]["text"]
    send_location(client, line, USER, 16.82, 100.26)  # Phitsanulok
    drain(seeded)
    _intro, sessions = last_to(line, USER).messages
    bubbles = sessions["contents"]["contents"] if sessions["contents"]["type"] == "carousel" else [sessions["contents"]]
    assert "การตลาดดิจิทัล" in flat(bubbles[0])
    send_location(client, line, USER, 16.82, 100.26)  # the next location is a centre search again
    drain(seeded)
    assert last_to(line, USER).messages[0]["text"].startswith("ศูนย์ที่ใกล้คุณที่สุด")


def test_interest_is_recorded_once_and_cancelled_by_text(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    _intro, sessions = ask(seeded, line, "อบรม พิษณุโลก")
    send_postback(client, line, USER, button_data(sessions, "สนใจ"))
    drain(seeded)
    assert "จดไว้แล้วว่าคุณสนใจรอบนี้ค่ะ" in last_to(line, USER).messages[0]["text"]
    send_postback(client, line, USER, button_data(sessions, "สนใจ"))
    drain(seeded)
    assert "ไว้แล้ว" in last_to(line, USER).messages[0]["text"]
    assert "ยกเลิกความสนใจ การตลาดดิจิทัล แล้ว" in ask(seeded, line, "ยกเลิก")[0]["text"]
    assert "ยังไม่มีรอบอบรม" in ask(seeded, line, "ยกเลิก")[0]["text"]


def test_with_two_registrations_cancel_asks_which(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    for course in ("dcc-live-commerce", "dcc-digital-marketing"):
        send_postback(client, line, USER, postback.encode("int", i=session_id(seeded, course)))
    drain(seeded)
    question = ask(seeded, line, "ยกเลิก")[0]
    labels = [item["action"]["label"] for item in question["quickReply"]["items"]]
    assert len(labels) == 2
    send_postback(client, line, USER, quick_reply_data(question, labels[0]))
    drain(seeded)
    assert "ถ่ายทอดสด" in last_to(line, USER).messages[0]["text"]
    with services(seeded).db.session() as session:
        assert [i.cancelled_at is None for i in session.scalars(select(CourseInterest).order_by(CourseInterest.id))] \
            == [False, True]


def test_a_session_that_already_started_cannot_be_registered(seeded: Flask, line: LineEmulator) -> None:
    send_postback(seeded.test_client(), line, USER, postback.encode("int", i=session_id(seeded, "dcc-digital-awareness")))
    drain(seeded)
    assert "เริ่มไปแล้ว" in last_to(line, USER).messages[0]["text"]


def test_the_reminder_is_09_00_bangkok_the_day_before_or_none_when_too_close() -> None:
    starts = datetime(2026, 12, 12, 9, 0, tzinfo=BANGKOK)
    assert reminder_time(starts, datetime(2026, 12, 1, tzinfo=BANGKOK)) == datetime(2026, 12, 11, 9, 0, tzinfo=BANGKOK)
    assert reminder_time(starts, datetime(2026, 12, 11, 10, 0, tzinfo=BANGKOK)) is None
    late = datetime(2026, 12, 12, 0, 30, tzinfo=BANGKOK)  # just after midnight: still the 11th the day before
    assert reminder_time(late, datetime(2026, 12, 1, tzinfo=BANGKOK)) == datetime(2026, 12, 11, 9, 0, tzinfo=BANGKOK)


@pytest.fixture()
def rq_app(tmp_path: Path, line: LineEmulator) -> Iterator[Flask]:
    redis = require_redis()
    app = make_app(f"sqlite:///{tmp_path / 'courses.sqlite3'}", line.base_url, REDIS_URL=REDIS_URL)
    seed(app, tmp_path)
    yield app
    finish(app)
    redis.flushdb()
    redis.close()


def _fire(app: Flask, job_id: str) -> None:
    """Run a scheduled job now: the test moves the clock to its time instead of sleeping."""
    queue = rq_queue(app).queue
    registry = ScheduledJobRegistry(queue=queue)
    job = queue.fetch_job(job_id)
    assert job is not None
    registry.remove(job)
    queue.enqueue_job(job)
    drain(app)


def test_the_reminder_is_scheduled_for_the_day_before_and_pushed_when_it_fires(
        rq_app: Flask, line: LineEmulator) -> None:
    client = rq_app.test_client()
    send_postback(client, line, USER, postback.encode("int", i=session_id(rq_app, "dcc-live-commerce")))
    drain(rq_app)
    with services(rq_app).db.session() as session:
        interest = session.scalars(select(CourseInterest)).one()
    job_id = reminder_job_id(interest.id)
    scheduled = ScheduledJobRegistry(queue=rq_queue(rq_app).queue).get_scheduled_time(job_id)
    assert scheduled == days_ahead(9, 9)  # 09:00 Bangkok, the day before a session on day 10
    _fire(rq_app, job_id)
    reminder = last_to(line, USER)
    # The wall clock is still 10 days early, so the wording is "เร็วๆ นี้"; bot/course_flex's tests pin "พรุ่งนี้".
    assert reminder.kind == "push" and "มีอบรม “ถ่ายทอดสดสำหรับการค้าออนไลน์”" in reminder.messages[0]["text"]
    with rq_app.app_context():
        assert sweep_course_reminders() == 0  # sent once: the sweeper has nothing to re-drive


def test_a_cancelled_interest_gets_no_reminder(rq_app: Flask, line: LineEmulator) -> None:
    client = rq_app.test_client()
    send_postback(client, line, USER, postback.encode("int", i=session_id(rq_app, "dcc-live-commerce")))
    drain(rq_app)
    send_text(client, line, USER, "ยกเลิก")
    drain(rq_app)
    pushes = len([d for d in line.delivered(USER) if d.kind == "push"])
    with services(rq_app).db.session() as session:
        interest = session.scalars(select(CourseInterest)).one()
    _fire(rq_app, reminder_job_id(interest.id))
    assert len([d for d in line.delivered(USER) if d.kind == "push"]) == pushes


def test_a_reminder_whose_timer_was_lost_is_re_driven_by_housekeeping(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    send_postback(client, line, USER, postback.encode("int", i=session_id(seeded, "dcc-live-commerce")))
    drain(seeded)
    with services(seeded).db.session() as session:  # the reminder time has come, and the timer is gone
        interest = session.scalars(select(CourseInterest)).one()
        interest.remind_at = interest.remind_at - timedelta(days=30)  # type: ignore[operator]
    with seeded.app_context():
        assert sweep_course_reminders() == 1
    drain(seeded)
    assert "อบรม “ถ่ายทอดสดสำหรับการค้าออนไลน์”" in last_to(line, USER).messages[0]["text"]
