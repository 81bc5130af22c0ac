"""Issue 13: the tip loop as citizens, coordinators and volunteers really use it, one conversation per fix."""
from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import body_of, message_event, post, user_source
from bot.line import postback
from data.coordinators import make_coordinator
from data.models import Agency, Claim, Tip, User, utcnow
from tests import test_volunteers
from tests.conftest import CHANNEL_SECRET, services
from tests.conversation import (
    ask,
    ask_postback,
    button_data,
    confirm_title,
    drain,
    last_to,
    quick_reply_data,
    seen_text,
    send_postback,
    tip_off,
)
from tests.knowledge import seed_knowledge, send_location
from tests.test_check import FORWARDED, write_claims
from tests.test_tips import seed_desk
from tests.test_volunteers import register as register_volunteer

COORDINATOR = "U" + "c" * 32
DESK = "U" + "d" * 32
CITIZEN = "U" + "1" * 32
OLD_TRUE, FAKE = "afnc-896144158c", "afnc-2170bbe3c3"
"""A true claim about a registration in 2564, and the fake that tests.test_check.FORWARDED matches."""
RUMOUR = "ด่วน!! ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์ ส่งต่อด้วยนะ"


@pytest.fixture()
def desk(app: Flask) -> Flask:
    """The AFNC desk and a bank, each with one coordinator."""
    seed_desk(app)
    with services(app).db.session() as session:
        make_coordinator(session, DESK, "afnc", actor="test")
    return app


def test_a_coordinator_typing_menu_words_gets_the_menu_not_a_tip_offer(desk: Flask, client: FlaskClient,
                                                                       line: LineEmulator) -> None:
    mine = ask(desk, line, COORDINATOR, "งานของฉัน")
    assert mine[0]["text"].startswith("ตอนนี้คุณยังไม่ได้รับเรื่องไหนไว้ค่ะ")
    assert ask(desk, line, COORDINATOR, "งานรอตรวจ")[0]["text"] == "ตอนนี้ไม่มีเรื่องรอตรวจค่ะ 🎉"
    tip_off(desk, client, line, CITIZEN, RUMOUR)
    queue = ask(desk, line, COORDINATOR, " งานรอตรวจ ")
    assert queue[0]["type"] == "flex" and "งานรอตรวจ" in queue[0]["altText"]
    assert ask(desk, line, COORDINATOR, "ช่วยเหลือ")[0]["text"].startswith("เมนูเจ้าหน้าที่")
    assert ask(desk, line, COORDINATOR, "สถิติ")[0]["text"].startswith("สถิติหน่วยงาน")


