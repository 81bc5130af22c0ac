"""The emulator's control API, which a second `flask chat` attaches through (not part of LINE's API)."""
from __future__ import annotations

import uuid
from typing import Any

import requests

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.line_emulator.schema import path_exists
from bot.devtools.line_emulator.server import CONTROL_PREFIX
from tests.test_line_emulator import USER, call, emu, reply, server, text  # noqa: F401  (emu, server: fixtures)


# -- the control API `flask chat` attaches through ---------------------------------------
def control(emu: LineEmulator, method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, emu.base_url + CONTROL_PREFIX + path, timeout=10, **kwargs)


def test_control_issues_reply_tokens_without_the_channel_token(emu: LineEmulator) -> None:
    issued = control(emu, "POST", "reply-tokens", json={"source": {"type": "user", "userId": USER}})
    assert issued.status_code == 200, issued.text
    used = call(emu, "/v2/bot/message/reply", {"replyToken": issued.json()["replyToken"],
                                               "messages": [text()]})
    assert used.status_code == 200, used.text
    for bad in ({"source": {"type": "user"}}, {"source": "U1"}, {}):
        assert control(emu, "POST", "reply-tokens", json=bad).status_code == 400, bad
    assert [r.path for r in emu.requests] == ["/v2/bot/message/reply"]  # control calls are not the bot's


def test_control_issues_several_reply_tokens_in_one_call(emu: LineEmulator) -> None:
    """A load generator's webhook of five events needs five tokens; one call issues them."""
    issued = control(emu, "POST", "reply-tokens", json={"source": {"type": "user", "userId": USER}, "count": 3})
    tokens = issued.json()["replyTokens"]
    assert issued.status_code == 200 and len(set(tokens)) == 3
    for token in tokens:
        assert call(emu, "/v2/bot/message/reply", {"replyToken": token, "messages": [text()]}).status_code == 200
    for count in (0, 101, "2", True, 1.5):
        bad = control(emu, "POST", "reply-tokens", json={"source": {"type": "user", "userId": USER}, "count": count})
        assert bad.status_code == 400, count


def test_control_lists_one_recipients_deliveries_from_an_index(emu: LineEmulator) -> None:
    other = "U" + "1" * 32
    key = str(uuid.uuid4())
    reply(emu, [text("one")])
    call(emu, "/v2/bot/message/push", {"to": USER, "messages": [text("two")]},
         **{"X-Line-Retry-Key": key})
    call(emu, "/v2/bot/message/multicast", {"to": [other, USER], "messages": [text("three")]})
    found = control(emu, "GET", "deliveries", params={"to": USER, "after": 1}).json()["deliveries"]
    assert [(d["kind"], d["to"], d["messages"], d["retryKey"]) for d in found] == [
        ("push", USER, [text("two")], key), ("multicast", USER, [text("three")], None)]
    assert [d["requestId"] for d in found] == [d.request_id for d in emu.delivered(USER)[1:]]
    assert len(control(emu, "GET", "deliveries").json()["deliveries"]) == 4
    for after in ("x", "-1"):
        assert control(emu, "GET", "deliveries", params={"after": after}).status_code == 400


def test_control_sets_profiles_and_lists_rejected_requests(emu: LineEmulator) -> None:
    assert control(emu, "PUT", f"profiles/{USER}", json={"displayName": "สมชาย"}).status_code == 200
    profile = call(emu, f"/v2/bot/profile/{USER}", method="GET").json()
    assert profile == {"userId": USER, "displayName": "สมชาย"}
    assert control(emu, "PUT", f"profiles/{USER}", json={"displayName": ""}).status_code == 400
    call(emu, "/v2/bot/message/push", {"to": USER, "messages": [text()]}, token="wrong")
    call(emu, "/v2/bot/message/send", {"to": USER})
    rejected = control(emu, "GET", "rejected", params={"after": 1}).json()["rejected"]
    assert rejected == [{"method": "POST", "path": "/v2/bot/message/send", "status": 404,
                         "errors": ["POST /v2/bot/message/send: Not Found"]}]


def test_control_uploads_what_the_content_endpoint_serves(emu: LineEmulator) -> None:
    uploaded = control(emu, "PUT", "contents/600000000000000042", data=b"\x89PNG\r\n\x1a\n...",
                       headers={"Content-Type": "image/png"})
    assert uploaded.status_code == 200, uploaded.text
    served = call(emu, "/v2/bot/message/600000000000000042/content", method="GET")
    assert (served.status_code, served.headers["Content-Type"], served.content) == (200, "image/png",
                                                                                      b"\x89PNG\r\n\x1a\n...")
    assert control(emu, "PUT", "contents/600000000000000043", data=b"").status_code == 400


def test_control_stays_off_lines_paths(emu: LineEmulator) -> None:
    assert not path_exists(CONTROL_PREFIX + "deliveries")
    assert control(emu, "GET", "replies").status_code == 404
    assert control(emu, "DELETE", "deliveries").status_code == 405
    assert emu.requests == []
