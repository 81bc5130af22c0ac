"""Admin JSON API (bearer `ADMIN_TOKEN`): open cases, and how each agency is keeping up."""
from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from bot.runtime.services import current_services
from data.agencies import all_agencies
from data.coordinators import agency_queue, agency_stats, every_agency_queue
from data.models import Case, utcnow

bp = Blueprint("admin", __name__, url_prefix="/api/v1/admin")
View = Callable[..., tuple[Response, int]]


def admin_only(view: View) -> View:
    """404 while ADMIN_TOKEN is unset (the API does not exist); 401 for a missing or wrong token, and for a right
    one sent without the `Bearer` scheme (RFC 6750), so no client comes to depend on a bare token working."""
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> tuple[Response, int]:
        token = current_app.config["ADMIN_TOKEN"]
        if not token:
            return jsonify(error="admin API disabled: set ADMIN_TOKEN"), 404
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            return jsonify(error='missing or wrong token: send "Authorization: Bearer <ADMIN_TOKEN>"'), 401
        return view(*args, **kwargs)
    return guarded


def case_json(case: Case) -> dict[str, Any]:
    now = utcnow()
    return {"id": case.id, "text": case.text, "status": case.status.value, "agency": case.agency_code,
            "routed_by": case.routed_by, "requesters": case.requester_count, "created_at": case.created_at.isoformat(),
            "due_at": case.due_at.isoformat() if case.due_at else None,
            "overdue": bool(case.due_at and case.due_at < now)}


@bp.get("/cases")
@admin_only
def open_cases() -> tuple[Response, int]:
    agency = request.args.get("agency")
    with current_services().db.session() as session:
        cases = agency_queue(session, agency) if agency else every_agency_queue(session)
        return jsonify(cases=[case_json(case) for case in cases]), 200


@bp.get("/agencies")
@admin_only
def agencies() -> tuple[Response, int]:
    now = utcnow()
    with current_services().db.session() as session:
        rows = []
        for agency in all_agencies(session):
            stats = agency_stats(session, agency.code, now)
            rows.append({"code": agency.code, "name": agency.name, "open": stats.open_cases,
                         "answered": stats.answered, "answered_today": stats.answered_today,
                         "median_minutes_to_verdict": stats.median_minutes_to_verdict,
                         "answered_within_sla": stats.within_sla_share})
        return jsonify(agencies=rows), 200
