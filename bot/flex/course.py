"""Flex layouts for digital-skills courses: the catalogue, dated sessions with "สนใจ", and the day-before
reminder. A session marked illustrative is a demo row, and everything that shows it says so."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.flex.components import BRAND_COLOUR, MUTED_COLOUR, build_flex_message, button, text_component
from bot.flex.messages import postback_action, shorten, uri_action
from bot.flex.thai_dates import thai_day
from bot.line import postback
from bot.line.limits import MAX_CAROUSEL_BUBBLES
from bot.line.postback import Action
from data.courses import SessionView
from data.models import BANGKOK, Course, CourseFormat

MAX_COURSES = MAX_CAROUSEL_BUBBLES
MAX_SESSIONS = MAX_CAROUSEL_BUBBLES
MAX_DESCRIPTION_CHARS = 240
FORMAT_LABELS = {CourseFormat.ONSITE: "เรียนที่ศูนย์", CourseFormat.ONLINE: "ออนไลน์",
                 CourseFormat.HYBRID: "ออนไลน์และเรียนที่ศูนย์"}
ILLUSTRATIVE_NOTICE = "ตัวอย่างเพื่อสาธิต ไม่ใช่รอบจริง"
WARNING_COLOUR = "#EF6C00"
CATALOGUE_ALT = "หลักสูตรดิจิทัล: "
SESSIONS_ALT = "รอบอบรมที่กำลังจะมาถึง: "
NO_PLACE = "ยังไม่ระบุสถานที่"
SESSION_PARAM = "i"
"""Postback key of a session id in "int"/"unint" data: `s` is taken, bot.line.postback reads it as a signature."""
CANCEL_HINT = "หากไปไม่ได้ พิมพ์ \"ยกเลิก\" เพื่อยกเลิกความสนใจได้เลยนะคะ"




def thai_session_time(starts_at: datetime, ends_at: datetime) -> str:
    """"ส. 12 ธ.ค. 2569 เวลา 09:00–12:00 น." in Bangkok time, Buddhist year; both dates when it spans days."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("session times must be aware datetimes; a naive one would be read as the server's zone")
    start, end = starts_at.astimezone(BANGKOK), ends_at.astimezone(BANGKOK)
    if start.date() == end.date():
        return f"{thai_day(start)} เวลา {start:%H:%M}–{end:%H:%M} น."
    return f"{thai_day(start)} {start:%H:%M} น. – {thai_day(end)} {end:%H:%M} น."


def _hours(hours: float) -> str:
    return f"{hours:g} ชั่วโมง"


