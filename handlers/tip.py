"""Citizens' tips: offer to send an unanswered message to the agencies, then submit it on ส่งเลย."""
from __future__ import annotations

from bot.flex.messages import build_text_message
from bot.flex.verdict import build_tip_offer_message
from bot.line.events import InboundEvent
from data.models import Tip
from data.tips import TipError, discard_draft, draft_tip, reference, submit_tip
from handlers.base import Context, FollowUp, Result, UserInputError, says
from handlers.replies import main_quick_replies
from workers.tips import route_tip, route_tip_job_id

NOT_THIS_OFFER = "ขอบคุณที่บอกค่ะ ส่งข้อความของคุณให้เจ้าหน้าที่ตรวจสอบไหมคะ?"
RECEIVED = ("ได้รับเรื่องแล้วค่ะ 🙏 เลขที่อ้างอิง {ref}\nเจ้าหน้าที่จะตรวจสอบและแจ้งผลในแชตนี้ "
            "โดยทั่วไปภายใน 2 ชั่วโมง ระหว่างนี้อย่าเพิ่งแชร์ต่อนะคะ")
ALREADY_SENT = "ส่งเรื่องนี้ให้เจ้าหน้าที่แล้วค่ะ (เลขที่อ้างอิง {ref}) เมื่อมีผลจะแจ้งในแชตนี้นะคะ"
DECLINED = "รับทราบค่ะ ถ้าเปลี่ยนใจ ส่งข้อความนี้มาอีกครั้งได้เลยนะคะ"
HOW_TO_TIP = ("ส่งต่อ (Forward) หรือพิมพ์ข้อความที่อยากให้เจ้าหน้าที่ตรวจสอบมาในแชตนี้ได้เลยค่ะ "
              "ถ้ายังไม่มีผลตรวจ ช่วยเช็กจะถามก่อนส่งให้เจ้าหน้าที่ และแจ้งผลในแชตนี้เมื่อตรวจเสร็จนะคะ")
HOW_TO_TIP_COMMANDS = frozenset({"แจ้งเบาะแส", "แจ้งข่าว", "ส่งเบาะแส"})
UNKNOWN_TIP = "ขออภัยค่ะ ไม่พบข้อความนี้แล้ว รบกวนส่งข้อความมาใหม่อีกครั้งนะคะ"


is_how_to_tip = says(HOW_TO_TIP_COMMANDS)


def explain_tipping(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(HOW_TO_TIP, main_quick_replies()),))


def draft_for(event: InboundEvent, ctx: Context) -> Tip | None:
    """Keep the message so the offer's buttons can submit it; only 1:1 chats with a known user qualify."""
    if ctx.user is None or not event.is_one_to_one or not event.text:
        return None
    return draft_tip(ctx.session, ctx.user, event.text, event.source_type.value)


def _tip_id(params: dict[str, str]) -> int:
    try:
        return int(params["t"])
    except (KeyError, ValueError):
        raise UserInputError(UNKNOWN_TIP) from None


def offer_again(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """"ไม่ใช่เรื่องนี้" or 👎 on a verdict, or "ไม่ตรงเรื่องไหนเลย" on suggestions: offer to send it instead."""
    if "t" not in params:
        return Result(messages=(build_text_message(DECLINED, main_quick_replies()),))
    return Result(messages=(build_tip_offer_message(_tip_id(params), NOT_THIS_OFFER),))


def submit(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    if ctx.user is None:
        raise UserInputError(UNKNOWN_TIP)
    try:
        tip, submitted = submit_tip(ctx.session, _tip_id(params), ctx.user)
    except TipError:
        raise UserInputError(UNKNOWN_TIP) from None
    ref = reference(ctx.session, tip.id)
    if not submitted:
        return Result(messages=(build_text_message(ALREADY_SENT.format(ref=ref)),))
    return Result(messages=(build_text_message(RECEIVED.format(ref=ref), main_quick_replies()),),
                  follow_ups=(FollowUp(route_tip, (tip.id,), route_tip_job_id(tip.id)),), acknowledged_tip=tip.id)


def decline(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """ไม่ต้อง: the draft is deleted at once; we keep only what citizens ask us to act on."""
    if ctx.user is not None and params.get("t", "").isdigit():
        discard_draft(ctx.session, int(params["t"]), ctx.user)
    return Result(messages=(build_text_message(DECLINED, main_quick_replies()),))
