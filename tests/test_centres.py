"""Finding community digital centres in LINE: by shared location, by place name, by centre name."""
from __future__ import annotations

import json
from typing import Any

from flask import Flask

from bot.devtools.line_emulator import LineEmulator
from data.models import Centre, LocationPrecision
from tests import conversation
from tests.conftest import services
from tests.conversation import button_data, drain, last_to, quick_reply_data, send_postback
from tests.knowledge import seeded, send_location  # noqa: F401  (seeded: the fixture)

USER = "U" + "e1" * 16
PHO_TAK = "ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก"
THAT_PHANOM = "ศูนย์ดิจิทัลชุมชนวิทยาลัยธาตุพนม"


def ask(app: Flask, line: LineEmulator, text: str) -> list[dict[str, Any]]:
    return conversation.ask(app, line, USER, text)


def flat(messages: list[dict[str, Any]]) -> str:
    return json.dumps(messages, ensure_ascii=False)


def bubbles(message: dict[str, Any]) -> list[dict[str, Any]]:
    contents = message["contents"]
    return contents["contents"] if contents["type"] == "carousel" else [contents]


def bubble_names(message: dict[str, Any]) -> list[str]:
    """The first text of each bubble's body: the centre's name."""
    return [_first_text(bubble["body"]) for bubble in bubbles(message)]


def _first_text(node: Any) -> str:
    if isinstance(node, dict):
        if node.get("type") == "text":
            return str(node["text"])
        for child in node.get("contents", []):
            found = _first_text(child)
            if found:
                return found
    return ""


