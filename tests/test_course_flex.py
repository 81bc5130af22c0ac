"""Course cards and session cards: valid for LINE, in Thai dates, and never passing a demo session off as real."""
from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.flex.components import build_flex_message
from bot.flex.course import (
    ILLUSTRATIVE_NOTICE,
    MAX_COURSES,
    MAX_SESSIONS,
    SESSION_PARAM,
    build_catalogue_message,
    build_course_bubble,
    build_course_message,
    build_session_bubble,
    build_sessions_message,
    reminder_text,
    thai_session_time,
)
from bot.flex.messages import build_text_message, message_action, quick_reply
from bot.line import postback
from data.courses import SessionView
from data.knowledge_import import parse_course
from data.models import BANGKOK, Centre, CentreType, Course, CourseFormat, CourseSession, LocationPrecision
from tests.flex_schema import actions, message_problems, texts

SAMPLE_COURSES = Path(__file__).parent.parent / "data" / "sample" / "courses.csv"
POTAK_AREA = "อ.โพธิ์ตาก จ.หนองคาย"


def live_commerce(**changes: Any) -> Course:
    values: dict[str, Any] = dict(
        code="dcc-live-commerce", title="ถ่ายทอดสดสำหรับการค้าออนไลน์", provider="ศูนย์ดิจิทัลชุมชน (สดช.)",
        description="อบรมการไลฟ์สดเพื่อขายสินค้าออนไลน์", format=CourseFormat.ONSITE, hours=None, url=None,
        audience="ผู้ขายสินค้าชุมชน", topics=["ไลฟ์สด", "ขายของออนไลน์"])
    values.update(changes)
    return Course(**values)


def volunteer_course() -> Course:
    return Course(code="thaimooc-digital-volunteer", title="อาสาสมัครดิจิทัล (อสด.)", provider="Thai MOOC",
                  description="เรียนรู้บทบาทของอาสาสมัครดิจิทัล", format=CourseFormat.ONLINE, hours=9.0,
                  url="https://thaimooc.org", audience="ผู้ที่อยากเป็นอาสาสมัครดิจิทัล", topics=[])


def pho_tak() -> Centre:
    return Centre(code="dcc-43-pho-tak", name="ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก", type=CentreType.COMMUNITY_DIGITAL_CENTRE,
                  hosts=["อบต."], province_code="43", location_precision=LocationPrecision.DISTRICT)


DAY_BEFORE = datetime(2026, 12, 11, 9, 0, tzinfo=BANGKOK)


def view(session_id: int = 2, illustrative: bool = True, centre: Centre | None = None, course: Course | None = None,
         **changes: Any) -> SessionView:
    """The sample's second session: live commerce at Pho Tak on Sat 12 Dec 2026, morning (illustrative)."""
    values: dict[str, Any] = dict(
        id=session_id, course_code="dcc-live-commerce", centre_code="dcc-43-pho-tak",
        starts_at=datetime(2026, 12, 12, 9, 0, tzinfo=BANGKOK), ends_at=datetime(2026, 12, 12, 12, 0, tzinfo=BANGKOK),
        seats=20, registration_url=None, illustrative=illustrative)
    values.update(changes)
    return SessionView(CourseSession(**values), course or live_commerce(), centre if centre is not None else pho_tak())


def valid(contents: dict[str, Any]) -> dict[str, Any]:
    assert message_problems(build_flex_message("ทดสอบ", contents)) == []
    return contents


