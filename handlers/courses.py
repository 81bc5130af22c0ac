"""Digital-skills courses: the catalogue, one course, upcoming sessions near the user or in a named place,
"สนใจ" with a reminder the day before, and "ยกเลิก"."""
from __future__ import annotations

from typing import Any

from bot.flex.course import (
    SESSION_PARAM,
    build_catalogue_message,
    build_course_message,
    build_sessions_message,
    thai_session_time,
)
from bot.flex.messages import build_text_message, location_action, message_action, postback_action, quick_reply
from bot.line import postback
from bot.line.events import InboundEvent, Location
from bot.line.postback import Action
from data.centres import area_label
from data.conversation import State
from data.courses import (
    SessionView,
    active_interests,
    cancel_interest,
    find_course,
    get_course,
    get_session_view,
    list_courses,
    register_interest,
    upcoming_sessions,
)
from data.models import BANGKOK, Course, CourseInterest, utcnow
from data.users import await_answer, awaiting, stop_awaiting
from handlers.base import Context, FollowUp, Result, UserInputError, existing, says
from handlers.places import ask_which_place, picked_place
from handlers.replies import main_quick_replies
from nlp.gazetteer import Place
from nlp.places import load_gazetteer
from workers.reminders import reminder_job_id, send_course_reminder

CATALOGUE_COMMANDS = frozenset({"หลักสูตร", "คอร์ส", "คอร์สเรียน", "หลักสูตรทั้งหมด"})
CANCEL_COMMANDS = frozenset({"ยกเลิก", "ยกเลิกความสนใจ", "ยกเลิกลงทะเบียน"})
SESSIONS_NEAR_ME = "รอบอบรมใกล้ฉัน"
SESSION_COUNT = 10
NEAR_SESSION_KM = 150.0
NEAR_CENTRES = 20
"""The centres within reach whose sessions are listed; more would only add far ones after the first screen."""
CATALOGUE_INTRO = "หลักสูตรทักษะดิจิทัลที่มีข้อมูลค่ะ กดดูรอบอบรมของแต่ละหลักสูตรได้เลย"
NO_COURSES = "ยังไม่มีข้อมูลหลักสูตรในระบบค่ะ ขออภัยด้วยนะคะ 🙏"
SESSIONS_INTRO = "รอบอบรมที่กำลังจะมาถึงค่ะ กด \"สนใจ\" แล้วช่วยเช็กจะเตือนก่อนวันอบรม 1 วันนะคะ"
NONE_NEAR = "ยังไม่มีรอบอบรมใกล้คุณค่ะ นี่คือรอบที่กำลังจะมาถึงในที่อื่น"
SESSIONS_IN_PLACE = "รอบอบรมที่กำลังจะมาถึงใน {place} ค่ะ"
NO_SESSIONS = "ยังไม่มีรอบอบรมที่กำลังจะมาถึง{where}ค่ะ ลองดูหลักสูตรออนไลน์ หรือถามใหม่ภายหลังนะคะ"
ASK_SESSION_LOCATION = ("ส่งตำแหน่งของคุณมา เพื่อหารอบอบรมที่ใกล้ที่สุดได้เลยค่ะ "
                        "หรือพิมพ์ชื่อจังหวัด เช่น \"อบรม หนองคาย\"")
REGISTERED = ("จดไว้แล้วว่าคุณสนใจรอบนี้ค่ะ ✅ (ยังไม่ใช่การสมัครเรียน)\n{course} {when}\n{reminder}\n"
              "เปลี่ยนใจพิมพ์ \"ยกเลิก\" ได้ทุกเมื่อ")
WILL_REMIND = "ช่วยเช็กจะส่งข้อความเตือนก่อนวันอบรม 1 วันค่ะ"
TOO_CLOSE = "รอบนี้ใกล้จะเริ่มแล้ว จึงไม่มีข้อความเตือนล่วงหน้านะคะ"
ALREADY_REGISTERED = "คุณแจ้งความสนใจรอบนี้ไว้แล้วค่ะ 😊"
SESSION_GONE = "ขออภัยค่ะ รอบอบรมนี้ไม่มีในระบบแล้ว หรือเริ่มไปแล้ว ลองดูรอบอื่นนะคะ"
COURSE_GONE = "ขออภัยค่ะ ไม่พบหลักสูตรนี้ในระบบแล้ว"
CANCELLED = "ยกเลิกความสนใจ{course} แล้วค่ะ จะไม่มีข้อความเตือนสำหรับรอบนี้นะคะ"
NOTHING_TO_CANCEL = "ตอนนี้ยังไม่มีรอบอบรมที่คุณแจ้งความสนใจไว้ค่ะ"
WHICH_TO_CANCEL = "ต้องการยกเลิกรอบไหนคะ"
EXAMPLE_NOTICE = "ℹ️ รอบที่มีป้าย \"ตัวอย่าง\" เป็นข้อมูลสาธิต ไม่ใช่รอบอบรมจริงค่ะ"


