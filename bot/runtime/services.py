"""What one app instance shares with its requests and jobs, kept in `app.extensions`."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask, current_app
from linebot.v3.webhook import SignatureValidator

from bot.line.client import LineClient, LineSettings
from bot.line.postback import derive_key
from bot.runtime.picture_links import derive_picture_key
from bot.runtime.queue import WORKER_CLASSES, InProcessQueue, JobQueue, RQJobQueue
from bot.runtime.reply_pool import ReplyPool
from data.cases import RouteDecision
from data.checker import ClaimChecker
from data.db import Database, connect
from data.knowledge import Knowledge
from data.routing import AgencyRouting
from nlp.embed import load_embedder
from nlp.image import is_ocr_available
from nlp.places import load_gazetteer

EXTENSION_KEY = "chuaycheck"
WARM_UP_TEXT = "ดื่มน้ำมะนาวโซดารักษามะเร็งได้ จริงไหม"


@dataclass(frozen=True)
class Services:
    db: Database
    line: LineClient
    queue: JobQueue
    replies: ReplyPool
    signature: SignatureValidator | None
    """Checks a webhook's X-Line-Signature; None when LINE_CHANNEL_SECRET is unset: the webhook then answers 503."""
    checker: ClaimChecker
    routing: AgencyRouting
    postback_key: bytes
    knowledge: Knowledge
    auto_approve_volunteers: bool
    ocr_available: bool
    """Tesseract with Thai is installed: pictures are read; otherwise they are recognised by their hash only."""
    public_base_url: str | None
    """Where LINE can fetch the pictures the bot serves (bot.http.pictures); None: case cards show none."""
    picture_key: bytes
    warmed: threading.Event = field(default_factory=threading.Event)
    """Set once warm-up has run a first check and built the router (at once without WARM_UP): until then
    /healthz answers 503, so a load balancer sends no citizen to a process that would keep them 10 s waiting."""

    def route(self, text: str) -> RouteDecision:
        return self.routing.route(text)


def current_services() -> Services:
    services: Services = current_app.extensions[EXTENSION_KEY]
    return services


def init_app(app: Flask) -> Services:
    """Build the app's database, queue, LINE client and webhook parser from its config."""
    config = app.config
    retry_intervals = tuple(config["JOB_RETRY_INTERVALS"])
    in_process = InProcessQueue(app.app_context, retry_intervals)
    if config["WORKER_CLASS"] not in WORKER_CLASSES:
        raise ValueError(f"WORKER_CLASS must be one of {', '.join(WORKER_CLASSES)}, not {config['WORKER_CLASS']!r}")
    queue: JobQueue = RQJobQueue(config["REDIS_URL"], retry_intervals, fallback=in_process,
                                 worker_class=WORKER_CLASSES[config["WORKER_CLASS"]]) \
        if config["REDIS_URL"] else in_process
    line = LineClient(LineSettings(
        access_token=config["LINE_CHANNEL_ACCESS_TOKEN"],
        api_base_url=config["LINE_API_BASE_URL"],
        data_api_base_url=config["LINE_DATA_API_BASE_URL"],
        timeout_seconds=config["LINE_TIMEOUT_SECONDS"],
        attempts=config["LINE_ATTEMPTS"],
        backoff_seconds=config["LINE_BACKOFF_SECONDS"],
        reply_token_ttl_seconds=config["REPLY_TOKEN_TTL_SECONDS"],
    ))
    secret = config["LINE_CHANNEL_SECRET"]
    database = connect(config["DATABASE_URL"])
    replies = ReplyPool(app.app_context, queue, threads=int(config["REPLY_THREADS"]),
                        capacity=int(config["REPLY_POOL_CAPACITY"]),
                        safety_delay=timedelta(seconds=float(config["REPLY_SAFETY_SECONDS"])))
    services = Services(db=database, line=line, queue=queue, replies=replies, routing=AgencyRouting(database.sessions),
                        postback_key=derive_key(secret or ""), knowledge=Knowledge(),
                        auto_approve_volunteers=bool(config["VOLUNTEER_AUTO_APPROVE"]),
                        ocr_available=is_ocr_available(), public_base_url=config["PUBLIC_BASE_URL"],
                        picture_key=derive_picture_key(secret or ""),
                        signature=SignatureValidator(secret) if secret else None,
                        checker=ClaimChecker(load_embedder if config["SEMANTIC_MATCHING"] else lambda: None))
    if not (secret and line.enabled):
        app.logger.warning("LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN unset: the webhook is off and no "
                           "message is sent to LINE. To try the bot locally: `make run`, then `make chat`.")
    if not services.ocr_available:
        app.logger.warning("Tesseract with Thai (tesseract-ocr-tha) not found: text in pictures is not read; "
                           "pictures are answered only when recognised by their hash. `make run` installs it.")
    if not config["WARM_UP"]:
        services.warmed.set()  # nothing to wait for: the first request builds what it needs
    app.extensions[EXTENSION_KEY] = services
    return services


def warm_up(services: Services) -> None:
    """Build the claim index, the agency router and the gazetteer now, and run one check (the embedding
    model's first inference is slow), so no webhook or job pays for them."""
    with services.db.session() as session:
        services.checker.check(session, WARM_UP_TEXT)
    services.routing.warm_up()
    load_gazetteer().resolve("อ.เมือง")  # also loads pythainlp's word list, which the first resolve needs


def warm_up_in_background(app: Flask) -> None:
    """Web processes warm up on a thread: the server starts listening at once, and a request arriving first
    waits on the same lock instead of building a second index."""
    services: Services = app.extensions[EXTENSION_KEY]

    def run() -> None:
        try:
            warm_up(services)
        except Exception:  # a database not yet migrated, say: the first request will build instead
            app.logger.warning("warm-up failed; the first request builds the index", exc_info=True)
        services.warmed.set()

    threading.Thread(target=run, name="warm-up", daemon=True).start()
