"""Stickers, images, video, audio and files: a short, honest answer about what the bot can do with them."""
from __future__ import annotations

from bot.events import InboundEvent
from bot.messages import build_text_message
from handlers.base import Context, Result
from handlers.replies import main_quick_replies

STICKER_REPLY = "ขอบคุณสำหรับสติกเกอร์ค่ะ 😊 มีข่าวไหนอยากให้ช่วยเช็ก ส่งมาได้เลยนะคะ"
MEDIA_REPLY = {
    "image": "ได้รับรูปภาพแล้วค่ะ ตอนนี้ช่วยเช็กอ่านข้อความในรูปยังไม่ได้ รบกวนพิมพ์หรือคัดลอกข้อความในรูปส่งมาแทนนะคะ",
    "video": "ได้รับวิดีโอแล้วค่ะ ตอนนี้ช่วยเช็กตรวจวิดีโอยังไม่ได้ รบกวนพิมพ์สรุปสิ่งที่คลิปกล่าวอ้างส่งมาแทนนะคะ",
    "audio": "ได้รับข้อความเสียงแล้วค่ะ ตอนนี้ช่วยเช็กฟังเสียงยังไม่ได้ รบกวนพิมพ์เนื้อหาส่งมาแทนนะคะ",
    "file": "ได้รับไฟล์แล้วค่ะ ตอนนี้ช่วยเช็กเปิดไฟล์ยังไม่ได้ รบกวนคัดลอกข้อความที่สงสัยส่งมาแทนนะคะ",
}


def is_sticker(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type == "sticker"


def is_media(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type in MEDIA_REPLY


def thank_for_sticker(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(STICKER_REPLY, main_quick_replies()),))


def explain_media(event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(MEDIA_REPLY[event.message_type or ""], main_quick_replies()),))