def build_course_bubble(course: Course) -> dict[str, Any]:
    """Title, provider, format and hours, what it teaches and for whom; sessions and a link to learn."""
    facts = FORMAT_LABELS[course.format] + (f" · {_hours(course.hours)}" if course.hours else "")
    body = [text_component(shorten(course.title, 120), weight="bold", size="md"),
            *([text_component(course.provider, size="xs", color=MUTED_COLOUR)] if course.provider else []),
            text_component(facts, size="xs", color=BRAND_COLOUR)]
    if course.description:
        body.append(text_component(shorten(course.description, MAX_DESCRIPTION_CHARS), size="sm"))
    if course.audience:
        body.append(text_component(f"เหมาะสำหรับ: {shorten(course.audience, 120)}", size="xs",
                                   color=MUTED_COLOUR))
    footer = []
    # A self-paced online course has no dated sessions: its link is the way in.
    if not (course.format is CourseFormat.ONLINE and course.url):
        footer.append(button(postback_action("รอบอบรม", postback.encode(Action.COURSE_SESSIONS, c=course.code),
                                              shorten(f"รอบอบรม {course.title}", 100)), style="primary"))
    if course.url:
        label = "เรียนออนไลน์" if course.format is CourseFormat.ONLINE else "ดูรายละเอียด"
        footer.append(button(uri_action(label, course.url)))
    return {"type": "bubble", "size": "kilo",
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
            "footer": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": footer}}


def build_course_message(course: Course, quick_reply: dict[str, Any] | None = None) -> dict[str, Any]:
    return build_flex_message(f"หลักสูตร {course.title}", build_course_bubble(course), quick_reply)


def build_catalogue_message(courses: list[Course], quick_reply: dict[str, Any] | None = None) -> dict[str, Any]:
    if not courses:
        raise ValueError("no courses to show")
    shown = courses[:MAX_COURSES]
    contents = {"type": "carousel", "contents": [build_course_bubble(course) for course in shown]}
    return build_flex_message(CATALOGUE_ALT + " / ".join(course.title for course in shown), contents, quick_reply)


def session_place(view: SessionView, area: str | None = None) -> str:
    """"ศูนย์… อ.… จ.…", "ออนไลน์", or that the place is not yet known."""
    if view.centre is not None:
        return f"{view.centre.name} {area}" if area else view.centre.name
    return FORMAT_LABELS[CourseFormat.ONLINE] if view.course.format is CourseFormat.ONLINE else NO_PLACE


def build_session_bubble(view: SessionView, interested: bool = False, area: str | None = None) -> dict[str, Any]:
    """`area` is the centre's area text ("อ.โพธิ์ตาก จ.หนองคาย"), resolved by the caller from geothai codes."""
    session = view.session
    body: list[dict[str, Any]] = []
    if session.illustrative:
        body.append(text_component(f"⚠️ {ILLUSTRATIVE_NOTICE}", weight="bold", size="xs", color=WARNING_COLOUR))
    body += [text_component(shorten(view.course.title, 120), weight="bold", size="md"),
             text_component(f"🗓 {thai_session_time(session.starts_at, session.ends_at)}", size="sm"),
             text_component(f"📍 {session_place(view, area)}", size="sm")]
    if session.seats is not None:
        body.append(text_component(f"รับ {session.seats:,} ที่นั่ง", size="xs", color=MUTED_COLOUR))
    session_param: dict[str, Any] = {SESSION_PARAM: session.id}
    if interested:
        body.append(text_component("✅ คุณลงชื่อสนใจรอบนี้แล้วค่ะ", size="xs", color=BRAND_COLOUR))
        cancel = postback.encode(Action.CANCEL_INTEREST, **session_param)
        footer = [button(postback_action("ยกเลิกความสนใจ", cancel, "ยกเลิกความสนใจ"), style="secondary")]
    else:
        register = postback.encode(Action.REGISTER_INTEREST, **session_param)
        footer = [button(postback_action("สนใจ", register, "สนใจรอบนี้"), style="primary")]
    if session.registration_url:
        footer.append(button(uri_action("ลงทะเบียน", session.registration_url)))
    return {"type": "bubble", "size": "kilo",
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
            "footer": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": footer}}


def _session_alt(view: SessionView) -> str:
    day = thai_day(view.session.starts_at.astimezone(BANGKOK))
    return f"{view.course.title} ({day}{', ตัวอย่าง' if view.session.illustrative else ''})"


def build_sessions_message(views: list[SessionView], interested_ids: set[int],
                           quick_reply: dict[str, Any] | None = None, *,
                           areas: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`areas`: centre code → area text, for the centres of these sessions."""
    if not views:
        raise ValueError("no sessions to show")
    shown = views[:MAX_SESSIONS]
    bubbles = [build_session_bubble(view, view.session.id in interested_ids,
                                    (areas or {}).get(view.centre.code) if view.centre else None)
               for view in shown]
    contents = bubbles[0] if len(bubbles) == 1 else {"type": "carousel", "contents": bubbles}
    return build_flex_message(SESSIONS_ALT + " / ".join(_session_alt(view) for view in shown), contents,
                              quick_reply)


def _day_word(starts_at: datetime, now: datetime) -> str:
    """"พรุ่งนี้" as planned; a reminder re-driven late (its timer was lost) must not say tomorrow for today."""
    days = (starts_at.astimezone(BANGKOK).date() - now.astimezone(BANGKOK).date()).days
    return {0: "วันนี้", 1: "พรุ่งนี้"}.get(days, "เร็วๆ นี้")


def reminder_text(view: SessionView, now: datetime, area: str | None = None) -> str:
    """The day-before push: what, when, where, the demo notice if it is one, and how to cancel."""
    session = view.session
    if view.centre is not None:
        where = f" ที่ {session_place(view, area)}"
    else:
        where = " ทางออนไลน์" if view.course.format is CourseFormat.ONLINE else ""
    when = thai_session_time(session.starts_at, session.ends_at)
    lines = [f"⏰ {_day_word(session.starts_at, now)}มีอบรม “{view.course.title}” {when}"
             f"{where} ค่ะ"]
    if session.illustrative:
        lines.append(f"({ILLUSTRATIVE_NOTICE})")
    lines.append(CANCEL_HINT)
    return "\n".join(lines)
