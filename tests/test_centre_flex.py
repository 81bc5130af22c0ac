"""Centre cards: valid for LINE, honest about approximate locations, and clear about opening hours.

Times are real 2026 days in Bangkok: Wed 9 Dec and Fri 11 Dec are working days, Sun 13 Dec is a Sunday."""
from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.flex.centre import (
    CLOSED_NOW,
    HOURS_UNKNOWN,
    MAX_CENTRES,
    OPEN_NOW,
    CentreCard,
    build_centre_bubble,
    build_centre_details_message,
    build_centres_message,
    build_location_message,
    map_url,
)
from bot.flex.components import build_flex_message
from bot.flex.messages import build_text_message, message_action
from bot.line import postback
from data.knowledge_import import parse_centre
from data.models import BANGKOK, Centre, CentreType, LocationPrecision
from tests.flex_schema import actions, message_problems, texts

SAMPLE_CENTRES = Path(__file__).parent.parent / "data" / "sample" / "centres.csv"
WEDNESDAY_MORNING = datetime(2026, 12, 9, 10, 0, tzinfo=BANGKOK)
WEDNESDAY_NIGHT = datetime(2026, 12, 9, 20, 0, tzinfo=BANGKOK)
SUNDAY_MORNING = datetime(2026, 12, 13, 10, 0, tzinfo=BANGKOK)
OFFICE_HOURS = "mon-fri 08:30-16:30; sat 09:00-12:00"


def pho_tak(**changes: Any) -> Centre:
    """The sample row: its coordinates are Pho Tak district's reference point, not the building."""
    values: dict[str, Any] = dict(
        code="dcc-43-pho-tak", name="ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก", type=CentreType.COMMUNITY_DIGITAL_CENTRE,
        hosts=["อบต."], address="องค์การบริหารส่วนตำบลโพธิ์ตาก ต.โพธิ์ตาก อ.โพธิ์ตาก จ.หนองคาย 43130",
        subdistrict_code="431701", district_code="4317", province_code="43", latitude=17.87667, longitude=102.41,
        location_precision=LocationPrecision.DISTRICT, phone=None, opening_hours=None,
        services=["training", "online_selling", "product_photo"])
    values.update(changes)
    return Centre(**values)


def tha_pha_pum() -> Centre:
    """The sample row with an exact published address but no coordinates."""
    return Centre(code="net-58-tha-pha-pum", name="ศูนย์อินเตอร์เน็ตประจำตำบลท่าผาปุ้ม (USO NET)",
                  type=CentreType.PUBLIC_INTERNET_POINT, hosts=["อบต.", "ห้องสมุด"],
                  address="ห้องสมุดและศูนย์อินเตอร์เน็ตตำบลท่าผาปุ้ม หมู่ 8 ถนนสาย 108 ต.ท่าผาปุ้ม "
                          "อ.แม่ลาน้อย จ.แม่ฮ่องสอน",
                  subdistrict_code="580503", district_code="5805", province_code="58", latitude=None,
                  longitude=None, location_precision=LocationPrecision.EXACT, phone=None, opening_hours=None,
                  services=["internet", "library"])


def pinned(**changes: Any) -> Centre:
    """A fixture of our own: no sample row has exact coordinates."""
    values: dict[str, Any] = dict(
        code="dcc-test-pinned", name="ศูนย์ดิจิทัลชุมชนทดสอบ", type=CentreType.COMMUNITY_DIGITAL_CENTRE,
        hosts=["โรงเรียน"], address="โรงเรียนทดสอบ ต.ทดสอบ อ.เมือง จ.ทดสอบ", province_code="58",
        latitude=19.30123, longitude=97.96543, location_precision=LocationPrecision.EXACT,
        phone="053-123456 ต่อ 12", opening_hours=OFFICE_HOURS, services=["wifi"])
    values.update(changes)
    return Centre(**values)


def card_of(centre: Centre, km: float | None = 2.4, area: str = "อ.โพธิ์ตาก จ.หนองคาย") -> CentreCard:
    return CentreCard.of(centre, area, km)


def map_query(card: CentreCard) -> str:
    return parse_qs(urlsplit(map_url(card)).query)["query"][0]


def bubble(centre: Centre, now: datetime = WEDNESDAY_MORNING, km: float | None = 2.4) -> dict[str, Any]:
    message = build_centres_message([card_of(centre, km)], now)
    assert message_problems(message) == []
    assert message["contents"]["type"] == "bubble"
    return message["contents"]


