"""Volunteers' quick answers through the webhook: search, trends, the latest fakes, and the forwardable text."""
from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.devtools.line_emulator import LineEmulator
from bot.flex.verdict import (
    ClaimCard,
    build_compact_verdict_message,
    build_forward_message,
    build_suggestions_message,
    build_verdict_carousel_message,
    build_verdict_message,
)
from bot.line import postback
from bot.line.limits import utf16_units
from data.models import Case, CaseStatus, Claim, ClaimOrigin, Role, Tip, User, Verdict, utcnow
from tests.conftest import services
from tests.conversation import button_data, send_postback, send_text
from tests.flex_schema import message_problems
from tests.test_check import FORWARDED, write_claims

VOLUNTEER = "U" + "a1" * 16
CITIZEN = "U" + "c1" * 16
NONG_KHAI, BANGKOK, KHON_KAEN = "43", "10", "40"
VACCINE = ("afnc-6259faed34", "afnc-db16c7f04c", "afnc-27a936a93c", "afnc-00becb1416")
BANK = ("afnc-2170bbe3c3", "afnc-c47a40ffd7", "afnc-0cb6339d4b", "afnc-1fbcbb635d", "afnc-51c9fdbc41",
        "afnc-7263099080", "afnc-f82f9ff45a")
DISTORTED = "afnc-1eeb1a5afb"
"""A distorted claim (2025-10-17), the newest of the fakes and distortions picked here."""
LATEST_FAKES = ("afnc-1eeb1a5afb", "afnc-1fbcbb635d", "afnc-2170bbe3c3", "afnc-7263099080", "afnc-c47a40ffd7")
"""The picked fakes and distortions by AFNC's date, newest first; the two trues are never among them."""
_senders = itertools.count(1)


@pytest.fixture()
def seeded(app: Flask, tmp_path: Path) -> Flask:
    claims = write_claims(tmp_path / "c.csv", VACCINE + BANK + (DISTORTED,))
    result = app.test_cli_runner().invoke(args=["claims", "import", str(claims)])
    assert result.exit_code == 0, result.output
    with services(app).db.session() as session:
        session.add(User(line_user_id=VOLUNTEER, role=Role.VOLUNTEER, province_code=NONG_KHAI))
    return app


def ask(app: Flask, line: LineEmulator, user: str, text: str) -> list[dict[str, Any]]:
    """Send a text and wait for the bot's answer to it."""
    before = len(line.delivered(user))
    send_text(app.test_client(), line, user, text)
    return line.wait_for_deliveries(before + 1, user_id=user)[-1].messages


def claim_ids(carousel: dict[str, Any]) -> list[str]:
    """The claim behind each bubble, read from its ส่งต่อ button."""
    ids = []
    for bubble in carousel["contents"]["contents"]:
        _action, params, _signed = postback.decode(button_data(bubble, "ส่งต่อ"))
        ids.append(params["c"])
    return ids


def claim_texts(app: Flask, ids: list[str]) -> list[str]:
    with services(app).db.session() as session:
        return [session.get(Claim, claim_id).text for claim_id in ids]


def labels(node: Any) -> list[str]:
    text = json.dumps(node, ensure_ascii=False)
    return [label for label in ("ส่งต่อ", "👍 มีประโยชน์", "👎 ไม่ตรง", "อ่านเพิ่มเติม") if f'"{label}"' in text]


@pytest.mark.parametrize("query, word", [("ค้นหา วัคซีน", "วัคซีน"), ("ค้นหาข่าว ออมสิน", "ออมสิน")])
def test_a_search_answers_with_the_best_verified_claims(seeded: Flask, line: LineEmulator, query: str,
                                                        word: str) -> None:
    (carousel,) = ask(seeded, line, CITIZEN, query)  # a citizen may search too
    assert carousel["type"] == "flex" and carousel["contents"]["type"] == "carousel"
    assert carousel["altText"].startswith(f"ผลการค้นหา “{word}”")
    ids = claim_ids(carousel)
    assert 2 <= len(ids) <= 5 and len(set(ids)) == len(ids)
    assert all(word in text for text in claim_texts(seeded, ids))
    first = carousel["contents"]["contents"][0]
    assert labels(first) == ["ส่งต่อ", "อ่านเพิ่มเติม"]  # no 👍/👎: nobody sent a message this card answers
    assert f"ผลการค้นหา “{word}”" in json.dumps(first["header"], ensure_ascii=False)


