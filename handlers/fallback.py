"""What the bot says when no other handler applies."""
from __future__ import annotations

from bot.flex.messages import build_text_message
from bot.line.events import InboundEvent
from bot.line.limits import MAX_TEXT_CHARS
from handlers.base import Context, Result
from handlers.replies import main_quick_replies

STALE_BUTTON = "ปุ่มนี้หมดอายุแล้วค่ะ ลองพิมพ์ใหม่ หรือกด \"ช่วยเหลือ\" เพื่อดูเมนูนะคะ"
UNSUPPORTED_MESSAGE = "ขออภัยค่ะ ช่วยเช็กยังรับข้อความแบบนี้ไม่ได้ ลองพิมพ์ข้อความส่งมาแทนนะคะ"
TOO_LONG = (f"ข้อความนี้ยาวเกิน {MAX_TEXT_CHARS:,} ตัวอักษร ช่วยเช็กอ่านไม่ไหวค่ะ "
            "รบกวนส่งเฉพาะส่วนที่อยากให้ตรวจมาอีกครั้งนะคะ")


def is_too_long(event: InboundEvent, _ctx: Context) -> bool:
    """Longer than LINE lets anyone type: no other handler reads it (matching an 850 KB text took 15 s)."""
    return event.text is not None and len(event.text) > MAX_TEXT_CHARS


def is_postback(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.type == "postback"


def is_other_message(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.type == "message"


def answer_stale_postback(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(STALE_BUTTON, main_quick_replies()),))


def answer_too_long(event: InboundEvent, _ctx: Context) -> Result:
    """A polite word in a 1:1 chat; silence in a group, where the bot speaks only when spoken to."""
    if not event.is_one_to_one:
        return Result()
    return Result(messages=(build_text_message(TOO_LONG, main_quick_replies()),))


def answer_unsupported(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(UNSUPPORTED_MESSAGE, main_quick_replies()),))


def ignore_tab_switch(_event: InboundEvent, _ctx: Context, _params: dict[str, str]) -> Result:
    """LINE switched the rich-menu tab on the phone already; the postback it also sends needs no answer."""
    return Result()
