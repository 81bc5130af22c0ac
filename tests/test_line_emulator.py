"""The LINE emulator must reject what LINE rejects, or tests that use it prove nothing."""

from __future__ import annotations

import struct
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    FlexMessage,
    MessagingApi,
    PushMessageRequest,
    TextMessage,
)

from bot.devtools.line_emulator import LineEmulator, validate

TOKEN = "test-token"
USER = "U206d25c2ea6bd87c17655609a1c37cb8"
GROUP = "C" + "a" * 32
SAMPLES = Path(__file__).parent / "data" / "webhook-samples"


@pytest.fixture(scope="module")
def server() -> Iterator[LineEmulator]:
    with LineEmulator(channel_access_token=TOKEN) as emulator:
        yield emulator


@pytest.fixture
def emu(server: LineEmulator) -> LineEmulator:
    server.reset()
    server.reply_token_ttl = 60.0
    return server


def call(emu: LineEmulator, path: str, body: Any = None, method: str = "POST",
         token: str | None = TOKEN, **headers: str) -> requests.Response:
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    kwargs: dict[str, Any] = {"json": body} if body is not None else {}
    return requests.request(method, emu.base_url + path, headers=headers, timeout=10, **kwargs)


def reply(emu: LineEmulator, messages: list[dict[str, Any]]) -> requests.Response:
    token = emu.issue_reply_token(source={"type": "user", "userId": USER})
    return call(emu, "/v2/bot/message/reply", {"replyToken": token, "messages": messages})


def text(value: str = "hello") -> dict[str, Any]:
    return {"type": "text", "text": value}