def test_a_search_in_latin_letters_finds_the_claims_written_in_thai(seeded: Flask, line: LineEmulator) -> None:
    """"vaccine" and "วัคซีน" are one word to the index (`nlp/spellings.py`)."""
    (carousel,) = ask(seeded, line, VOLUNTEER, "ค้นหา Vaccine")
    assert carousel["altText"].startswith("ผลการค้นหา “Vaccine”")
    assert all("วัคซีน" in text for text in claim_texts(seeded, claim_ids(carousel)))


def test_the_best_hit_comes_first(seeded: Flask, line: LineEmulator) -> None:
    (carousel,) = ask(seeded, line, VOLUNTEER, "ค้นหา ออมสิน สินเชื่อไทรทอง")
    assert claim_ids(carousel)[0] == "afnc-2170bbe3c3"


@pytest.mark.parametrize("query", ["ค้นหา ก๋วยเตี๋ยวเรือ", "ค้นหา xyzzy", "ค้นหา วัคซีน ฟุตบอล"])
def test_a_search_with_no_hit_says_so_politely(seeded: Flask, line: LineEmulator, query: str) -> None:
    (answer,) = ask(seeded, line, VOLUNTEER, query)
    assert answer["type"] == "text" and answer["text"].startswith("ไม่พบข่าวที่ตรวจสอบแล้วเกี่ยวกับ")
    assert query.split(" ", 1)[1] in answer["text"] and "ลองใช้คำอื่น" in answer["text"]


@pytest.mark.parametrize("command", ["ค้นหาข่าว", "ค้นหา"])
def test_the_bare_search_command_explains_itself(seeded: Flask, line: LineEmulator, command: str) -> None:
    (answer,) = ask(seeded, line, VOLUNTEER, command)
    assert answer["type"] == "text" and answer["text"].startswith("พิมพ์คำที่อยากค้นหา")
    assert answer["quickReply"]["items"][0]["action"]["text"] == "ค้นหา วัคซีน"


def test_a_bare_search_takes_the_next_words_as_the_search(seeded: Flask, line: LineEmulator) -> None:
    ask(seeded, line, VOLUNTEER, "ค้นหาข่าว")
    (carousel,) = ask(seeded, line, VOLUNTEER, "ออมสิน")
    assert carousel["altText"].startswith("ผลการค้นหา “ออมสิน”")
    assert not ask(seeded, line, VOLUNTEER, "ออมสิน")[0].get("altText", "").startswith("ผลการค้นหา")  # asked once

    ask(seeded, line, VOLUNTEER, "ค้นหาข่าว")
    assert ask(seeded, line, VOLUNTEER, "ข่าวปลอมล่าสุด")[0]["altText"].startswith("ข่าวปลอมล่าสุด")  # a menu tap
    (carousel,) = ask(seeded, line, VOLUNTEER, "วัคซีน")  # still the words asked for
    assert carousel["altText"].startswith("ผลการค้นหา “วัคซีน”")

    ask(seeded, line, VOLUNTEER, "ค้นหาข่าว")
    answer = ask(seeded, line, VOLUNTEER, FORWARDED)  # a forwarded rumour is checked, not searched
    assert not answer[0].get("altText", "").startswith("ผลการค้นหา")


