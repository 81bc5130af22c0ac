"""A strict local stand-in for api.line.me and api-data.line.me, for tests.

Every request is recorded, authenticated, matched against LINE's OpenAPI paths, validated
against the operation's request schema and LINE's documented limits, and only then acted on.

Under CONTROL_PREFIX the emulator also serves a small control API for tests and `flask chat`
(so a second chat terminal can share one emulator). It is dev/test-only and no part of LINE's
API: it needs no channel token and is neither recorded nor validated as a bot request. LINE has
no path under that prefix, so it never shadows an operation of the spec.

  POST /_emulator/reply-tokens          {"source": {...}} -> {"replyToken": "..."}; with "count": n (1-100),
                                        {"replyTokens": [...]}: one per event of a multi-event webhook
  GET  /_emulator/deliveries?to=&after= -> {"deliveries": [{kind, to, messages, retryKey,
                                            requestId, at, replyToken}, ...]} from index `after`
                                        of `to`'s (all when `to` is absent; brief=1: no messages)
  PUT  /_emulator/profiles/<userId>     {"displayName": "..."} -> {}
  PUT  /_emulator/contents/<messageId>  raw bytes, with their Content-Type -> {} (what
                                        getMessageContent then serves: a picture the user sent)
  GET  /_emulator/rejected?after=       -> {"rejected": [{method, path, status, errors}, ...]}
"""

from __future__ import annotations

import contextlib
import itertools
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from .limits import check_request
from .richmenu import NOT_FOUND, Reply, RichMenuStore
from .schema import Problem, find_operation, path_exists, validate, validate_body

AUTH_FAILED = ("Authentication failed. Confirm that the access token in the authorization "
               "header is valid.")
FAULT_MESSAGES = {429: "The API rate limit has been exceeded. Try again later.",
                  500: "Internal server error"}
QUOTABLE_TYPES = {"text", "textV2", "sticker", "image", "video", "audio", "location"}
RETRY_OPERATIONS = {"pushMessage", "multicast", "narrowcast", "broadcast"}
CONTROL_PREFIX = "/_emulator/"
MAX_TOKENS_PER_CALL = 100


@dataclass(frozen=True)
class Delivery:
    """Messages LINE accepted for one recipient (a multicast gives one Delivery per user)."""

    kind: str  # "reply" | "push" | "multicast"
    to: str  # user, group or room id; for a reply, the reply token's source
    messages: list[dict[str, Any]]
    retry_key: str | None
    request_id: str
    at: float = 0.0  # when LINE accepted it (time.time()): load benchmarks measure time to reply with it
    reply_token: str | None = None  # the token a reply used: load benchmarks match replies to events by it


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # names lower-cased
    body: Any  # parsed JSON, raw bytes for other content, None when empty
    status: int = 0
    response_body: Any = None
    errors: list[str] = field(default_factory=list)
    rejected: bool = False  # answered 4xx for the bot's own mistake (auth, path, body)
    resent: bool = False  # a rejected reply repeating one LINE already accepted: a retry after a lost response
    request_id: str = ""
    response_headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Fault:
    remaining: int
    status: int | None
    latency: float
    path_prefix: str