# --- dates ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("starts_at", "ends_at", "expected"), [
    (datetime(2026, 12, 12, 9, 0, tzinfo=BANGKOK), datetime(2026, 12, 12, 12, 0, tzinfo=BANGKOK),
     "ส. 12 ธ.ค. 2569 เวลา 09:00–12:00 น."),
    # Stored times come back in UTC: 02:00Z is 09:00 in Bangkok.
    (datetime(2026, 12, 12, 2, 0, tzinfo=UTC), datetime(2026, 12, 12, 5, 0, tzinfo=UTC),
     "ส. 12 ธ.ค. 2569 เวลา 09:00–12:00 น."),
    # 23:30Z on Thursday is already Friday morning in Bangkok.
    (datetime(2027, 1, 7, 23, 30, tzinfo=UTC), datetime(2027, 1, 8, 2, 0, tzinfo=UTC),
     "ศ. 8 ม.ค. 2570 เวลา 06:30–09:00 น."),
    (datetime(2026, 12, 5, 9, 30, tzinfo=BANGKOK), datetime(2026, 12, 6, 12, 0, tzinfo=BANGKOK),
     "ส. 5 ธ.ค. 2569 09:30 น. – อา. 6 ธ.ค. 2569 12:00 น."),
])
def test_session_times_are_thai_in_bangkok_time(starts_at: datetime, ends_at: datetime, expected: str) -> None:
    assert thai_session_time(starts_at, ends_at) == expected


def test_a_naive_session_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        thai_session_time(datetime(2026, 12, 12, 9, 0), datetime(2026, 12, 12, 12, 0))


# --- courses ----------------------------------------------------------------------------------------------

def sample_courses() -> list[Course]:
    with SAMPLE_COURSES.open(encoding="utf-8", newline="") as handle:
        return [Course(**parse_course(row)) for row in csv.DictReader(handle)]


@pytest.mark.parametrize("course", sample_courses(), ids=lambda course: course.code)
def test_every_sample_course_makes_a_valid_bubble(course: Course) -> None:
    found = valid(build_course_bubble(course))
    assert texts(found)[0] == course.title
    assert actions(found), "every course card offers a way in"


@pytest.mark.parametrize(("course_format", "label"), [
    (CourseFormat.ONSITE, "เรียนที่ศูนย์"), (CourseFormat.ONLINE, "ออนไลน์"),
    (CourseFormat.HYBRID, "ออนไลน์และเรียนที่ศูนย์")])
def test_the_format_is_named_in_thai(course_format: CourseFormat, label: str) -> None:
    assert label in texts(valid(build_course_bubble(live_commerce(format=course_format))))


@pytest.mark.parametrize(("hours", "shown"), [(9.0, "ออนไลน์ · 9 ชั่วโมง"), (1.5, "ออนไลน์ · 1.5 ชั่วโมง"),
                                              (None, "ออนไลน์")])
def test_hours_are_shown_only_when_known(hours: float | None, shown: str) -> None:
    found = texts(build_course_bubble(live_commerce(format=CourseFormat.ONLINE, hours=hours)))
    assert shown in found
    assert (hours is None) == (not any("ชั่วโมง" in text for text in found))


def test_a_course_bubble_shows_provider_description_and_audience() -> None:
    found = texts(build_course_bubble(live_commerce()))
    assert found[:2] == ["ถ่ายทอดสดสำหรับการค้าออนไลน์", "ศูนย์ดิจิทัลชุมชน (สดช.)"]
    assert "อบรมการไลฟ์สดเพื่อขายสินค้าออนไลน์" in found
    assert "เหมาะสำหรับ: ผู้ขายสินค้าชุมชน" in found
    bare = texts(valid(build_course_bubble(live_commerce(provider=None, description=None, audience=None))))
    assert bare == ["ถ่ายทอดสดสำหรับการค้าออนไลน์", "เรียนที่ศูนย์"]


def test_an_onsite_course_offers_its_sessions() -> None:
    found = actions(build_course_bubble(live_commerce()))
    assert list(found) == ["รอบอบรม"]
    assert postback.decode(found["รอบอบรม"]["data"]) == ("ses", {"c": "dcc-live-commerce"}, False)


def test_an_online_course_with_a_link_offers_the_link_to_learn() -> None:
    found = actions(valid(build_course_bubble(volunteer_course())))
    assert list(found) == ["เรียนออนไลน์"]
    assert found["เรียนออนไลน์"]["uri"] == "https://thaimooc.org"


def test_a_hybrid_course_with_a_link_offers_sessions_and_details() -> None:
    found = actions(build_course_bubble(live_commerce(format=CourseFormat.HYBRID, url="https://www.etda.or.th/")))
    assert list(found) == ["รอบอบรม", "ดูรายละเอียด"]
    assert found["ดูรายละเอียด"] == {"type": "uri", "label": "ดูรายละเอียด", "uri": "https://www.etda.or.th/"}


