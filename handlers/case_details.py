"""A requester answering a coordinator's "ขอข้อมูลเพิ่ม": their messages attach to that case, within the window
the request stated, and reach the coordinators; they are not checked as new rumours."""
from __future__ import annotations

from bot.flex.messages import build_text_message
from bot.line.events import InboundEvent
from bot.richmenu.spec import MenuCommand
from data.case_details import add_detail, details_case
from handlers.base import Context, FollowUp, Result, command_text
from workers.coordination import detail_job_id, send_detail_to_coordinators

DETAIL_KINDS = frozenset({"text", "image", "video", "audio", "file"})
"""What can be a detail; a sticker or a location is not."""
NOT_DETAILS = frozenset(MenuCommand)
"""A menu tap meanwhile is the tile's, not a detail."""
RECEIVED = "ได้รับข้อมูลเพิ่มเติมแล้วค่ะ 🙏 ส่งถึงเจ้าหน้าที่ที่ตรวจเรื่องนี้แล้ว\nมีอะไรอีก ส่งต่อได้ภายใน 10 นาที"


def is_details_reply(event: InboundEvent, ctx: Context) -> bool:
    if not event.is_one_to_one or event.message_type not in DETAIL_KINDS or command_text(event) in NOT_DETAILS:
        return False
    return details_case(ctx.session, ctx.user) is not None


def attach(event: InboundEvent, ctx: Context) -> Result:
    case = details_case(ctx.session, ctx.user)
    assert case is not None and ctx.user is not None and event.message_type is not None
    detail = add_detail(ctx.session, case, ctx.user, event.message_type, event.text)
    return Result(messages=(build_text_message(RECEIVED),),
                  follow_ups=(FollowUp(send_detail_to_coordinators, (detail.id,), detail_job_id(detail.id)),))