def test_a_shared_location_gets_the_nearest_centres_with_approximate_distances(
        seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    send_location(client, line, USER, 17.85, 102.45, "ต.โพธิ์ตาก อ.โพธิ์ตาก จ.หนองคาย")
    drain(seeded)
    intro, cards = last_to(line, USER).messages
    assert intro["text"].startswith("ศูนย์ที่ใกล้คุณที่สุด") and "ไม่ใช่ที่ตั้งจริง" in intro["text"]
    assert bubble_names(cards)[0] == PHO_TAK
    text = flat([cards["contents"]])
    assert "โดยประมาณ" in text and "ส่งตำแหน่ง" not in text  # a district's reference point is never a pin
    assert any(item["action"]["type"] == "location" for item in cards["quickReply"]["items"])


def test_an_exactly_located_centre_can_be_sent_as_a_pin(seeded: Flask, line: LineEmulator) -> None:
    with services(seeded).db.session() as session:
        session.add(Centre(code="dcc-43-exact", name="ศูนย์ทดสอบพิกัดจริง", type="ศูนย์ดิจิทัลชุมชน",
                           province_code="43", district_code="4317", subdistrict_code="431701",
                           latitude=17.8601, longitude=102.4202, location_precision=LocationPrecision.EXACT,
                           phone="042-000000", opening_hours="mon-fri 08:30-16:30", services=["wifi"]))
    client = seeded.test_client()
    send_location(client, line, USER, 17.86, 102.42)
    drain(seeded)
    cards = last_to(line, USER).messages[-1]
    assert bubble_names(cards)[0] == "ศูนย์ทดสอบพิกัดจริง"
    send_postback(client, line, USER, button_data(bubbles(cards)[0], "ส่งตำแหน่ง"))
    drain(seeded)
    pin = last_to(line, USER).messages[0]
    assert pin["type"] == "location" and (pin["latitude"], pin["longitude"]) == (17.8601, 102.4202)


def test_far_from_every_located_centre_the_users_district_answers(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    send_location(client, line, USER, 14.93, 101.82, "ตำบลมะเกลือใหม่ อำเภอสูงเนิน นครราชสีมา 30170")
    drain(seeded)
    intro, cards = last_to(line, USER).messages
    assert intro["text"].startswith("ยังไม่มีพิกัดศูนย์ใกล้คุณ") and "อำเภอของคุณ" in intro["text"]
    assert bubble_names(cards) == ["ศูนย์ดิจิทัลชุมชนตำบลมะเกลือใหม่"]


def test_a_named_district_finds_its_centre(seeded: Flask, line: LineEmulator) -> None:
    intro, cards = ask(seeded, line, "ศูนย์ดิจิทัลชุมชน อำเภอโพธิ์ตาก")
    assert "อ.โพธิ์ตาก" in intro["text"] and bubble_names(cards) == [PHO_TAK]


def test_a_misspelled_province_with_an_abbreviated_query_still_finds_it(seeded: Flask, line: LineEmulator) -> None:
    intro, cards = ask(seeded, line, "ศูนย์ดิจิ หนองคาบ")
    assert "หนองคาย" in intro["text"] and PHO_TAK in bubble_names(cards)


def test_an_ambiguous_place_is_asked_about_and_a_pick_widens_honestly(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    question = ask(seeded, line, "ศูนย์ดิจิทัลแถว ต.โพธิ์ตาก")[0]
    labels = [item["action"]["label"] for item in question["quickReply"]["items"]]
    assert len(labels) >= 2 and any("หนองคาย" in label for label in labels) \
        and any("นครพนม" in label for label in labels), labels
    send_postback(client, line, USER, quick_reply_data(question, next(label for label in labels if "นครพนม" in label)))
    drain(seeded)
    intro, cards = last_to(line, USER).messages
    assert "จังหวัดเดียวกัน" in intro["text"] and bubble_names(cards) == [THAT_PHANOM]


def test_near_me_without_a_location_asks_for_one(seeded: Flask, line: LineEmulator) -> None:
    for text in ("ศูนย์ดิจิทัลชุมชนใกล้ฉัน", "ศูนย์ใกล้ฉัน"):
        reply = ask(seeded, line, text)[0]
        assert reply["type"] == "text" and "ส่งตำแหน่ง" in reply["text"]
        assert reply["quickReply"]["items"][0]["action"]["type"] == "location"


def test_a_named_centre_shows_its_details_and_says_when_hours_are_unknown(seeded: Flask, line: LineEmulator) -> None:
    _intro, card = ask(seeded, line, "ศูนย์ดิจิทัลชุมชนวัดบูรพา เปิดกี่โมง")
    assert bubble_names(card) == ["ศูนย์ดิจิทัลชุมชนวัดบูรพา"]
    assert "ยังไม่มีข้อมูลเวลาเปิด-ปิด" in flat([card])


def test_a_province_without_centres_says_so_and_offers_location(seeded: Flask, line: LineEmulator) -> None:
    reply = ask(seeded, line, "ศูนย์ดิจิทัลชุมชน จังหวัดสงขลา")[0]
    assert "ยังไม่มีข้อมูลศูนย์ดิจิทัลชุมชนใน จ.สงขลา" in reply["text"]
    assert reply["quickReply"]["items"][0]["action"]["type"] == "location"


def test_a_rumour_that_mentions_a_centre_is_never_answered_with_a_centre_list(
        seeded: Flask, line: LineEmulator) -> None:
    rumour = ("ด่วน!! ศูนย์ดิจิทัลชุมชนเปิดรับสมัครพนักงานประจำศูนย์ ค่าแรกเข้า 50,000 บาท "
              "โอนก่อนได้งานทันที รีบสมัครก่อนเต็ม แชร์ต่อด้วยนะ")
    messages = ask(seeded, line, rumour)
    assert len(messages) == 1 and "ส่งให้เจ้าหน้าที่ตรวจสอบไหม" in messages[0]["text"]  # the fact-check path



def test_same_named_places_get_numbered_choices_spelled_out(seeded: Flask, line: LineEmulator) -> None:
    question = ask(seeded, line, "ศูนย์ดิจิทัล ต.บ้านใหม่ จ.นนทบุรี")[0]  # one in อ.บางใหญ่, one in อ.ปากเกร็ด
    labels = [item["action"]["label"] for item in question["quickReply"]["items"]]
    assert labels == ["1. อ.บางใหญ่", "2. อ.ปากเกร็ด"]  # never two buttons that read the same
    assert "\n1. ต.บ้านใหม่ อ.บางใหญ่ จ.นนทบุรี\n2. ต.บ้านใหม่ อ.ปากเกร็ด จ.นนทบุรี" in question["text"]


def test_a_name_that_fits_too_many_places_asks_for_the_province(seeded: Flask, line: LineEmulator) -> None:
    reply = ask(seeded, line, "ศูนย์ดิจิทัล อ.เมือง")[0]
    assert "ช่วยพิมพ์ชื่อจังหวัด" in reply["text"] and "quickReply" not in reply


def test_a_centre_search_after_an_unanswered_course_question_is_a_centre_search(seeded: Flask,
                                                                               line: LineEmulator) -> None:
    ask(seeded, line, "รอบอบรมใกล้ฉัน")  # the user never shares a location for it
    ask(seeded, line, "ศูนย์ใกล้ฉัน")
    send_location(seeded.test_client(), line, USER, 17.85, 102.45)
    drain(seeded)
    assert last_to(line, USER).messages[0]["text"].startswith("ศูนย์ที่ใกล้คุณที่สุด")