def add_case(app: Flask, text: str, provinces: list[str | None], days_ago: float = 1.0,
             status: CaseStatus = CaseStatus.OPEN) -> int:
    """A case with one submitted tip per sender, each from the given province, `days_ago` days old."""
    at = utcnow() - timedelta(days=days_ago)
    with services(app).db.session() as session:
        case = Case(text=text, status=status, created_at=at, last_seen_at=at, requester_count=len(provinces))
        session.add(case)
        session.flush()
        for province in provinces:
            user = User(line_user_id=f"U{next(_senders):032x}", province_code=province)
            session.add(user)
            session.flush()
            session.add(Tip(user_id=user.id, text=text, source_type="user", case_id=case.id, created_at=at,
                            submitted_at=at, routed_at=at, province_code=province))
        return case.id


def add_coordinator_verdict(app: Flask, claim_id: str, text: str, verdict: Verdict, agency: str,
                            explanation: str, url: str | None = None) -> None:
    now = utcnow()
    with services(app).db.session() as session:
        session.add(Claim(id=claim_id, text=text, verdict=verdict, explanation=explanation, agency=agency,
                          published_on=now.date(), source_url=url, origin=ClaimOrigin.COORDINATOR,
                          created_at=now, updated_at=now))


def test_trends_show_the_province_first_then_the_nation_when_it_has_few(seeded: Flask, line: LineEmulator) -> None:
    add_case(seeded, "ลือกันว่าน้ำประปาหนองคายมีสารพิษ ห้ามดื่มเด็ดขาด โทร 0812345678", [NONG_KHAI] * 3)
    add_case(seeded, "สะพานมิตรภาพไทย-ลาวปิดถาวรตั้งแต่พรุ่งนี้", [NONG_KHAI, NONG_KHAI, BANGKOK], days_ago=3)
    add_case(seeded, "บัตรประชาชนของป้าหายที่ตลาด ต้องทำยังไง", [NONG_KHAI])  # one person's own words
    add_case(seeded, "กรุงเทพฯ ประกาศหยุดงานทั้งเมือง 3 วัน", [BANGKOK] * 4 + [KHON_KAEN, None])
    add_case(seeded, "เก่าเกินไป: ตลาดหนองคายปิดทั้งเดือน", [NONG_KHAI] * 5, days_ago=10)
    add_case(seeded, "ตอบแล้ว: หนองคายแจกเงินคนละพัน", [NONG_KHAI] * 5, status=CaseStatus.ANSWERED)
    add_coordinator_verdict(seeded, "case-000901", "ธนาคารออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท", Verdict.FAKE,
                            "ธนาคารออมสิน", "ธนาคารไม่มีนโยบายดังกล่าว")
    summary, verdicts = ask(seeded, line, VOLUNTEER, "เทรนด์")
    text = summary["text"]
    assert text.startswith("📈 เทรนด์ 7 วันล่าสุด · จ.หนองคาย")
    local, national = text.split("ทั่วประเทศ", 1)
    assert local.index("น้ำประปาหนองคาย") < local.index("สะพานมิตรภาพ")
    assert "👥 3 คน · รอผลมา 24 ชม." in local and "👥 2 คน · รอผลมา 3 วัน" in local  # only Nong Khai's tips
    assert "บัตรประชาชน" not in text  # what only one person sent is never shown to volunteers
    assert "0812345678" not in text  # a citizen's phone number never reaches a volunteer
    assert "กรุงเทพฯ ประกาศหยุดงาน" in national and "👥 6 คน" in national
    assert "สะพานมิตรภาพ" not in national and "เก่าเกินไป" not in text and "ตอบแล้ว" not in text
    assert claim_ids(verdicts) == ["case-000901"]  # the seed's claims are years old: not new verdicts


def test_a_province_with_enough_cases_gets_no_national_list(seeded: Flask, line: LineEmulator) -> None:
    for index in range(3):
        add_case(seeded, f"ข่าวลือหนองคายเรื่องที่ {index + 1}", [NONG_KHAI] * (index + 2))
    add_case(seeded, "กรุงเทพฯ ประกาศหยุดงานทั้งเมือง 3 วัน", [BANGKOK] * 4)
    (summary,) = ask(seeded, line, VOLUNTEER, "เทรนด์")
    assert "ทั่วประเทศ" not in summary["text"] and "กรุงเทพฯ" not in summary["text"]
    rows = [line_ for line_ in summary["text"].splitlines() if line_[:2] in ("1.", "2.", "3.")]
    assert rows == ["1. ข่าวลือหนองคายเรื่องที่ 3", "2. ข่าวลือหนองคายเรื่องที่ 2", "3. ข่าวลือหนองคายเรื่องที่ 1"]
    assert "ยังไม่มีผลตรวจสอบใหม่" in summary["text"]


