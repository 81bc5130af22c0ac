"""`GET /pictures/<id>?e=…&s=…`: a tip's picture, for the case card LINE shows coordinators
(bot.runtime.picture_links)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, request

from bot.runtime.picture_links import is_valid_link
from bot.runtime.services import current_services
from data.images import picture_content

bp = Blueprint("pictures", __name__)


@bp.get("/pictures/<int:image_id>")
def serve_picture(image_id: int) -> Response:
    services = current_services()
    if not is_valid_link(image_id, request.args.get("e", ""), request.args.get("s", ""), services.picture_key):
        abort(403, "bad or expired link")
    with services.db.session() as session:
        found = picture_content(session, image_id)
    if found is None:  # erased, or past retention
        abort(404, "no such picture")
    content, content_type = found
    return Response(content, content_type=content_type, headers={"Cache-Control": "private, max-age=3600"})
