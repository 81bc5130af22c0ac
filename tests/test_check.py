"""Fact-checking through the app: the public API, the webhook and the live claim index."""
from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.devtools.line_emulator import LineEmulator
from bot.devtools.webhooks import base_event, body_of, post, text_event, user_source
from bot.line import postback
from bot.runtime.services import current_services
from data import migrate
from data.models import VerdictFeedback
from tests.conftest import CHANNEL_SECRET, finish, make_app, services

SEED = Path(__file__).resolve().parent.parent / "data" / "afnc_claims.csv"
PICKED = ("afnc-2170bbe3c3", "afnc-c47a40ffd7", "afnc-0cb6339d4b", "afnc-1fbcbb635d", "afnc-51c9fdbc41",
          "afnc-7263099080", "afnc-f82f9ff45a")
"""A few real claims, three of them about one bank, so near misses exist."""
NEW_CLAIM = "afnc-9f4540ba80"
USER = "U" + "3" * 32
FORWARDED = "ด่วน!! ส่งต่อให้คนที่คุณรัก 🙏\nออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 7 ปี"


def write_claims(path: Path, ids: tuple[str, ...]) -> Path:
    with SEED.open(encoding="utf-8-sig", newline="") as source, path.open("w", encoding="utf-8", newline="") as out:
        reader = csv.DictReader(source)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        writer.writerows(row for row in reader if row["id"] in ids)
    return path


@pytest.fixture()
def seeded(app: Flask, tmp_path: Path) -> Flask:
    result = app.test_cli_runner().invoke(args=["claims", "import", str(write_claims(tmp_path / "c.csv", PICKED))])
    assert result.exit_code == 0, result.output
    return app


def check(client: FlaskClient, text: str) -> dict:
    response = client.post("/api/v1/check", json={"text": text})
    assert response.status_code == 200, response.json
    return response.json


def test_the_api_answers_a_forwarded_message_with_the_verdict(seeded: Flask) -> None:
    body = check(seeded.test_client(), FORWARDED)
    assert body["status"] == "match" and body["claim"]["id"] == "afnc-2170bbe3c3"
    assert body["claim"]["verdict"] == "fake" and body["claim"]["url"].startswith("https://")
    assert 1 <= len(body["candidates"]) <= 3 and body["candidates"][0]["id"] == "afnc-2170bbe3c3"


def test_the_api_has_no_claim_unless_it_is_a_match(seeded: Flask) -> None:
    body = check(seeded.test_client(), "สวัสดีค่ะ วันนี้อากาศดีจัง")
    assert body["status"] in ("none", "suggest") and body["claim"] is None


@pytest.mark.parametrize("payload, status", [
    (b"{not json", 400), (b'"just a string"', 400), (b"{}", 400), (b'{"text": 5}', 400), (b'{"text": "  "}', 400),
    (json.dumps({"text": "ก" * 5001}).encode(), 413),
    (b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 400), (b'{"text": "\\ud800"}', 400),
    (b'{"text": "a\\u0000b"}', 400), (b'{"text": "\xed\xa0\x80"}', 400), (b"x" * (1024 * 1024 + 1), 413),
])
def test_bad_check_requests_get_a_json_reason(seeded: Flask, payload: bytes, status: int) -> None:
    response = seeded.test_client().post("/api/v1/check", data=payload, content_type="application/json")
    assert response.status_code == status and response.json["error"]


def test_a_claim_can_be_fetched_by_id(seeded: Flask) -> None:
    client = seeded.test_client()
    assert client.get("/api/v1/claims/afnc-51c9fdbc41").json["verdict"] == "true"
    assert client.get("/api/v1/claims/afnc-0000000000").status_code == 404


def test_a_claim_imported_while_running_is_matched_by_the_next_request(seeded: Flask, tmp_path: Path) -> None:
    client = seeded.test_client()
    with SEED.open(encoding="utf-8-sig") as handle:
        new_text = next(row["claim"] for row in csv.DictReader(handle) if row["id"] == NEW_CLAIM)
    assert check(client, new_text)["status"] != "match"
    result = seeded.test_cli_runner().invoke(args=["claims", "import", str(write_claims(tmp_path / "n.csv", (NEW_CLAIM,)))])
    assert "inserted 1" in result.output, result.output
    body = check(client, new_text)
    assert body["status"] == "match" and body["claim"]["id"] == NEW_CLAIM, body


def test_a_repeated_message_is_served_from_the_cache(seeded: Flask) -> None:
    with seeded.app_context():
        checker, database = current_services().checker, current_services().db
        with database.session() as session:
            assert checker.check(session, FORWARDED) is checker.check(session, FORWARDED + "  ")


def test_a_forwarded_message_gets_the_verdict_bubble(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    post(client, body_of(text_event(USER, FORWARDED, line.issue_reply_token(user_source(USER)))), CHANNEL_SECRET)
    message = line.wait_for_deliveries(1, user_id=USER)[0].messages[0]
    assert message["type"] == "flex" and message["altText"].startswith("ผลตรวจสอบ: ข่าวปลอม")
    assert message["contents"]["header"]["contents"][0]["text"] == "ข่าวปลอม"
    assert "ศูนย์ต่อต้านข่าวปลอม" in json.dumps(message, ensure_ascii=False)
    labels = [item["action"]["label"] for item in message["quickReply"]["items"]]
    assert labels == ["ไม่ใช่เรื่องนี้", "ตรวจข่าวอื่น"]


def test_an_unrelated_message_gets_no_verdict(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    post(client, body_of(text_event(USER, "สวัสดีค่ะ", line.issue_reply_token(user_source(USER)))), CHANNEL_SECRET)
    message = line.wait_for_deliveries(1, user_id=USER)[0].messages[0]
    assert message["type"] == "text" and "ข่าวปลอม" not in message["text"][:20]


def test_picking_a_candidate_shows_its_verdict_and_feedback_is_stored(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    for data in (postback.encode("pick", c="afnc-51c9fdbc41"), postback.encode("fb", c="afnc-51c9fdbc41", v=1)):
        event = base_event("postback", user_source(USER), replyToken=line.issue_reply_token(user_source(USER)),
                           postback={"data": data})
        assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200
    first, second = line.wait_for_deliveries(2, user_id=USER)
    assert first.messages[0]["altText"].startswith("ผลตรวจสอบ: ข่าวจริง")
    assert "ขอบคุณ" in second.messages[0]["text"]
    with services(seeded).db.session() as session:
        feedback = session.scalars(select(VerdictFeedback)).one()
        assert (feedback.claim_id, feedback.helpful) == ("afnc-51c9fdbc41", True)


def test_a_web_process_builds_its_index_at_start(database_url: str, line: LineEmulator,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="data.checker")
    migrate.upgrade(database_url)  # as the release step does before web processes start
    app = make_app(database_url, line.base_url, WARM_UP=1)
    try:
        deadline = time.monotonic() + 30
        while "claim index built" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "claim index built" in caplog.text  # before any request asked for it
    finally:
        finish(app)
