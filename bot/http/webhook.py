"""`POST /callback`: size cap, signature, JSON checks, parse, dedupe, dispatch, hand replies on, 200.

Nothing here waits on LINE: replies leave on the reply pool's threads after the commit (or through a job when
the pool is full), so the ack stays fast when LINE is slow.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

import handlers
from bot.http.payload import BadBodyError, load_json
from bot.line.client import OutgoingReply
from bot.line.dedupe import mark_processed
from bot.line.events import InboundEvent, UnsupportedEventError, read_event
from bot.metrics import HANDLER_LATENCY, WEBHOOK_EVENTS
from bot.runtime.services import Services, current_services
from handlers.base import Tools
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
    if services.signature is None:
        return _error(503, "LINE_CHANNEL_SECRET is not configured")
    signature = request.headers.get("X-Line-Signature")
    if not signature:
        return _error(400, "missing X-Line-Signature header")
    body = request.get_data(as_text=True)  # raises RequestEntityTooLarge past MAX_CONTENT_LENGTH
    if not services.signature.validate(body, signature):
        log.warning("webhook rejected: invalid signature")
        return _error(400, "invalid signature")
    try:
        payload = load_json(body)
    except BadBodyError as error:
        return _error(400, str(error))
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return _error(400, "body is not a LINE webhook JSON object with an 'events' list")
    for raw in events:
        _process(services, raw)
    return jsonify(status="ok"), 200


def _log_event(fields: dict[str, Any]) -> None:
    if log.isEnabledFor(logging.INFO):  # the JSON is built only for a log that keeps it (LOG_LEVEL)
        log.info(json.dumps({"msg": "webhook_event", **fields}, ensure_ascii=False))


def _process(services: Services, raw: Any) -> None:
    started = time.perf_counter()
    try:
        inbound = read_event(raw)
    except UnsupportedEventError as error:
        WEBHOOK_EVENTS.labels("unknown", "unsupported").inc()  # not the raw type: a label per odd value would pile up
        event_id = raw.get("webhookEventId") if isinstance(raw, dict) else None
        _log_event({"id": event_id[:64] if isinstance(event_id, str) else None, "outcome": "unsupported",
                    "reason": str(error)})
        return
    tools = Tools(checker=services.checker, postback_key=services.postback_key,
                  reroute_choices=services.routing.reroute_choices, route=services.route, knowledge=services.knowledge,
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
        _send_reply(services, inbound, list(result.messages), result.acknowledged_tip)
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


def _send_reply(services: Services, inbound: InboundEvent, messages: list[dict[str, Any]],
                acknowledged_tip: int | None) -> None:
    reply = OutgoingReply(event_id=inbound.event_id, chat_id=inbound.chat_id, reply_token=inbound.reply_token,
                          event_timestamp_ms=inbound.timestamp_ms, messages=messages)
    services.replies.send(send_reply, reply.as_job_payload(), acknowledged_tip,
                          job_id=send_reply_job_id(inbound.event_id))
