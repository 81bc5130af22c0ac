"""Quiet group mode through the webhook and the emulator: silent on chatter, a quoted card on a known fake,
commands by mention, and nothing about group members kept."""
from __future__ import annotations

import itertools
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bot.devtools.line_emulator import Delivery, LineEmulator
from bot.devtools.webhooks import base_event, body_of, post
from bot.runtime.services import current_services
from data.group_checks import GROUP_CHECK_RETENTION
from data.models import GroupCheck, ProcessedEvent, Tip, User, utcnow
from handlers.group import GROUP_HELP, HOW_TO_CHECK, INTRODUCTION, NO_RESULT, NOT_SURE, content_word_count
from nlp.match import MatchStatus
from tests.conftest import CHANNEL_SECRET, services
from tests.conversation import drain
from tests.test_check import PICKED, write_claims
from workers.housekeeping import is_housekeeping_due

GROUP = "C" + "a" * 32
ROOM = "R" + "b" * 32
MEMBER = "U" + "4" * 32
BOT_NAME = "@ช่วยเช็ก"
FAKE = ("ด่วน!! ส่งต่อให้คนที่คุณรัก 🙏\nออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 7 ปี "
        "ลงทะเบียนด่วนก่อนสิทธิ์เต็ม")
FAKE_CLAIM = "afnc-2170bbe3c3"
TRUE_NEWS = "การรถไฟฯ กำหนดน้ำหนักสัมภาระที่นำติดตัวขึ้นรถไฟแล้วนะ ใครจะกลับบ้านช่วงหยุดยาวเตรียมกระเป๋าให้พอดีด้วย"
TRUE_CLAIM = "afnc-51c9fdbc41"
SHORT_FAKE = "มะระขี้นกรักษาเบาหวาน 🙄"
SHORT_CLAIM = "afnc-b313779e9c"
CLOSE_TO_FAKE = "ออมสินปล่อยสินเชื่อ"
"""Close to FAKE_CLAIM, not surely the same (too few words to name one product): the matcher suggests it."""
CHATTER = ("สวัสดีวันจันทร์ค่ะ ขอให้มีความสุขตลอดวันนะคะ 🌼", "เย็นนี้หมูกระทะกันไหม",
           "โอนค่าข้าวให้แล้วนะ เช็กด้วยจ้า", "พาลูกไปฉีดวัคซีนไข้หวัดใหญ่มาแล้ว ร้องไห้นิดเดียวเอง")
_message_ids = itertools.count(700_000_000_000_000_001)


def group_source(chat: str = GROUP) -> dict[str, Any]:
    key = "roomId" if chat.startswith("R") else "groupId"
    return {"type": key[:-2], key: chat, "userId": MEMBER}


def say(client: FlaskClient, line: LineEmulator, text: str, *, chat: str = GROUP, mention: bool = False,
        quoting: str | None = None) -> str:
    """A member's text message in the chat, as LINE sends it; returns its message id."""
    message_id = str(next(_message_ids))
    message: dict[str, Any] = {"id": message_id, "type": "text", "text": text, "quoteToken": f"quote-{message_id}"}
    if mention:
        message["mention"] = {"mentionees": [{"index": 0, "length": len(BOT_NAME), "type": "user", "isSelf": True}]}
    if quoting:
        message["quotedMessageId"] = quoting
    source = group_source(chat)
    event = base_event("message", source, replyToken=line.issue_reply_token(source), message=message)
    assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200
    return message_id


def command(client: FlaskClient, line: LineEmulator, words: str, *, chat: str = GROUP,
            quoting: str | None = None) -> str:
    return say(client, line, f"{BOT_NAME} {words}", chat=chat, mention=True, quoting=quoting)


def answer(app: Flask, line: LineEmulator, chat: str = GROUP) -> Delivery:
    """The one reply the bot sent to the chat."""
    drain(app)
    deliveries = line.delivered(chat)
    assert len(deliveries) == 1, deliveries
    assert deliveries[0].kind == "reply"
    return deliveries[0]


def silent(app: Flask, line: LineEmulator) -> bool:
    """The bot made no request to LINE at all: no reply, no push, no profile fetch."""
    drain(app)
    return line.requests == []


