"""LINE's documented Messaging API limits, checked before anything leaves the bot.

A violation is a bug in a builder, so it raises: sending would only earn a 400 from LINE.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

MAX_MESSAGES_PER_CALL = 5
MAX_TEXT_UTF16_UNITS = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_POSTBACK_DATA_CHARS = 300
MAX_ALT_TEXT_CHARS = 1500
MAX_BUBBLE_BYTES = 30 * 1024
MAX_CAROUSEL_BYTES = 50 * 1024
MAX_CAROUSEL_BUBBLES = 12
MAX_MULTICAST_RECIPIENTS = 500
MAX_TEXT_CHARS = 5000
MAX_URI_CHARS = 1000
"""A URI action's limit: LINE refuses the whole message (400) when one is longer."""
"""LINE's limit for a text message a user sends: nothing longer can come from a chat, so nothing longer is read."""


class MessageLimitError(ValueError):
    """A message breaks one of LINE's documented limits."""


def utf16_units(text: str) -> int:
    """LINE counts text length in UTF-16 code units, so an emoji outside the BMP costs two."""
    return len(text.encode("utf-16-le")) // 2


def _json_bytes(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _actions(node: Any) -> Iterator[dict[str, Any]]:
    """Every action object anywhere in a message: buttons, quick replies, templates, flex areas."""
    if isinstance(node, dict):
        action = node.get("action")
        if isinstance(action, dict):
            yield action
        for key in ("actions", "defaultAction"):
            value = node.get(key)
            if isinstance(value, list):
                yield from (item for item in value if isinstance(item, dict))
            elif isinstance(value, dict):
                yield value
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _actions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _actions(item)


def _check_flex(contents: dict[str, Any], where: str) -> None:
    if contents.get("type") == "carousel":
        bubbles = contents.get("contents", [])
        if len(bubbles) > MAX_CAROUSEL_BUBBLES:
            raise MessageLimitError(f"{where}: carousel has {len(bubbles)} bubbles (max {MAX_CAROUSEL_BUBBLES})")
        if _json_bytes(contents) > MAX_CAROUSEL_BYTES:
            raise MessageLimitError(f"{where}: carousel is over {MAX_CAROUSEL_BYTES} bytes")
        for index, bubble in enumerate(bubbles):
            _check_flex(bubble, f"{where}.contents[{index}]")
    elif _json_bytes(contents) > MAX_BUBBLE_BYTES:
        raise MessageLimitError(f"{where}: bubble is over {MAX_BUBBLE_BYTES} bytes")


def check_message(message: dict[str, Any], where: str = "message") -> None:
    if message.get("type") == "text" and utf16_units(message.get("text", "")) > MAX_TEXT_UTF16_UNITS:
        raise MessageLimitError(f"{where}: text is over {MAX_TEXT_UTF16_UNITS} UTF-16 units")
    if "altText" in message and len(message["altText"]) > MAX_ALT_TEXT_CHARS:
        raise MessageLimitError(f"{where}: altText is over {MAX_ALT_TEXT_CHARS} characters")
    items = message.get("quickReply", {}).get("items", [])
    if len(items) > MAX_QUICK_REPLY_ITEMS:
        raise MessageLimitError(f"{where}: {len(items)} quick reply items (max {MAX_QUICK_REPLY_ITEMS})")
    if message.get("type") == "flex":
        _check_flex(message.get("contents", {}), f"{where}.contents")
    for action in _actions(message):
        if action.get("type") == "postback" and len(action.get("data", "")) > MAX_POSTBACK_DATA_CHARS:
            raise MessageLimitError(f"{where}: postback data is over {MAX_POSTBACK_DATA_CHARS} characters")


def check_messages(messages: list[dict[str, Any]]) -> None:
    if not messages:
        raise MessageLimitError("no messages to send")
    if len(messages) > MAX_MESSAGES_PER_CALL:
        raise MessageLimitError(f"{len(messages)} messages in one call (max {MAX_MESSAGES_PER_CALL})")
    for index, message in enumerate(messages):
        check_message(message, f"messages[{index}]")