def test_reference_numbers_count_submitted_tips_only(desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    for text in ("ด่วน! กินกระเทียมสดรักษาโรคความดันได้หายขาด", "ธนาคารจะปิดบัญชีที่ไม่เคลื่อนไหวภายในสิ้นเดือนนี้"):
        offer = ask(desk, line, CITIZEN, text)[-1]
        send_postback(client, line, CITIZEN, quick_reply_data(offer, "ไม่ต้อง"))  # two drafts, never sent
        drain(desk)
    offer = ask(desk, line, "U" + "2" * 32, "น้ำมะนาวโซดาฆ่าเซลล์มะเร็งได้ภายในสามวัน")[-1]  # a draft left waiting
    tip_off(desk, client, line, CITIZEN, RUMOUR)
    assert "เลขที่อ้างอิง T-000001" in last_to(line, CITIZEN).messages[0]["text"]
    send_postback(client, line, "U" + "2" * 32, quick_reply_data(offer, "ส่งเลย"))
    send_postback(client, line, "U" + "2" * 32, quick_reply_data(offer, "ส่งเลย"))  # a second tap: same number
    drain(desk)
    assert [("T-000002" in d.messages[0]["text"]) for d in line.delivered("U" + "2" * 32)[-2:]] == [True, True]


@pytest.mark.parametrize("text, starts", [
    ("ขอบคุณค่ะ", "ขอบคุณเช่นกันค่ะ"), ("🙏", "ขอบคุณเช่นกันค่ะ"), ("thank you", "ขอบคุณเช่นกันค่ะ"),
    ("555", "😊 ข่าวไหนไม่แน่ใจ"), ("จริงไหม", "ข่าวไหนคะ"), ("จริงมั้ยคะ?", "ข่าวไหนคะ"),
    ("ข่าวนี้จริงไหม", "ข่าวไหนคะ"), ("สวัสดีค่ะ", "สวัสดีค่ะ 😊"),
])
def test_small_talk_is_answered_in_kind(desk: Flask, line: LineEmulator, text: str, starts: str) -> None:
    (reply,) = ask(desk, line, CITIZEN, text)
    assert reply["text"].startswith(starts)


def test_a_pending_volunteer_asking_for_trends_is_told_the_application_waits(app: Flask,
                                                                             line: LineEmulator) -> None:
    assert register_volunteer(app, line)["text"].startswith("ได้รับใบสมัครแล้วค่ะ")
    (reply,) = ask(app, line, test_volunteers.USER, "เทรนด์")
    assert reply["text"].startswith("ใบสมัคร อสด. ของคุณรอเจ้าหน้าที่อนุมัติอยู่ค่ะ") and "สมัครอาสา" not in reply["text"]


@pytest.mark.parametrize("question", ["อยากเป็น อสด. ต้องทำยังไง", "อยากเป็น อสด."])
def test_wanting_to_be_a_volunteer_is_pointed_at_the_bots_own_sign_up(app: Flask, line: LineEmulator,
                                                                       question: str) -> None:
    seed_knowledge(app)
    reply = ask(app, line, CITIZEN, question)[-1]
    assert "“สมัครอาสา”" in reply["text"]
    assert reply["quickReply"]["items"][0]["action"]["text"] == "สมัครอาสา"
    guide = ask(app, line, CITIZEN, "ช่วยเหลือ")[-1]
    assert "สมัครอาสา" in json.dumps(guide["contents"], ensure_ascii=False)


def decide(app: Flask, client: FlaskClient, line: LineEmulator, coordinator: str, explanation: str) -> None:
    """The coordinator takes the newest case card pushed to them, calls it fake and explains."""
    card = [d for d in line.delivered(coordinator) if d.kind == "multicast"][-1].messages[0]
    send_postback(client, line, coordinator, button_data(card, "รับเรื่อง"))
    send_postback(client, line, coordinator, button_data(card, "ข่าวปลอม"))
    drain(app)
    ask(app, line, coordinator, explanation)
    confirm_title(app, client, line, coordinator)


def verdict_card_text(line: LineEmulator, user: str) -> str:
    card = next(m for d in reversed(line.delivered(user)) for m in d.messages if m["type"] == "flex")
    return json.dumps(card["contents"], ensure_ascii=False)


def test_a_verdict_credits_the_agency_that_decided_it(desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    tip_off(desk, client, line, CITIZEN, RUMOUR)
    decide(desk, client, line, COORDINATOR, "ออมสินไม่มีโครงการแจกเงินผ่านลิงก์ในไลน์")
    card = verdict_card_text(line, CITIZEN)
    assert "ที่มา: ธนาคารออมสิน" in card and "ศูนย์ต่อต้านข่าวปลอม" not in card and "AFNC" not in card
    with services(desk).db.session() as session:
        claim_id = session.scalars(select(Claim.id)).one()
    send_postback(client, line, CITIZEN, postback.encode("fwd", c=claim_id))
    drain(desk)
    forward = last_to(line, CITIZEN).messages[0]["text"]
    assert "ที่มา: ธนาคารออมสิน" in forward and "ศูนย์ต่อต้านข่าวปลอม" not in forward

    other = "U" + "3" * 32
    tip_off(desk, client, line, other, "ด่วน! ดื่มน้ำมะพร้าวผสมเกลือทุกเช้า รักษาโรคไตได้หายขาดภายในเจ็ดวัน")
    decide(desk, client, line, DESK, "ไม่มีหลักฐานทางการแพทย์ว่าน้ำมะพร้าวผสมเกลือรักษาโรคไตได้")
    card = verdict_card_text(line, other)
    assert card.count("ศูนย์ต่อต้านข่าวปลอม") == 1


def test_every_verdict_card_is_dated_and_an_old_time_bound_truth_says_it_may_be_outdated(
        app: Flask, line: LineEmulator, tmp_path: Path) -> None:
    claims = write_claims(tmp_path / "c.csv", (OLD_TRUE, FAKE))
    assert app.test_cli_runner().invoke(args=["claims", "import", str(claims)]).exit_code == 0
    (card,) = ask(app, line, CITIZEN, "เปิดลงทะเบียนคนละครึ่ง เฟส 3 อีก 1.1 แสนสิทธิ วันที่ 1 พ.ย. 64")
    assert card["altText"].startswith("ผลตรวจสอบ: ข่าวจริง")
    text = json.dumps(card["contents"], ensure_ascii=False)
    assert "ตรวจสอบเมื่อ: 30 ต.ค. 2564" in text and "ข้อมูลเมื่อ 30 ต.ค. 2564 อาจไม่เป็นปัจจุบัน" in text
    (card,) = ask(app, line, CITIZEN, FORWARDED)
    text = json.dumps(card["contents"], ensure_ascii=False)
    assert card["altText"].startswith("ผลตรวจสอบ: ข่าวปลอม") and "ตรวจสอบเมื่อ: " in text
    assert "อาจไม่เป็นปัจจุบัน" not in text  # a fake stays fake


BANK = ("afnc-2170bbe3c3", "afnc-c47a40ffd7", "afnc-0cb6339d4b", "afnc-1fbcbb635d", "afnc-51c9fdbc41",
        "afnc-7263099080", "afnc-f82f9ff45a")


def test_suggestions_ask_which_story_and_both_ways_out_offer_the_tip(app: Flask, client: FlaskClient,
                                                                     line: LineEmulator, tmp_path: Path) -> None:
    assert app.test_cli_runner().invoke(args=["claims", "import", str(write_claims(tmp_path / "c.csv", BANK))]
                                        ).exit_code == 0
    intro, carousel = ask(app, line, CITIZEN, "ออมสินปล่อยสินเชื่อ กู้ได้ทุกอาชีพ")
    assert intro["text"] == "ยังไม่พบเรื่องที่ตรงกันแน่ชัดค่ะ\nข้อความของคุณคือเรื่องไหนในนี้คะ?"
    bubbles = carousel["contents"]["contents"]
    assert all(b["body"]["contents"][0]["text"] == "ใช่เรื่องนี้ไหม?" for b in bubbles[:-1])
    assert "ข่าวปลอม:" not in carousel["altText"] and carousel["altText"].startswith("ข้อความของคุณคือเรื่องไหน")
    send_postback(client, line, CITIZEN, button_data(bubbles[-1], "ไม่ตรงเรื่องไหนเลย"))
    drain(app)
    assert "ส่งข้อความของคุณให้เจ้าหน้าที่ตรวจสอบไหมคะ" in last_to(line, CITIZEN).messages[0]["text"]

    send_postback(client, line, CITIZEN, button_data(bubbles[0], "ใช่ เรื่องนี้"))
    drain(app)
    verdict = last_to(line, CITIZEN).messages[0]
    send_postback(client, line, CITIZEN, button_data(verdict, "👎 ไม่ตรง"))  # the same way out as ไม่ใช่เรื่องนี้
    drain(app)
    offer = last_to(line, CITIZEN).messages[0]
    assert "ส่งข้อความของคุณให้เจ้าหน้าที่ตรวจสอบไหมคะ" in offer["text"]
    send_postback(client, line, CITIZEN, quick_reply_data(offer, "ส่งเลย"))
    drain(app)
    assert "เลขที่อ้างอิง T-000001" in last_to(line, CITIZEN).messages[0]["text"]


def test_the_listed_thai_fixes_reach_people(desk: Flask, client: FlaskClient, line: LineEmulator,
                                            tmp_path: Path) -> None:
    seed_knowledge(desk)
    assert desk.test_cli_runner().invoke(args=["claims", "import", str(write_claims(tmp_path / "c.csv", (FAKE,)))]
                                         ).exit_code == 0
    said = [json.dumps(message, ensure_ascii=False) for text in
            ("ใช้ช่วยเช็กตรวจข่าวยังไง", "สังเกตข่าวปลอมยังไง", "หลักสูตร", "ลบข้อมูลของฉัน") for message in
            ask(desk, line, CITIZEN, text)]
    (card,) = ask(desk, line, CITIZEN, FORWARDED)
    send_postback(client, line, CITIZEN, button_data(card, "👍 มีประโยชน์"))
    drain(desk)
    said.append(last_to(line, CITIZEN).messages[0]["text"])
    said.append(ask(desk, line, COORDINATOR, "สถิติ")[0]["text"])
    everything = "\n".join(said)
    for wrong in ("ไหมค่ะ", "ช่วยให้ช่วยเช็กตอบ", "ออนไซต์", "มัธยฐาน", "ตัดความเชื่อมโยง", "ฉบับร่าง"):
        assert wrong not in everything, wrong
    assert "ความเห็นนี้ช่วยให้เราตอบได้แม่นยำขึ้น" in everything and "ครึ่งหนึ่งของเรื่องตอบภายใน" in everything


def test_details_sent_after_ขอข้อมูลเพิ่ม_attach_to_the_case_and_reach_the_coordinator(
        desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    tip_off(desk, client, line, CITIZEN, RUMOUR)
    card = line.delivered(COORDINATOR)[0].messages[0]
    send_postback(client, line, COORDINATOR, button_data(card, "ขอข้อมูลเพิ่ม"))
    drain(desk)
    request = last_to(line, CITIZEN).messages[0]["text"]
    assert "ภายใน 24 ชั่วโมง" in request and "ออมสินแจกเงินผู้สูงอายุ" in request

    (ack,) = ask(desk, line, CITIZEN, "ได้มาจากกลุ่มไลน์หมู่บ้านค่ะ ลิงก์นี้ https://example.com/oomsin")
    assert ack["text"].startswith("ได้รับข้อมูลเพิ่มเติมแล้วค่ะ") and "10 นาที" in ack["text"]
    pushed = last_to(line, COORDINATOR).messages[0]["text"]
    assert pushed.startswith("📎 ผู้แจ้งเรื่องที่") and "กลุ่มไลน์หมู่บ้าน" in pushed
    post(client, body_of(message_event(CITIZEN, {"type": "image", "id": "5550001",
                                                 "contentProvider": {"type": "line"}, "quoteToken": "q-1"},
                                       line.issue_reply_token(user_source(CITIZEN)))), CHANNEL_SECRET)
    drain(desk)
    assert last_to(line, CITIZEN).messages[0]["text"].startswith("ได้รับข้อมูลเพิ่มเติมแล้วค่ะ")
    assert last_to(line, COORDINATOR).messages[0]["text"].endswith("(รูปภาพ)")

    queue = json.dumps(ask(desk, line, COORDINATOR, "งานรอตรวจ")[0], ensure_ascii=False)
    assert "📎 ข้อมูลเพิ่มจากผู้แจ้ง: ได้มาจากกลุ่มไลน์หมู่บ้าน" in queue and "(รูปภาพ)" in queue
    with services(desk).db.session() as session:
        assert session.scalar(select(func.count()).select_from(Tip)) == 1  # not a new rumour, not a new case
        user = session.scalars(select(User).where(User.line_user_id == CITIZEN)).one()
        user.state_data = {**user.state_data, "asked_at": (utcnow() - timedelta(minutes=11)).isoformat()}
    offer = ask(desk, line, CITIZEN, "ด่วน! กินกระเทียมสดรักษาโรคความดันได้หายขาด")[-1]
    assert "ส่งให้เจ้าหน้าที่ตรวจสอบไหม" in offer["text"]  # later messages are new ones again
    assert "ข้อมูลเพิ่มที่ส่งตามคำขอของเจ้าหน้าที่: 2 ครั้ง" in ask(desk, line, CITIZEN, "ข้อมูลของฉัน")[0]["text"]


CHAIN = "เรื่อง: ด่วนมาก!! ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท กดลิงก์ https://gsb-gift.example/x 🔋🔋 ส่งต่อกันด้วย"


def test_a_verdict_goes_out_under_a_title_the_coordinator_confirmed_or_wrote(
        desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    tip_off(desk, client, line, CITIZEN, CHAIN)
    card = line.delivered(COORDINATOR)[0].messages[0]
    send_postback(client, line, COORDINATOR, button_data(card, "ข่าวปลอม"))
    drain(desk)
    (question,) = ask(desk, line, COORDINATOR, "ออมสินไม่มีโครงการแจกเงินผ่านลิงก์ https://www.gsb.or.th/news")
    assert "“ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท กดลิงก์”" in question["text"]  # prefilled, cleaned
    assert not any(d.kind == "multicast" for d in line.delivered(CITIZEN))  # nothing goes out before the title
    assert ask(desk, line, COORDINATOR, "ออมสิน" * 40)[0]["text"].startswith("ขอหัวข้อสั้น ๆ")  # still asked
    (done,) = ask(desk, line, COORDINATOR, "ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาทผ่านลิงก์")  # written instead
    assert "กำลังแจ้งผู้ส่ง 1 คน" in done["text"]
    verdict = [d for d in line.delivered(CITIZEN) if d.kind == "multicast"][-1].messages[1]
    assert verdict["altText"] == "ผลตรวจสอบ: ข่าวปลอม — ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาทผ่านลิงก์"
    text = json.dumps(verdict, ensure_ascii=False)
    assert "ด่วนมาก" not in text and "🔋" not in text and "ส่งต่อกันด้วย" not in text
    with services(desk).db.session() as session:
        assert session.scalars(select(Claim.text)).one() == "ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาทผ่านลิงก์"


BANGKOK_BANK = "U" + "b" * 32
THREE_BANKS = (("bbl", "ธนาคารกรุงเทพ", "กรุงเทพ"), ("ktb", "ธนาคารกรุงไทย", "กรุงไทย"))


def test_not_this_agency_offers_agencies_by_name_and_a_search_and_never_shows_codes(
        desk: Flask, client: FlaskClient, line: LineEmulator) -> None:
    """Item 4: the reroute went to the wrong bank, named by its code, and cards showed "(ใกล้เคียงที่สุด: pea 13%)"."""
    with services(desk).db.session() as session:
        for code, name, keyword in THREE_BANKS:
            session.add(Agency(code=code, name=name, categories=["การเงิน-หุ้น"], keywords=[keyword], aliases=[]))
        session.flush()
        make_coordinator(session, BANGKOK_BANK, "bbl", actor="test")
    tip_off(desk, client, line, CITIZEN, "ออมสินร่วมกับกรุงไทยและกรุงเทพ โอนเงินเยียวยาให้ทุกคนที่ลงทะเบียนผ่านลิงก์นี้")
    card = line.delivered(COORDINATOR)[0].messages[0]
    choices = ask_postback(desk, client, line, COORDINATOR, button_data(card, "ไม่ใช่หน่วยงานนี้"))
    shown = seen_text(choices)
    assert "ธนาคารกรุงไทย" in shown and "ธนาคารกรุงเทพ" in shown and "ศูนย์ต่อต้านข่าวปลอม" in shown
    assert "พิมพ์ชื่อหน่วยงาน" in shown
    (nothing,) = ask(desk, line, COORDINATOR, "กรมที่ไม่มีจริง xyz")
    assert nothing["text"].startswith("ไม่พบหน่วยงานที่ชื่อตรงกับ")
    (found,) = ask(desk, line, COORDINATOR, "ธนาคารกรุงเทพ")
    assert found["altText"] == "หน่วยงานที่ชื่อตรงกับ “ธนาคารกรุงเทพ”"
    assert "ธนาคารกรุงเทพ" in seen_text([found]) and "ธนาคารกรุงไทย" not in seen_text([found])
    (done,) = ask_postback(desk, client, line, COORDINATOR, button_data(found, "ส่งให้หน่วยงานนี้"))
    assert done["text"] == f"ส่งเรื่องที่ {case_id_of(card)} ต่อให้ ธนาคารกรุงเทพ แล้วค่ะ"
    drain(desk)
    assert "ส่งต่อจากหน่วยงานอื่น" in seen_text(last_to(line, BANGKOK_BANK).messages)
    offer = ask(desk, line, COORDINATOR, "ด่วน! กินกระเทียมสดรักษาโรคความดันได้หายขาด")[-1]
    assert "ส่งให้เจ้าหน้าที่ตรวจสอบไหม" in offer["text"]  # the search ended with the choice

    everything = seen_text([m for user in (COORDINATOR, DESK, BANGKOK_BANK) for d in line.delivered(user)
                            for m in d.messages])
    assert "%" not in everything and not {"gsb", "bbl", "ktb", "afnc"} & set(re.findall(r"[a-z]+", everything))


def case_id_of(card: dict[str, Any]) -> int:
    return int(card["contents"]["header"]["contents"][0]["text"].removeprefix("เรื่องที่ "))


def test_a_scam_lure_and_a_victim_get_safety_advice_first_then_the_tip_offer(desk: Flask, client: FlaskClient,
                                                                              line: LineEmulator) -> None:
    """Item 9: both got "ยังไม่พบผลตรวจสอบ… อย่าเพิ่งแชร์ต่อ" and nothing else."""
    advice, offer = ask(desk, line, CITIZEN, "แม่โดนหลอกโอนเงินไป 5 หมื่น ทำยังไงดีคะ")
    assert advice["text"].startswith("เสียใจด้วยนะคะ") and "1441" in advice["text"]
    assert "thaipoliceonline.go.th" in advice["text"] and "อายัด" in advice["text"]
    assert "ส่งให้เจ้าหน้าที่ตรวจสอบไหม" in offer["text"]
    advice, offer = ask(desk, line, CITIZEN, "กรมที่ดินแจ้ง โหลดแอปอัปเดตโฉนดได้ที่ https://dol-th.app/download")
    assert advice["text"].startswith("⚠️ ข้อความนี้มีลักษณะเหมือนมิจฉาชีพ")
    assert "อย่ากดลิงก์" in advice["text"] and "อย่าโหลดแอป" in advice["text"] and "อย่าโอนเงิน" in advice["text"]
    send_postback(client, line, CITIZEN, quick_reply_data(offer, "ส่งเลย"))
    drain(desk)
    assert "เลขที่อ้างอิง T-000001" in last_to(line, CITIZEN).messages[0]["text"]
    (news,) = ask(desk, line, CITIZEN, "ธนาคารกรุงเทพแจ้งปิดปรับปรุงระบบโมบายแบงก์กิ้งคืนวันเสาร์ เวลา 00.00-04.00 น.")
    assert "มิจฉาชีพ" not in news["text"]


def test_centres_far_away_are_not_listed_and_details_add_detail(app: Flask, client: FlaskClient,
                                                                line: LineEmulator) -> None:
    """Item 14: from หาดใหญ่ the bot listed centres 540–1,056 km away; "โทรสอบถามก่อนเดินทาง" with no phone known;
    [รายละเอียด] resent the same card; two "approximate" labels on one card."""
    seed_knowledge(app)
    send_location(client, line, CITIZEN, 7.0086, 100.4747, "ถนนเพชรเกษม อำเภอหาดใหญ่ สงขลา 90110")
    drain(app)
    (honest,) = last_to(line, CITIZEN).messages
    assert honest["type"] == "text" and honest["text"].startswith("ยังไม่พบศูนย์ดิจิทัลชุมชนในระยะ 50 กม.")
    assert "ที่ว่าการอำเภอ" in honest["text"] and "1111" in honest["text"]
    assert any(item["action"]["type"] == "location" for item in honest["quickReply"]["items"])

    send_location(client, line, CITIZEN, 17.85, 102.45, "ต.โพธิ์ตาก อ.โพธิ์ตาก จ.หนองคาย")
    drain(app)
    intro, cards = last_to(line, CITIZEN).messages
    assert "โทรสอบถามก่อนเดินทาง" not in intro["text"] and "“แผนที่”" in intro["text"]  # no phone is known
    first = cards["contents"] if cards["contents"]["type"] == "bubble" else cards["contents"]["contents"][0]
    assert seen_text([first]).count("โดยประมาณ") == 1
    (details,) = ask_postback(app, client, line, CITIZEN, button_data(first, "รายละเอียด"))
    assert details["type"] == "text" and details["text"].startswith("🏫 ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก")
    assert "📞 ยังไม่มีเบอร์โทร" in details["text"] and "รอบอบรม" in details["text"]


def test_a_volunteer_approved_before_the_menus_are_deployed_is_not_promised_a_menu(app: Flask,
                                                                                   line: LineEmulator) -> None:
    """Item 16: "เมนูอาสาสมัครพร้อมใช้แล้ว" before `flask richmenu deploy`, with no menu to show."""
    register_volunteer(app, line)
    assert app.test_cli_runner().invoke(args=["volunteers", "approve", "--user-id", test_volunteers.USER]
                                        ).exit_code == 0
    drain(app)
    welcome = last_to(line, test_volunteers.USER).messages[0]["text"]
    assert welcome.startswith("ยินดีต้อนรับ อสด.") and "เมนู" not in welcome and "“ค้นหาข่าว”" in welcome
    assert line.rich_menus.menu_for(test_volunteers.USER) is None


def test_three_terminals_citizen_coordinator_and_volunteer_close_the_loop(desk: Flask, client: FlaskClient,
                                                                          line: LineEmulator) -> None:
    """The README's run: `make chat`, `make chat-coordinator AGENCY=gsb`, `make chat-volunteer`, one conversation."""
    volunteer = test_volunteers.USER
    register_volunteer(desk, line)
    assert desk.test_cli_runner().invoke(args=["volunteers", "approve", "--user-id", volunteer]).exit_code == 0
    drain(desk)
    assert ask(desk, line, volunteer, "ค้นหาข่าว ออมสินแจกเงินผู้สูงอายุ")[0]["text"].startswith("ไม่พบ")

    tip_off(desk, client, line, CITIZEN, RUMOUR)  # terminal 2: the citizen forwards and sends it
    card = line.delivered(COORDINATOR)[-1].messages[0]  # terminal 3: the case card arrives unasked
    assert "ออมสินแจกเงินผู้สูงอายุ" in card["altText"]
    assert ask_postback(desk, client, line, COORDINATOR, button_data(card, "รับเรื่อง"))[0]["text"].startswith(
        "รับเรื่องที่")
    assert "พิมพ์คำอธิบาย" in ask_postback(desk, client, line, COORDINATOR, button_data(card, "ข่าวปลอม"))[0]["text"]
    ask(desk, line, COORDINATOR, "ออมสินไม่มีโครงการแจกเงินผ่านลิงก์ในไลน์ https://www.gsb.or.th/news")
    title = confirm_title(desk, client, line, COORDINATOR)

    verdict = [d for d in line.delivered(CITIZEN) if d.kind == "multicast"][-1]  # terminal 2: the verdict
    assert any(m.get("altText", "").startswith("ผลตรวจสอบ: ข่าวปลอม") for m in verdict.messages)

    assert ask(desk, line, volunteer, "ค้นหาข่าว")[0]["text"]  # terminal 4: the menu's search, then the words
    found = seen_text(ask(desk, line, volunteer, "ออมสินแจกเงินผู้สูงอายุ"))
    assert title in found and "ข่าวปลอม" in found