def test_the_catalogue_is_a_carousel_of_at_most_twelve_named_in_the_alt_text() -> None:
    courses = [live_commerce(code=f"course-{index}", title=f"หลักสูตรที่ {index}") for index in range(15)]
    message = build_catalogue_message(courses, quick_reply([message_action("รอบอบรมใกล้ฉัน")]))
    assert message_problems(message) == []
    assert len(message["contents"]["contents"]) == MAX_COURSES == 12
    assert message["altText"].startswith("หลักสูตรดิจิทัล: หลักสูตรที่ 0 / หลักสูตรที่ 1 / ")
    assert "หลักสูตรที่ 11" in message["altText"] and "หลักสูตรที่ 12" not in message["altText"]
    assert message["quickReply"]["items"][0]["action"]["text"] == "รอบอบรมใกล้ฉัน"


def test_the_sample_catalogue_is_valid() -> None:
    message = build_catalogue_message(sample_courses())
    assert message_problems(message) == []
    assert "ผู้ประกอบการดิจิทัล" in message["altText"]
    with pytest.raises(ValueError):
        build_catalogue_message([])


# --- sessions ---------------------------------------------------------------------------------------------

def test_an_illustrative_session_says_so_at_the_top() -> None:
    found = texts(valid(build_session_bubble(view(illustrative=True), area=POTAK_AREA)))
    assert found[0] == f"⚠️ {ILLUSTRATIVE_NOTICE}"
    assert ILLUSTRATIVE_NOTICE == "ตัวอย่างเพื่อสาธิต ไม่ใช่รอบจริง"
    assert not any(ILLUSTRATIVE_NOTICE in text for text in texts(build_session_bubble(view(illustrative=False))))


def test_a_session_bubble_says_what_when_where_and_how_many_seats() -> None:
    found = texts(valid(build_session_bubble(view(illustrative=False), area=POTAK_AREA)))
    assert found == ["ถ่ายทอดสดสำหรับการค้าออนไลน์", "🗓 ส. 12 ธ.ค. 2569 เวลา 09:00–12:00 น.",
                     "📍 ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก อ.โพธิ์ตาก จ.หนองคาย", "รับ 20 ที่นั่ง"]
    assert not any("ที่นั่ง" in text for text in texts(build_session_bubble(view(seats=None))))
    assert "📍 ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก" in texts(build_session_bubble(view()))


def test_a_session_without_a_centre_is_online_or_not_yet_placed() -> None:
    online = SessionView(view().session, volunteer_course(), None)
    assert "📍 ออนไลน์" in texts(valid(build_session_bubble(online)))
    unplaced = SessionView(view().session, live_commerce(), None)
    assert "📍 ยังไม่ระบุสถานที่" in texts(build_session_bubble(unplaced))


def test_interest_buttons_follow_the_users_registration() -> None:
    fresh = actions(valid(build_session_bubble(view(session_id=7))))
    assert list(fresh) == ["สนใจ"]
    assert postback.decode(fresh["สนใจ"]["data"]) == ("int", {"i": "7"}, False)
    registered = build_session_bubble(view(session_id=7), interested=True)
    found = actions(valid(registered))
    assert list(found) == ["ยกเลิกความสนใจ"]
    assert postback.decode(found["ยกเลิกความสนใจ"]["data"]) == ("unint", {"i": "7"}, False)
    assert "✅ คุณลงชื่อสนใจรอบนี้แล้วค่ะ" in texts(registered)


def test_interest_data_is_not_mistaken_for_a_signature() -> None:
    # bot.line.postback reads `s=` as an HMAC signature: a session id under that key would be refused as forged.
    assert SESSION_PARAM != postback.SIGNATURE_KEY
    for action in actions(build_session_bubble(view(session_id=7))).values():
        postback.decode(action["data"])


