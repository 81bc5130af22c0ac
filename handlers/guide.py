"""Help: `ช่วยเหลือ` / `help` / `เมนู` show the guide; `ตรวจข่าว` explains how to check a message."""
from __future__ import annotations

from bot.flex.components import build_guide_message
from bot.flex.messages import build_text_message, quick_reply
from bot.line.events import InboundEvent
from handlers.base import Context, Result, command_text, says
from handlers.replies import AFNC_CHANNELS, main_quick_replies

HELP_WORDS = frozenset({"ช่วยเหลือ", "help", "เมนู", "menu", "วิธีใช้", "?"})
HOW_TO_CHECK_WORDS = frozenset({"ตรวจข่าว", "เช็กข่าว", "เช็คข่าว"})
HOW_TO_CHECK = ("ส่งต่อ (Forward) หรือคัดลอกข้อความที่สงสัยมาวางในแชตนี้ได้เลยค่ะ "
                "ช่วยเช็กจะเทียบกับข่าวที่ศูนย์ต่อต้านข่าวปลอมตรวจสอบแล้ว\n\n"
                f"ช่องทางของศูนย์ต่อต้านข่าวปลอม: {AFNC_CHANNELS}")


def is_help(event: InboundEvent, _ctx: Context) -> bool:
    return (command_text(event) or "").lower() in HELP_WORDS


is_how_to_check = says(HOW_TO_CHECK_WORDS)


def show_guide(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_guide_message(quick_reply(main_quick_replies())),))


def explain_checking(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(HOW_TO_CHECK, main_quick_replies()),))
