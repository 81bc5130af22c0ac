"""Public JSON API: `POST /api/v1/check` and `GET /api/v1/claims/<id>` (documented in README)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm import Session

from bot.http.payload import BadBodyError, load_json
from bot.line.limits import MAX_TEXT_CHARS
from bot.runtime.services import current_services
from data.claims import get_claim
from data.models import Claim
from nlp.match import Match, MatchStatus

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def claim_json(claim: Claim) -> dict[str, Any]:
    return {"id": claim.id, "claim": claim.text, "verdict": claim.verdict.value, "explanation": claim.explanation,
            "category": claim.category, "agency": claim.agency,
            "date": claim.published_on.isoformat() if claim.published_on else None, "url": claim.source_url}


def match_json(match: Match, session: Session) -> dict[str, Any]:
    """The API's answer: `claim` only for a match; candidates best first, at most three."""
    claim = get_claim(session, match.claim_id) if match.claim_id and match.status is MatchStatus.MATCH else None
    candidates = [(candidate, get_claim(session, candidate.claim_id)) for candidate in match.candidates]
    return {
        "status": match.status.value,
        "score": round(match.score, 4),
        "claim": claim_json(claim) if claim is not None else None,
        "candidates": [{"id": c.claim_id, "claim": stored.text, "verdict": c.verdict, "score": round(c.score, 4)}
                       for c, stored in candidates if stored is not None],
    }


def _error(status: int, reason: str) -> tuple[Response, int]:
    return jsonify(error=reason), status


@bp.post("/check")
def check() -> tuple[Response, int]:
    try:
        payload = load_json(request.get_data())
    except BadBodyError as error:
        return _error(400, str(error))
    if not isinstance(payload, dict):
        return _error(400, 'body must be a JSON object like {"text": "..."}')
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        return _error(400, '"text" must be a non-empty string')
    if len(text) > MAX_TEXT_CHARS:
        return _error(413, f'"text" is over {MAX_TEXT_CHARS} characters')
    services = current_services()
    with services.db.session() as session:
        body = match_json(services.checker.check(session, text), session)
    return jsonify(body), 200


@bp.get("/claims/<claim_id>")
def show_claim(claim_id: str) -> tuple[Response, int]:
    with current_services().db.session() as session:
        claim = get_claim(session, claim_id)
        if claim is None:
            return _error(404, f"no claim with id {claim_id!r}")
        return jsonify(claim_json(claim)), 200
