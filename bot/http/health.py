"""`GET /healthz` (database and queue status) and `GET /metrics` (Prometheus text)."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.metrics import QUEUE_DEPTH
from bot.runtime.services import current_services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    services = current_services()
    database_ok = services.db.is_reachable()
    queue_ok = services.queue.is_reachable()
    body = {
        "status": "ok" if database_ok and queue_ok else "unavailable",
        "database": {"ok": database_ok, "dialect": services.db.engine.dialect.name},
        "queue": {"ok": queue_ok, "kind": services.queue.kind, "depth": services.queue.depth()},
        "line": {"enabled": services.line.enabled},
    }
    return jsonify(body), 200 if database_ok and queue_ok else 503


@bp.get("/metrics")
def metrics() -> Response:
    QUEUE_DEPTH.set(current_services().queue.depth())
    return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)