def count(app: Flask, model: type) -> int:
    with services(app).db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def check_of(app: Flask, message_id: str) -> tuple[str, str] | None:
    with services(app).db.session() as session:
        row = session.get(GroupCheck, message_id)
        return (row.claim_id, row.band) if row else None


def match_of(app: Flask, text: str) -> tuple[MatchStatus, str | None]:
    with app.app_context(), current_services().db.session() as session:
        match = current_services().checker.check(session, text)
        return match.status, match.claim_id


@pytest.fixture()
def seeded(app: Flask, tmp_path: Path) -> Flask:
    claims = write_claims(tmp_path / "c.csv", PICKED + (SHORT_CLAIM,))
    result = app.test_cli_runner().invoke(args=["claims", "import", str(claims)])
    assert result.exit_code == 0, result.output
    return app


def assert_card(delivery: Delivery, quote_token: str, verdict_label: str) -> None:
    """A short text quoting the member's message, then the compact card for the claim."""
    lead, card = delivery.messages
    assert lead["type"] == "text" and lead["quoteToken"] == quote_token
    assert card["type"] == "flex" and "quoteToken" not in card
    body = json.dumps(card["contents"], ensure_ascii=False)
    assert verdict_label in body and "ศูนย์ต่อต้านข่าวปลอม" in body
    buttons = [node for node in card["contents"]["footer"]["contents"] if node["type"] == "button"]
    assert [button["action"]["type"] for button in buttons] == ["uri"]
    assert buttons[0]["action"]["label"] == "อ่านเพิ่มเติม"
    assert buttons[0]["action"]["uri"].startswith("https://www.antifakenewscenter.com/")


@pytest.mark.parametrize("chat", [GROUP, ROOM])
def test_joining_a_chat_introduces_the_bot(app: Flask, client: FlaskClient, line: LineEmulator, chat: str) -> None:
    source = {k: v for k, v in group_source(chat).items() if k != "userId"}
    event = base_event("join", source, replyToken=line.issue_reply_token(source))
    assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200
    message = answer(app, line, chat).messages[0]
    assert message == {"type": "text", "text": INTRODUCTION}
    assert "เลือกช่วยเช็กจากรายชื่อ ตามด้วยคำว่า ตรวจ" in message["text"] and "ไม่เก็บเนื้อหาแชต" in message["text"]


