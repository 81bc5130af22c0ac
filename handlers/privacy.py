"""A user's PDPA rights in the chat: the privacy notice, "ข้อมูลของฉัน" (what is stored) and "ลบข้อมูลของฉัน"
(erase it, after a confirmation that only its sender's own, current request can give)."""
from __future__ import annotations

import secrets
from typing import Any

from bot.flex.components import PRIVACY_COMMAND
from bot.flex.course import thai_session_time
from bot.flex.messages import build_text_message, message_action, postback_action
from bot.flex.thai_dates import thai_time
from bot.line import postback
from bot.line.events import InboundEvent
from bot.line.postback import Action
from data.conversation import State
from data.models import Role, VolunteerStatus, utcnow
from data.privacy import StoredData, erase_user, stored_data
from data.users import await_answer, awaiting, stop_awaiting
from handlers.base import Context, FollowUp, Result, says
from handlers.replies import main_quick_replies
from nlp.places import load_gazetteer
from workers.richmenu_jobs import link_menu_job_id, sync_user_menu

MY_DATA_COMMAND = "ข้อมูลของฉัน"
ERASE_COMMAND = "ลบข้อมูลของฉัน"

PRIVACY_NOTICE = (
    "🔒 ความเป็นส่วนตัว\n"
    "ช่วยเช็กเก็บข้อมูลของคุณเท่าที่จำเป็นค่ะ\n"
    "• รหัสผู้ใช้ LINE และชื่อที่แสดงในโปรไฟล์ LINE\n"
    "• ข้อความที่คุณเลือกส่งให้เจ้าหน้าที่ตรวจสอบ\n"
    "• รอบอบรมที่คุณกด \"สนใจ\"\n"
    "• ข้อมูลการสมัครอาสาสมัครดิจิทัล (ถ้ามี)\n"
    "ใช้เพื่อตอบคุณ และแจ้งผลตรวจสอบหรือข้อความเตือนที่คุณขอไว้เท่านั้น ไม่นำไปใช้ทำการตลาด "
    "ข้อความที่คุณส่งจะถึงเจ้าหน้าที่ของหน่วยงานที่เกี่ยวข้องโดยไม่แสดงชื่อของคุณ "
    "ถ้าหลายคนส่งเรื่องเดียวกันมา อาสาสมัครดิจิทัลอาจเห็นเรื่องนั้นในเทรนด์ โดยไม่ระบุตัวตน\n"
    "ข้อความที่ช่วยเช็กยังตอบไม่ได้และคุณไม่ได้กดส่ง จะถูกลบเองภายในประมาณ 1 วัน "
    "ส่วนข้อมูลอื่นเก็บไว้จนกว่าคุณจะขอลบ\n"
    f"พิมพ์ \"{MY_DATA_COMMAND}\" เพื่อดูข้อมูลที่เก็บไว้ หรือ \"{ERASE_COMMAND}\" เพื่อลบได้ทุกเมื่อนะคะ")
ASK_TO_ERASE = (
    "ต้องการลบข้อมูลของคุณใช่ไหมคะ?\n"
    "ช่วยเช็กจะลบรหัสผู้ใช้ LINE ชื่อ บทบาท พื้นที่ และการสมัครอาสา "
    "ส่วนข้อความที่เคยส่งและรอบอบรมที่สนใจจะไม่มีชื่อหรือรหัสของคุณติดอยู่อีก\n"
    "ข้อความที่ส่งให้เจ้าหน้าที่และจำนวนผู้สนใจจะยังนับอยู่แบบไม่ระบุตัวตน "
    "และคุณจะไม่ได้รับผลตรวจสอบหรือข้อความเตือนที่รออยู่อีกนะคะ")
ERASED = ("ลบข้อมูลของคุณเรียบร้อยแล้วค่ะ 🙏 ข้อความที่เคยส่งและสถิติยังนับอยู่แบบไม่ระบุตัวตน\n"
          "ถ้าทักมาอีกครั้ง ช่วยเช็กจะเริ่มต้นใหม่เหมือนเพิ่งรู้จักกันนะคะ")
KEPT = "ยกเลิกแล้วค่ะ ข้อมูลของคุณยังอยู่เหมือนเดิม"
STALE_CONFIRMATION = (f"ปุ่มนี้หมดอายุแล้วค่ะ ยังไม่ได้ลบข้อมูลใด ๆ ถ้าต้องการลบ พิมพ์ \"{ERASE_COMMAND}\" "
                      "อีกครั้งนะคะ")
NOTHING_STORED = "ช่วยเช็กยังไม่ได้เก็บข้อมูลใด ๆ ของคุณค่ะ"
USE_OF_LINE_ID = (f"รหัสผู้ใช้ LINE ของคุณใช้เพื่อตอบและแจ้งเตือนคุณเท่านั้น ต้องการลบ พิมพ์ \"{ERASE_COMMAND}\" "
                  "ได้เลยนะคะ")

ROLE_LABELS = {Role.CITIZEN: "ประชาชนทั่วไป", Role.VOLUNTEER: "อาสาสมัครดิจิทัล (อสด.)",
               Role.COORDINATOR: "เจ้าหน้าที่ตรวจสอบ", Role.ADMIN: "ผู้ดูแลระบบ"}
VOLUNTEER_LABELS = {VolunteerStatus.PENDING: "สมัครแล้ว รออนุมัติ", VolunteerStatus.APPROVED: "อนุมัติแล้ว"}
NOT_YET = "ยังไม่มี"


is_privacy_request = says({PRIVACY_COMMAND})
is_my_data_request = says({MY_DATA_COMMAND})
is_erase_request = says({ERASE_COMMAND})


