"""Stickers, images, video, audio and files: pictures are read by a job; the rest get a short, honest answer."""
from __future__ import annotations

from bot.flex.messages import build_text_message
from bot.line.events import InboundEvent
from handlers.base import Context, FollowUp, Result
from handlers.replies import main_quick_replies
from workers.images import ImageRequest, check_image, check_image_job_id

STICKER_REPLY = "ขอบคุณสำหรับสติกเกอร์ค่ะ 😊 มีข่าวไหนอยากให้ช่วยเช็ก ส่งมาได้เลยนะคะ"
MEDIA_REPLY = {
    "video": "ได้รับวิดีโอแล้วค่ะ ตอนนี้ช่วยเช็กตรวจวิดีโอยังไม่ได้ รบกวนพิมพ์สรุปสิ่งที่คลิปกล่าวอ้างส่งมาแทนนะคะ",
    "audio": "ได้รับข้อความเสียงแล้วค่ะ ตอนนี้ช่วยเช็กฟังเสียงยังไม่ได้ รบกวนพิมพ์เนื้อหาส่งมาแทนนะคะ",
    "file": "ได้รับไฟล์แล้วค่ะ ตอนนี้ช่วยเช็กเปิดไฟล์ยังไม่ได้ รบกวนคัดลอกข้อความที่สงสัยส่งมาแทนนะคะ",
}


def is_sticker(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type == "sticker"


def is_image(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type == "image" and event.message_id is not None


def check_picture(event: InboundEvent, ctx: Context) -> Result:
    """Reading a picture takes seconds: a job fetches, reads and answers it, replying while the token lasts."""
    request = ImageRequest(event_id=event.event_id, chat_id=event.chat_id, reply_token=event.reply_token,
                           timestamp_ms=event.timestamp_ms, message_id=event.message_id or "",
                           user_id=ctx.user.id if ctx.user else None)
    return Result(follow_ups=(FollowUp(check_image, (request.as_job_payload(),), check_image_job_id(event.event_id)),))


def is_media(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type in MEDIA_REPLY


def thank_for_sticker(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(STICKER_REPLY, main_quick_replies()),))


def explain_media(event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(MEDIA_REPLY[event.message_type or ""], main_quick_replies()),))
