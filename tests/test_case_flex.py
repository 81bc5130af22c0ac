"""Coordinators' Flex messages: valid for LINE, short, and every button a signed postback naming its case."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.flex.case import (
    MAX_CHOICES,
    MERGE_INTO_LABEL,
    MERGE_LABEL,
    SAME_STORY_LABEL,
    SEND_TO_LABEL,
    SPLIT_LABEL,
    SPLIT_THIS_LABEL,
    CaseCard,
    build_agency_choices_message,
    build_case_message,
    build_case_queue_message,
    build_merge_targets_message,
    build_similar_cases_message,
    build_split_choices_message,
)
from bot.line import postback
from data.cases import RoutedBy
from data.models import Case, CaseDetail
from tests.flex_schema import actions, message_problems, texts, walk
from workers.coordination import case_card

KEY = b"k" * 32
SEEN = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
LONG_TEXT = "ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์ " * 20


def card(case_id: int, text: str = LONG_TEXT, requesters: int = 2) -> CaseCard:
    return CaseCard(id=case_id, text=text, requester_count=requesters, first_seen=SEEN, last_seen=SEEN,
                    category="การเงิน-หุ้น", routed_by="keywords")


def signed_buttons(message: dict) -> list[tuple[str, dict[str, str]]]:
    found = []
    for node in walk(message):
        if node.get("type") == "button":
            action, params, signed = postback.decode(node["action"]["data"], key=KEY)
            assert signed, node["action"]["label"]
            found.append((action, params))
    return found


def test_a_case_card_is_valid_and_every_button_is_signed() -> None:
    message = build_case_message(card(7), KEY)
    assert message_problems(message) == []
    assert {params["c"] for _action, params in signed_buttons(message)} == {"7"}
    assert actions(message)[MERGE_LABEL]["data"].startswith("a=cg&c=7&")
    assert actions(message)[SPLIT_LABEL]["data"].startswith("a=cw&c=7&")


def test_a_case_card_shows_what_requesters_sent_when_asked_for_more() -> None:
    details = ("ได้มาจากกลุ่มไลน์หมู่บ้าน " * 40, "(รูปภาพ)")
    message = build_case_message(replace(card(7), details=details), KEY)
    assert message_problems(message) == []
    rows = [text for text in texts(message) if text.startswith("📎 ข้อมูลเพิ่มจากผู้แจ้ง")]
    assert len(rows) == 2 and rows[1].endswith("(รูปภาพ)") and len(rows[0]) < 160


def test_similar_cases_offer_one_same_story_button_each() -> None:
    message = build_similar_cases_message([card(12, "ออมสินแจกเงินผู้สูงอายุ ลงทะเบียนผ่านแอปมายโม", 3), card(15)],
                                          decided_case_id=7, key=KEY)
    assert message_problems(message) == []
    assert signed_buttons(message) == [("cd", {"c": "12", "f": "7"}), ("cd", {"c": "15", "f": "7"})]
    assert list(actions(message)) == [SAME_STORY_LABEL]
    shown = texts(message)
    assert "เรื่องที่ 12 · ผู้ส่ง 3 คน" in shown and "ออมสินแจกเงินผู้สูงอายุ ลงทะเบียนผ่านแอปมายโม" in shown
    assert all(len(text) <= 130 for text in shown if text.startswith("ออมสิน"))  # excerpts, not whole messages


def test_a_long_list_of_similar_cases_is_cut_to_the_closest_few() -> None:
    message = build_similar_cases_message([card(case_id) for case_id in range(1, 10)], decided_case_id=20, key=KEY)
    assert message_problems(message) == []
    assert [params["c"] for _action, params in signed_buttons(message)] == [str(n) for n in range(1, MAX_CHOICES + 1)]


def test_merge_targets_name_the_case_and_its_target() -> None:
    message = build_merge_targets_message(7, [card(12), card(15)], KEY)
    assert message_problems(message) == []
    assert message["altText"] == "รวมเรื่องที่ 7 กับเรื่องไหนคะ"
    assert signed_buttons(message) == [("cj", {"c": "7", "t": "12"}), ("cj", {"c": "7", "t": "15"})]
    assert list(actions(message)) == [MERGE_INTO_LABEL]


def test_split_choices_show_numbered_excerpts_of_the_wordings() -> None:
    message = build_split_choices_message(7, [(31, LONG_TEXT), (30, "ออมสินแจกเงินเกษตรกรคนละ 3,000 บาท")], KEY)
    assert message_problems(message) == []
    assert signed_buttons(message) == [("cp", {"c": "7", "t": "31"}), ("cp", {"c": "7", "t": "30"})]
    assert list(actions(message)) == [SPLIT_THIS_LABEL]
    shown = texts(message)
    assert "ข้อความที่ 1" in shown and "ข้อความที่ 2" in shown
    assert LONG_TEXT not in shown and "ออมสินแจกเงินเกษตรกรคนละ 3,000 บาท" in shown


def test_agency_choices_name_each_agency_and_sign_its_code_out_of_sight() -> None:
    long_name = "สำนักงานคณะกรรมการกำกับและส่งเสริมการประกอบธุรกิจประกันภัย (คปภ.)"
    for query in (None, "ประกันภัย"):
        message = build_agency_choices_message(7, [("oic", long_name), ("afnc", "ศูนย์ต่อต้านข่าวปลอม")], KEY, query)
        assert message_problems(message) == []
        assert signed_buttons(message) == [("cy", {"c": "7", "g": "oic"}), ("cy", {"c": "7", "g": "afnc"})]
        assert list(actions(message)) == [SEND_TO_LABEL]
        shown = "\n".join(texts(message))
        assert long_name in shown and "oic" not in shown and "afnc" not in shown
    nothing_likely = build_agency_choices_message(7, [], KEY)
    assert message_problems(nothing_likely) == []
    assert "\n".join(texts(nothing_likely)).startswith("ส่งเรื่องที่ 7 ให้หน่วยงานไหนคะ\nระบบยังไม่พบหน่วยงาน")


def test_one_card_builder_the_pushed_card_gives_the_routers_reason_the_queue_how_it_was_routed() -> None:
    case = Case(id=7, text=LONG_TEXT, requester_count=2, created_at=SEEN, last_seen_at=SEEN, category="การเงิน-หุ้น",
                routed_by=RoutedBy.KEYWORDS, routing_reason="พบคำว่า “ออมสิน”")
    pushed = build_case_message(case_card(case, with_reason=True, close_claims=(("fake", "ออมสินแจกเงิน"),)), KEY)
    queue = build_case_queue_message([case_card(case, details=[CaseDetail(kind="image", text=None)]), case_card(case)],
                                     KEY, "งานรอตรวจ")
    assert message_problems(pushed) == [] and message_problems(queue) == []
    assert "เหตุที่ส่งมา: พบคำว่า “ออมสิน”" in texts(pushed)
    assert texts(queue).count("เหตุที่ส่งมา: คำสำคัญ") == 2 and "เหตุที่ส่งมา: พบคำว่า “ออมสิน”" not in texts(queue)
    assert "📎 ข้อมูลเพิ่มจากผู้แจ้ง: (รูปภาพ)" in texts(queue)
    assert {params["c"] for _action, params in signed_buttons(queue)} == {"7"}
