"""Group and room chats: introduce the bot on join, otherwise stay quiet."""
from __future__ import annotations

from bot.events import InboundEvent
from bot.messages import build_text_message
from handlers.base import Context, Result

INTRODUCTION = ("สวัสดีค่ะ ช่วยเช็กมาช่วยดูข่าวลือในกลุ่มนี้ 🙏 ปกติจะเงียบไว้ "
                "ถ้าอยากให้ตรวจข่าวไหน ส่งต่อมาหาช่วยเช็กในแชตส่วนตัวได้เลยค่ะ")


def is_join(event: InboundEvent, _ctx: Context) -> bool:
    return event.type == "join"


def is_group_chatter(event: InboundEvent, _ctx: Context) -> bool:
    return not event.is_one_to_one


def introduce(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(INTRODUCTION),))


def stay_quiet(_event: InboundEvent, _ctx: Context) -> Result:
    return Result()