def test_ordinary_chatter_gets_silence_and_leaves_no_trace(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    for text in CHATTER:
        say(client, line, text)
    assert silent(seeded, line)
    assert count(seeded, ProcessedEvent) == len(CHATTER)  # handled, not dropped
    assert count(seeded, User) == 0 and count(seeded, GroupCheck) == 0 and count(seeded, Tip) == 0


@pytest.mark.parametrize("chat", [GROUP, ROOM])
def test_a_known_fake_gets_a_quoted_compact_verdict(seeded: Flask, line: LineEmulator, chat: str) -> None:
    message_id = say(seeded.test_client(), line, FAKE, chat=chat)
    assert_card(answer(seeded, line, chat), f"quote-{message_id}", "ข่าวปลอม")
    assert check_of(seeded, message_id) == (FAKE_CLAIM, "match")
    # Nothing about the member, and nothing for coordinators: no user, no profile fetch, no tip.
    assert count(seeded, User) == 0 and count(seeded, Tip) == 0
    assert [request.path for request in line.requests] == ["/v2/bot/message/reply"]


def test_a_true_claim_gets_silence(seeded: Flask, line: LineEmulator) -> None:
    assert match_of(seeded, TRUE_NEWS) == (MatchStatus.MATCH, TRUE_CLAIM)
    message_id = say(seeded.test_client(), line, TRUE_NEWS)
    assert silent(seeded, line)
    assert check_of(seeded, message_id) == (TRUE_CLAIM, "match")  # kept for "ตรวจ", never announced


def test_a_short_message_gets_silence_even_when_it_matches_a_fake(seeded: Flask, line: LineEmulator) -> None:
    assert match_of(seeded, SHORT_FAKE) == (MatchStatus.MATCH, SHORT_CLAIM)
    assert content_word_count(SHORT_FAKE) < 5
    say(seeded.test_client(), line, SHORT_FAKE)
    assert silent(seeded, line)


@pytest.mark.parametrize("words", ["ช่วยเหลือ", "help", "วิธีใช้", "สวัสดีค่ะ"])
def test_a_mention_without_a_check_gets_the_group_help(app: Flask, line: LineEmulator, words: str) -> None:
    command(app.test_client(), line, words)
    assert answer(app, line).messages == [{"type": "text", "text": GROUP_HELP}]
    assert count(app, User) == 0


def test_the_same_words_without_a_mention_get_silence(app: Flask, line: LineEmulator) -> None:
    say(app.test_client(), line, "ช่วยเหลือ")
    assert silent(app, line)


def test_check_quoting_a_matched_message_answers_with_its_card(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    fake_id = say(client, line, FAKE)
    drain(seeded)
    line.reset()
    asked = command(client, line, "ตรวจ", quoting=fake_id)
    assert_card(answer(seeded, line), f"quote-{asked}", "ข่าวปลอม")


def test_check_quoting_a_true_claim_shows_it_is_true(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    true_id = say(client, line, TRUE_NEWS)
    asked = command(client, line, "ตรวจให้หน่อยค่ะ", quoting=true_id)
    assert_card(answer(seeded, line), f"quote-{asked}", "ข่าวจริง")


def test_check_quoting_a_close_but_unsure_message_shows_no_verdict(seeded: Flask, line: LineEmulator) -> None:
    assert match_of(seeded, CLOSE_TO_FAKE)[0] is MatchStatus.SUGGEST
    client = seeded.test_client()
    close_id = say(client, line, CLOSE_TO_FAKE)
    asked = command(client, line, "ตรวจ", quoting=close_id)
    delivery = answer(seeded, line)
    assert [message["type"] for message in delivery.messages] == ["text"]  # no card, so no verdict to misread
    assert delivery.messages[0] == {"type": "text", "text": NOT_SURE, "quoteToken": f"quote-{asked}"}
    assert check_of(seeded, close_id) == (FAKE_CLAIM, "suggest")


def test_check_quoting_an_unmatched_message_suggests_forwarding_it(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    chatter_id = say(client, line, CHATTER[1])
    asked = command(client, line, "ตรวจ", quoting=chatter_id)
    assert answer(seeded, line).messages == [{"type": "text", "text": NO_RESULT, "quoteToken": f"quote-{asked}"}]
    assert "แชตส่วนตัว" in NO_RESULT


def test_check_quoting_a_message_checked_too_long_ago_has_no_result(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    fake_id = say(client, line, FAKE)
    drain(seeded)
    line.reset()
    with services(seeded).db.session() as session:
        session.get(GroupCheck, fake_id).checked_at = utcnow() - GROUP_CHECK_RETENTION - timedelta(minutes=1)
    command(client, line, "ตรวจ", quoting=fake_id)
    assert answer(seeded, line).messages[0]["text"] == NO_RESULT


def test_check_without_quoting_explains_how(app: Flask, line: LineEmulator) -> None:
    command(app.test_client(), line, "ตรวจ", chat=ROOM)
    assert answer(app, line, ROOM).messages == [{"type": "text", "text": HOW_TO_CHECK}]


def test_housekeeping_forgets_old_group_checks(seeded: Flask, line: LineEmulator) -> None:
    client = seeded.test_client()
    old_id, recent_id = say(client, line, FAKE), say(client, line, FAKE + " แชร์ด่วน")
    drain(seeded)
    with services(seeded).db.session() as session:
        session.get(GroupCheck, old_id).checked_at = utcnow() - GROUP_CHECK_RETENTION - timedelta(minutes=1)
    due = next(f"01GROUP{index:019d}" for index in range(100_000) if is_housekeeping_due(f"01GROUP{index:019d}"))
    source = group_source()
    event = {**base_event("message", source, replyToken=line.issue_reply_token(source),
                          message={"id": "1", "type": "sticker", "packageId": "1", "stickerId": "1",
                                   "stickerResourceType": "STATIC", "quoteToken": "q"}), "webhookEventId": due}
    assert post(client, body_of(event), CHANNEL_SECRET).status_code == 200
    drain(seeded)
    with services(seeded).db.session() as session:
        assert list(session.scalars(select(GroupCheck.message_id))) == [recent_id]