def test_a_citizen_asking_for_trends_is_invited_to_volunteer(seeded: Flask, line: LineEmulator) -> None:
    add_case(seeded, "ลือกันว่าน้ำประปาหนองคายมีสารพิษ", [NONG_KHAI] * 3)
    (answer,) = ask(seeded, line, CITIZEN, "เทรนด์")
    assert answer["type"] == "text" and "อาสาสมัครดิจิทัล" in answer["text"] and "สมัครอาสา" in answer["text"]
    assert "น้ำประปา" not in answer["text"]
    assert [item["action"]["text"] for item in answer["quickReply"]["items"]] == ["สมัครอาสา", "ข่าวปลอมล่าสุด"]


def test_the_latest_fakes_are_the_newest_verified_fakes_and_distortions(seeded: Flask, line: LineEmulator) -> None:
    (carousel,) = ask(seeded, line, CITIZEN, "ข่าวปลอมล่าสุด")
    assert claim_ids(carousel) == list(LATEST_FAKES)
    headers = [bubble["header"]["contents"][0]["text"] for bubble in carousel["contents"]["contents"]]
    assert headers == ["ข่าวบิดเบือน", "ข่าวปลอม", "ข่าวปลอม", "ข่าวปลอม", "ข่าวปลอม"]


def test_a_new_coordinator_fake_tops_the_latest_fakes(seeded: Flask, line: LineEmulator) -> None:
    add_coordinator_verdict(seeded, "case-000902", "ออมสินแจกเงินคนละ 3,000 บาท", Verdict.FAKE, "ธนาคารออมสิน",
                            "ไม่จริง")
    (carousel,) = ask(seeded, line, CITIZEN, "ข่าวปลอมล่าสุด")
    assert claim_ids(carousel) == ["case-000902", *LATEST_FAKES[:4]]


def test_forwarding_a_verdict_card_gives_one_plain_text(seeded: Flask, client: FlaskClient,
                                                        line: LineEmulator) -> None:
    (card,) = ask(seeded, line, CITIZEN, FORWARDED)
    assert labels(card) == ["ส่งต่อ", "👍 มีประโยชน์", "👎 ไม่ตรง", "อ่านเพิ่มเติม"]
    send_postback(client, line, CITIZEN, button_data(card, "ส่งต่อ"))
    (forward,) = line.wait_for_deliveries(2, user_id=CITIZEN)[-1].messages
    with services(seeded).db.session() as session:
        claim = session.get(Claim, "afnc-2170bbe3c3")
        url = claim.source_url
        assert claim.text[:40] in forward["text"]
    lines = forward["text"].splitlines()
    assert lines[0] == "❌ ข่าวปลอม" and lines[1].startswith("เรื่อง: ออมสินปล่อยสินเชื่อไทรทอง")
    assert "ที่มา: ศูนย์ต่อต้านข่าวปลอม" in lines and f"อ่านต่อ: {url}" in lines
    assert "ช่วยเช็ก" in lines[-1]
    assert "quickReply" not in forward


