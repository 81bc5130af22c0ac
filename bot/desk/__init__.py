"""The web desk for AFNC staff and agency supervisors: server-rendered pages over the domain functions the LINE
coordinator flow uses. Off (404) until SECRET_KEY is set."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from redis import Redis

from bot.desk import actions, auth, exports, pages  # noqa: F401  (their views join the blueprint)
from bot.desk.blueprint import CSRF_EXTENSION, THROTTLE_EXTENSION, bp
from bot.desk.throttle import AuditLogThrottle, LoginThrottle, RedisThrottle

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Cookie and CSRF settings from the app's configuration, the login throttle, and the blueprint."""
    config = app.config
    config.update(SESSION_COOKIE_SECURE=bool(config["DESK_COOKIE_SECURE"]), SESSION_COOKIE_HTTPONLY=True,
                  SESSION_COOKIE_SAMESITE="Lax",
                  PERMANENT_SESSION_LIFETIME=timedelta(hours=config["DESK_SESSION_HOURS"]),
                  WTF_CSRF_CHECK_DEFAULT=False,  # only the desk's forms: the webhook and JSON APIs have no session
                  WTF_CSRF_TIME_LIMIT=None)  # a token lives as long as its session, which expires on its own
    app.extensions[CSRF_EXTENSION] = CSRFProtect(app)
    attempts, window = config["DESK_LOGIN_ATTEMPTS"], timedelta(minutes=config["DESK_LOGIN_WINDOW_MINUTES"])
    throttle: LoginThrottle = RedisThrottle(Redis.from_url(config["REDIS_URL"]), attempts, window) \
        if config["REDIS_URL"] else AuditLogThrottle(attempts, window)
    app.extensions[THROTTLE_EXTENSION] = throttle
    app.register_blueprint(bp)
