"""Questions that are not rumours: FAQ answers, "which one did you mean?", and intent ambiguity, through the
webhook with the classifier, the FAQ matcher and the sample data (no mocks)."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from bot.devtools.line_emulator import LineEmulator
from tests import conversation
from tests.knowledge import seeded  # noqa: F401  (the fixture)

USER = "U" + "a3" * 16


def ask(app: Flask, line: LineEmulator, text: str) -> list[dict[str, Any]]:
    return conversation.ask(app, line, USER, text)


def labels(message: dict[str, Any]) -> list[str]:
    return [item["action"]["label"] for item in message["quickReply"]["items"]]


def test_a_faq_question_in_other_words_gets_its_answer(seeded: Flask, line: LineEmulator) -> None:
    (answer,) = ask(seeded, line, "แจ้งข่าวปลอมได้ที่ไหนคะ")
    assert "1111 กด 87" in answer["text"] and "antifakenewscenter.com" in answer["text"]


def test_a_typo_ridden_question_is_still_understood(seeded: Flask, line: LineEmulator) -> None:
    (answer,) = ask(seeded, line, "สมัครอาสาดิจิทัลยังงัย")
    assert "อสด" in answer["text"] or "อาสาสมัครดิจิทัล" in answer["text"]


def test_a_bare_abbreviation_asks_what_was_meant_and_a_pick_answers(seeded: Flask, line: LineEmulator) -> None:
    (question,) = ask(seeded, line, "อสด")
    assert question["text"] == "อยากให้ช่วยเรื่องไหนคะ เลือกได้เลยค่ะ"
    choices = labels(question)
    assert "ดูหลักสูตร" in choices and len(choices) >= 2
    faq_choice = next(item["action"]["text"] for item in question["quickReply"]["items"]
                      if item["action"]["label"] != "ดูหลักสูตร")
    (answer,) = ask(seeded, line, faq_choice)
    assert answer["type"] == "text" and answer["text"] != question["text"]


def test_a_greeting_is_greeted_not_checked(seeded: Flask, line: LineEmulator) -> None:
    (reply,) = ask(seeded, line, "สวัสดีค่ะ")
    assert reply["text"].startswith("สวัสดีค่ะ") and "ศูนย์ใกล้ฉัน" in labels(reply)


def test_menu_words_still_show_the_guide(seeded: Flask, line: LineEmulator) -> None:
    (guide,) = ask(seeded, line, "ช่วยเหลือ")
    assert guide["type"] == "flex"


@pytest.mark.parametrize("rumour", ["อรุณสวัสดิ์ค่ะ ดื่มน้ำอุ่นตอนเช้าฆ่าเชื้อไวรัสในลำคอได้",
                                    "สวัสดีค่ะ ออมสินปิดทุกสาขาพรุ่งนี้", "ฝันดีนะ มือถือชาร์จข้ามคืนระเบิด"])
def test_a_rumour_that_opens_with_a_greeting_is_still_checked(seeded: Flask, line: LineEmulator, rumour: str) -> None:
    (reply,) = ask(seeded, line, rumour)
    assert "ส่งให้เจ้าหน้าที่ตรวจสอบไหม" in reply["text"]  # no claim is loaded here: the tip offer


def test_a_greeting_with_thanks_is_only_greeted(seeded: Flask, line: LineEmulator) -> None:
    (reply,) = ask(seeded, line, "สวัสดีครับ ขอบคุณมากครับ")
    assert reply["text"].startswith("สวัสดีค่ะ")
