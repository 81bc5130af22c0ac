"""Becoming a digital volunteer (อสด.) in the chat: "สมัครอาสา" asks for a display name, the province and
district (resolved with geothai), and consent; then an admin approves, or VOLUNTEER_AUTO_APPROVE does.
"โปรไฟล์ อสด." shows the registration."""
from __future__ import annotations

from typing import Any

from bot.flex.messages import build_text_message, message_action, postback_action
from bot.flex.thai_dates import thai_date
from bot.line import postback
from bot.line.events import InboundEvent
from bot.line.postback import Action
from bot.richmenu.spec import MenuCommand
from data.conversation import State
from data.models import BANGKOK, Role, User, VolunteerStatus
from data.users import await_answer, awaiting, stop_awaiting
from data.volunteers import MAX_DISPLAY_NAME, get_volunteer, register_volunteer
from handlers.base import Context, FollowUp, Result, UserInputError, command_text, says
from handlers.replies import main_quick_replies
from nlp.gazetteer import Level, Place
from nlp.normalise import URL
from nlp.places import load_gazetteer
from workers.richmenu_jobs import link_menu_job_id, sync_user_menu
from workers.volunteers import WELCOME

SIGN_UP_COMMANDS = frozenset({"สมัครอาสา", "สมัครอสด", "สมัคร อสด", "สมัคร อสด.", "สมัครอาสาสมัครดิจิทัล",
                              "สมัครเป็นอาสา", "สมัครเป็น อสด."})
PROFILE_COMMANDS = frozenset({"โปรไฟล์ อสด.", "โปรไฟล์ อสด", "โปรไฟล์", "ข้อมูลอาสา"})
CANCEL_WORDS = frozenset({"ยกเลิก", "ไม่สมัคร", "ยกเลิกการสมัคร"})
NOT_ANSWERS = frozenset({*MenuCommand, *SIGN_UP_COMMANDS, *PROFILE_COMMANDS})
MAX_QUICK_DISTRICTS = 12
"""A province with more districts than this is answered by typing (LINE shows at most 13 quick replies)."""

ASK_NAME = ("ยินดีมากค่ะ 🙏 มาสมัครเป็นอาสาสมัครดิจิทัล (อสด.) กัน\n"
            "ขอชื่อที่ใช้แสดงในบทบาทอาสา (เช่น ชื่อเล่น) ค่ะ พิมพ์ \"ยกเลิก\" เพื่อหยุดได้ทุกเมื่อ")
BAD_NAME = f"ขอชื่อสั้นๆ ไม่เกิน {MAX_DISPLAY_NAME} ตัวอักษร และไม่มีลิงก์นะคะ"
ASK_PROVINCE = "คุณ{name} อยู่จังหวัดไหนคะ พิมพ์ชื่อจังหวัดได้เลย (เช่น หนองคาย)"
UNKNOWN_PROVINCE = "ไม่พบจังหวัดนี้ค่ะ ลองพิมพ์ชื่อจังหวัดอีกครั้งนะคะ (เช่น นครราชสีมา หรือ โคราช)"
WHICH_PROVINCE = "หมายถึงจังหวัดไหนคะ"
ASK_DISTRICT = "อยู่อำเภอไหนใน {province} คะ เลือกด้านล่าง หรือพิมพ์ชื่ออำเภอได้เลย"
ASK_DISTRICT_TYPED = "อยู่อำเภอไหนใน {province} คะ พิมพ์ชื่ออำเภอได้เลย (เช่น {example})"
UNKNOWN_DISTRICT = "ไม่พบอำเภอนี้ใน {province} ค่ะ ลองพิมพ์ใหม่อีกครั้งนะคะ"
ASK_CONSENT = ("ขอความยินยอมก่อนนะคะ: ช่วยเช็กจะเก็บชื่อที่ใช้แสดง จังหวัดและอำเภอของคุณ "
               "เพื่อใช้ในบทบาทอาสาสมัคร เช่น เทรนด์ข่าวในจังหวัด และให้เจ้าหน้าที่อนุมัติ "
               "ลบได้ทุกเมื่อด้วยคำว่า \"ลบข้อมูลของฉัน\"\n\n{name} · {area}\nยินยอมไหมคะ?")
