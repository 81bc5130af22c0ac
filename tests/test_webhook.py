"""`POST /callback` end to end: signature, parsing, dedupe, replies through the emulator."""
from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import base_event, body_of, follow_event, message_event, post, sign, text_event, user_source
from bot.line.dedupe import RETENTION
from data.models import ProcessedEvent, User, utcnow
from tests.conftest import CHANNEL_SECRET, services
from workers.housekeeping import is_housekeeping_due, purge_processed_events

USER = "U" + "1" * 32


def count(app: Flask, model: type) -> int:
    with services(app).db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_connectivity_check_is_accepted(client: FlaskClient) -> None:
    body = json.dumps({"destination": "U" + "0" * 32, "events": []}).encode()
    response = post(client, body, CHANNEL_SECRET)
    assert response.status_code == 200


@pytest.mark.parametrize("case", ["missing", "wrong", "other secret", "body changed"])
def test_bad_signature_is_rejected_and_nothing_happens(case: str, app: Flask, client: FlaskClient,
                                                       line: LineEmulator) -> None:
    body = body_of(text_event(USER, "ช่วยเหลือ", line.issue_reply_token(user_source(USER))))
    headers = {"missing": {}, "wrong": {"X-Line-Signature": "bm90IGEgc2lnbmF0dXJl"},
               "other secret": {"X-Line-Signature": sign(body, "another-channel-secret")},
               "body changed": {"X-Line-Signature": sign(body, CHANNEL_SECRET)}}[case]
    sent = body.replace("ช่วยเหลือ".encode(), b"help") if case == "body changed" else body
    response = client.post("/callback", data=sent, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response.json and "signature" in response.json["error"].lower()
    assert count(app, User) == 0 and count(app, ProcessedEvent) == 0
    time.sleep(0.2)
    assert line.requests == []


def test_signature_header_name_is_case_insensitive(client: FlaskClient, line: LineEmulator) -> None:
    body = body_of(text_event(USER, "ช่วยเหลือ", line.issue_reply_token(user_source(USER))))
    response = post(client, body, CHANNEL_SECRET, header="x-line-signature")
    assert response.status_code == 200
    assert line.wait_for_deliveries(1, user_id=USER)[0].messages[0]["type"] == "flex"


@pytest.mark.parametrize("raw, reason", [
    (b"{not json", "not UTF-8 JSON"), (b"[]", "'events' list"), (b'{"destination": "U0"}', "'events' list"),
    (b'{"events": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested deeper than 32"),
    (b'{"events": ' + b"[" * 40 + b"]" * 40 + b"}", "nested deeper than 32"),
    (b'{"events": [{"type": "message", "source": {"type": "user", "userId": "U\\ud800"}}]}', "lone surrogate"),
])
def test_malformed_json_is_a_400_with_a_reason(raw: bytes, reason: str, client: FlaskClient) -> None:
    response = post(client, raw, CHANNEL_SECRET)
    assert response.status_code == 400
    assert reason in response.json["error"]


@pytest.mark.parametrize("source", [user_source(USER), {"type": "group", "groupId": "C" + "1" * 32, "userId": USER}])
def test_a_text_longer_than_line_allows_is_not_read(source: dict, app: Flask, client: FlaskClient,
                                                    line: LineEmulator) -> None:
    body = body_of(text_event(USER, "ด่วน!! แชร์ต่อ " * 20_000, line.issue_reply_token(source), source))
    started = time.perf_counter()
    assert post(client, body, CHANNEL_SECRET).status_code == 200
    # an 850 KB text took 15 s when the matcher read it; the bound only tells that apart from not reading it
    # (1 s failed once on the shared 2-core machine, at 1.6 s, while the whole suite ran)
    assert time.perf_counter() - started < 5.0
    services(app).queue.drain(timeout=10)
    if source["type"] == "user":
        assert "ยาวเกิน 5,000 ตัวอักษร" in line.delivered(USER)[0].messages[0]["text"]
    else:
        assert line.delivered() == []  # in a group the bot speaks only when spoken to


def test_body_over_one_megabyte_is_413(client: FlaskClient) -> None:
    raw = b'{"events": [], "padding": "' + b"x" * (1024 * 1024) + b'"}'
    response = post(client, raw, CHANNEL_SECRET)
    assert response.status_code == 413
    assert "1 MB" in response.json["error"]


def test_follow_welcomes_and_fetches_the_profile_lazily(app: Flask, client: FlaskClient,
                                                        line: LineEmulator) -> None:
    line.set_profile(USER, "สมศรี", language="th")
    response = post(client, body_of(follow_event(USER, line.issue_reply_token(user_source(USER)))), CHANNEL_SECRET)
    assert response.status_code == 200
    delivery = line.wait_for_deliveries(1, user_id=USER)[0]
    assert delivery.kind == "reply"
    texts = json.dumps(delivery.messages, ensure_ascii=False)
    assert "ยินดีต้อนรับ" in texts and "ข้อมูลของคุณ" in texts and "quickReply" in texts
    services(app).queue.drain(timeout=10)
    with services(app).db.session() as session:
        user = session.scalars(select(User)).one()
        assert (user.display_name, user.language, user.is_active) == ("สมศรี", "th", True)
        assert user.privacy_notice_at is not None


def test_unfollow_marks_the_user_inactive(app: Flask, client: FlaskClient, line: LineEmulator) -> None:
    post(client, body_of(follow_event(USER, line.issue_reply_token(user_source(USER)))), CHANNEL_SECRET)
    post(client, body_of(base_event("unfollow", user_source(USER))), CHANNEL_SECRET)
    with services(app).db.session() as session:
        assert session.scalars(select(User.is_active)).one() is False


@pytest.mark.parametrize("word", ["ช่วยเหลือ", "help", "เมนู", " HELP "])
def test_help_words_show_the_guide(word: str, client: FlaskClient, line: LineEmulator) -> None:
    post(client, body_of(text_event(USER, word, line.issue_reply_token(user_source(USER)))), CHANNEL_SECRET)
    message = line.wait_for_deliveries(1, user_id=USER)[0].messages[0]
    assert message["type"] == "flex" and "ทำอะไรได้บ้าง" in message["altText"]


@pytest.mark.parametrize("message, expected", [
    ({"type": "sticker", "packageId": "446", "stickerId": "1988", "stickerResourceType": "STATIC",
      "quoteToken": "q-sticker"}, "สติกเกอร์"),
    ({"type": "video", "duration": 6000, "contentProvider": {"type": "line"}, "quoteToken": "q-video"}, "วิดีโอ"),
    ({"type": "audio", "duration": 6000, "contentProvider": {"type": "line"}}, "เสียง"),
    ({"type": "file", "fileName": "ข่าว.pdf", "fileSize": 2048}, "ไฟล์"),
])
def test_stickers_and_media_get_a_polite_thai_reply(message: dict, expected: str, client: FlaskClient,
                                                     line: LineEmulator) -> None:
    event = message_event(USER, message, line.issue_reply_token(user_source(USER)))
    assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200
    reply = line.wait_for_deliveries(1, user_id=USER)[0].messages[0]
    assert reply["type"] == "text" and expected in reply["text"]


def test_the_same_event_twice_is_handled_once(app: Flask, client: FlaskClient, line: LineEmulator) -> None:
    event = text_event(USER, "ช่วยเหลือ", line.issue_reply_token(user_source(USER)))
    assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}}
    assert post(client, body_of(redelivered), CHANNEL_SECRET).status_code == 200
    line.wait_for_deliveries(1, user_id=USER)
    services(app).queue.drain(timeout=10)
    assert len(line.delivered(USER)) == 1
    assert count(app, ProcessedEvent) == 1


def test_old_processed_event_ids_are_purged(app: Flask, client: FlaskClient, line: LineEmulator) -> None:
    with services(app).db.session() as session:
        session.add(ProcessedEvent(webhook_event_id="old", event_type="message",
                                   received_at=utcnow() - RETENTION - timedelta(minutes=1)))
        session.add(ProcessedEvent(webhook_event_id="recent", event_type="message", received_at=utcnow()))
    due = next(f"01PURGE{index:019d}" for index in range(100_000) if is_housekeeping_due(f"01PURGE{index:019d}"))
    event = {**text_event(USER, "ช่วยเหลือ", line.issue_reply_token(user_source(USER))), "webhookEventId": due}
    assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200
    services(app).queue.drain(timeout=10)
    with services(app).db.session() as session:
        assert set(session.scalars(select(ProcessedEvent.webhook_event_id))) == {"recent", due}
    with app.app_context():
        assert purge_processed_events() == 0
