"""Flex layouts for coordinators: a case card with signed action buttons, a queue of them, and short lists of
cases to pick from with one button each."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.flex.components import BRAND_COLOUR, MUTED_COLOUR, build_flex_message, button, text_component
from bot.flex.messages import postback_action, shorten, uri_action
from bot.flex.thai_dates import thai_time
from bot.flex.verdict import VERDICT_STYLE
from bot.line import postback
from bot.line.postback import Action
from data.cases import RoutedBy

MAX_CASES_IN_QUEUE = 10
ROUTED_BY: dict[str, str] = {
    RoutedBy.NEIGHBOURS: "ข่าวคล้ายที่หน่วยงานนี้เคยตรวจ", RoutedBy.CATEGORY: "หมวดข่าว",
    RoutedBy.KEYWORDS: "คำสำคัญ", RoutedBy.FALLBACK: "ส่งศูนย์กลาง AFNC",
    RoutedBy.REROUTE: "ส่งต่อจากหน่วยงานอื่น", RoutedBy.ESCALATED: "เกินกำหนดตอบ ส่งต่อศูนย์กลาง AFNC"}
"""Why a case reached this agency, in words a coordinator understands."""
MAX_CHOICES = 5
"""Rows in a list to pick from: the closest few, never a wall of cases."""
CHOICE_EXCERPT_CHARS = 120
DETAIL_ROW = "📎 ข้อมูลเพิ่มจากผู้แจ้ง: {detail}"
DETAIL_EXCERPT_CHARS = 120
SAME_STORY_LABEL = "เรื่องเดียวกัน"
SIMILAR_TITLE = "เรื่องคล้ายกันที่ยังรอตรวจ"
SIMILAR_NOTE = "ถ้าเรื่องไหนเป็นเรื่องเดียวกับเรื่องที่ {case} กด “{label}” ระบบจะปิดด้วยผลเดียวกันและแจ้งผู้ส่งให้ค่ะ"
MERGE_LABEL = "รวมกับเรื่องอื่น"
MERGE_INTO_LABEL = "รวมเข้าเรื่องนี้"
MERGE_TITLE = "รวมเรื่องที่ {case} กับเรื่องไหนคะ"
MERGE_NOTE = "ข้อความและผู้ส่งของเรื่องที่ {case} จะย้ายไปอยู่ในเรื่องที่เลือก ซึ่งรอผลตามกำหนดเดิมค่ะ"
SPLIT_LABEL = "แยกข้อความ"
SPLIT_THIS_LABEL = "แยกเป็นเรื่องใหม่"
SPLIT_TITLE = "แยกข้อความออกจากเรื่องที่ {case}"
REROUTE_TITLE = "ส่งเรื่องที่ {case} ให้หน่วยงานไหนคะ"
REROUTE_NOTE = ("หน่วยงานที่น่าจะเกี่ยวข้อง เรียงจากที่ตรงที่สุด\n"
                "ถ้าไม่มีหน่วยงานที่ต้องการ พิมพ์ชื่อหน่วยงานในแชตเพื่อค้นหาได้เลยค่ะ")
NO_LIKELY_AGENCY = "ระบบยังไม่พบหน่วยงานที่น่าจะเกี่ยวข้องค่ะ พิมพ์ชื่อหน่วยงานในแชตเพื่อค้นหาได้เลย"
FOUND_TITLE = "หน่วยงานที่ชื่อตรงกับ “{query}”"
FOUND_NOTE = "เลือกหน่วยงานที่จะรับเรื่องที่ {case} ต่อ หรือพิมพ์ชื่ออื่นเพื่อค้นหาใหม่ได้ค่ะ"
SEND_TO_LABEL = "ส่งให้หน่วยงานนี้"
SPLIT_NOTE = ("ข้อความที่เลือก (รวมถึงข้อความที่เหมือนกันทุกตัวอักษร) จะเป็นเรื่องใหม่ ส่งให้หน่วยงานที่เกี่ยวข้องเหมือนเรื่องใหม่"
              "ทั่วไป และผู้ส่งจะรอผลจากเรื่องใหม่ค่ะ")


@dataclass(frozen=True)
class CaseCard:
    id: int
    text: str
    requester_count: int
    first_seen: datetime
    last_seen: datetime
    category: str | None
    routed_by: str | None
    routing_reason: str | None = None
    close_claims: tuple[tuple[str, str], ...] = ()
    """(verdict, claim text) of the closest verified claims, for context."""
    details: tuple[str, ...] = ()
    """What requesters sent when asked for more, newest first."""
    picture_url: str | None = None
    """The picture a citizen sent (its text, as read, is `text`); shown above the text."""


def _button(label: str, data: str, colour: str | None = None) -> dict[str, Any]:
    return button(postback_action(label, data, label), "primary" if colour else "secondary", colour)


def case_actions(case_id: int, key: bytes) -> list[dict[str, Any]]:
    verdicts = [_button(label, postback.encode(Action.CHOOSE_VERDICT, key=key, c=case_id, v=verdict), colour)
                for verdict, (label, colour) in VERDICT_STYLE.items()]
    return [_button("รับเรื่อง", postback.encode(Action.TAKE_CASE, key=key, c=case_id), BRAND_COLOUR), *verdicts,
            _button("ไม่ใช่หน่วยงานนี้", postback.encode(Action.CHOOSE_AGENCY, key=key, c=case_id)),
            _button("ขอข้อมูลเพิ่ม", postback.encode(Action.ASK_MORE_INFO, key=key, c=case_id)),
            _button(MERGE_LABEL, postback.encode(Action.CHOOSE_MERGE_TARGET, key=key, c=case_id)),
            _button(SPLIT_LABEL, postback.encode(Action.CHOOSE_TIP_TO_SPLIT, key=key, c=case_id))]


def build_case_bubble(card: CaseCard, key: bytes) -> dict[str, Any]:
    details = [
        text_component(f"ผู้ส่ง {card.requester_count} คน · {card.category or 'ไม่ทราบหมวด'}", size="xs",
                       color=MUTED_COLOUR),
        text_component(f"แจ้งครั้งแรก {thai_time(card.first_seen)} · ล่าสุด {thai_time(card.last_seen)}", size="xs",
              color=MUTED_COLOUR),
        text_component(f"เหตุที่ส่งมา: {card.routing_reason or ROUTED_BY.get(card.routed_by or '', card.routed_by or '-')}",
              size="xs", color=MUTED_COLOUR),
    ]
    close = [text_component(f"ใกล้เคียง ({VERDICT_STYLE[verdict][0]}): {shorten(text, 80)}", size="xxs",
                            color=MUTED_COLOUR)
             for verdict, text in card.close_claims[:2]]
    close += [text_component(DETAIL_ROW.format(detail=shorten(detail, DETAIL_EXCERPT_CHARS)), size="xs")
              for detail in card.details]
    bubble: dict[str, Any] = {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": BRAND_COLOUR, "contents": [
            text_component(f"เรื่องที่ {card.id}", weight="bold", color="#FFFFFF")]},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            text_component(shorten(card.text, 300), size="sm"), {"type": "separator"}, *details, *close]},
        "footer": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": case_actions(card.id, key)},
    }
    if card.picture_url:
        # Tapping it opens the full picture: the card shows a screenshot too small to read.
        bubble["hero"] = {"type": "image", "url": card.picture_url, "size": "full", "aspectRatio": "4:3",
                          "aspectMode": "fit", "action": uri_action("ดูรูป", card.picture_url)}
    return bubble


def build_case_message(card: CaseCard, key: bytes) -> dict[str, Any]:
    alt = f"เรื่องใหม่รอตรวจ ({card.requester_count} คน): {card.text}"
    return build_flex_message(alt, build_case_bubble(card, key))


def _choices_bubble(title: str, note: str, rows: list[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    """A titled list, one row per (caption, text, button), for a coordinator to pick one; a caption may be empty."""
    body: list[dict[str, Any]] = [text_component(note, size="xs", color=MUTED_COLOUR)]
    for caption, text, row_button in rows[:MAX_CHOICES]:
        body.append({"type": "separator"})
        if caption:
            body.append(text_component(caption, size="xs", color=MUTED_COLOUR))
        body += [text_component(shorten(text, CHOICE_EXCERPT_CHARS), size="sm"), row_button]
    return {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": BRAND_COLOUR, "contents": [
            text_component(title, weight="bold", color="#FFFFFF")]},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
    }


def _case_caption(card: CaseCard) -> str:
    return f"เรื่องที่ {card.id} · ผู้ส่ง {card.requester_count} คน"


def build_similar_cases_message(cards: list[CaseCard], decided_case_id: int, key: bytes) -> dict[str, Any]:
    """After a verdict: open cases that only resemble it, each with a button that closes it with the same verdict."""
    rows = [(_case_caption(card), card.text,
             _button(SAME_STORY_LABEL, postback.encode(Action.CLOSE_AS_SAME, key=key, c=card.id, f=decided_case_id)))
            for card in cards]
    note = SIMILAR_NOTE.format(case=decided_case_id, label=SAME_STORY_LABEL)
    return build_flex_message(f"{SIMILAR_TITLE} {len(cards)} เรื่อง", _choices_bubble(SIMILAR_TITLE, note, rows))


def build_merge_targets_message(case_id: int, cards: list[CaseCard], key: bytes) -> dict[str, Any]:
    """The open cases most like this one, each with a button that merges this one into it."""
    rows = [(_case_caption(card), card.text,
             _button(MERGE_INTO_LABEL, postback.encode(Action.MERGE_CASE, key=key, c=case_id, t=card.id)))
            for card in cards]
    title = MERGE_TITLE.format(case=case_id)
    return build_flex_message(title, _choices_bubble(title, MERGE_NOTE.format(case=case_id), rows))


def build_split_choices_message(case_id: int, wordings: list[tuple[int, str]], key: bytes) -> dict[str, Any]:
    """The case's wordings as (tip id, text), each with a button that splits it out; texts only, never senders."""
    rows = [(f"ข้อความที่ {number}", text,
             _button(SPLIT_THIS_LABEL, postback.encode(Action.SPLIT_CASE, key=key, c=case_id, t=tip_id)))
            for number, (tip_id, text) in enumerate(wordings, 1)]
    title = SPLIT_TITLE.format(case=case_id)
    return build_flex_message(title, _choices_bubble(title, SPLIT_NOTE, rows))


def build_agency_choices_message(case_id: int, agencies: list[tuple[str, str]], key: bytes,
                                 query: str | None = None) -> dict[str, Any]:
    """Agencies as (code, Thai name), each with a button that sends the case there: the router's choices, or
    what a search by `query` found. Names only: codes and scores mean nothing to a coordinator."""
    rows = [("", name, _button(SEND_TO_LABEL, postback.encode(Action.REROUTE_CASE, key=key, c=case_id, g=code)))
            for code, name in agencies]
    if query is None:
        title, note = REROUTE_TITLE.format(case=case_id), REROUTE_NOTE if agencies else NO_LIKELY_AGENCY
    else:
        title, note = FOUND_TITLE.format(query=shorten(query, 30)), FOUND_NOTE.format(case=case_id)
    return build_flex_message(title, _choices_bubble(title, note, rows))


def build_case_queue_message(cards: list[CaseCard], key: bytes, title: str) -> dict[str, Any]:
    bubbles = [build_case_bubble(card, key) for card in cards[:MAX_CASES_IN_QUEUE]]
    return build_flex_message(f"{title}: {len(cards)} เรื่อง", {"type": "carousel", "contents": bubbles})
