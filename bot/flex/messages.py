"""Builders for plain messages: text, quick replies, actions. Plain JSON dicts, as LINE documents them."""
from __future__ import annotations

from typing import Any

import regex

from bot.line.limits import MAX_QUICK_REPLY_ITEMS

ELLIPSIS = "…"
MAX_ACTION_LABEL = 20
"""LINE's limit for button and quick-reply labels."""


def shorten(text: str, limit: int) -> str:
    """Cut to at most `limit` characters at a grapheme boundary, so Thai vowels and tone marks stay whole."""
    if len(text) <= limit:
        return text
    kept = ""
    for grapheme in regex.findall(r"\X", text):
        if len(kept) + len(grapheme) > limit - len(ELLIPSIS):
            break
        kept += grapheme
    return kept + ELLIPSIS


def message_action(label: str, text: str | None = None) -> dict[str, Any]:
    # str(): a StrEnum (bot.richmenu.spec.MenuCommand) is a str, but the SDK's models want exactly str.
    return {"type": "message", "label": shorten(str(label), MAX_ACTION_LABEL), "text": str(text or label)}


def postback_action(label: str, data: str, display_text: str | None = None) -> dict[str, Any]:
    action = {"type": "postback", "label": shorten(label, MAX_ACTION_LABEL), "data": data}
    if display_text:
        action["displayText"] = display_text
    return action


def uri_action(label: str, uri: str) -> dict[str, Any]:
    return {"type": "uri", "label": shorten(label, MAX_ACTION_LABEL), "uri": uri}


def location_action(label: str = "ส่งตำแหน่ง") -> dict[str, Any]:
    """Opens LINE's location picker; LINE allows it in quick replies only, not on buttons or rich menus."""
    return {"type": "location", "label": shorten(label, MAX_ACTION_LABEL)}


def quick_reply(actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": [{"type": "action", "action": action} for action in actions[:MAX_QUICK_REPLY_ITEMS]]}


def build_text_message(text: str, quick_replies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "text", "text": text}
    if quick_replies:
        message["quickReply"] = quick_reply(quick_replies)
    return message
