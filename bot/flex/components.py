"""Flex layouts, one small builder per bubble. Each returns a complete message dict with `altText`."""
from __future__ import annotations

from typing import Any

from bot.flex.messages import message_action, shorten

BRAND_COLOUR = "#0B6E4F"
MUTED_COLOUR = "#666666"
MAX_ALT_TEXT = 400
"""Well under LINE's 1,500: alt text is what notifications and old clients show, so keep it readable."""


def text_component(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": text, "wrap": True, **style}


def button(action: dict[str, Any], style: str = "link", colour: str | None = None) -> dict[str, Any]:
    """A small Flex button; `colour` fills a primary one."""
    component: dict[str, Any] = {"type": "button", "action": action, "style": style, "height": "sm"}
    if colour:
        component["color"] = colour
    return component


def build_flex_message(alt_text: str, contents: dict[str, Any],
                       quick_reply: dict[str, Any] | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "flex", "altText": shorten(alt_text, MAX_ALT_TEXT), "contents": contents}
    if quick_reply:
        message["quickReply"] = quick_reply
    return message


GUIDE_TITLE = "ช่วยเช็ก ทำอะไรได้บ้าง"
GUIDE_ITEMS = (
    ("🔎 ตรวจข่าว", "ส่งต่อหรือวางข้อความที่สงสัยมาในแชตนี้ได้เลย"),
    ("📮 แจ้งเบาะแส", "ข้อความที่ยังไม่มีผลตรวจ ส่งให้เจ้าหน้าที่ตรวจสอบได้"),
    ("📍 ศูนย์ดิจิทัลชุมชน", "หาศูนย์ใกล้บ้านที่ช่วยเรื่องดิจิทัลได้"),
    ("🎓 หลักสูตร", "คอร์สทักษะดิจิทัลฟรี สำหรับทุกคน"),
    ("🙋 อาสาสมัครดิจิทัล (อสด.)", "พิมพ์ “สมัครอาสา” เพื่อร่วมเป็นอาสาช่วยเช็กข่าวในชุมชน"),
)
PRIVACY_COMMAND = "ความเป็นส่วนตัว"
"""The text that shows the full privacy notice (handlers.privacy); the guide's privacy line sends it."""
PRIVACY_LINE = ("เราใช้ข้อมูลของคุณเพื่อตอบและแจ้งผลการตรวจสอบเท่านั้น "
                f"แตะที่นี่หรือพิมพ์ \"{PRIVACY_COMMAND}\" เพื่ออ่านเพิ่มเติม")


def build_guide_bubble(privacy_line: str = PRIVACY_LINE) -> dict[str, Any]:
    """What the bot does, in four lines, with a one-line privacy notice in the footer that opens the full one."""
    rows = [{"type": "box", "layout": "vertical", "spacing": "xs", "contents": [
        text_component(title, weight="bold", size="sm"), text_component(detail, size="sm", color=MUTED_COLOUR)]}
        for title, detail in GUIDE_ITEMS]
    return {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": BRAND_COLOUR, "contents": [
            text_component(GUIDE_TITLE, weight="bold", size="lg", color="#FFFFFF")]},
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": rows},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            button(message_action("วิธีตรวจข่าว", "ตรวจข่าว"), style="primary"),
            text_component(privacy_line, size="xxs", color=MUTED_COLOUR,
                           action=message_action(PRIVACY_COMMAND))]},
    }


def build_guide_message(quick_reply: dict[str, Any] | None = None) -> dict[str, Any]:
    alt = GUIDE_TITLE + ": " + " · ".join(title for title, _detail in GUIDE_ITEMS)
    return build_flex_message(alt, build_guide_bubble(), quick_reply)
