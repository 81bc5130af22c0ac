"""Send a handler's replies: reply while the token is fresh, push otherwise (see bot.line.client.deliver)."""
from __future__ import annotations

import time
from typing import Any

from bot.line.client import OutgoingReply
from bot.metrics import REPLY_DELAY
from bot.runtime.queue import hashed_job_id
from bot.runtime.services import current_services
from data.tips import acknowledge, is_acknowledged


def send_reply(payload: dict[str, Any], acknowledged_tip: int | None = None) -> str:
    """Deliver a handler's replies; one that gives a tip's reference records it given, and is dropped if
    housekeeping already pushed the reference while this job waited for a retry."""
    services = current_services()
    if acknowledged_tip is not None:
        with services.db.session() as session:
            if is_acknowledged(session, acknowledged_tip):
                return "acknowledged"
    reply = OutgoingReply(**payload)
    sent = services.line.deliver(reply)
    REPLY_DELAY.labels(sent).observe(max(time.time() - reply.event_timestamp_ms / 1000, 0.0))
    if acknowledged_tip is not None:
        with services.db.session() as session:
            acknowledge(session, acknowledged_tip)
    return sent


def send_reply_job_id(event_id: str) -> str:
    return hashed_job_id("reply", event_id)
