"""The tip loop end to end: citizens → one case → the routed agency's coordinator → verdict → every citizen."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from bot.devtools.line_emulator import LineEmulator
from data.coordinators import make_coordinator
from data.models import Agency, AuditEntry, Case, CaseRequester, Claim, ClaimOrigin, Tip, utcnow
from tests.conftest import services
from tests.conversation import (
    button_data,
    confirm_title,
    drain,
    last_to,
    quick_reply_data,
    send_postback,
    send_text,
    tip_off,
)
from workers.housekeeping import housekeep

COORDINATOR = "U" + "c" * 32
CITIZENS = [f"U{index:032x}" for index in range(1, 7)]
WORDINGS = [
    "ด่วน!! ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์ ส่งต่อด้วยนะ",
    "ออมสินแจกเงินผู้สูงอายุ คนละ 3000 บาท ลงทะเบียนทางลิงก์ในไลน์ได้เลย",
    "ที่เขาแชร์กันว่าออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ต้องลงทะเบียนผ่านลิงก์ในไลน์ จริงไหมคะ",
    "เพื่อนส่งมา ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท แค่ลงทะเบียนผ่านลิงก์ในไลน์",
    "ออมสิน แจกเงิน ผู้สูงอายุ คนละ ๓,๐๐๐ บาท ลงทะเบียนผ่านลิงก์ ในไลน์ 🙏",
    "ส่งต่อให้คนที่คุณรัก ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์",
]
"""Six wordings of one rumour nobody has verified yet."""


def seed_desk(app: Flask) -> None:
    """Two agencies and one coordinator for the bank."""
    with services(app).db.session() as session:
        session.add(Agency(code="afnc", name="ศูนย์ต่อต้านข่าวปลอม", categories=[], keywords=[], aliases=[]))
        session.add(Agency(code="gsb", name="ธนาคารออมสิน", categories=["การเงิน-หุ้น"], keywords=["ออมสิน"],
                           aliases=[]))
        session.flush()
        make_coordinator(session, COORDINATOR, "gsb", actor="test")


@pytest.fixture()
def desk(app: Flask) -> Flask:
    seed_desk(app)
    return app


def count(app: Flask, model: type) -> int:
    with services(app).db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_five_wordings_one_case_one_verdict_for_all(desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    five_citizens_one_case_one_verdict(desk, client, line)


def five_citizens_one_case_one_verdict(desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    """The issue's scenario, shared by the in-process and the RQ runs."""
    for user, text in zip(CITIZENS[:5], WORDINGS[:5]):
        tip_off(desk, client, line, user, text)
    tip_off(desk, client, line, CITIZENS[0], WORDINGS[0])  # the same citizen again: still one requester
    with services(desk).db.session() as session:
        case = session.scalars(select(Case)).one()
        assert (case.requester_count, case.agency_code, case.routed_by) == (5, "gsb", "keywords")
    assert count(desk, CaseRequester) == 5 and count(desk, Tip) == 6

    cards = line.delivered(COORDINATOR)
    assert len(cards) == 1 and cards[0].kind == "multicast"
    card = cards[0].messages[0]
    assert "ผู้ส่ง 1 คน" in json.dumps(card, ensure_ascii=False)  # pushed when the case opened
    send_postback(client, line, COORDINATOR, button_data(card, "รับเรื่อง"))
    drain(desk)  # each answer before the next tap, so "พิมพ์คำอธิบาย" is the last one
    send_postback(client, line, COORDINATOR, button_data(card, "ข่าวปลอม"))
    drain(desk)
    assert "พิมพ์คำอธิบาย" in last_to(line, COORDINATOR).messages[0]["text"]
    send_text(client, line, COORDINATOR, "ออมสินไม่มีโครงการแจกเงินผ่านลิงก์ในไลน์ https://www.gsb.or.th/news")
    confirm_title(desk, client, line, COORDINATOR)
    assert "กำลังแจ้งผู้ส่ง 5 คน" in last_to(line, COORDINATOR).messages[0]["text"]

    for user in CITIZENS[:5]:
        verdicts = [d for d in line.delivered(user) if d.kind == "multicast"]
        assert len(verdicts) == 1, user
        assert verdicts[0].messages[1]["altText"].startswith("ผลตรวจสอบ: ข่าวปลอม")
    with services(desk).db.session() as session:
        claim = session.scalars(select(Claim)).one()
        assert (claim.origin, claim.agency, claim.source_url) == (ClaimOrigin.COORDINATOR, "ธนาคารออมสิน",
                                                                   "https://www.gsb.or.th/news")

    send_text(client, line, CITIZENS[5], WORDINGS[5])  # a sixth citizen, later: answered at once
    drain(desk)
    answer = last_to(line, CITIZENS[5]).messages[0]
    assert answer["type"] == "flex" and answer["altText"].startswith("ผลตรวจสอบ: ข่าวปลอม")

    send_postback(client, line, COORDINATOR, button_data(card, "ข่าวจริง"))  # too late: already decided
    drain(desk)
    assert "ตัดสินแล้วโดย" in last_to(line, COORDINATOR).messages[0]["text"]