def bubble(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": "flex", "altText": "card", "contents": {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "contents": list(components)}}}


def postback(data: str, label: str = "OK", **extra: str) -> dict[str, Any]:
    return {"type": "postback", "label": label, "data": data, **extra}


def assert_rejected(response: requests.Response, prop: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["message"].startswith("The request body has")
    assert prop in [d["property"] for d in body["details"]], body


# -- reply ---------------------------------------------------------------------------
def test_valid_text_reply_is_delivered(emu: LineEmulator) -> None:
    response = reply(emu, [text("สวัสดี")])
    assert response.status_code == 200, response.text
    sent = response.json()["sentMessages"]
    assert len(sent) == 1 and sent[0]["id"].isdigit() and sent[0]["quoteToken"]
    uuid.UUID(response.headers["X-Line-Request-Id"])
    [delivery] = emu.delivered(USER)
    assert (delivery.kind, delivery.to, delivery.messages) == ("reply", USER, [text("สวัสดี")])
    assert emu.rejected == [] and len(emu.requests) == 1


def test_reply_in_a_group_goes_to_the_group(emu: LineEmulator) -> None:
    token = emu.issue_reply_token(source={"type": "group", "groupId": GROUP, "userId": USER})
    assert call(emu, "/v2/bot/message/reply",
                {"replyToken": token, "messages": [text()]}).status_code == 200
    assert [d.to for d in emu.delivered()] == [GROUP]


def test_reply_token_is_single_use(emu: LineEmulator) -> None:
    token = emu.issue_reply_token(source={"type": "user", "userId": USER})
    body = {"replyToken": token, "messages": [text()]}
    assert call(emu, "/v2/bot/message/reply", body).status_code == 200
    second = call(emu, "/v2/bot/message/reply", body)
    assert (second.status_code, second.json()) == (400, {"message": "Invalid reply token"})
    assert len(emu.delivered()) == 1 and len(emu.rejected) == 1


def test_a_resent_reply_is_not_a_mistake_but_a_different_second_reply_is(emu: LineEmulator) -> None:
    token = emu.issue_reply_token(source={"type": "user", "userId": USER})
    assert call(emu, "/v2/bot/message/reply", {"replyToken": token, "messages": [text("ก")]}).status_code == 200
    resend = call(emu, "/v2/bot/message/reply", {"replyToken": token, "messages": [text("ก")]})
    second = call(emu, "/v2/bot/message/reply", {"replyToken": token, "messages": [text("ข")]})
    assert (resend.status_code, second.status_code) == (400, 400)
    assert len(emu.rejected) == 2
    assert [r.body["messages"] for r in emu.mistakes] == [[text("ข")]]


def test_expired_and_unknown_reply_tokens_are_invalid(emu: LineEmulator) -> None:
    emu.reply_token_ttl = 0.2
    token = emu.issue_reply_token(source={"type": "user", "userId": USER})
    time.sleep(0.3)
    for candidate in (token, "never-issued"):
        response = call(emu, "/v2/bot/message/reply",
                        {"replyToken": candidate, "messages": [text()]})
        assert (response.status_code, response.json()) == (400, {"message": "Invalid reply token"})
    assert emu.delivered() == []


def test_issue_reply_token_rejects_a_malformed_source(emu: LineEmulator) -> None:
    with pytest.raises(ValueError):
        emu.issue_reply_token(source={"type": "group", "userId": USER})  # no groupId


# -- message schema and limits ---------------------------------------------------------
def test_more_than_five_messages_is_rejected(emu: LineEmulator) -> None:
    assert reply(emu, [text()] * 5).status_code == 200
    assert_rejected(reply(emu, [text()] * 6), "messages")


def test_text_limit_counts_utf16_units(emu: LineEmulator) -> None:
    assert reply(emu, [text("a" * 5000)]).status_code == 200
    assert reply(emu, [text("😀" * 2500)]).status_code == 200
    assert_rejected(reply(emu, [text("a" * 5001)]), "messages[0].text")
    assert_rejected(reply(emu, [text("😀" * 2500 + "a")]), "messages[0].text")


def test_valid_flex_bubble_is_accepted(emu: LineEmulator) -> None:
    message = bubble({"type": "text", "text": "ผลตรวจ", "wrap": True},
                     {"type": "button", "action": postback("a=1", displayText="ok")})
    assert reply(emu, [message]).status_code == 200, emu.requests[-1].errors


INVALID_FLEX_COMPONENTS: list[tuple[dict[str, Any], str]] = [
    ({"type": "banana"}, "messages[0].contents.body.contents[0].type"),
    ({"type": "text", "wrap": True}, "messages[0].contents.body.contents[0].text"),
    ({"type": "button", "action": postback("x" * 301)},
     "messages[0].contents.body.contents[0].action.data"),
    ({"type": "button", "action": {"type": "teleport", "label": "go"}},
     "messages[0].contents.body.contents[0].action.type"),
    ({"type": "box", "layout": "diagonal", "contents": []},
     "messages[0].contents.body.contents[0].layout"),
    ({"type": "button", "action": {"type": "camera", "label": "cam"}},
     "messages[0].contents.body.contents[0].action.type"),
]
"""Flex components LINE refuses, with the property the emulator must name (tests/test_line_emulator_fast.py
runs them through both validators too)."""


@pytest.mark.parametrize(("component", "prop"), INVALID_FLEX_COMPONENTS)
def test_invalid_flex_is_rejected(emu: LineEmulator, component: dict[str, Any],
                                  prop: str) -> None:
    assert_rejected(reply(emu, [bubble(component)]), prop)
    assert emu.delivered() == []


def test_flex_size_and_carousel_limits(emu: LineEmulator) -> None:
    big = bubble(*[{"type": "text", "text": "x" * 1000}] * 31)
    assert_rejected(reply(emu, [big]), "messages[0].contents")
    one = bubble(text())["contents"]
    carousel = {"type": "flex", "altText": "c",
                "contents": {"type": "carousel", "contents": [one] * 13}}
    assert_rejected(reply(emu, [carousel]), "messages[0].contents.contents")


def test_unknown_message_type_is_rejected(emu: LineEmulator) -> None:
    assert_rejected(reply(emu, [{"type": "foo", "text": "x"}]), "messages[0].type")


def test_quick_reply_limits(emu: LineEmulator) -> None:
    def with_items(count: int, action: dict[str, Any]) -> dict[str, Any]:
        return {**text(), "quickReply": {"items": [{"type": "action", "action": action}] * count}}

    ok = {"type": "message", "label": "ใช่", "text": "ใช่"}
    assert reply(emu, [with_items(13, ok)]).status_code == 200
    assert_rejected(reply(emu, [with_items(14, ok)]), "messages[0].quickReply.items")
    long_label = {**ok, "label": "x" * 21}
    assert_rejected(reply(emu, [with_items(1, long_label)]),
                    "messages[0].quickReply.items[0].action.label")
    no_display = postback("a=1")  # the reference requires displayText in quick replies
    assert_rejected(reply(emu, [with_items(1, no_display)]),
                    "messages[0].quickReply.items[0].action.displayText")


def test_template_labels_and_alt_text(emu: LineEmulator) -> None:
    template = {"type": "template", "altText": "a" * 1501, "template": {
        "type": "buttons", "text": "pick", "actions": [postback("a", label="x" * 21)]}}
    response = reply(emu, [template])
    assert_rejected(response, "messages[0].altText")
    assert_rejected(response, "messages[0].template.actions[0].label")


# -- auth, routing, profile, loading ---------------------------------------------------
def test_wrong_or_missing_token_is_401(emu: LineEmulator) -> None:
    for token in ("wrong-token", None):
        response = call(emu, "/v2/bot/message/push", {"to": USER, "messages": [text()]},
                        token=token)
        assert response.status_code == 401
        assert response.json()["message"].startswith("Authentication failed")
    assert emu.delivered() == [] and len(emu.rejected) == 2


def test_unknown_path_and_wrong_method(emu: LineEmulator) -> None:
    assert call(emu, "/v2/bot/message/send", {"to": USER}).status_code == 404
    assert call(emu, "/v2/bot/message/push", method="GET").status_code == 405
    assert len(emu.rejected) == 2


def test_profile(emu: LineEmulator) -> None:
    emu.set_profile(USER, display_name="สมชาย", language="th")
    response = call(emu, f"/v2/bot/profile/{USER}", method="GET")
    assert response.json() == {"userId": USER, "displayName": "สมชาย", "language": "th"}
    assert validate("messaging-api", "UserProfileResponse", response.json()) == []
    missing = call(emu, "/v2/bot/profile/U" + "0" * 32, method="GET")
    assert (missing.status_code, missing.json()) == (404, {"message": "Not found"})
    assert emu.rejected == []  # an unknown user is LINE's answer, not a bot mistake


def test_loading_animation(emu: LineEmulator) -> None:
    response = call(emu, "/v2/bot/chat/loading/start", {"chatId": USER, "loadingSeconds": 20})
    assert (response.status_code, response.json()) == (202, {})
    assert_rejected(call(emu, "/v2/bot/chat/loading/start", {"chatId": USER,
                                                             "loadingSeconds": 7}),
                    "loadingSeconds")
    assert_rejected(call(emu, "/v2/bot/chat/loading/start", {"loadingSeconds": 5}), "chatId")


def test_message_content_serves_what_the_test_uploaded(emu: LineEmulator) -> None:
    emu.upload_content("600000000000000123", b"\xff\xd8\xff picture", "image/jpeg")
    response = call(emu, "/v2/bot/message/600000000000000123/content", method="GET")
    assert (response.status_code, response.headers["Content-Type"], response.content) == \
        (200, "image/jpeg", b"\xff\xd8\xff picture")
    missing = call(emu, "/v2/bot/message/600000000000000999/content", method="GET")
    assert (missing.status_code, missing.json()) == (404, {"message": "Not found"})
    assert call(emu, "/v2/bot/message/600000000000000123/content", method="GET", token=None).status_code == 401
    assert call(emu, "/v2/bot/message/600000000000000123/content", method="POST").status_code == 405
    assert len(emu.rejected) == 2  # the missing token and the wrong method; a 404 is LINE's answer


# -- push, multicast, retry keys -------------------------------------------------------
def test_push_retry_key_is_accepted_once(emu: LineEmulator) -> None:
    key = str(uuid.uuid4())
    body = {"to": USER, "messages": [text()]}
    first = call(emu, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": key})
    assert first.status_code == 200, first.text
    second = call(emu, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": key})
    assert second.status_code == 409
    assert second.json()["message"] == "The retry key is already accepted"
    assert second.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert [d.retry_key for d in emu.delivered(USER)] == [key]


def test_retry_key_must_be_a_uuid(emu: LineEmulator) -> None:
    response = call(emu, "/v2/bot/message/push", {"to": USER, "messages": [text()]},
                    **{"X-Line-Retry-Key": "attempt-1"})
    assert_rejected(response, "X-Line-Retry-Key")


def test_multicast(emu: LineEmulator) -> None:
    users = [f"U{i:032x}" for i in range(501)]
    response = call(emu, "/v2/bot/message/multicast", {"to": users[:3], "messages": [text()]})
    assert (response.status_code, response.json()) == (200, {})
    assert [d.to for d in emu.delivered()] == users[:3]
    assert_rejected(call(emu, "/v2/bot/message/multicast", {"to": users, "messages": [text()]}),
                    "to")
    assert_rejected(call(emu, "/v2/bot/message/multicast", {"to": ["bob"], "messages": [text()]}),
                    "to[0]")


# -- fault injection -------------------------------------------------------------------
def test_injected_500_then_retry_with_same_key_succeeds(emu: LineEmulator) -> None:
    emu.fail_next(count=1, status=500, path_prefix="/v2/bot/message")
    key = str(uuid.uuid4())
    body = {"to": USER, "messages": [text()]}
    assert call(emu, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": key}).status_code == 500
    assert emu.delivered() == []
    assert call(emu, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": key}).status_code == 200
    assert len(emu.delivered()) == 1 and emu.rejected == []


def test_fault_only_hits_matching_paths_and_429(emu: LineEmulator) -> None:
    emu.fail_next(count=2, status=429, path_prefix="/v2/bot/message/push")
    emu.set_profile(USER, display_name="A")
    assert call(emu, f"/v2/bot/profile/{USER}", method="GET").status_code == 200
    for _ in range(2):
        response = call(emu, "/v2/bot/message/push", {"to": USER, "messages": [text()]})
        assert response.status_code == 429 and "Retry-After" not in response.headers
    assert call(emu, "/v2/bot/message/push", {"to": USER, "messages": [text()]}).ok


def test_latency_injection(emu: LineEmulator) -> None:
    emu.fail_next(count=1, status=None, latency=0.4)
    started = time.monotonic()
    response = call(emu, "/v2/bot/message/push", {"to": USER, "messages": [text()]})
    assert response.status_code == 200 and time.monotonic() - started >= 0.4
    assert len(emu.delivered()) == 1


def test_wait_for_deliveries(emu: LineEmulator) -> None:
    threading.Timer(0.2, call, (emu, "/v2/bot/message/push",
                                {"to": USER, "messages": [text()]})).start()
    assert [d.kind for d in emu.wait_for_deliveries(1, timeout=5)] == ["push"]
    with pytest.raises(TimeoutError):
        emu.wait_for_deliveries(2, timeout=0.2)


# -- the official SDK's own JSON -------------------------------------------------------
def test_sdk_serialised_flex_message_is_accepted(emu: LineEmulator) -> None:
    flex = FlexMessage.from_dict(bubble(
        {"type": "text", "text": "ตรวจสอบแล้ว", "wrap": True, "weight": "bold"},
        {"type": "separator", "margin": "md"},
        {"type": "button", "style": "primary",
         "action": {"type": "uri", "label": "ดูรายละเอียด", "uri": "https://example.com/a"}}))
    assert reply(emu, [flex.to_dict()]).status_code == 200, emu.requests[-1].errors
    config = Configuration(access_token=TOKEN, host=emu.base_url)
    with ApiClient(config) as client:
        MessagingApi(client).push_message(
            PushMessageRequest(to=USER, messages=[flex, TextMessage(text="hi")]),
            x_line_retry_key=str(uuid.uuid4()))
    assert [d.kind for d in emu.delivered()] == ["reply", "push"] and emu.rejected == []


# -- rich menus ------------------------------------------------------------------------
def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    rows = b"".join(b"\x00" + b"\xff" * width * 3 for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


RICH_MENU = {"size": {"width": 2500, "height": 843}, "selected": True, "name": "main",
             "chatBarText": "เมนู", "areas": [{
                 "bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
                 "action": {"type": "postback", "label": "ตรวจ", "data": "check"}}]}


def test_rich_menu_lifecycle(emu: LineEmulator) -> None:
    assert_rejected(call(emu, "/v2/bot/richmenu", {"name": "x"}), "size")
    menu_id = call(emu, "/v2/bot/richmenu", RICH_MENU).json()["richMenuId"]
    assert menu_id.startswith("richmenu-")
    link = f"/v2/bot/user/{USER}/richmenu/{menu_id}"
    assert call(emu, link).status_code == 400  # no image yet
    content = f"/v2/bot/richmenu/{menu_id}/content"
    wrong = requests.post(emu.base_url + content, data=png(800, 270), timeout=10,
                          headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "image/png"})
    assert wrong.status_code == 400  # image size differs from the menu size
    uploaded = requests.post(emu.base_url + content, data=png(2500, 843), timeout=10,
                             headers={"Authorization": f"Bearer {TOKEN}",
                                      "Content-Type": "image/png"})
    assert uploaded.status_code == 200, uploaded.text
    assert call(emu, link).status_code == 200
    assert call(emu, f"/v2/bot/user/{USER}/richmenu", method="GET").json() == {
        "richMenuId": menu_id}
    assert call(emu, "/v2/bot/richmenu/alias",
                {"richMenuAliasId": "main", "richMenuId": menu_id}).status_code == 200
    aliases = call(emu, "/v2/bot/richmenu/alias/list", method="GET").json()
    assert aliases == {"aliases": [{"richMenuAliasId": "main", "richMenuId": menu_id}]}
    listing = call(emu, "/v2/bot/richmenu/list", method="GET").json()
    assert validate("messaging-api", "RichMenuListResponse", listing) == []
    assert call(emu, f"/v2/bot/user/all/richmenu/{menu_id}").status_code == 200
    assert call(emu, f"/v2/bot/richmenu/{menu_id}", method="DELETE").status_code == 200
    assert emu.rich_menus.menu_for(USER) is None
    assert [r.path for r in emu.rejected] == ["/v2/bot/richmenu", link, content]