UPDATED = "อัปเดตข้อมูลอาสาสมัครแล้วค่ะ ✅"
PENDING = "ได้รับใบสมัครแล้วค่ะ 🙏 เจ้าหน้าที่จะตรวจสอบและอนุมัติ แล้วช่วยเช็กจะแจ้งในแชตนี้นะคะ"
DECLINED = "ยกเลิกการสมัครแล้วค่ะ สมัครใหม่ได้ทุกเมื่อด้วยคำว่า \"สมัครอาสา\""
ALREADY_PENDING = "ใบสมัครของคุณรอเจ้าหน้าที่อนุมัติอยู่ค่ะ 🙏"
NOT_REGISTERED = "คุณยังไม่ได้สมัครเป็นอาสาสมัครดิจิทัลค่ะ พิมพ์ \"สมัครอาสา\" เพื่อสมัครได้เลย"
PROFILE = "โปรไฟล์ อสด.\nชื่อ: {name}\nพื้นที่: {area}\nสถานะ: {status}\nสมัครเมื่อ: {applied}"
STATUS_WORDS = {VolunteerStatus.PENDING: "รออนุมัติ", VolunteerStatus.APPROVED: "อาสาสมัครดิจิทัล ✅"}
STALE_STEP = "ขั้นตอนนี้หมดอายุแล้วค่ะ พิมพ์ \"สมัครอาสา\" เพื่อเริ่มใหม่นะคะ"


is_sign_up = says(SIGN_UP_COMMANDS)
is_profile_request = says(PROFILE_COMMANDS)


def is_signing_up(event: InboundEvent, ctx: Context) -> bool:
    """A text answer to the current step, within its timeout. A menu tile or a command tapped meanwhile is
    not an answer (not a name "หลักสูตร"): it goes to its own handler and the sign-up waits."""
    text = command_text(event)
    return text is not None and text not in NOT_ANSWERS and awaiting(ctx.user, State.VOLUNTEER_SIGN_UP) is not None


def _step(ctx: Context) -> dict[str, Any]:
    answers = awaiting(ctx.user, State.VOLUNTEER_SIGN_UP)
    if answers is None:
        raise UserInputError(STALE_STEP)
    return answers


def _save(user: User, answers: dict[str, Any]) -> None:
    await_answer(user, State.VOLUNTEER_SIGN_UP, answers)


def _cancel_actions() -> list[dict[str, Any]]:
    return [message_action("ยกเลิก")]


def start(_event: InboundEvent, ctx: Context) -> Result:
    if ctx.user is None:
        raise UserInputError(STALE_STEP)
    volunteer = get_volunteer(ctx.session, ctx.user)
    if volunteer is not None and volunteer.status is VolunteerStatus.PENDING:
        return Result(messages=(build_text_message(ALREADY_PENDING, main_quick_replies()),))
    _save(ctx.user, {"step": "name"})
    suggestions = [message_action(ctx.user.display_name)] if ctx.user.display_name else []
    return Result(messages=(build_text_message(ASK_NAME, [*suggestions, *_cancel_actions()]),))


def answer(event: InboundEvent, ctx: Context) -> Result:
    """The user typed an answer: a name, a province or a district, depending on the step."""
    assert ctx.user is not None
    text = command_text(event) or ""
    if text in CANCEL_WORDS:
        stop_awaiting(ctx.user, State.VOLUNTEER_SIGN_UP)
        return Result(messages=(build_text_message(DECLINED, main_quick_replies()),))
    answers = _step(ctx)
    step = answers.get("step")
    if step == "name":
        if not text or len(text) > MAX_DISPLAY_NAME or URL.search(text):
            return Result(messages=(build_text_message(BAD_NAME, _cancel_actions()),))
        _save(ctx.user, {"step": "province", "name": text})
        return Result(messages=(build_text_message(ASK_PROVINCE.format(name=text), _cancel_actions()),))
    if step == "province":
        return _province_from_text(text, answers, ctx)
    if step == "district":
        return _district_from_text(text, answers, ctx)
    return Result(messages=(build_text_message(ASK_CONSENT.format(name=answers["name"], area=_area(answers)),
                                               _consent_actions()),))


def _province_from_text(text: str, answers: dict[str, Any], ctx: Context) -> Result:
    gazetteer = load_gazetteer()
    codes = sorted({place.province_code for place in gazetteer.resolve(text).places})
    provinces = [province for province in (gazetteer.place(code) for code in codes) if province is not None]
    if not provinces:
        return Result(messages=(build_text_message(UNKNOWN_PROVINCE, _cancel_actions()),))
    if len(provinces) > 1:
        actions = [postback_action(place.label(), postback.encode(Action.VOLUNTEER_PROVINCE, p=place.code),
                                   place.label()) for place in provinces]
        return Result(messages=(build_text_message(WHICH_PROVINCE, actions),))
    return _ask_district(provinces[0], answers, ctx)