# --- the schema check itself ------------------------------------------------------------------------------

def test_message_problems_catches_a_box_without_contents() -> None:
    broken = build_flex_message("x", {"type": "bubble", "body": {"type": "box", "layout": "vertical"}})
    assert any("contents.body.contents" in problem for problem in message_problems(broken))


def test_message_problems_catches_a_long_quick_reply_label() -> None:
    action = message_action("ตกลง")
    action["label"] = "ศูนย์ดิจิทัลชุมชนใกล้บ้านฉัน"
    broken = build_text_message("เลือกได้เลยค่ะ", [action])
    assert message_problems(build_text_message("เลือกได้เลยค่ะ", [message_action("ตกลง")])) == []
    assert any("quickReply.items[0].action.label" in problem for problem in message_problems(broken))


def test_message_problems_catches_an_unknown_message_type() -> None:
    assert message_problems({"type": "pin", "text": "x"}) != []


# --- every sample row -------------------------------------------------------------------------------------

def sample_centres() -> list[Centre]:
    with SAMPLE_CENTRES.open(encoding="utf-8", newline="") as handle:
        return [Centre(**parse_centre(row)) for row in csv.DictReader(handle)]


@pytest.mark.parametrize("centre", sample_centres(), ids=lambda centre: centre.code)
def test_every_sample_centre_makes_a_valid_bubble_and_is_never_pinned(centre: Centre) -> None:
    card = card_of(centre, km=12.3 if centre.latitude is not None else None, area="จ.ทดสอบ")
    message = build_centres_message([card], WEDNESDAY_MORNING)
    assert message_problems(message) == []
    # No sample row has exact coordinates, so none may become a pin.
    assert not card.pinpointed
    with pytest.raises(ValueError):
        build_location_message(card)
    assert "ctrloc" not in str(message)
    # Every sample row leaves the hours empty: unknown, never closed.
    assert HOURS_UNKNOWN in " ".join(texts(message))
    assert CLOSED_NOW not in texts(message)


def test_the_whole_sample_fits_one_carousel() -> None:
    cards = [card_of(centre, area="จ.ทดสอบ") for centre in sample_centres()]
    message = build_centres_message(cards, WEDNESDAY_MORNING)
    assert message_problems(message) == []
    assert len(message["contents"]["contents"]) == MAX_CENTRES


# --- the pinpoint rule ------------------------------------------------------------------------------------

def test_a_district_level_centre_is_never_a_pin() -> None:
    card = card_of(pho_tak())
    assert not card.pinpointed
    with pytest.raises(ValueError, match="not pinpointed"):
        build_location_message(card)
    url = map_url(card)
    assert url.startswith("https://www.google.com/maps/search/?api=1&query=")
    assert "17.87" not in url and "102.41" not in url
    found = bubble(pho_tak())
    assert actions(found)["แผนที่"]["uri"] == url
    assert "ส่งตำแหน่ง" not in actions(found)
    shown = " ".join(texts(found))
    assert "ห่างประมาณ 2.4 กม. · ตำแหน่งระดับอำเภอ (โดยประมาณ)" in shown
    assert shown.count("โดยประมาณ") == 1  # one approximate label, not one for the address and one for the distance


def test_the_map_search_names_the_centre_and_its_area() -> None:
    assert map_query(card_of(pho_tak())) == "ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก อ.โพธิ์ตาก จ.หนองคาย"


@pytest.mark.parametrize(("precision", "label"), [(LocationPrecision.SUBDISTRICT, "ตำแหน่งระดับตำบล"),
                                                  (LocationPrecision.PROVINCE, "ตำแหน่งระดับจังหวัด")])
def test_the_distance_names_the_level_it_was_measured_at(precision: LocationPrecision, label: str) -> None:
    assert f"ห่างประมาณ 2.4 กม. · {label} (โดยประมาณ)" in texts(bubble(pho_tak(location_precision=precision)))


def test_an_exact_centre_is_a_pin_with_a_location_message() -> None:
    card = card_of(pinned(), km=0.42)
    assert card.pinpointed
    location = build_location_message(card)
    assert message_problems(location) == []
    assert (location["latitude"], location["longitude"]) == (19.30123, 97.96543)
    assert location["title"] == "ศูนย์ดิจิทัลชุมชนทดสอบ"
    assert location["address"] == "โรงเรียนทดสอบ ต.ทดสอบ อ.เมือง จ.ทดสอบ"
    assert map_url(card) == "https://www.google.com/maps/search/?api=1&query=19.30123,97.96543"
    found = bubble(pinned(), km=0.42)
    send = actions(found)["ส่งตำแหน่ง"]
    assert postback.decode(send["data"]) == ("ctrloc", {"c": "dcc-test-pinned"}, False)
    assert send["displayText"] == "ขอตำแหน่งศูนย์"
    shown = " ".join(texts(found))
    assert "ห่างประมาณ 400 ม." in shown
    assert "โดยประมาณ" not in shown


