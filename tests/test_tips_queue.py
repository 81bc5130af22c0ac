"""The tip pipeline on real Redis and RQ: nothing lost, nothing sent twice, SLA timers that fire on demand."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select, update

from bot.devtools.line_emulator import LineEmulator
from data.coordinators import make_coordinator
from data.models import BANGKOK, Agency, Case, CaseRequester, CaseStatus, Tip, User, Verdict, utcnow
from data.tips import reference
from data.verdicts import give_verdict
from tests.conftest import finish, make_app, rq_queue, services
from tests.conversation import button_data, drain, last_to, quick_reply_data, rule, send_postback, send_text, tip_off
from tests.services import REDIS_URL, require_redis
from tests.test_tips import five_citizens_one_case_one_verdict
from workers.coordination import send_verdict_to_requesters
from workers.housekeeping import HOUSEKEEPING_JOB_ID, housekeep

COORDINATOR, DESK = "U" + "c" * 32, "U" + "d" * 32
CITIZENS = [f"U{index:032x}" for index in range(1, 4)]
RUMOUR = "ด่วน!! ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์ ส่งต่อด้วยนะ"


@pytest.fixture()
def app(tmp_path: Path, line: LineEmulator) -> Iterator[Flask]:
    redis = require_redis()
    app = make_app(f"sqlite:///{tmp_path / 'tips.sqlite3'}", line.base_url, REDIS_URL=REDIS_URL)
    with services(app).db.session() as session:
        session.add(Agency(code="afnc", name="ศูนย์ต่อต้านข่าวปลอม", categories=[], keywords=[], aliases=[]))
        session.add(Agency(code="gsb", name="ธนาคารออมสิน", categories=[], keywords=["ออมสิน"], aliases=[],
                           sla_hours=2.0))
        session.flush()
        make_coordinator(session, COORDINATOR, "gsb", actor="test")
        make_coordinator(session, DESK, "afnc", actor="test")
    yield app
    finish(app)
    redis.flushdb()
    redis.close()


def the_case(app: Flask) -> Case:
    with services(app).db.session() as session:
        return session.scalars(select(Case)).one()


def test_five_citizens_one_case_one_verdict_through_rq_workers(app: Flask, line: LineEmulator) -> None:
    with services(app).db.session() as session:  # the scenario's coordinator works for the bank, as in test_tips
        assert session.get(Agency, "gsb") is not None
    five_citizens_one_case_one_verdict(app, app.test_client(), line)


def test_a_tip_whose_job_was_lost_is_routed_by_the_sweeper(app: Flask, line: LineEmulator) -> None:
    client = app.test_client()
    rq_queue(app).connection.flushdb()

    send_text(client, line, CITIZENS[0], RUMOUR)
    drain(app)
    send_postback(client, line, CITIZENS[0], quick_reply_data(last_to(line, CITIZENS[0]).messages[-1], "ส่งเลย"))
    rq_queue(app).connection.flushdb()  # Redis restarts and loses the queued route job (it keeps nothing on disk)
    drain(app)
    with services(app).db.session() as session:
        tip = session.scalars(select(Tip)).one()
        assert tip.submitted_at is not None and tip.routed_at is None  # stored, so not lost
        session.execute(update(Tip).values(submitted_at=tip.submitted_at - timedelta(minutes=3)))
    result = app.test_cli_runner().invoke(args=["tips", "requeue"])
    assert "re-enqueued 1" in result.output, result.output
    drain(app)
    case = the_case(app)
    assert (case.requester_count, case.agency_code) == (1, "gsb")
    assert len(line.delivered(COORDINATOR)) == 1


def test_a_fan_out_rerun_after_a_crash_sends_nobody_a_second_copy(app: Flask, line: LineEmulator) -> None:
    client = app.test_client()
    for user in CITIZENS:
        tip_off(app, client, line, user, RUMOUR)
    with services(app).db.session() as session:
        case = session.scalars(select(Case)).one()
        coordinator = session.scalars(select(User).where(User.line_user_id == COORDINATOR)).one()
        give_verdict(session, case, Verdict.FAKE, "ไม่จริง", None, coordinator, None)
    with app.app_context():
        assert send_verdict_to_requesters(the_case(app).id) == 3
    with services(app).db.session() as session:  # the worker died after LINE accepted, before recording it
        session.execute(update(CaseRequester).values(notified_at=None))
    with app.app_context():
        assert send_verdict_to_requesters(the_case(app).id) == 3  # re-run: LINE answers 409, nothing re-sent
    for user in CITIZENS:
        assert len([d for d in line.delivered(user) if d.kind == "multicast"]) == 1
    assert [r.status for r in line.requests if r.path == "/v2/bot/message/multicast"][-1] == 409


def test_sla_timers_remind_then_escalate_to_the_afnc_desk(app: Flask, line: LineEmulator) -> None:
    tip_off(app, app.test_client(), line, CITIZENS[0], RUMOUR)
    case = the_case(app)
    registry = ScheduledJobRegistry(queue=rq_queue(app).queue)
    scheduled = {job_id: registry.get_scheduled_time(job_id) for job_id in registry.get_job_ids()}
    assert abs(scheduled[f"remind-case-{case.id}"] - (case.created_at + timedelta(hours=1))) < timedelta(seconds=2)
    assert abs(scheduled[f"escalate-case-{case.id}"] - case.due_at) < timedelta(seconds=2)  # type: ignore[operator]
    assert f"update-case-{case.id}" in scheduled

    for job_id in (f"remind-case-{case.id}", f"escalate-case-{case.id}", f"update-case-{case.id}"):
        job = rq_queue(app).queue.fetch_job(job_id)
        assert job is not None
        registry.remove(job)
        rq_queue(app).queue.enqueue_job(job)  # "now" is the scheduled time: the test moves the clock, not sleep
    drain(app)
    reminder = line.delivered(COORDINATOR)[-1].messages[0]["text"]
    assert "ใช้เวลาไปครึ่งหนึ่งแล้วค่ะ ควรตอบภายใน" in reminder
    assert f"{case.due_at.astimezone(BANGKOK):%H:%M} น." in reminder  # type: ignore[union-attr]
    escalated = the_case(app)
    assert (escalated.agency_code, escalated.routed_by, escalated.status) == ("afnc", "escalated", CaseStatus.OPEN)
    assert "เกินกำหนดตอบ" in str(line.delivered(DESK)[-1].messages[0])
    assert "ยังอยู่ระหว่างตรวจสอบ" in line.delivered(CITIZENS[0])[-1].messages[0]["text"]


def test_the_afnc_desk_can_act_on_any_agencys_case(app: Flask, line: LineEmulator) -> None:
    client = app.test_client()
    tip_off(app, client, line, CITIZENS[0], RUMOUR)
    card = line.delivered(COORDINATOR)[0].messages[0]
    send_postback(client, line, DESK, button_data(card, "รับเรื่อง"))
    drain(app)
    assert last_to(line, DESK).messages[0]["text"].startswith("รับเรื่องที่")


def test_a_case_whose_announcement_was_lost_is_announced_by_the_sweeper(app: Flask, line: LineEmulator) -> None:
    tip_off(app, app.test_client(), line, CITIZENS[0], RUMOUR)
    with services(app).db.session() as session:  # as if the worker died before announcing it
        session.execute(update(Case).values(announced_at=None, created_at=utcnow() - timedelta(minutes=3)))
    rq_queue(app).connection.flushdb()
    assert "re-enqueued 1" in app.test_cli_runner().invoke(args=["tips", "requeue"]).output
    drain(app)
    # The card goes out again with the same retry key: LINE, which has it, answers 409 and nobody gets it twice;
    # had it never been sent, this is the send. The SLA timers are set again.
    assert [r.status for r in line.requests if r.path == "/v2/bot/message/multicast"] == [200, 409]
    assert len(line.delivered(COORDINATOR)) == 1
    case = the_case(app)
    assert case.announced_at is not None
    assert f"escalate-case-{case.id}" in ScheduledJobRegistry(queue=rq_queue(app).queue).get_job_ids()


# -- jobs lost with Redis, re-derived from the database by housekeeping --------------------------------------------


def housekeep_now(app: Flask) -> None:
    """A housekeeping run, as a sampled webhook or `flask worker` starting enqueues it, and every job it drives."""
    rq_queue(app).enqueue(housekeep, job_id=HOUSEKEEPING_JOB_ID)
    drain(app)


def shift_case(app: Flask, **ages: timedelta) -> None:
    """Set the case's timestamps by age: `created_at=timedelta(hours=1)` is an hour ago, a negative age ahead."""
    now = utcnow()
    with services(app).db.session() as session:
        session.execute(update(Case).values(**{field: now - age for field, age in ages.items()}))