def test_a_citizen_replaying_a_coordinator_button_is_refused(desk: Flask, client: FlaskClient,
                                                             line: LineEmulator) -> None:
    tip_off(desk, client, line, CITIZENS[0], WORDINGS[0])
    card = line.delivered(COORDINATOR)[0].messages[0]
    for label in ("รับเรื่อง", "ข่าวจริง"):
        send_postback(client, line, CITIZENS[1], button_data(card, label))
    forged = button_data(card, "รับเรื่อง").rsplit("&s=", 1)[0] + "&s=0000000000000000"
    send_postback(client, line, COORDINATOR, forged)
    drain(desk)
    assert all("สำหรับเจ้าหน้าที่" in d.messages[0]["text"] for d in line.delivered(CITIZENS[1]))
    assert "สำหรับเจ้าหน้าที่" in last_to(line, COORDINATOR).messages[0]["text"]
    with services(desk).db.session() as session:
        refused = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("refused.%"))).all()
        case = session.scalars(select(Case)).one()
        assert sorted(refused) == ["refused.bad_postback", "refused.take", "refused.verdict"]
        assert case.taken_by is None


def test_a_citizen_tapping_a_coordinators_cancel_button_is_refused(desk: Flask, client: FlaskClient,
                                                                   line: LineEmulator) -> None:
    tip_off(desk, client, line, CITIZENS[0], WORDINGS[0])
    send_postback(client, line, COORDINATOR, button_data(line.delivered(COORDINATOR)[0].messages[0], "ข่าวปลอม"))
    drain(desk)
    cancel = quick_reply_data(last_to(line, COORDINATOR).messages[0], "ยกเลิก")  # signed for the coordinator

    send_postback(client, line, CITIZENS[1], cancel)
    drain(desk)
    assert "สำหรับเจ้าหน้าที่" in last_to(line, CITIZENS[1]).messages[0]["text"]
    send_postback(client, line, COORDINATOR, cancel)  # the coordinator's own tap still cancels
    drain(desk)
    assert last_to(line, COORDINATOR).messages[0]["text"].startswith("ยกเลิกแล้ว")
    with services(desk).db.session() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("%cancel%"))).all()
        assert sorted(actions) == ["case.verdict_cancelled", "refused.cancel"]


def test_admin_api_lists_open_cases_and_agency_figures(desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    tip_off(desk, client, line, CITIZENS[0], WORDINGS[0])
    assert client.get("/api/v1/admin/cases").status_code == 404  # ADMIN_TOKEN unset: no admin API
    desk.config["ADMIN_TOKEN"] = "s3cret"
    assert client.get("/api/v1/admin/cases", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/api/v1/admin/cases", headers={"Authorization": "s3cret"}).status_code == 401  # no scheme
    cases = client.get("/api/v1/admin/cases", headers={"Authorization": "Bearer s3cret"}).json["cases"]
    assert [(c["agency"], c["requesters"], c["overdue"]) for c in cases] == [("gsb", 1, False)]
    figures = client.get("/api/v1/admin/agencies", headers={"Authorization": "Bearer s3cret"}).json["agencies"]
    assert {row["code"]: row["open"] for row in figures} == {"afnc": 0, "gsb": 1}


def test_an_invited_coordinator_registers_in_line_and_gets_the_menu(desk: Flask, client: FlaskClient,
                                                                    line: LineEmulator) -> None:
    runner = desk.test_cli_runner()
    assert runner.invoke(args=["richmenu", "deploy"]).exit_code == 0
    invite = runner.invoke(args=["coordinators", "invite", "--agency", "gsb"])
    assert invite.exit_code == 0 and invite.output.startswith("ลงทะเบียน ")
    newcomer = CITIZENS[4]
    send_text(client, line, newcomer, invite.output.strip())
    drain(desk)
    assert "ลงทะเบียนเป็นเจ้าหน้าที่" in last_to(line, newcomer).messages[0]["text"]
    assert line.rich_menus.menu_for(newcomer) == line.rich_menus.aliases["coordinator"]
    send_text(client, line, CITIZENS[3], invite.output.strip())  # the code works once
    drain(desk)
    assert "ไม่ถูกต้องหรือถูกใช้ไปแล้ว" in last_to(line, CITIZENS[3]).messages[0]["text"]
    assert runner.invoke(args=["coordinators", "remove", "--user-id", newcomer]).exit_code == 0
    drain(desk)
    assert newcomer not in line.rich_menus.user_links
    assert line.rich_menus.menu_for(newcomer) == line.rich_menus.aliases["citizen"]  # the channel default
    with services(desk).db.session() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == newcomer)).all()
        assert actions.count("role.change") == 2 and "coordinator.agency" in actions


def test_housekeeping_forgets_drafts_nobody_sent(desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    send_text(client, line, CITIZENS[0], WORDINGS[0])  # offered, never sent
    tip_off(desk, client, line, CITIZENS[1], WORDINGS[1])  # sent
    with services(desk).db.session() as session:
        session.execute(update(Tip).values(created_at=utcnow() - timedelta(days=2)))
    with desk.app_context():
        housekeep()
    with services(desk).db.session() as session:
        assert [tip.submitted_at is not None for tip in session.scalars(select(Tip))] == [True]