@dataclass
class _ReplyToken:
    to: str  # the chat a reply goes to: the group, room or user of the source
    expires_at: float
    used: bool = False
    messages: list[dict[str, Any]] | None = None  # what the accepted reply carried


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Tests do not need one log line per request."""


def _error(status: int, message: str, problems: list[Problem] | None = None) -> Reply:
    body: dict[str, Any] = {"message": message}
    if problems:
        body["details"] = [{"message": p.detail, "property": p.property} for p in problems]
    return status, body


class LineEmulator:
    def __init__(self, channel_access_token: str = "test-token",
                 reply_token_ttl: float = 60.0, host: str = "127.0.0.1", port: int = 0) -> None:
        self.channel_access_token = channel_access_token
        self.reply_token_ttl = reply_token_ttl
        self._host = host
        self._port = port  # 0: any free port; `flask chat` needs the fixed one the bot was told
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._message_ids = itertools.count(600_000_000_000_000_001)
        self.reset()

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> LineEmulator:
        if self._server is None:
            self._server = make_server(self._host, self._port, self._wsgi, threaded=True,
                                       request_handler=_QuietHandler)
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            name="line-emulator", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> LineEmulator:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("LineEmulator is not started")
        return f"http://{self._host}:{self._server.server_address[1]}"

    # -- test set-up ---------------------------------------------------------------
    def reset(self) -> None:
        """Forget everything: requests, deliveries, faults, tokens, retry keys, profiles, menus."""
        with self._lock:
            self._profiles: dict[str, dict[str, str]] = {}
            self._requests: list[RecordedRequest] = []
            self._deliveries: list[Delivery] = []
            self._faults: list[_Fault] = []
            self._tokens: dict[str, _ReplyToken] = {}
            self._accepted_keys: dict[str, tuple[str, Any]] = {}  # key -> request id, body
            self.rich_menus = RichMenuStore()
            self._contents: dict[str, tuple[str, bytes]] = {}

    def issue_reply_token(self, source: dict[str, Any]) -> str:
        """A single-use reply token bound to a webhook `source` object, as LINE would send."""
        problems = validate("webhook", "Source", source)
        to = source.get("groupId") or source.get("roomId") or source.get("userId")
        if problems or not to:
            raise ValueError(f"invalid webhook source {source!r}: {problems}")
        token = secrets.token_hex(16)
        with self._lock:
            self._tokens[token] = _ReplyToken(to, time.monotonic() + self.reply_token_ttl)
        return token

    def set_profile(self, user_id: str, display_name: str, *, language: str | None = None,
                    picture_url: str | None = None, status_message: str | None = None) -> None:
        profile = {"userId": user_id, "displayName": display_name, "language": language,
                   "pictureUrl": picture_url, "statusMessage": status_message}
        with self._lock:  # LINE omits absent fields rather than sending null
            self._profiles[user_id] = {k: v for k, v in profile.items() if v is not None}

    def upload_content(self, message_id: str, data: bytes,
                       content_type: str = "image/jpeg") -> None:
        """What getMessageContent serves for `message_id`: the picture (or any bytes) a user
        sent. LINE answers 404 for a message it never had or no longer keeps."""
        with self._lock:
            self._contents[message_id] = (content_type, data)

    def fail_next(self, count: int = 1, status: int | None = 500, latency: float = 0.0,
                  path_prefix: str = "/") -> None:
        """The next `count` requests under `path_prefix` wait `latency` seconds, then answer
        `status` without being processed (status=None: processed normally after the wait)."""
        with self._lock:
            self._faults.append(_Fault(count, status, latency, path_prefix))

    # -- inspection ----------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def rejected(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.rejected]

    @property
    def mistakes(self) -> list[RecordedRequest]:
        """Rejected requests, less exact resends of accepted replies: a client whose first reply timed out on a
        slow machine cannot know LINE took it, and resending is what it must do (LINE answers 400 again)."""
        return [r for r in self.rejected if not r.resent]

    def delivered(self, user_id: str | None = None) -> list[Delivery]:
        with self._lock:
            return [d for d in self._deliveries if user_id is None or d.to == user_id]

    def wait_for_deliveries(self, n: int, timeout: float = 5.0,
                            user_id: str | None = None) -> list[Delivery]:
        def matching() -> list[Delivery]:
            return [d for d in self._deliveries if user_id is None or d.to == user_id]

        with self._changed:
            if not self._changed.wait_for(lambda: len(matching()) >= n, timeout):
                rejected = [(r.method, r.path, r.status, r.errors) for r in self._requests
                            if r.rejected]
                raise TimeoutError(f"{len(matching())} of {n} deliveries after {timeout}s; "
                                   f"rejected requests: {rejected}")
            return matching()

    # -- HTTP ----------------------------------------------------------------------
    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path.startswith(CONTROL_PREFIX):
            status, reply = self._control(request)
            return Response(json.dumps(reply, ensure_ascii=False), status,
                            content_type="application/json")(environ, start_response)
        raw = request.get_data()
        record = RecordedRequest(
            method=request.method, path=request.path, query=request.query_string.decode(),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=raw or None, request_id=str(uuid.uuid4()))
        record.response_headers["X-Line-Request-Id"] = record.request_id
        if raw and request.mimetype == "application/json":
            with contextlib.suppress(ValueError):  # left as bytes; validation reports it
                record.body = json.loads(raw)
        status, body = self._respond(record, request.mimetype)
        headers = record.response_headers
        if isinstance(body, tuple):  # (content type, bytes) of a stored image
            response = Response(body[1], status, headers, content_type=body[0])
        else:
            response = Response(json.dumps(body, ensure_ascii=False), status, headers,
                                content_type="application/json")
        record.status, record.response_body = status, body
        with self._changed:
            self._requests.append(record)
            self._changed.notify_all()
        return response(environ, start_response)

    def _control(self, request: Request) -> Reply:
        """The control API of the module docstring; bad input is a 400 naming the problem."""
        route = request.path.removeprefix(CONTROL_PREFIX)
        method = request.method
        body = request.get_json(silent=True) if method in ("POST", "PUT") else None
        try:
            after = int(request.args.get("after", "0"))
            if after < 0:
                raise ValueError("after must be 0 or more")
            if route == "reply-tokens" and method == "POST":
                if not isinstance(body, dict) or not isinstance(body.get("source"), dict):
                    raise ValueError("source must be a webhook source object")
                source = body["source"]
                if "count" not in body:
                    return 200, {"replyToken": self.issue_reply_token(source)}
                count = body["count"]
                if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_TOKENS_PER_CALL:
                    raise ValueError(f"count must be a whole number from 1 to {MAX_TOKENS_PER_CALL}")
                return 200, {"replyTokens": [self.issue_reply_token(source) for _ in range(count)]}
            if route == "deliveries" and method == "GET":
                brief = request.args.get("brief") == "1"
                return 200, {"deliveries": [
                    {"kind": d.kind, "to": d.to, "retryKey": d.retry_key, "requestId": d.request_id, "at": d.at,
                     "replyToken": d.reply_token, **({} if brief else {"messages": d.messages})}
                    for d in self.delivered(request.args.get("to"))[after:]]}
            if route.startswith("profiles/") and method == "PUT":
                user_id = route.removeprefix("profiles/")
                name = body.get("displayName") if isinstance(body, dict) else None
                if not user_id or not isinstance(name, str) or not name:
                    raise ValueError("PUT profiles/<userId> with a non-empty displayName")
                self.set_profile(user_id, name)
                return 200, {}
            if route.startswith("contents/") and method == "PUT":
                message_id = route.removeprefix("contents/")
                data = request.get_data()
                if not message_id or not data:
                    raise ValueError("PUT contents/<messageId> with the bytes as the body")
                self.upload_content(message_id, data, request.mimetype or "application/octet-stream")
                return 200, {}
            if route == "rejected" and method == "GET":
                return 200, {"rejected": [
                    {"method": r.method, "path": r.path, "status": r.status, "errors": r.errors}
                    for r in self.rejected[after:]]}
        except ValueError as error:
            return 400, {"message": str(error)}
        known = route in ("reply-tokens", "deliveries", "rejected") or route.startswith(("profiles/", "contents/"))
        return (405, {"message": "Method Not Allowed"}) if known else NOT_FOUND

    def _take_fault(self, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.remaining > 0 and path.startswith(fault.path_prefix):
                    fault.remaining -= 1
                    return fault
        return None

    def _respond(self, record: RecordedRequest, mimetype: str) -> Reply:
        fault = self._take_fault(record.path)
        if fault:
            time.sleep(fault.latency)
            if fault.status is not None:
                message = FAULT_MESSAGES.get(fault.status, HTTPStatus(fault.status).phrase)
                return fault.status, {"message": message}
        record.rejected = True  # until the request passes every check below
        if record.headers.get("authorization") != f"Bearer {self.channel_access_token}":
            record.errors = ["missing or wrong channel access token"]
            return _error(401, AUTH_FAILED)
        found = find_operation(record.method, record.path)
        if found is None:
            status = 405 if path_exists(record.path) else 404
            record.errors = [f"{record.method} {record.path}: {HTTPStatus(status).phrase}"]
            return _error(status, HTTPStatus(status).phrase)
        operation, params = found
        problems = validate_body(operation, record.body, mimetype)
        reported = {p.property for p in problems}
        problems += [p for p in check_request(record.path, record.body, record.headers)
                     if p.property not in reported]
        if problems:
            record.errors = list(problems)
            return _error(400, f"The request body has {len(problems)} error(s)", problems)
        with self._lock:
            status, body = self._dispatch(operation.operation_id, params, record, mimetype)
        record.rejected = status in (400, 401)
        if record.rejected:
            record.errors = [body.get("message", "")]
        return status, body

    def _dispatch(self, operation_id: str, params: dict[str, str], record: RecordedRequest,
                  mimetype: str) -> Reply:
        """Act on a valid request; runs under the lock so retry keys and tokens are atomic."""
        retry_key = record.headers.get("x-line-retry-key")
        if operation_id in RETRY_OPERATIONS and retry_key in self._accepted_keys:
            accepted_id, earlier = self._accepted_keys[retry_key]
            record.response_headers["X-Line-Accepted-Request-Id"] = accepted_id
            return 409, {"message": "The retry key is already accepted", **earlier}
        body = record.body
        status, reply = 200, {}
        if operation_id == "replyMessage":
            token = self._tokens.get(body["replyToken"])
            if token is None or token.used or time.monotonic() > token.expires_at:
                record.resent = token is not None and token.used and token.messages == body["messages"]
                return 400, {"message": "Invalid reply token"}
            token.used = True
            token.messages = body["messages"]
            reply = self._deliver("reply", [token.to], body["messages"], record, body["replyToken"])
        elif operation_id == "pushMessage":
            reply = self._deliver("push", [body["to"]], body["messages"], record)
        elif operation_id == "multicast":
            self._deliver("multicast", body["to"], body["messages"], record)
        elif operation_id == "getProfile":
            profile = self._profiles.get(params["userId"])
            status, reply = (200, profile) if profile else (404, {"message": "Not found"})
        elif operation_id == "showLoadingAnimation":
            status = 202
        elif operation_id == "getMessageContent":
            content = self._contents.get(params["messageId"])
            if content is None:
                return 404, {"message": "Not found"}
            return 200, content
        else:  # rich menus, or any other operation of the spec: 200 {}
            status, reply = self.rich_menus.handle(operation_id, params, body, mimetype) \
                or (200, {})
        if retry_key is not None and operation_id in RETRY_OPERATIONS and status < 300:
            self._accepted_keys[retry_key] = (record.request_id, reply)
        return status, reply

    def _deliver(self, kind: str, recipients: list[str], messages: list[dict[str, Any]],
                 record: RecordedRequest, reply_token: str | None = None) -> dict[str, Any]:
        retry_key = record.headers.get("x-line-retry-key")
        now = time.time()
        self._deliveries.extend(Delivery(kind, to, messages, retry_key, record.request_id, now, reply_token)
                                for to in recipients)
        sent = []
        for message in messages:
            entry = {"id": str(next(self._message_ids))}
            if message.get("type") in QUOTABLE_TYPES:
                entry["quoteToken"] = secrets.token_urlsafe(32)
            sent.append(entry)
        return {"sentMessages": sent}