def test_a_verdict_whose_fan_out_was_lost_with_redis_reaches_everyone_once(app: Flask, line: LineEmulator) -> None:
    client = app.test_client()
    for user in CITIZENS:
        tip_off(app, client, line, user, RUMOUR)
    card = line.delivered(COORDINATOR)[0].messages[0]
    rule(app, client, line, COORDINATOR, card, "ข่าวปลอม", "ไม่จริง ธนาคารไม่มีโครงการนี้")
    drain(app)
    send_postback(client, line, COORDINATOR, quick_reply_data(last_to(line, COORDINATOR).messages[0], "ใช้หัวข้อนี้"))
    rq_queue(app).connection.flushdb()  # Redis restarts empty: the fan-out job is gone, the coordinator was told
    housekeep_now(app)
    assert all(line.delivered(user)[-1].kind == "reply" for user in CITIZENS)  # too soon to call it lost

    shift_case(app, answered_at=timedelta(minutes=3))
    housekeep_now(app)
    housekeep_now(app)  # a second run finds nothing left to send
    for user in CITIZENS:
        assert [d.messages[1]["altText"].startswith("ผลตรวจสอบ: ข่าวปลอม") for d in line.delivered(user)
                if d.kind == "multicast"] == [True], user


def test_sla_timers_lost_with_redis_run_once_from_the_database(app: Flask, line: LineEmulator) -> None:
    tip_off(app, app.test_client(), line, CITIZENS[0], RUMOUR)
    rq_queue(app).connection.flushdb()  # the three timers waited in Redis
    shift_case(app, created_at=timedelta(hours=1, minutes=10), due_at=-timedelta(minutes=50))
    housekeep_now(app)  # half time passed: the reminder, and only it
    assert "ใช้เวลาไปครึ่งหนึ่งแล้วค่ะ ควรตอบภายใน" in line.delivered(COORDINATOR)[-1].messages[0]["text"]
    assert the_case(app).agency_code == "gsb" and line.delivered(DESK) == []

    shift_case(app, created_at=timedelta(hours=25), due_at=timedelta(hours=23))
    housekeep_now(app)  # due and a day old: escalated to the desk, and the citizen told it is still checked
    housekeep_now(app)
    assert (the_case(app).agency_code, the_case(app).routed_by) == ("afnc", "escalated")
    assert ["เกินกำหนดตอบ" in str(d.messages[0]) for d in line.delivered(DESK)] == [True]
    assert len(line.delivered(COORDINATOR)) == 2  # the case card, then one reminder
    assert ["ยังอยู่ระหว่างตรวจสอบ" in d.messages[0].get("text", "") for d in line.delivered(CITIZENS[0])
            if d.kind == "multicast"] == [True]


def test_a_reference_reply_lost_with_redis_is_sent_once(app: Flask, line: LineEmulator) -> None:
    client = app.test_client()
    send_text(client, line, CITIZENS[0], RUMOUR)
    drain(app)
    send_postback(client, line, CITIZENS[0], quick_reply_data(last_to(line, CITIZENS[0]).messages[-1], "ส่งเลย"))
    rq_queue(app).connection.flushdb()  # the reply with the reference (and the routing job) are gone
    with services(app).db.session() as session:
        tip = session.scalars(select(Tip)).one()
        session.execute(update(Tip).values(submitted_at=utcnow() - timedelta(minutes=3)))
    housekeep_now(app)
    housekeep_now(app)
    with services(app).db.session() as session:
        ref = reference(session, tip.id)
    references = [d for d in line.delivered(CITIZENS[0]) if ref in d.messages[0].get("text", "")]
    assert [d.kind for d in references] == ["push"]
    assert the_case(app).requester_count == 1 and len(line.delivered(COORDINATOR)) == 1  # routed, announced
