"""Build LINE webhook bodies the way LINE sends them, sign them, and post them to the app."""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from typing import Any

from bot.devtools.line_emulator import validate_webhook_body

DESTINATION = "U" + "0" * 32
_counter = itertools.count(1)


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def event_id() -> str:
    """A fresh id shaped like LINE's (a 26-character ULID)."""
    return f"01TEST{next(_counter):020d}"


def base_event(event_type: str, source: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"type": event_type, "mode": "active", "timestamp": int(time.time() * 1000), "source": source,
            "webhookEventId": event_id(), "deliveryContext": {"isRedelivery": False}, **fields}


def user_source(user_id: str) -> dict[str, Any]:
    return {"type": "user", "userId": user_id}


def text_event(user_id: str, text: str, reply_token: str, source: dict[str, Any] | None = None) -> dict[str, Any]:
    return base_event("message", source or user_source(user_id), replyToken=reply_token,
                      message={"id": str(next(_counter)), "type": "text", "text": text,
                               "quoteToken": f"q{next(_counter)}"})


def message_event(user_id: str, message: dict[str, Any], reply_token: str) -> dict[str, Any]:
    return base_event("message", user_source(user_id), replyToken=reply_token,
                      message={"id": str(next(_counter)), **message})


def follow_event(user_id: str, reply_token: str) -> dict[str, Any]:
    return base_event("follow", user_source(user_id), replyToken=reply_token, follow={"isUnblocked": False})


def body_of(*events: dict[str, Any]) -> bytes:
    body = {"destination": DESTINATION, "events": list(events)}
    problems = validate_webhook_body(body)
    assert not problems, f"test built an invalid webhook body: {problems}"
    return json.dumps(body, ensure_ascii=False).encode()


def post(client: Any, body: bytes, secret: str, header: str = "X-Line-Signature") -> Any:
    return client.post("/callback", data=body, content_type="application/json",
                       headers={header: sign(body, secret)})
