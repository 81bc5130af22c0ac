"""Follow and unfollow: a short welcome with the guide and the privacy notice, and marking a user inactive when
they leave."""
from __future__ import annotations

from bot.flex.components import build_guide_message
from bot.flex.messages import build_text_message
from bot.line.events import InboundEvent
from data.models import utcnow
from handlers.base import Context, Result
from handlers.privacy import notice_message
from handlers.replies import main_quick_replies

WELCOME = "สวัสดีค่ะ ยินดีต้อนรับสู่ช่วยเช็ก 🙏 ข่าวไหนไม่แน่ใจ ส่งมาให้ช่วยเช็กได้เลยค่ะ"


def is_follow(event: InboundEvent, _ctx: Context) -> bool:
    return event.type == "follow"


def is_unfollow(event: InboundEvent, _ctx: Context) -> bool:
    return event.type == "unfollow"


def welcome(_event: InboundEvent, ctx: Context) -> Result:
    """The full privacy notice comes with the welcome: PDPA asks to inform people when collection starts."""
    if ctx.user is not None:
        ctx.user.is_active = True
        ctx.user.privacy_notice_at = utcnow()
    return Result(messages=(build_text_message(WELCOME), build_guide_message(),
                            notice_message(main_quick_replies())))


def goodbye(_event: InboundEvent, ctx: Context) -> Result:
    if ctx.user is not None:
        ctx.user.is_active = False
    return Result()