def _ask_district(province: Place, answers: dict[str, Any], ctx: Context) -> Result:
    assert ctx.user is not None
    _save(ctx.user, {**answers, "step": "district", "province": province.code})
    districts = load_gazetteer().districts(province.code)
    if len(districts) <= MAX_QUICK_DISTRICTS:
        actions = [postback_action(place.label().split(" ")[0],
                                   postback.encode(Action.VOLUNTEER_DISTRICT, d=place.code), place.label())
                   for place in districts]
        return Result(messages=(build_text_message(ASK_DISTRICT.format(province=province.label()), actions),))
    example = districts[0].label().split(" ")[0] if districts else ""
    return Result(messages=(build_text_message(ASK_DISTRICT_TYPED.format(province=province.label(), example=example),
                                               _cancel_actions()),))


def _district_from_text(text: str, answers: dict[str, Any], ctx: Context) -> Result:
    gazetteer = load_gazetteer()
    province = gazetteer.place(answers["province"])
    assert province is not None
    # The province written after the answer keeps a same-named district elsewhere out.
    found = gazetteer.resolve(f"{text} {province.label()}").places
    districts = {place.district_code for place in found
                 if place.province_code == province.code and place.level is not Level.PROVINCE}
    if len(districts) != 1:
        return Result(messages=(build_text_message(UNKNOWN_DISTRICT.format(province=province.label()),
                                                   _cancel_actions()),))
    district = gazetteer.place(districts.pop() or "")
    assert district is not None
    return _ask_consent(district, answers, ctx)


def _area(answers: dict[str, Any]) -> str:
    return load_gazetteer().label_of(answers.get("district"), answers.get("province"))


def _consent_actions() -> list[dict[str, Any]]:
    return [postback_action("ยินยอม", postback.encode(Action.VOLUNTEER_CONSENT, y=1), "ยินยอม"),
            postback_action("ไม่ยินยอม", postback.encode(Action.VOLUNTEER_CONSENT, y=0), "ไม่ยินยอม")]


def _ask_consent(district: Place, answers: dict[str, Any], ctx: Context) -> Result:
    assert ctx.user is not None
    answers = {**answers, "step": "consent", "district": district.code}
    _save(ctx.user, answers)
    return Result(messages=(build_text_message(ASK_CONSENT.format(name=answers["name"], area=_area(answers)),
                                               _consent_actions()),))


def pick_province(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    answers = _step(ctx)
    province = load_gazetteer().place(params.get("p", ""))
    if answers.get("step") != "province" or province is None or province.level is not Level.PROVINCE:
        raise UserInputError(STALE_STEP)
    return _ask_district(province, answers, ctx)


def pick_district(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    answers = _step(ctx)
    district = load_gazetteer().place(params.get("d", ""))
    if answers.get("step") != "district" or district is None or district.province_code != answers.get("province") \
            or district.level is not Level.DISTRICT:
        raise UserInputError(STALE_STEP)
    return _ask_consent(district, answers, ctx)


def consent(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    answers = _step(ctx)
    stop_awaiting(ctx.user, State.VOLUNTEER_SIGN_UP)
    assert ctx.user is not None
    if answers.get("step") != "consent" or params.get("y") != "1":
        return Result(messages=(build_text_message(DECLINED, main_quick_replies()),))
    was_volunteer = ctx.user.role is Role.VOLUNTEER
    volunteer = register_volunteer(ctx.session, ctx.user, answers["name"], answers["province"], answers["district"],
                                   ctx.auto_approve_volunteers)
    if volunteer.status is VolunteerStatus.PENDING:
        return Result(messages=(build_text_message(PENDING, main_quick_replies()),))
    if was_volunteer or ctx.user.role is not Role.VOLUNTEER:  # a coordinator who volunteers keeps their role
        return Result(messages=(build_text_message(UPDATED),))
    line_id = ctx.user.line_user_id
    return Result(messages=(build_text_message(WELCOME.format(name=volunteer.display_name)),),
                  follow_ups=(FollowUp(sync_user_menu, (line_id,), link_menu_job_id(line_id)),))


def show_profile(_event: InboundEvent, ctx: Context) -> Result:
    volunteer = get_volunteer(ctx.session, ctx.user) if ctx.user else None
    if ctx.user is None or volunteer is None:
        return Result(messages=(build_text_message(NOT_REGISTERED, [message_action("สมัครอาสา")]),))
    area = load_gazetteer().label_of(ctx.user.district_code, ctx.user.province_code, default="-")
    text = PROFILE.format(name=volunteer.display_name, area=area,
                          status=STATUS_WORDS[volunteer.status],
                          applied=thai_date(volunteer.applied_at.astimezone(BANGKOK).date()))
    return Result(messages=(build_text_message(text, [message_action("แก้ไขข้อมูล", "สมัครอาสา"),
                                                      *main_quick_replies()]),))
