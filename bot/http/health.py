"""`GET /healthz` (readiness: warmed up, database and queue reachable) and `GET /metrics` (Prometheus text)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

from bot.metrics import QUEUE_DEPTH
from bot.runtime.services import current_services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    services = current_services()
    database_ok = services.db.is_reachable()
    queue_ok = services.queue.is_reachable()
    warmed = services.warmed.is_set()
    ready = database_ok and queue_ok and warmed
    body = {
        "status": "ok" if ready else "unavailable" if warmed else "warming up",
        "warmed_up": warmed,
        "database": {"ok": database_ok, "dialect": services.db.engine.dialect.name},
        "queue": {"ok": queue_ok, "kind": services.queue.kind, "depth": services.queue.depth()},
        "line": {"enabled": services.line.enabled},
    }
    return jsonify(body), 200 if ready else 503


@bp.get("/metrics")
def metrics() -> Response:
    QUEUE_DEPTH.set(current_services().queue.depth())
    if not current_app.config["PROMETHEUS_MULTIPROC_DIR"]:
        return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)
    # Several gunicorn processes: each writes its samples to the directory, and a scrape sums them all.
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