is_catalogue_request = says(CATALOGUE_COMMANDS)
is_cancel_request = says(CANCEL_COMMANDS)
is_sessions_near_me = says({SESSIONS_NEAR_ME})


def is_awaiting_session_location(event: InboundEvent, ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type == "location" \
        and awaiting(ctx.user, State.SESSION_LOCATION) is not None


def _quick_replies() -> dict[str, Any]:
    return quick_reply([message_action(SESSIONS_NEAR_ME), *main_quick_replies()])


def show_catalogue(_event: InboundEvent, ctx: Context) -> Result:
    courses = list_courses(ctx.session)
    if not courses:
        return Result(messages=(build_text_message(NO_COURSES, main_quick_replies()),))
    return Result(messages=(build_text_message(CATALOGUE_INTRO),
                            build_catalogue_message(courses, _quick_replies())))


def _course_reply(course: Course) -> Result:
    return Result(messages=(build_course_message(course, _quick_replies()),))


def _interested_in(ctx: Context) -> set[int]:
    if ctx.user is None:
        return set()
    return {interest.session_id for interest in active_interests(ctx.session, ctx.user, utcnow())}


def _sessions_reply(intro: str, views: list[SessionView], ctx: Context, where: str = "") -> Result:
    if not views:
        return Result(messages=(build_text_message(NO_SESSIONS.format(where=where), main_quick_replies()),))
    if any(view.session.illustrative for view in views):
        intro = f"{intro}\n{EXAMPLE_NOTICE}"
    areas = {view.centre.code: area_label(view.centre) for view in views if view.centre is not None}
    return Result(messages=(build_text_message(intro),
                            build_sessions_message(views, _interested_in(ctx), _quick_replies(), areas=areas)))


def sessions_in(place: Place, ctx: Context, course_code: str | None = None) -> Result:
    """Sessions at centres in the place's province: a course day is worth a drive across the province."""
    views = upcoming_sessions(ctx.session, utcnow(), course_code, place.province_code, SESSION_COUNT)
    province = load_gazetteer().place(place.province_code) or place
    return _sessions_reply(SESSIONS_IN_PLACE.format(place=province.label()), views, ctx, f"ใน {province.label()} ")


def answer_query(event: InboundEvent, ctx: Context) -> Result:
    """Free text about courses: one course by name, sessions in a named place, or the catalogue."""
    text = event.text or ""
    course = find_course(ctx.session, text)
    query = load_gazetteer().resolve(text)
    if query.ambiguous:
        return ask_which_place(query, Action.SESSION_PLACE)
    if query.places:
        return sessions_in(query.places[0], ctx, course.code if course else None)
    if course is not None:
        return _course_reply(course)
    return show_catalogue(event, ctx)


def ask_for_session_location(_event: InboundEvent, ctx: Context) -> Result:
    if ctx.user is not None:
        await_answer(ctx.user, State.SESSION_LOCATION)
    return Result(messages=(build_text_message(ASK_SESSION_LOCATION, [location_action(), *main_quick_replies()]),))


def sessions_near(location: Location, ctx: Context) -> Result:
    """Upcoming sessions at the centres within NEAR_SESSION_KM, nearest centre first; centres without
    coordinates are found through the address LINE attached instead, never guessed."""
    near = ctx.knowledge.nearest_centres(ctx.session, location.latitude, location.longitude, NEAR_CENTRES,
                                         NEAR_SESSION_KM)
    distance = {item.centre.code: item.km for item in near}
    views = upcoming_sessions(ctx.session, utcnow(), limit=NEAR_CENTRES * SESSION_COUNT, centre_codes=distance)
    views.sort(key=lambda view: (distance[view.centre.code] if view.centre else NEAR_SESSION_KM,
                                 view.session.starts_at))
    if views:
        return _sessions_reply(SESSIONS_INTRO, views[:SESSION_COUNT], ctx)
    query = load_gazetteer().resolve(location.address or "")
    if query.places and not query.ambiguous:
        return sessions_in(query.places[0], ctx)
    elsewhere = upcoming_sessions(ctx.session, utcnow(), limit=SESSION_COUNT)
    return _sessions_reply(NONE_NEAR, elsewhere, ctx)


def answer_session_location(event: InboundEvent, ctx: Context) -> Result:
    assert event.location is not None
    stop_awaiting(ctx.user, State.SESSION_LOCATION)
    return sessions_near(event.location, ctx)


def _course_from(params: dict[str, str], ctx: Context) -> Course:
    return existing(get_course(ctx.session, params.get("c", "")), COURSE_GONE)


def show_course(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    return _course_reply(_course_from(params, ctx))


def show_course_sessions(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    course = _course_from(params, ctx)
    province = ctx.user.province_code if ctx.user else None
    if province is not None:
        place = load_gazetteer().place(province)
        views = upcoming_sessions(ctx.session, utcnow(), course.code, province, SESSION_COUNT)
        if views and place is not None:
            return _sessions_reply(SESSIONS_IN_PLACE.format(place=place.label()), views, ctx)
    views = upcoming_sessions(ctx.session, utcnow(), course.code, limit=SESSION_COUNT)
    return _sessions_reply(f"รอบอบรม {course.title} ที่กำลังจะมาถึงค่ะ", views, ctx, f"ของ {course.title} ")


def show_place_sessions(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    return sessions_in(picked_place(params), ctx)


def _upcoming_view(params: dict[str, str], ctx: Context) -> SessionView:
    session_id = params.get(SESSION_PARAM, "")
    view = get_session_view(ctx.session, int(session_id)) if session_id.isdigit() else None
    if view is None or view.session.starts_at <= utcnow():
        raise UserInputError(SESSION_GONE)
    return view


def register(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    view = _upcoming_view(params, ctx)
    if ctx.user is None:
        raise UserInputError(SESSION_GONE)
    interest, created = register_interest(ctx.session, ctx.user, view.session, utcnow())
    if not created:
        return Result(messages=(build_text_message(ALREADY_REGISTERED, main_quick_replies()),))
    text = REGISTERED.format(course=view.course.title, when=thai_session_time(view.session.starts_at,
                                                                               view.session.ends_at),
                             reminder=WILL_REMIND if interest.remind_at else TOO_CLOSE)
    follow_ups = (FollowUp(send_course_reminder, (interest.id,), reminder_job_id(interest.id),
                           at=interest.remind_at),) \
        if interest.remind_at else ()
    return Result(messages=(build_text_message(text, main_quick_replies()),), follow_ups=follow_ups)


def _cancel(interest: CourseInterest, ctx: Context) -> Result:
    view = get_session_view(ctx.session, interest.session_id)
    cancel_interest(interest, utcnow())
    title = f" {view.course.title}" if view else ""
    return Result(messages=(build_text_message(CANCELLED.format(course=title), main_quick_replies()),))


def unregister(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    session_id = params.get(SESSION_PARAM, "")
    interests = [interest for interest in active_interests(ctx.session, ctx.user, utcnow())
                 if str(interest.session_id) == session_id] if ctx.user else []
    if not interests:
        return Result(messages=(build_text_message(NOTHING_TO_CANCEL, main_quick_replies()),))
    return _cancel(interests[0], ctx)


def cancel_by_text(_event: InboundEvent, ctx: Context) -> Result:
    """"ยกเลิก": one registration is cancelled at once; with several, the user picks which."""
    interests = active_interests(ctx.session, ctx.user, utcnow()) if ctx.user else []
    if not interests:
        return Result(messages=(build_text_message(NOTHING_TO_CANCEL, main_quick_replies()),))
    if len(interests) == 1:
        return _cancel(interests[0], ctx)
    actions = []
    for interest in interests:
        view = get_session_view(ctx.session, interest.session_id)
        if view is not None:
            label = f"{view.session.starts_at.astimezone(BANGKOK):%d/%m} {view.course.title}"  # date first: it fits
            session_param: dict[str, Any] = {SESSION_PARAM: interest.session_id}
            data = postback.encode(Action.CANCEL_INTEREST, **session_param)
            actions.append(postback_action(label, data, f"ยกเลิก {label}"))
    return Result(messages=(build_text_message(WHICH_TO_CANCEL, actions),))