def test_an_exact_address_without_coordinates_is_not_a_pin_but_is_not_approximate() -> None:
    card = card_of(tha_pha_pum(), km=None)
    assert not card.pinpointed
    with pytest.raises(ValueError):
        build_location_message(card)
    found = bubble(tha_pha_pum(), km=None)
    assert "ส่งตำแหน่ง" not in actions(found)
    assert "โดยประมาณ" not in " ".join(texts(found))
    assert not any(text.startswith("ห่าง") for text in texts(found))
    assert "📍 ห้องสมุดและศูนย์อินเตอร์เน็ตตำบลท่าผาปุ้ม หมู่ 8 ถนนสาย 108 ต.ท่าผาปุ้ม อ.แม่ลาน้อย จ.แม่ฮ่องสอน" \
        in texts(found)
    assert map_query(card) == "ศูนย์อินเตอร์เน็ตประจำตำบลท่าผาปุ้ม (USO NET) อ.โพธิ์ตาก จ.หนองคาย"


def test_a_centre_without_an_address_shows_its_area() -> None:
    assert "📍 อ.โพธิ์ตาก จ.หนองคาย" in texts(bubble(pho_tak(address=None)))


def test_long_names_and_addresses_fit_a_location_message() -> None:
    card = card_of(pinned(name="ศูนย์ดิจิทัลชุมชน" * 12, address="หมู่ 8 ถนนสาย 108 " * 12))
    location = build_location_message(card)
    assert message_problems(location) == []
    assert len(location["title"]) <= 100 and len(location["address"]) <= 100
    long_name = card_of(pho_tak(name="ศูนย์ดิจิทัลชุมชน" * 20))
    assert len(map_url(long_name)) <= 1000
    assert map_query(long_name).startswith("ศูนย์ดิจิทัลชุมชนศูนย์") and "…" not in map_query(long_name)


# --- opening hours ----------------------------------------------------------------------------------------

def test_unknown_hours_are_said_to_be_unknown_never_closed() -> None:
    shown = texts(bubble(pho_tak(), now=WEDNESDAY_NIGHT))
    assert f"🕘 {HOURS_UNKNOWN}" in shown
    assert OPEN_NOW not in shown and CLOSED_NOW not in shown


@pytest.mark.parametrize(("now", "badge", "today"), [
    (WEDNESDAY_MORNING, OPEN_NOW, "วันนี้เปิด 08:30–16:30"),
    (WEDNESDAY_NIGHT, CLOSED_NOW, "วันนี้เปิด 08:30–16:30"),
    (SUNDAY_MORNING, CLOSED_NOW, "วันนี้ปิด"),
    (datetime(2026, 12, 12, 3, 30, tzinfo=UTC), OPEN_NOW, "วันนี้เปิด 09:00–12:00"),  # Sat 10:30 BKK
])
def test_the_open_badge_follows_the_hours_at_a_fixed_time(now: datetime, badge: str, today: str) -> None:
    shown = texts(bubble(pinned(), now=now))
    assert badge in shown and ({OPEN_NOW, CLOSED_NOW} - {badge}).isdisjoint(shown)
    assert today in shown
    assert "จ.–ศ. 08:30–16:30, ส. 09:00–12:00" in shown
    assert HOURS_UNKNOWN not in " ".join(shown)


# --- content and buttons ----------------------------------------------------------------------------------

def test_the_bubble_shows_kind_host_and_services() -> None:
    shown = texts(bubble(pho_tak()))
    assert shown[0] == "ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก"
    assert "ศูนย์ดิจิทัลชุมชน · ตั้งอยู่ที่อบต." in shown
    assert "บริการ: อบรม/กิจกรรมเสริมทักษะดิจิทัล, ช่วยขายสินค้าออนไลน์, " \
           "ถ่ายภาพสินค้าเพื่อขายออนไลน์ (ร่วมกับไปรษณีย์ไทย)" in shown


