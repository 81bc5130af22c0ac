"""The one outgoing LINE client. Every message, profile lookup and rich-menu call leaves through here."""
from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    ApiResponse,
    Configuration,
    CreateRichMenuAliasRequest,
    MessagingApi,
    MessagingApiBlob,
    RichMenuBulkLinkRequest,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
    UpdateRichMenuAliasRequest,
)

from bot.line.limits import MAX_MULTICAST_RECIPIENTS, check_messages
from bot.metrics import LINE_API_CALLS

log = logging.getLogger(__name__)

INVALID_REPLY_TOKEN = "Invalid reply token"
"""LINE's 400 message for a reply token that is unknown, used or expired."""
MAX_BULK_LINK_USERS = 500
"""LINE's limit of user IDs in one bulk rich menu link."""
LOADING_SECONDS = 20
"""Long enough for fetching and reading a picture; LINE accepts multiples of 5 up to 60."""
RETRY_KEY_NAMESPACE = uuid.UUID("6f1c2d0e-4b8a-4f5e-9c1d-2a7b3e9f0c11")
"""Namespace for deterministic X-Line-Retry-Keys: the same delivery always gets the same key."""


def retry_key(*parts: str) -> str:
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, ":".join(parts)))


class LineApiError(Exception):
    """A LINE call that failed after our retries; `status` is None when LINE was never reached."""

    def __init__(self, operation: str, status: int | None, request_id: str | None, body: str) -> None:
        super().__init__(f"LINE {operation} failed: status={status} request_id={request_id} body={body[:300]}")
        self.operation = operation
        self.status = status
        self.request_id = request_id
        self.body = body

    @property
    def is_retryable(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500

    @property
    def is_invalid_reply_token(self) -> bool:
        return self.status == 400 and INVALID_REPLY_TOKEN in self.body

    @property
    def is_already_accepted(self) -> bool:
        """409: LINE has already accepted a request with this retry key."""
        return self.status == 409


@dataclass(frozen=True)
class LineSettings:
    access_token: str | None
    api_base_url: str
    data_api_base_url: str
    timeout_seconds: float
    attempts: int
    backoff_seconds: float
    reply_token_ttl_seconds: float


@dataclass(frozen=True)
class OutgoingReply:
    """Messages answering one event, in a form a job can carry (plain values only)."""

    event_id: str
    chat_id: str | None
    reply_token: str | None
    event_timestamp_ms: int
    messages: list[dict[str, Any]]

    def as_job_payload(self) -> dict[str, Any]:
        # Shallow: `asdict` would deep-copy every message's nested Flex JSON for each reply (issue 11), and
        # nothing changes the messages once built.
        return {field.name: getattr(self, field.name) for field in fields(self)}


class LineClient:
    def __init__(self, settings: LineSettings) -> None:
        self.settings = settings
        self._api: MessagingApi | None = None
        self._api_pid: int | None = None
        self._blob_api: MessagingApiBlob | None = None
        self._blob_pid: int | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.settings.access_token)

    def _messaging(self) -> MessagingApi:
        # RQ forks a work horse per job; a urllib3 pool must not be shared across a fork.
        if self._api is None or self._api_pid != os.getpid():
            configuration = Configuration(host=self.settings.api_base_url, access_token=self.settings.access_token)
            configuration.retries = urllib3.Retry(total=0, raise_on_status=False)  # we retry, with backoff
            self._api = MessagingApi(ApiClient(configuration))
            self._api_pid = os.getpid()
        return self._api

    def _call(self, operation: str, send: Callable[[MessagingApi], ApiResponse]) -> ApiResponse:
        """Send once, retrying 429, 5xx and network failures with exponential backoff."""
        attempts = max(1, self.settings.attempts)
        for attempt in range(attempts):
            try:
                response = send(self._messaging())
                LINE_API_CALLS.labels(operation, str(response.status_code)).inc()
                return response
            except ApiException as exc:
                headers = dict(exc.headers or {})
                request_id = headers.get("x-line-request-id") or headers.get("X-Line-Request-Id")
                body = exc.body.decode("utf-8", "replace") if isinstance(exc.body, bytes) else str(exc.body or "")
                error = LineApiError(operation, exc.status or None, request_id, body)
            except urllib3.exceptions.HTTPError as exc:
                error = LineApiError(operation, None, None, f"{type(exc).__name__}: {exc}")
            LINE_API_CALLS.labels(operation, str(error.status or "network")).inc()
            if not error.is_retryable or attempt == attempts - 1:
                raise error
            log.warning("LINE %s: retrying after status=%s request_id=%s", operation, error.status, error.request_id)
            time.sleep(self.settings.backoff_seconds * 2**attempt)
        raise AssertionError("unreachable: the loop returns or raises")

    def _timeout(self) -> float:
        return self.settings.timeout_seconds

    def _send_messages(self, api: MessagingApi, path: str, body: dict[str, Any],
                       key: str | None = None) -> ApiResponse:
        """POST a request carrying messages as the plain JSON our builders made, through the SDK's client (its
        auth, headers, connection pool and errors), but not through its request models. Those parse every message
        into pydantic objects and serialise them back to the same JSON: up to 9 ms of CPU for one course carousel,
        more than all the rest of a webhook event (issue 11). What they would check is checked already: LINE's
        limits by `check_messages`, its schema by the emulator in every test that sends. The body writes out the
        one default the models added (`notificationDisabled`), so LINE receives the same request as before."""
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if key:
            headers["X-Line-Retry-Key"] = key
        return api.api_client.call_api(
            path, "POST", header_params=headers, body={**body, "notificationDisabled": False},
            response_types_map={}, auth_settings=["Bearer"], _request_timeout=self._timeout())

    def reply(self, reply_token: str, messages: list[dict[str, Any]]) -> None:
        check_messages(messages)
        body = {"replyToken": reply_token, "messages": messages}
        self._call("reply", lambda api: self._send_messages(api, "/v2/bot/message/reply", body))

    def push(self, to: str, messages: list[dict[str, Any]], key: str) -> None:
        """Push once: a retried job re-sends the same key, and LINE's 409 means it already arrived."""
        check_messages(messages)
        body = {"to": to, "messages": messages}
        try:
            self._call("push", lambda api: self._send_messages(api, "/v2/bot/message/push", body, key))
        except LineApiError as error:
            if not error.is_already_accepted:
                raise
            log.info("LINE push already accepted for retry key %s", key)

    def multicast(self, user_ids: list[str], messages: list[dict[str, Any]], key: str) -> None:
        """Multicast in batches of LINE's maximum; each batch has its own stable retry key."""
        check_messages(messages)
        for start in range(0, len(user_ids), MAX_MULTICAST_RECIPIENTS):
            batch = user_ids[start:start + MAX_MULTICAST_RECIPIENTS]
            body = {"to": batch, "messages": messages}
            batch_key = retry_key(key, str(start))
            try:
                # The call runs before the loop moves on, so the lambda sees this batch's values.
                self._call("multicast", lambda api: self._send_messages(
                    api, "/v2/bot/message/multicast", body, batch_key))  # noqa: B023
            except LineApiError as error:
                if not error.is_already_accepted:
                    raise
                log.info("LINE multicast batch already accepted for retry key %s", batch_key)

    def _call_or_none(self, operation: str, send: Callable[[MessagingApi], ApiResponse]) -> ApiResponse | None:
        """As `_call`, but LINE's 404 (no such user, alias…) is an answer, not a failure."""
        try:
            return self._call(operation, send)
        except LineApiError as error:
            if error.status == 404:
                return None
            raise

    def get_profile(self, user_id: str) -> dict[str, Any] | None:
        """The user's LINE profile, or None when LINE does not know them (blocked, or not a friend)."""
        response = self._call_or_none("profile", lambda api: api.get_profile_with_http_info(
            user_id, _request_timeout=self._timeout()))
        return response.data.to_dict() if response is not None else None

    def show_loading(self, chat_id: str, seconds: int = LOADING_SECONDS) -> None:
        """LINE's typing dots in a 1:1 chat while a slow answer (reading a picture) is prepared; they stop by
        themselves when the answer arrives. A failure only costs the animation, so it is logged, not raised."""
        request = ShowLoadingAnimationRequest(chat_id=chat_id, loading_seconds=seconds)
        try:
            self._call("loading", lambda api: api.show_loading_animation_with_http_info(
                request, _request_timeout=self._timeout()))
        except LineApiError as error:
            log.info("loading animation not shown: status=%s", error.status)

    def message_content(self, message_id: str) -> bytes | None:
        """The bytes of an image (video, audio, file) a user sent; None when LINE no longer has it (404)."""
        response = self._call_or_none("content", lambda _api: self._blob().get_message_content_with_http_info(
            message_id, _request_timeout=self._timeout()))
        return bytes(response.data) if response is not None else None

    def deliver(self, reply: OutgoingReply) -> str:
        """Reply while the token is fresh and unused; otherwise push once. Returns how it was sent."""
        if not self.enabled:
            log.info("LINE disabled: %d message(s) for event %s not sent", len(reply.messages), reply.event_id)
            return "disabled"
        age_seconds = time.time() - reply.event_timestamp_ms / 1000
        if reply.reply_token and age_seconds < self.settings.reply_token_ttl_seconds:
            try:
                self.reply(reply.reply_token, reply.messages)
                return "reply"
            except LineApiError as error:
                if not error.is_invalid_reply_token:
                    raise
                if time.time() - reply.event_timestamp_ms / 1000 < self.settings.reply_token_ttl_seconds:
                    # Only we hold the token and it has not expired: an earlier attempt of ours that timed out
                    # was accepted. Pushing now would send the citizen a second copy.
                    log.info("reply token for event %s already used by an earlier attempt", reply.event_id)
                    return "reply"
                log.info("reply token for event %s expired; pushing instead", reply.event_id)
        if reply.chat_id is None:
            log.warning("event %s: no reply token and no chat to push to; dropped", reply.event_id)
            return "dropped"
        self.push(reply.chat_id, reply.messages, retry_key("reply", reply.event_id))
        return "push"

    # -- rich menus ----------------------------------------------------------------------------------------
    def _blob(self) -> MessagingApiBlob:
        """The data API (images, content). Its SDK operations fall back to api-data.line.me only when the
        Configuration has no host, so this client of its own sends them to `data_api_base_url` instead."""
        if self._blob_api is None or self._blob_pid != os.getpid():
            configuration = Configuration(host=self.settings.data_api_base_url,
                                          access_token=self.settings.access_token)
            configuration.retries = urllib3.Retry(total=0, raise_on_status=False)  # we retry, with backoff
            self._blob_api = MessagingApiBlob(ApiClient(configuration))
            self._blob_pid = os.getpid()
        return self._blob_api

    def create_rich_menu(self, menu: dict[str, Any]) -> str:
        """Create a menu from its JSON definition; returns its richMenuId. It needs an image before use."""
        request = RichMenuRequest.from_dict(menu)
        response = self._call("richmenu_create", lambda api: api.create_rich_menu_with_http_info(
            request, _request_timeout=self._timeout()))
        return str(response.data.rich_menu_id)

    def set_rich_menu_image(self, rich_menu_id: str, png: bytes) -> None:
        self._call("richmenu_image", lambda _api: self._blob().set_rich_menu_image_with_http_info(
            rich_menu_id, png, _headers={"Content-Type": "image/png"}, _request_timeout=self._timeout()))

    def rich_menus(self) -> list[dict[str, Any]]:
        """Every rich menu of the channel, as LINE's JSON (richMenuId, name, size, areas, …)."""
        response = self._call("richmenu_list", lambda api: api.get_rich_menu_list_with_http_info(
            _request_timeout=self._timeout()))
        return [menu.to_dict() for menu in response.data.richmenus]

    def delete_rich_menu(self, rich_menu_id: str) -> None:
        self._call("richmenu_delete", lambda api: api.delete_rich_menu_with_http_info(
            rich_menu_id, _request_timeout=self._timeout()))

    def link_rich_menu(self, user_id: str, rich_menu_id: str) -> None:
        self._call("richmenu_link", lambda api: api.link_rich_menu_id_to_user_with_http_info(
            user_id, rich_menu_id, _request_timeout=self._timeout()))

    def link_rich_menu_to_users(self, user_ids: list[str], rich_menu_id: str) -> None:
        """Link many users in LINE's batches of 500 (LINE applies bulk links asynchronously)."""
        for start in range(0, len(user_ids), MAX_BULK_LINK_USERS):
            request = RichMenuBulkLinkRequest(rich_menu_id=rich_menu_id,
                                              user_ids=user_ids[start:start + MAX_BULK_LINK_USERS])
            self._call("richmenu_bulk_link", lambda api: api.link_rich_menu_id_to_users_with_http_info(
                request, _request_timeout=self._timeout()))  # noqa: B023 (called at once)

    def unlink_rich_menu(self, user_id: str) -> None:
        """Remove the user's own menu; they see the channel's default menu, if any, again."""
        self._call("richmenu_unlink", lambda api: api.unlink_rich_menu_id_from_user_with_http_info(
            user_id, _request_timeout=self._timeout()))

    def set_default_rich_menu(self, rich_menu_id: str) -> None:
        """The menu every user without a menu of their own sees."""
        self._call("richmenu_default_set", lambda api: api.set_default_rich_menu_with_http_info(
            rich_menu_id, _request_timeout=self._timeout()))

    def default_rich_menu(self) -> str | None:
        """The channel's default richMenuId, or None when there is none."""
        response = self._call_or_none("richmenu_default_get", lambda api: api.get_default_rich_menu_id_with_http_info(
            _request_timeout=self._timeout()))
        return str(response.data.rich_menu_id) if response is not None else None

    def user_rich_menu(self, user_id: str) -> str | None:
        """The richMenuId linked to this user, or None when they see the default."""
        response = self._call_or_none("richmenu_user_get", lambda api: api.get_rich_menu_id_of_user_with_http_info(
            user_id, _request_timeout=self._timeout()))
        return str(response.data.rich_menu_id) if response is not None else None

    def rich_menu_alias(self, alias_id: str) -> str | None:
        """The richMenuId an alias points at, or None when there is no such alias."""
        response = self._call_or_none("richmenu_alias_get", lambda api: api.get_rich_menu_alias_with_http_info(
            alias_id, _request_timeout=self._timeout()))
        return str(response.data.rich_menu_id) if response is not None else None

    def set_rich_menu_alias(self, alias_id: str, rich_menu_id: str) -> None:
        """Point the alias at the menu, creating the alias the first time."""
        if self.rich_menu_alias(alias_id) is None:
            create = CreateRichMenuAliasRequest(rich_menu_alias_id=alias_id, rich_menu_id=rich_menu_id)
            self._call("richmenu_alias_create", lambda api: api.create_rich_menu_alias_with_http_info(
                create, _request_timeout=self._timeout()))
        else:
            update = UpdateRichMenuAliasRequest(rich_menu_id=rich_menu_id)
            self._call("richmenu_alias_update", lambda api: api.update_rich_menu_alias_with_http_info(
                alias_id, update, _request_timeout=self._timeout()))
