"""Admin JSON API (bearer `ADMIN_TOKEN`): open cases, and how each agency is keeping up."""
from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from bot.runtime.services import current_services
from data.case_queue import CaseFilter, find_cases
from data.figures import EMPTY_STATS, AgencyStats, agency_figures, agency_names
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
    with current_services().db.session() as session:
        cases = find_cases(session, CaseFilter(agency_code=request.args.get("agency")), utcnow())
        return jsonify(cases=[case_json(case) for case in cases]), 200


@bp.get("/agencies")
@admin_only
def agencies() -> tuple[Response, int]:
    with current_services().db.session() as session:
        figures = agency_figures(session, utcnow())
        rows = [agency_json(code, name, figures.get(code, EMPTY_STATS)) for code, name in agency_names(session).items()]
        return jsonify(agencies=rows), 200


def agency_json(code: str, name: str, stats: AgencyStats) -> dict[str, Any]:
    return {"code": code, "name": name, "open": stats.open_cases, "overdue": stats.overdue,
            "answered": stats.answered, "answered_today": stats.answered_today,
            "median_minutes_to_verdict": stats.median_minutes_to_verdict,
            "answered_within_sla": stats.within_sla_share}