def notice_message(quick_replies: list[dict[str, Any]]) -> dict[str, Any]:
    return build_text_message(PRIVACY_NOTICE, quick_replies)


def rights_quick_replies() -> list[dict[str, Any]]:
    return [message_action(MY_DATA_COMMAND), message_action(ERASE_COMMAND), message_action("ช่วยเหลือ")]


def show_notice(_event: InboundEvent, ctx: Context) -> Result:
    if ctx.user is not None:
        ctx.user.privacy_notice_at = utcnow()
    return Result(messages=(notice_message(rights_quick_replies()),))


def _area(data: StoredData) -> str | None:
    return load_gazetteer().label_of(data.district_code, data.province_code) or None


def describe(data: StoredData) -> str:
    """What is stored, in plain Thai; each line names one kind of data."""
    role = ROLE_LABELS[data.role] + (f" · {data.agency_name}" if data.agency_name else "")
    lines = ["ข้อมูลของคุณที่ช่วยเช็กเก็บไว้ค่ะ",
             f"• ชื่อจากโปรไฟล์ LINE: {data.display_name or NOT_YET}",
             f"• บทบาท: {role}"]
    area = _area(data)
    if area:
        lines.append(f"• พื้นที่: {area}")
    if data.volunteer_status is None:
        lines.append("• สมัครอาสา: ยังไม่ได้สมัคร")
    else:
        lines.append(f"• สมัครอาสา: {VOLUNTEER_LABELS[data.volunteer_status]} (ชื่อที่แจ้ง: {data.volunteer_name})")
    if data.consent_at is not None:
        lines.append(f"• ให้ความยินยอมเมื่อ: {thai_time(data.consent_at)} น.")
    lines += [f"• เริ่มใช้ช่วยเช็ก: {thai_time(data.created_at)} น.",
              f"• ใช้งานล่าสุด: {thai_time(data.last_seen_at)} น.",
              f"• ข้อความที่ส่งให้เจ้าหน้าที่: {data.tips_sent} เรื่อง (รอผลตรวจ {data.tips_waiting} เรื่อง)"]
    if data.details_sent:
        lines.append(f"• ข้อมูลเพิ่มที่ส่งตามคำขอของเจ้าหน้าที่: {data.details_sent} ครั้ง")
    if data.interests:
        lines.append(f"• รอบอบรมที่สนใจ {len(data.interests)} รอบ:")
        lines += [f"  - {interest.course_title} {thai_session_time(interest.starts_at, interest.ends_at)}"
                  for interest in data.interests]
    else:
        lines.append(f"• รอบอบรมที่สนใจ: {NOT_YET}")
    if data.helpful_feedback or data.unhelpful_feedback:
        lines.append(f"• ความเห็นต่อผลตรวจ: 👍 มีประโยชน์ {data.helpful_feedback} ครั้ง · "
                     f"👎 ไม่ตรง {data.unhelpful_feedback} ครั้ง")
    else:
        lines.append(f"• ความเห็นต่อผลตรวจ: {NOT_YET}")
    lines += ["", USE_OF_LINE_ID]
    return "\n".join(lines)


def show_my_data(_event: InboundEvent, ctx: Context) -> Result:
    if ctx.user is None:
        return Result(messages=(build_text_message(NOTHING_STORED, main_quick_replies()),))
    text = describe(stored_data(ctx.session, ctx.user))
    return Result(messages=(build_text_message(text, [message_action(ERASE_COMMAND), message_action(PRIVACY_COMMAND),
                                                      message_action("ช่วยเหลือ")]),))


def ask_to_erase(_event: InboundEvent, ctx: Context) -> Result:
    """Remember this request, so only a confirmation of it, by this user and soon, erases anything."""
    if ctx.user is None:
        return Result(messages=(build_text_message(NOTHING_STORED, main_quick_replies()),))
    nonce = secrets.token_hex(4)
    await_answer(ctx.user, State.ERASE_CONFIRM, {"nonce": nonce})
    return Result(messages=(build_text_message(ASK_TO_ERASE, [
        postback_action("ยืนยันลบ", postback.encode(Action.CONFIRM_ERASE, n=nonce), "ยืนยันลบ"),
        postback_action("ยกเลิก", postback.encode(Action.KEEP_DATA, n=nonce), "ยกเลิก")]),))


def _is_current_request(ctx: Context, params: dict[str, str]) -> bool:
    """The sender's own pending request, made within the window. A user created by this very event has no
    pending request, so an erasure never follows a profile fetch that `dispatch` enqueued for a new user."""
    pending = awaiting(ctx.user, State.ERASE_CONFIRM)
    return pending is not None and secrets.compare_digest(str(pending.get("nonce", "")), params.get("n", ""))


def erase(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """ยืนยันลบ: acts only on the sender. Their own menu is unlinked by the role-menu job, which finds no user."""
    if not _is_current_request(ctx, params):
        return Result(messages=(build_text_message(STALE_CONFIRMATION),))
    assert ctx.user is not None
    line_user_id, had_own_menu = ctx.user.line_user_id, ctx.user.role is not Role.CITIZEN
    erase_user(ctx.session, ctx.user)
    follow_ups = (FollowUp(sync_user_menu, (line_user_id,), link_menu_job_id(line_user_id)),) if had_own_menu else ()
    return Result(messages=(build_text_message(ERASED),), follow_ups=follow_ups)


def keep(_event: InboundEvent, ctx: Context, _params: dict[str, str]) -> Result:
    """ยกเลิก: nothing changes but the pending request, which no later tap can confirm."""
    stop_awaiting(ctx.user, State.ERASE_CONFIRM)
    return Result(messages=(build_text_message(KEPT, main_quick_replies()),))
