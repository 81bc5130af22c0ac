"""`POST /callback`: size cap, signature, parse, dedupe, dispatch, hand replies to the queue, 200.

Nothing here waits on LINE: replies leave through a job, so the ack stays fast when LINE is slow.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any

from flask import Blueprint, Response, jsonify, request
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import Event
from werkzeug.exceptions import RequestEntityTooLarge

import handlers
from handlers.base import Tools
from bot.client import OutgoingReply
from bot.dedupe import mark_processed
from bot.events import InboundEvent, UnsupportedEventError, to_inbound
from bot.metrics import HANDLER_LATENCY, WEBHOOK_EVENTS
from bot.services import Services, current_services
from workers.delivery import send_reply, send_reply_job_id
from workers.housekeeping import HOUSEKEEPING_JOB_ID, housekeep, is_housekeeping_due

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


def _error(status: int, reason: str) -> tuple[Response, int]:
    return jsonify(error=reason), status


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error_: RequestEntityTooLarge) -> tuple[Response, int]:
    return _error(413, "request body is over 1 MB")


@bp.post("/callback")
def callback() -> tuple[Response, int]:
    services = current_services()
    if services.parser is None:
        return _error(503, "LINE_CHANNEL_SECRET is not configured")
    signature = request.headers.get("X-Line-Signature")
    if not signature:
        return _error(400, "missing X-Line-Signature header")
    body = request.get_data(as_text=True)  # raises RequestEntityTooLarge past MAX_CONTENT_LENGTH
    try:
        events = services.parser.parse(body, signature)
    except InvalidSignatureError:
        log.warning("webhook rejected: invalid signature")
        return _error(400, "invalid signature")
    except (ValueError, KeyError, TypeError):
        return _error(400, "body is not a LINE webhook JSON object with an 'events' list")
    for event in events:
        _process(services, event)
    return jsonify(status="ok"), 200


def _log_event(fields: dict[str, Any]) -> None:
    log.info(json.dumps({"msg": "webhook_event", **fields}, ensure_ascii=False))


def _process(services: Services, event: Event) -> None:
    started = time.perf_counter()
    event_id = getattr(event, "webhook_event_id", None)
    event_type = getattr(event, "type", None) or "unknown"
    try:
        inbound = to_inbound(event)
    except (UnsupportedEventError, ValueError, KeyError) as error:
        WEBHOOK_EVENTS.labels(event_type, "unsupported").inc()
        _log_event({"id": event_id, "type": event_type, "outcome": "unsupported", "reason": str(error)})
        return
    tools = Tools(checker=services.checker, postback_key=services.postback_key,
                  next_agency=services.routing.next_agency, route=services.route, knowledge=services.knowledge,
                  auto_approve_volunteers=services.auto_approve_volunteers)
    with services.db.session() as session:
        # One transaction: an event counts as processed only together with what handling it stored (a tip),
        # so a failed commit leaves it to LINE's redelivery instead of losing it.
        if not mark_processed(session, inbound.event_id, inbound.type):
            WEBHOOK_EVENTS.labels(inbound.type, "duplicate").inc()
            _log_event({"id": inbound.event_id, "type": inbound.type, "source": inbound.source_type.value,
                        "outcome": "duplicate", "redelivery": inbound.is_redelivery})
            return
        result = handlers.dispatch(inbound, session, tools)
    if result.messages:  # first: the reply token is the one thing here that expires
        _enqueue_reply(services, inbound, list(result.messages))
    for follow_up in result.follow_ups:
        if follow_up.at is None:
            services.queue.enqueue(follow_up.func, *follow_up.args, job_id=follow_up.job_id)
        else:
            services.queue.enqueue_at(follow_up.at, follow_up.func, *follow_up.args, job_id=follow_up.job_id)
    if is_housekeeping_due(inbound.event_id):
        services.queue.enqueue(housekeep, job_id=HOUSEKEEPING_JOB_ID)
    latency = time.perf_counter() - started
    HANDLER_LATENCY.labels(result.handler).observe(latency)
    WEBHOOK_EVENTS.labels(inbound.type, "handled").inc()
    _log_event({"id": inbound.event_id, "type": inbound.type, "source": inbound.source_type.value,
                "handler": result.handler, "outcome": "handled", "replies": len(result.messages),
                "redelivery": inbound.is_redelivery, "latency_ms": round(latency * 1000, 1)})


def _enqueue_reply(services: Services, inbound: InboundEvent, messages: list[dict[str, Any]]) -> None:
    reply = OutgoingReply(event_id=inbound.event_id, chat_id=inbound.chat_id, reply_token=inbound.reply_token,
                          event_timestamp_ms=inbound.timestamp_ms, messages=messages)
    services.queue.enqueue(send_reply, reply.as_job_payload(), job_id=send_reply_job_id(inbound.event_id))