def test_a_centre_without_services_or_host_says_nothing_about_them() -> None:
    shown = texts(bubble(pho_tak(services=[], hosts=[], type=CentreType.OTHER)))
    assert not any(text.startswith("บริการ") for text in shown)
    assert "สถานที่บริการดิจิทัล" in shown


def test_the_call_button_dials_the_first_number_only() -> None:
    assert actions(bubble(pinned()))["โทร"]["uri"] == "tel:053123456"
    assert actions(bubble(pinned(phone="+66 53 123 456")))["โทร"]["uri"] == "tel:+6653123456"
    assert "โทร" not in actions(bubble(pho_tak()))
    assert "โทร" not in actions(bubble(pinned(phone="ไม่มี")))


def test_the_detail_button_carries_the_centre_code() -> None:
    detail = actions(bubble(pho_tak()))["รายละเอียด"]
    assert postback.decode(detail["data"]) == ("ctr", {"c": "dcc-43-pho-tak"}, False)
    assert list(actions(bubble(pho_tak()))) == ["แผนที่", "รายละเอียด"]
    assert list(actions(bubble(pinned()))) == ["โทร", "แผนที่", "ส่งตำแหน่ง", "รายละเอียด"]


# --- the message ------------------------------------------------------------------------------------------

def test_many_centres_make_a_carousel_of_at_most_ten_named_in_the_alt_text() -> None:
    cards = [card_of(pho_tak(code=f"dcc-43-{index}", name=f"ศูนย์ดิจิทัลชุมชนที่ {index}")) for index in range(15)]
    message = build_centres_message(cards, WEDNESDAY_MORNING, build_text_message("x", [message_action("ตกลง")])
                                    ["quickReply"])
    assert message_problems(message) == []
    assert message["contents"]["type"] == "carousel"
    assert len(message["contents"]["contents"]) == MAX_CENTRES == 10
    assert message["altText"].startswith("ศูนย์ดิจิทัลชุมชนที่พบ: ศูนย์ดิจิทัลชุมชนที่ 0 / ศูนย์ดิจิทัลชุมชนที่ 1")
    assert "ศูนย์ดิจิทัลชุมชนที่ 9" in message["altText"] and "ศูนย์ดิจิทัลชุมชนที่ 10" not in message["altText"]
    assert message["quickReply"]["items"][0]["action"]["label"] == "ตกลง"


def test_one_centre_is_one_bubble_named_in_the_alt_text() -> None:
    message = build_centres_message([card_of(pho_tak())], WEDNESDAY_MORNING)
    assert message["contents"]["type"] == "bubble"
    assert message["altText"] == "ศูนย์ดิจิทัลชุมชนที่พบ: ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก"
    assert "quickReply" not in message


def test_no_centres_is_a_caller_bug() -> None:
    with pytest.raises(ValueError):
        build_centres_message([], WEDNESDAY_MORNING)


def test_the_bubble_builder_alone_is_valid_inside_any_message() -> None:
    message = build_flex_message("ศูนย์", build_centre_bubble(card_of(pinned()), WEDNESDAY_MORNING))
    assert message_problems(message) == []


# --- [รายละเอียด] -----------------------------------------------------------------------------------------

def test_details_add_what_the_card_leaves_out() -> None:
    """Issue 13 item 14: [รายละเอียด] resent the same card."""
    starts = datetime(2026, 12, 14, 9, 0, tzinfo=BANGKOK)
    message = build_centre_details_message(card_of(pinned(), km=None), [("การขายของออนไลน์เบื้องต้น", starts)], [])
    assert message_problems(message) == []
    text = message["text"]
    assert "📞 053-123456 ต่อ 12" in text and "จ.–ศ. 08:30–16:30" in text and "ส. 09:00–12:00" in text
    assert "• การขายของออนไลน์เบื้องต้น (" in text and "แผนที่: https://www.google.com/maps/search/" in text
    assert "ฟรีไวไฟ" in text


def test_details_of_an_approximate_centre_say_so_and_never_invent_a_phone_or_a_pin() -> None:
    text = build_centre_details_message(card_of(pho_tak(), km=None), [], [])["text"]
    assert "ยังไม่มีเบอร์โทร" in text and "ยังไม่มีข้อมูลเวลาเปิด-ปิด" in text and "ยังไม่มีรอบอบรม" in text
    assert "ไม่ใช่ที่ตั้งจริง" in text and "แผนที่:" not in text
    assert text.count("อ.โพธิ์ตาก จ.หนองคาย") == 1  # the address already names the area
