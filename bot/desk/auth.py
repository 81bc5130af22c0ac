"""Logging in and out of the desk. Every attempt is audited; too many failures for one e-mail from one address
are refused for a while (bot.desk.throttle)."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from bot.desk.blueprint import SESSION_KEY, THROTTLE_EXTENSION, bp, member, safe_next, start_session
from bot.desk.throttle import LOGIN_OBJECT, LoginThrottle, throttle_key
from bot.runtime.services import current_services
from data.audit import AuditAction, record_audit
from data.models import utcnow
from data.staff import audit, authenticate

WRONG = "อีเมลหรือรหัสผ่านไม่ถูกต้อง"
BLOCKED = "ลองเข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอ {minutes} นาทีแล้วลองใหม่"
EXPIRED = "หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบอีกครั้ง"
MAX_FIELD_CHARS = 300


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET":
        notice = EXPIRED if request.args.get("expired") else None
        return render_template("desk/login.html", next=next_path, notice=notice, error=None, email="")
    email = request.form.get("email", "")[:MAX_FIELD_CHARS]
    password = request.form.get("password", "")[:MAX_FIELD_CHARS]
    throttle: LoginThrottle = current_app.extensions[THROTTLE_EXTENSION]
    key = throttle_key(email, request.remote_addr or "-")
    now = utcnow()
    with current_services().db.session() as db:
        if throttle.is_blocked(db, key, now):
            record_audit(db, actor="-", action=AuditAction.STAFF_LOGIN_BLOCKED, object_type=LOGIN_OBJECT, object_id=key,
                         detail={"email": email.strip().lower()})
            text = BLOCKED.format(minutes=current_app.config["DESK_LOGIN_WINDOW_MINUTES"])
            return render_template("desk/login.html", next=next_path, notice=None, error=text, email=email), 429
        found = authenticate(db, email, password)
        record_audit(db, actor=found.actor if found else "-",
                     action=AuditAction.STAFF_LOGIN if found else AuditAction.STAFF_LOGIN_FAILED,
                     object_type=LOGIN_OBJECT, object_id=key, detail={"email": email.strip().lower()}, created_at=now)
    if found is None:
        throttle.failed(key, now)
        return render_template("desk/login.html", next=next_path, notice=None, error=WRONG, email=email), 401
    throttle.succeeded(key)
    start_session(found)
    return redirect(next_path)


@bp.post("/logout")
def logout() -> Response:
    with current_services().db.session() as db:
        audit(db, member(), AuditAction.STAFF_LOGOUT, "staff", member().email)
    session.pop(SESSION_KEY, None)
    return redirect(url_for("desk.login"))
