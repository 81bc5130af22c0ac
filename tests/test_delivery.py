"""Slow, failing and expiring LINE: the webhook still acks fast and every answer arrives exactly once."""
from __future__ import annotations

import time

from flask import Flask
from flask.testing import FlaskClient
from linebot.v3.messaging import ApiClient, Configuration, MulticastRequest, PushMessageRequest, ReplyMessageRequest

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import body_of, post, text_event, user_source
from bot.flex.course import build_catalogue_message
from bot.flex.messages import build_text_message, message_action
from bot.line.client import LineClient, LineSettings, OutgoingReply, retry_key
from data.models import Course, CourseFormat
from tests.conftest import CHANNEL_SECRET, CHANNEL_TOKEN, finish, make_app, services

USER = "U" + "2" * 32
REPLY_PATH = "/v2/bot/message/reply"


def ask_for_help(client: FlaskClient, line: LineEmulator) -> float:
    """Post one help request; return how long the webhook took to answer."""
    body = body_of(text_event(USER, "ช่วยเหลือ", line.issue_reply_token(user_source(USER))))
    started = time.perf_counter()
    response = post(client, body, CHANNEL_SECRET)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed


def test_slow_line_does_not_slow_the_ack_and_the_reply_arrives_once(client: FlaskClient, line: LineEmulator) -> None:
    line.fail_next(count=1, status=None, latency=10.0, path_prefix=REPLY_PATH)
    assert ask_for_help(client, line) < 2.0
    delivery = line.wait_for_deliveries(1, timeout=15, user_id=USER)[0]
    assert delivery.kind == "reply"
    time.sleep(10.5)  # let the hung first attempt finish: it finds its token spent
    assert len(line.delivered(USER)) == 1
    assert [r.errors for r in line.rejected] == [["Invalid reply token"]]
    line.reset()


def test_failing_line_is_retried_until_it_recovers(client: FlaskClient, line: LineEmulator) -> None:
    line.fail_next(count=4, status=500, path_prefix=REPLY_PATH)
    assert ask_for_help(client, line) < 2.0
    assert line.wait_for_deliveries(1, timeout=15, user_id=USER)[0].kind == "reply"
    statuses = [r.status for r in line.requests if r.path == REPLY_PATH]
    assert statuses == [500, 500, 500, 500, 200]


def test_expired_reply_token_falls_back_to_one_push(database_url: str, line: LineEmulator) -> None:
    """LINE fails until the token has expired (by the bot's clock and LINE's alike): one push, no reply."""
    line.reply_token_ttl = 0.3
    app = make_app(database_url, line.base_url, REPLY_TOKEN_TTL_SECONDS=0.3)
    try:
        line.fail_next(count=3, status=500, path_prefix=REPLY_PATH)
        assert ask_for_help(app.test_client(), line) < 2.0
        delivery = line.wait_for_deliveries(1, timeout=15, user_id=USER)[0]
        services(app).queue.drain(timeout=10)
        assert delivery.kind == "push" and delivery.retry_key
        assert len(line.delivered(USER)) == 1
    finally:
        finish(app)


def test_a_retried_push_never_delivers_twice(app: Flask, line: LineEmulator) -> None:
    reply = OutgoingReply(event_id="evt-push-1", chat_id=USER, reply_token=None,
                          event_timestamp_ms=int(time.time() * 1000),
                          messages=[{"type": "text", "text": "ทดสอบ"}])
    client = services(app).line
    assert client.deliver(reply) == "push"
    assert client.deliver(reply) == "push"  # a job retry after LINE had already accepted it
    assert len(line.delivered(USER)) == 1
    assert [r.status for r in line.requests] == [200, 409]


def test_multicast_is_split_into_batches_of_500_with_stable_keys(app: Flask, line: LineEmulator) -> None:
    users = [f"U{index:032x}" for index in range(1201)]
    client = services(app).line
    client.multicast(users, [{"type": "text", "text": "ผลตรวจออกแล้วค่ะ"}], key=retry_key("case", "45"))
    assert [len(r.body["to"]) for r in line.requests] == [500, 500, 201]
    assert len({r.headers["x-line-retry-key"] for r in line.requests}) == 3
    client.multicast(users, [{"type": "text", "text": "ผลตรวจออกแล้วค่ะ"}], key=retry_key("case", "45"))
    assert len(line.delivered()) == 1201
    assert [r.status for r in line.requests[3:]] == [409, 409, 409]


def test_unknown_profile_is_none(app: Flask, line: LineEmulator) -> None:
    assert services(app).line.get_profile(USER) is None
    line.set_profile(USER, "ทดสอบ")
    assert services(app).line.get_profile(USER)["displayName"] == "ทดสอบ"


def test_messages_reach_line_as_the_sdk_request_models_would_send_them(line: LineEmulator) -> None:
    """Replies, pushes and multicasts leave as the JSON our builders made, not through the SDK's request models
    (issue 11: those cost up to 9 ms of CPU per carousel), yet LINE receives what the models would have sent."""
    client = LineClient(LineSettings(access_token=CHANNEL_TOKEN, api_base_url=line.base_url,
                                     data_api_base_url=line.base_url, timeout_seconds=5.0, attempts=1,
                                     backoff_seconds=0.0, reply_token_ttl_seconds=50.0))
    course = Course(code="thaimooc-digital-volunteer", title="อาสาสมัครดิจิทัล (อสด.)", provider="Thai MOOC",
                    description="เรียนรู้บทบาทของอาสาสมัครดิจิทัล", format=CourseFormat.ONLINE, hours=9.0,
                    url="https://thaimooc.org", audience="ผู้ที่อยากเป็นอาสาสมัครดิจิทัล", topics=[])
    messages = [build_text_message("สวัสดีค่ะ 😊", [message_action("ช่วยเหลือ")]), build_catalogue_message([course])]
    token = line.issue_reply_token(user_source(USER))
    client.reply(token, messages)
    client.push(USER, messages, retry_key("push"))
    client.multicast([USER], messages, "multicast")
    sdk = ApiClient(Configuration(access_token=CHANNEL_TOKEN))
    expected = [sdk.sanitize_for_serialization(ReplyMessageRequest.from_dict({"replyToken": token,
                                                                              "messages": messages})),
                sdk.sanitize_for_serialization(PushMessageRequest.from_dict({"to": USER, "messages": messages})),
                sdk.sanitize_for_serialization(MulticastRequest.from_dict({"to": [USER], "messages": messages}))]
    sent = [r for r in line.requests if r.path.startswith("/v2/bot/message/")]
    assert [r.status for r in sent] == [200, 200, 200]
    assert [r.body for r in sent] == expected
    assert [r.headers.get("x-line-retry-key") for r in sent] == [None, retry_key("push"), retry_key("multicast", "0")]
