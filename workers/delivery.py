"""Send a handler's replies: reply while the token is fresh, push otherwise (see bot.client.deliver)."""
from __future__ import annotations

from typing import Any

from bot.client import OutgoingReply
from bot.services import current_services
from workers.queue import hashed_job_id


def send_reply(payload: dict[str, Any]) -> str:
    return current_services().line.deliver(OutgoingReply(**payload))


def send_reply_job_id(event_id: str) -> str:
    return hashed_job_id("reply", event_id)