def test_a_registration_link_becomes_a_button() -> None:
    found = actions(valid(build_session_bubble(view(registration_url="https://forms.example.org/r/7"))))
    assert list(found) == ["สนใจ", "ลงทะเบียน"]
    assert found["ลงทะเบียน"]["uri"] == "https://forms.example.org/r/7"


def test_sessions_message_marks_each_users_interest_and_area() -> None:
    views = [view(session_id=1), view(session_id=2, illustrative=False)]
    message = build_sessions_message(views, {2}, areas={"dcc-43-pho-tak": POTAK_AREA})
    assert message_problems(message) == []
    first, second = message["contents"]["contents"]
    assert list(actions(first)) == ["สนใจ"] and list(actions(second)) == ["ยกเลิกความสนใจ"]
    assert "📍 ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก อ.โพธิ์ตาก จ.หนองคาย" in texts(second)
    assert message["altText"] == ("รอบอบรมที่กำลังจะมาถึง: ถ่ายทอดสดสำหรับการค้าออนไลน์ (ส. 12 ธ.ค. 2569, ตัวอย่าง)"
                                  " / ถ่ายทอดสดสำหรับการค้าออนไลน์ (ส. 12 ธ.ค. 2569)")


def test_one_session_is_one_bubble_and_many_are_capped() -> None:
    single = build_sessions_message([view()], set())
    assert message_problems(single) == [] and single["contents"]["type"] == "bubble"
    start = datetime(2026, 12, 12, 9, 0, tzinfo=BANGKOK)
    many = [view(session_id=index, starts_at=start + timedelta(days=index), ends_at=start + timedelta(days=index,
                 hours=3)) for index in range(20)]
    message = build_sessions_message(many, set(range(20)), quick_reply([message_action("ยกเลิก")]))
    assert message_problems(message) == []
    assert len(message["contents"]["contents"]) == MAX_SESSIONS == 12
    with pytest.raises(ValueError):
        build_sessions_message([], set())


# --- the reminder -----------------------------------------------------------------------------------------

def test_the_reminder_says_what_when_where_and_how_to_cancel() -> None:
    text = reminder_text(view(illustrative=False), DAY_BEFORE, POTAK_AREA)
    assert text.splitlines() == [
        "⏰ พรุ่งนี้มีอบรม “ถ่ายทอดสดสำหรับการค้าออนไลน์” ส. 12 ธ.ค. 2569 เวลา 09:00–12:00 น. "
        "ที่ ศูนย์ดิจิทัลชุมชนตำบลโพธิ์ตาก อ.โพธิ์ตาก จ.หนองคาย ค่ะ",
        "หากไปไม่ได้ พิมพ์ \"ยกเลิก\" เพื่อยกเลิกความสนใจได้เลยนะคะ"]
    assert message_problems(build_text_message(text)) == []


def test_a_reminder_sent_late_does_not_say_tomorrow() -> None:
    same_day = datetime(2026, 12, 12, 7, 0, tzinfo=BANGKOK)
    assert reminder_text(view(illustrative=False), same_day).startswith("⏰ วันนี้มีอบรม")
    assert reminder_text(view(illustrative=False), DAY_BEFORE - timedelta(days=3)).startswith("⏰ เร็วๆ นี้มีอบรม")


def test_an_illustrative_reminder_carries_the_notice() -> None:
    lines = reminder_text(view(illustrative=True), DAY_BEFORE).splitlines()
    assert lines[1] == f"({ILLUSTRATIVE_NOTICE})"
    assert "พิมพ์ \"ยกเลิก\"" in lines[-1]


def test_an_online_reminder_has_no_place() -> None:
    text = reminder_text(SessionView(view(illustrative=False).session, volunteer_course(), None), DAY_BEFORE)
    assert text.splitlines()[0].endswith("เวลา 09:00–12:00 น. ทางออนไลน์ ค่ะ")


def test_a_course_message_names_the_course_in_its_alt_text() -> None:
    message = build_course_message(live_commerce())
    assert message["altText"] == "หลักสูตร ถ่ายทอดสดสำหรับการค้าออนไลน์" and message_problems(message) == []
