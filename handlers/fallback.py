"""What the bot says when no other handler applies."""
from __future__ import annotations

from bot.events import InboundEvent
from bot.messages import build_text_message
from handlers.base import Context, Result
from handlers.replies import main_quick_replies

STALE_BUTTON = "ปุ่มนี้หมดอายุแล้วค่ะ ลองพิมพ์ใหม่ หรือกด \"ช่วยเหลือ\" เพื่อดูเมนูนะคะ"
UNSUPPORTED_MESSAGE = "ขออภัยค่ะ ช่วยเช็กยังรับข้อความแบบนี้ไม่ได้ ลองพิมพ์ข้อความส่งมาแทนนะคะ"


def is_postback(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.type == "postback"


def is_other_message(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.type == "message"


def answer_stale_postback(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(STALE_BUTTON, main_quick_replies()),))


def answer_unsupported(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(UNSUPPORTED_MESSAGE, main_quick_replies()),))


def ignore_tab_switch(_event: InboundEvent, _ctx: Context, _params: dict[str, str]) -> Result:
    """LINE switched the rich-menu tab on the phone already; the postback it also sends needs no answer."""
    return Result()