def test_forwarding_a_coordinator_verdict_names_the_agency(seeded: Flask, client: FlaskClient,
                                                           line: LineEmulator) -> None:
    explanation = "ธนาคารออมสินไม่มีนโยบายแจกเงินผ่านลิงก์ในไลน์ " * 300
    add_coordinator_verdict(seeded, "case-000903", "ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ผ่านลิงก์ในไลน์",
                            Verdict.DISTORTED, "ธนาคารออมสิน", explanation, "https://www.gsb.or.th/news/1")
    send_postback(client, line, CITIZEN, postback.encode("fwd", c="case-000903"))
    (forward,) = line.wait_for_deliveries(1, user_id=CITIZEN)[-1].messages
    lines = forward["text"].splitlines()
    assert lines[0] == "⚠️ ข่าวบิดเบือน"
    assert "ที่มา: ธนาคารออมสิน" in lines and "ศูนย์ต่อต้านข่าวปลอม" not in forward["text"]
    assert "อ่านต่อ: https://www.gsb.or.th/news/1" in lines
    assert utf16_units(forward["text"]) < 5000 and forward["text"].count("ไม่มีนโยบาย") < 300


def test_forwarding_a_claim_that_is_gone_apologises(seeded: Flask, client: FlaskClient, line: LineEmulator) -> None:
    send_postback(client, line, CITIZEN, postback.encode("fwd", c="afnc-0000000000"))
    (answer,) = line.wait_for_deliveries(1, user_id=CITIZEN)[-1].messages
    assert "ไม่พบข่าวนี้" in answer["text"]


LONG = ClaimCard(id="afnc-0000000001", text="ข่าวลือ" * 200, verdict="true", explanation="คำอธิบาย" * 2000,
                 agency="หน่วยงาน" * 100, published_on=date(2025, 10, 17),
                 url="https://www.antifakenewscenter.com/" + "%e0%b8%81" * 100)


OUTDATED = replace(LONG, published_on=None, may_be_outdated=True, verified_by="ธนาคารออมสิน")
"""A time-bound truth with no date, decided by a coordinator: the warning row and the agency's credit."""
TOO_LONG_LINK = replace(LONG, url="https://www.facebook.com/" + "%e0%b8%81" * 120)
"""Over LINE's 1,000 characters for a button's link, as 75 of AFNC's links are: before the fix LINE refused the
whole reply, and the citizen asking about one of those claims got no answer."""


@pytest.mark.parametrize("message", [
    build_forward_message(LONG),
    build_verdict_message(LONG),
    build_verdict_carousel_message("ผลการค้นหา “ข่าวลือ”", [LONG] * 7, "ผลการค้นหา “ข่าวลือ”"),
    build_verdict_message(OUTDATED),
    build_compact_verdict_message(OUTDATED),
    build_suggestions_message([OUTDATED, LONG], 1),
    build_verdict_message(TOO_LONG_LINK),
    build_compact_verdict_message(TOO_LONG_LINK),
    build_verdict_carousel_message("ผลการค้นหา “ข่าวลือ”", [TOO_LONG_LINK, LONG], "ผลการค้นหา “ข่าวลือ”"),
])
def test_the_builders_make_messages_line_accepts(message: dict[str, Any]) -> None:
    assert message_problems(message) == []


def test_the_forward_text_is_worded_for_a_family_group() -> None:
    text = build_forward_message(LONG)["text"]
    assert text.startswith("✅ ข่าวจริง\nเรื่อง: ข่าวลือ") and text.endswith("🙏")
    assert utf16_units(text) < 2500


@pytest.mark.parametrize(("url", "shown"), [
    ("https://www.antifakenewscenter.com/news/activity/"
     "%e0%b8%82%e0%b9%88%e0%b8%b2%e0%b8%a7%e0%b8%9b%e0%b8%a5%e0%b8%ad%e0%b8%a1/",
     "https://www.antifakenewscenter.com/news/activity/ข่าวปลอม/"),
    ("https://www.antifakenewscenter.com/?p=52539&utm_source=line&fbclid=x", "https://www.antifakenewscenter.com/?p=52539"),
    ("https://www.gsb.or.th/news/1?utm_medium=social", "https://www.gsb.or.th/news/1"),
])
def test_the_forward_text_shows_a_clean_decoded_link(url: str, shown: str) -> None:
    """Found in the trial: ~800-character percent-encoded AFNC links looked like phishing in family groups."""
    text = build_forward_message(replace(LONG, url=url))["text"]
    assert f"อ่านต่อ: {shown}" in text.splitlines() and "%e0" not in text
