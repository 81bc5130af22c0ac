"""ChuayCheck's Flask app factory, the only way to get an app: `gunicorn 'app:create_app()'`, and `flask`
(FLASK_APP=app) finds `create_app` itself. Importing this module builds nothing."""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

DEFAULTS: dict[str, Any] = {
    "LINE_CHANNEL_SECRET": None,
    "LINE_CHANNEL_ACCESS_TOKEN": None,
    "LINE_API_BASE_URL": "https://api.line.me",
    "LINE_DATA_API_BASE_URL": "https://api-data.line.me",
    "DATABASE_URL": None,  # None: a SQLite file under instance/
    "REDIS_URL": None,  # None: jobs run on threads inside the process
    "ADMIN_TOKEN": None,  # None: admin endpoints are disabled
    "PUBLIC_BASE_URL": None,  # the bot's HTTPS address; None: case cards show no pictures (LINE needs HTTPS)
    "LINE_TIMEOUT_SECONDS": 5.0,
    "LINE_ATTEMPTS": 3,
    "LINE_BACKOFF_SECONDS": 0.5,
    "REPLY_TOKEN_TTL_SECONDS": 50.0,  # LINE's tokens live about a minute; leave a margin
    "JOB_RETRY_INTERVALS": (10, 30, 120, 600),
    "REPLY_THREADS": 4,  # per web process: replies sent right after the commit (bot.runtime.reply_pool); 0: via RQ
    "REPLY_POOL_CAPACITY": 64,  # replies in hand per web process before new ones go to the queue instead
    "REPLY_SAFETY_SECONDS": 20.0,  # a reply the web process has not sent by then is sent by a worker
    "WORKER_CLASS": "simple",  # `flask worker`: jobs in its own process; "fork": a work horse per job (queue.py)
    "WORKER_MAX_JOBS": 5000,  # `flask worker` starts a fresh worker process after this many jobs; 0: never
    "LOG_LEVEL": "INFO",
    "SEMANTIC_MATCHING": 1,  # 0: lexical matching only (no embedding model loaded)
    "WARM_UP": 0,  # 1 (web servers): build the claim index and router at start, not in the first request
    "PROMETHEUS_MULTIPROC_DIR": None,  # several web processes: an empty directory they share (prometheus-client)
    "VOLUNTEER_AUTO_APPROVE": 0,  # 1: a volunteer registration is approved at once, without `flask volunteers approve`
    # The web desk (bot/desk): off (404) until SECRET_KEY is set; it signs session cookies and CSRF tokens.
    "SECRET_KEY": None,
    "DESK_COOKIE_SECURE": 1,  # 0 only for a desk served over plain http (a local try-out)
    "DESK_IDLE_MINUTES": 30,  # a session unused this long ends
    "DESK_SESSION_HOURS": 12,  # and any session ends this long after its login
    "DESK_LOGIN_ATTEMPTS": 5,  # failed logins per e-mail and address before logins are refused…
    "DESK_LOGIN_WINDOW_MINUTES": 15,  # …for this long
}
MAX_WEBHOOK_BYTES = 1024 * 1024


def read_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Every DEFAULTS key may be set in the environment; values take the default's type."""
    settings: dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        raw = environ.get(key, "").strip()
        if not raw:
            continue
        if isinstance(default, tuple):
            settings[key] = tuple(float(part) for part in raw.split(","))
        elif isinstance(default, (int, float)):
            settings[key] = type(default)(raw)
        else:
            settings[key] = raw
    return settings


def _json_http_error(error: HTTPException) -> tuple[Response, int]:
    return jsonify(error=error.description), error.code or 500


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """An app configured from the environment, or, given `test_config`, from DEFAULTS and `test_config` alone:
    a developer's ADMIN_TOKEN or REDIS_URL must not reach the tests."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS, MAX_CONTENT_LENGTH=MAX_WEBHOOK_BYTES)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Thai stays readable in API answers
    app.config.from_mapping(read_environment(os.environ) if test_config is None else test_config)
    if not app.config["DATABASE_URL"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'chuaycheck.sqlite3'}"
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger().setLevel(app.config["LOG_LEVEL"])
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # one line per plugin is noise

    from bot import desk
    from bot.cli.agencies import agencies_cli
    from bot.cli.cases import coordinators_cli, tips_cli
    from bot.cli.claims import check_command, claims_cli
    from bot.cli.db import db_cli
    from bot.cli.knowledge import centres_cli, courses_cli, faq_cli
    from bot.cli.richmenu import richmenu_cli
    from bot.cli.staff import staff_cli
    from bot.cli.volunteers import volunteers_cli
    from bot.cli.worker import worker_command
    from bot.devtools.chat import chat_command
    from bot.http import admin, api, health, pictures, webhook
    from bot.runtime import services

    services.init_app(app)
    if app.config["WARM_UP"]:
        services.warm_up_in_background(app)
    app.register_blueprint(webhook.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(pictures.bp)
    desk.init_app(app)
    app.register_error_handler(HTTPException, _json_http_error)
    for command in (db_cli, claims_cli, check_command, worker_command, chat_command, richmenu_cli,
                    tips_cli, coordinators_cli, agencies_cli, centres_cli, courses_cli, faq_cli,
                    volunteers_cli, staff_cli):
        app.cli.add_command(command)
    return app

