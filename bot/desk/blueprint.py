"""The desk's blueprint: every request is checked here (desk on, CSRF on a form, a live session) before its
view runs, and errors become pages, not the JSON the rest of the app answers with."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from bot.runtime.services import current_services
from data.staff import StaffMember, current_member

bp = Blueprint("desk", __name__, url_prefix="/desk", template_folder="templates", static_folder="static")
CSRF_EXTENSION = "chuaycheck-desk-csrf"
THROTTLE_EXTENSION = "chuaycheck-desk-throttle"
SESSION_KEY = "staff"
OPEN_ENDPOINTS = frozenset({"desk.login", "desk.static"})
ERROR_TEXT = {400: "คำขอไม่ถูกต้อง", 403: "คุณไม่มีสิทธิ์ดูหน้านี้", 404: "ไม่พบหน้าที่ต้องการ",
              405: "คำขอไม่ถูกต้อง", 429: "ลองเข้าสู่ระบบหลายครั้งเกินไป"}
CSRF_TEXT = "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณากลับไปโหลดหน้าใหม่แล้วลองอีกครั้ง"


def member() -> StaffMember:
    """The logged-in account; the gate below has made sure there is one."""
    found: StaffMember = g.desk_member
    return found


def start_session(found: StaffMember) -> None:
    session.clear()  # nothing from before the login (a token, a stale account) carries over
    session.permanent = True
    now = time.time()
    session[SESSION_KEY] = {"id": found.account_id, "v": found.session_version, "login": now, "seen": now}


def _session_member() -> tuple[StaffMember | None, bool]:
    """(the session's account, whether a session just ran out): idle too long, too old, or its account changed."""
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None, False
    config, now = current_app.config, time.time()
    idle, age = now - data["seen"], now - data["login"]
    if idle > config["DESK_IDLE_MINUTES"] * 60 or age > config["DESK_SESSION_HOURS"] * 3600:
        session.pop(SESSION_KEY)
        return None, True
    with current_services().db.session() as db:
        found = current_member(db, data["id"], data["v"])
    if found is None:
        session.pop(SESSION_KEY)
        return None, True
    data["seen"] = now
    session.modified = True
    return found, False


@bp.before_request
def gate() -> Response | None:
    if not current_app.config["SECRET_KEY"]:
        return _page(404, "ระบบเว็บสำหรับเจ้าหน้าที่ยังไม่เปิดใช้ (ผู้ดูแลระบบต้องตั้งค่า SECRET_KEY)")
    if request.method == "POST":
        csrf: CSRFProtect = current_app.extensions[CSRF_EXTENSION]
        csrf.protect()
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    found, expired = _session_member()
    if found is None:
        return redirect(url_for("desk.login", next=_local_path(request.full_path), expired=int(expired) or None))
    g.desk_member = found
    return None


def _local_path(path: str) -> str:
    """Only a path on this site may be a login's `next`: never another host (an open redirect)."""
    parts = urlsplit(path)
    return path if not parts.scheme and not parts.netloc and path.startswith("/desk") else url_for("desk.overview")


def safe_next(path: str | None) -> str:
    return _local_path(path or "")


@bp.after_request
def no_store(response: Response) -> Response:
    """Case pages hold citizens' messages: no cache keeps them after logout, and no page may be framed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
    return response


def _page(status: int, text: str) -> Response:
    response = current_app.make_response((render_template("desk/error.html", status=status, text=text), status))
    return response


@bp.errorhandler(CSRFError)
def csrf_failed(_error: CSRFError) -> Response:
    return _page(400, CSRF_TEXT)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    status = error.code or 500
    return _page(status, ERROR_TEXT.get(status, "เกิดข้อผิดพลาด"))
