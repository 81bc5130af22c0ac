"""The emulator's fast validator (jsonschema_rs) must judge every body as jsonschema does.

`validate` trusts jsonschema_rs when it accepts and asks jsonschema otherwise, so a body the fast path
accepted but jsonschema would reject would reach the bot's tests as valid: the one mistake that must not
happen. Every example the emulator's tests use goes through both, then single changes to valid bodies
(a wrong type, a missing property, an unknown discriminator value, a string or list over its limit).
Builder tests hold the two to the same verdict too: see tests/flex_schema.py."""
from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from linebot.v3.messaging import FlexMessage

from bot.devtools.line_emulator.schema import _fast_validator, fast_accepts, problems, validate
from bot.flex.case import CaseCard, build_case_message
from bot.flex.messages import build_text_message, message_action, postback_action
from bot.flex.verdict import ClaimCard, build_verdict_message, build_verdict_quick_reply
from tests.test_line_emulator import GROUP, INVALID_FLEX_COMPONENTS, RICH_MENU, USER, bubble, postback, text

SAMPLES = Path(__file__).parent / "data" / "webhook-samples"
DESTINATION = "U" + "0123456789abcdef" * 2
REPLY = "ReplyMessageRequest"
Example = tuple[str, str, Any]  # spec, component schema, instance


def reply_body(*messages: dict[str, Any]) -> dict[str, Any]:
    return {"replyToken": "0f3779fba3b349968c5d07db31eab56f", "messages": list(messages)}


def quick(count: int, action: dict[str, Any]) -> dict[str, Any]:
    return {**text(), "quickReply": {"items": [{"type": "action", "action": action}] * count}}


def sdk_flex() -> dict[str, Any]:
    return FlexMessage.from_dict(bubble(
        {"type": "text", "text": "ตรวจสอบแล้ว", "wrap": True, "weight": "bold"},
        {"type": "separator", "margin": "md"},
        {"type": "button", "style": "primary",
         "action": {"type": "uri", "label": "ดูรายละเอียด", "uri": "https://example.com/a"}})).to_dict()


def verdict_card() -> dict[str, Any]:
    card = ClaimCard(id="afnc-0000000001", text="ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท", verdict="fake",
                     explanation="ธนาคารออมสินไม่มีนโยบายแจกเงินผ่านลิงก์", agency="ธนาคารออมสิน",
                     published_on=date(2025, 10, 17), url="https://www.antifakenewscenter.com/news/1")
    return build_verdict_message(card, build_verdict_quick_reply(tip_id=12))


def case_card() -> dict[str, Any]:
    seen = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    card = CaseCard(id=7, text="ลิงก์ลงทะเบียนรับเงิน " * 5, requester_count=2, first_seen=seen, last_seen=seen,
                    category="การเงิน-หุ้น", routed_by="keywords", close_claims=(("fake", "แจกเงิน"),))
    return build_case_message(card, b"k" * 32)


def webhook_samples() -> Iterator[dict[str, Any]]:
    for path in sorted(SAMPLES.glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        yield body  # as the SDK ships it: destination "U123" fails the spec's pattern
        yield {**body, "destination": DESTINATION}


def examples() -> Iterator[Example]:
    """The bodies of tests/test_line_emulator*.py, valid and invalid, as the emulator validates them."""
    yield from (("webhook", "CallbackRequest", body) for body in webhook_samples())
    event = {**json.loads((SAMPLES / "00-message-text-user.json").read_text())["events"][0]}
    yield "webhook", "CallbackRequest", {"destination": DESTINATION, "events": [{**event, "type": "bogus"}]}
    yield "webhook", "CallbackRequest", {"destination": DESTINATION,
                                         "events": [{k: v for k, v in event.items() if k != "message"}]}
    yield "webhook", "CallbackRequest", {"destination": DESTINATION, "events": [{**event, "source": {"type": "group"}}]}
    for source in ({"type": "user", "userId": USER}, {"type": "group", "groupId": GROUP, "userId": USER},
                   {"type": "group", "userId": USER}, {"type": "room"}, {"type": "nope"}):
        yield "webhook", "Source", source
    yield "messaging-api", "Action", {"type": "uri", "label": "a", "uri": "x"}
    yield "messaging-api", "Template", {"type": "buttons", "text": "t"}
    yield "messaging-api", "FlexContainer", {"type": "carousel"}
    yield "messaging-api", "Recipient", {"type": "nope"}
    ok = {"type": "message", "label": "ใช่", "text": "ใช่"}
    messages: list[list[dict[str, Any]]] = [
        [text("สวัสดี")], [text()] * 5, [text()] * 6, [text("a" * 5000)], [text("😀" * 2500)], [text("a" * 5001)],
        [text("😀" * 2500 + "a")], [{"type": "foo", "text": "x"}], [sdk_flex()], [verdict_card()], [case_card()],
        [bubble({"type": "text", "text": "ผลตรวจ", "wrap": True},
                {"type": "button", "action": postback("a=1", displayText="ok")})],
        [bubble(*[{"type": "text", "text": "x" * 1000}] * 31)],
        [{"type": "flex", "altText": "c", "contents": {"type": "carousel", "contents": [bubble(text())["contents"]] * 13}}],
        [quick(13, ok)], [quick(14, ok)], [quick(1, {**ok, "label": "x" * 21})], [quick(1, postback("a=1"))],
        [{"type": "template", "altText": "a" * 1501, "template": {
            "type": "buttons", "text": "pick", "actions": [postback("a", label="x" * 21)]}}],
        [build_text_message("เลือกได้เลยค่ะ", [message_action("ตกลง"), postback_action("ไม่", "a=n", "ไม่")])],
        *([bubble(component)] for component, _ in INVALID_FLEX_COMPONENTS),
    ]
    yield from (("messaging-api", REPLY, reply_body(*batch)) for batch in messages)
    yield "messaging-api", REPLY, {"replyToken": "x", "messages": []}
    yield "messaging-api", REPLY, {"messages": [text()]}
    yield "messaging-api", "PushMessageRequest", {"to": USER, "messages": [text(), sdk_flex()]}
    users = [f"U{i:032x}" for i in range(501)]
    for to in (users[:3], users, ["bob"]):
        yield "messaging-api", "MulticastRequest", {"to": to, "messages": [text()]}
    for loading in ({"chatId": USER, "loadingSeconds": 20}, {"chatId": USER, "loadingSeconds": 7},
                    {"loadingSeconds": 5}):
        yield "messaging-api", "ShowLoadingAnimationRequest", loading
    yield "messaging-api", "RichMenuRequest", RICH_MENU
    yield "messaging-api", "RichMenuRequest", {"name": "x"}
    yield "messaging-api", "CreateRichMenuAliasRequest", {"richMenuAliasId": "main", "richMenuId": "richmenu-1"}
    yield "messaging-api", "UserProfileResponse", {"userId": USER, "displayName": "สมชาย", "language": "th"}


def agree(spec: str, schema: str, instance: Any) -> bool:
    return fast_accepts(spec, schema, instance) == (problems(spec, schema, instance) == [])


def test_every_example_gets_the_same_verdict() -> None:
    cases = list(examples())
    disagreements = [(schema, instance) for spec, schema, instance in cases if not agree(spec, schema, instance)]
    assert disagreements == []
    accepted = sum(fast_accepts(*case) for case in cases)
    assert 25 < accepted < len(cases) - 25  # both kinds are there in numbers


# -- single changes to valid bodies ----------------------------------------------------
Path_ = tuple[str | int, ...]


def nodes(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from nodes(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from nodes(value, (*path, index))


def replaced(node: Any, path: Path_, new: Any) -> Any:
    """A copy of `node` with the value at `path` replaced; only the containers on the path are copied."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[head] = replaced(node[head], rest, new)  # type: ignore[index]
    return copy


def changes(value: Any) -> Iterator[Any]:
    """Wrong-typed, out-of-range and unknown stand-ins for one value."""
    yield from (None, "x", 7) if not isinstance(value, str) else (None, 7)
    if isinstance(value, dict):
        yield []
        yield from ({k: v for k, v in value.items() if k != key} for key in value)  # each property missing
        if "type" in value:
            yield {**value, "type": "bogus"}
    elif isinstance(value, list):
        yield from ({}, [], value * 14, [*value, None])
    elif isinstance(value, str):
        yield from ("", "bogus", "x" * 5001, "😀" * 2501, True)
    elif isinstance(value, bool):
        yield from ("true", 1)
    elif isinstance(value, int | float):
        yield from (-1, 0, 0.5, 10**12, True, str(value))


MUTANTS_PER_SEED = 120
"""A fixed sample keeps this test to seconds: jsonschema takes up to 12 ms per card. All 6,114 changes of these
seeds got the same verdict from both when the fast path came in."""
SEEDS: list[tuple[str, str, Any]] = [
    ("messaging-api", REPLY, reply_body(text("สวัสดี"), quick(2, {"type": "message", "label": "ใช่", "text": "ใช่"}))),
    ("messaging-api", REPLY, reply_body(bubble({"type": "text", "text": "ผลตรวจ", "wrap": True},
                                               {"type": "button", "action": postback("a=1", displayText="ok")}))),
    ("messaging-api", REPLY, reply_body(sdk_flex())),
    ("messaging-api", REPLY, reply_body(verdict_card())),
    ("messaging-api", "PushMessageRequest", {"to": USER, "messages": [case_card()]}),
    ("messaging-api", "RichMenuRequest", RICH_MENU),
    *(("webhook", "CallbackRequest", {**json.loads(path.read_text(encoding="utf-8")), "destination": DESTINATION})
      for path in sorted(SAMPLES.glob("[0-2][0-9]-*.json"))),
]


@pytest.mark.parametrize(("spec", "schema", "seed"), SEEDS,
                         ids=[f"{schema}-{i}" for i, (_, schema, _) in enumerate(SEEDS)])
def test_single_changes_get_the_same_verdict(spec: str, schema: str, seed: Any) -> None:
    assert problems(spec, schema, seed) == [] or schema == "CallbackRequest"  # 26-, 27-: unknown event types
    every = [(path, new) for path, value in nodes(seed) if path for new in changes(value)]
    picked = random.Random(0).sample(every, min(len(every), MUTANTS_PER_SEED))
    mutants = [replaced(seed, path, new) for path, new in picked]
    disagreements = [m for m in mutants if not agree(spec, schema, m)]
    assert disagreements == []
    assert any(fast_accepts(spec, schema, m) for m in mutants)  # not every change breaks the body
    assert not all(fast_accepts(spec, schema, m) for m in mutants)


# -- where the two read Python differently -----------------------------------------------
@pytest.mark.parametrize(("schema", "instance"), [
    (REPLY, {"replyToken": "x", "messages": (text(),)}),
    ("ShowLoadingAnimationRequest", {"chatId": USER, "loadingSeconds": Decimal(20)}),
], ids=["tuple", "Decimal"])
def test_python_values_json_lacks_are_left_to_jsonschema(schema: str, instance: dict[str, Any]) -> None:
    """jsonschema_rs reads a tuple as an array and a Decimal as a number; jsonschema rejects both."""
    assert _fast_validator("messaging-api", schema).is_valid(instance)
    assert not fast_accepts("messaging-api", schema, instance)
    assert validate("messaging-api", schema, instance) == problems("messaging-api", schema, instance) != []


def test_a_key_json_lacks_is_left_to_jsonschema() -> None:
    assert not fast_accepts("messaging-api", REPLY, {**reply_body(text()), 5: "an int key"})
    assert validate("messaging-api", REPLY, {**reply_body(text()), 5: "an int key"}) == []


def test_a_trailing_newline_is_stricter_in_the_fast_path_only() -> None:
    """The spec's patterns end in `$`, which Python's re also matches before a final newline: jsonschema accepts
    "main\\n" as an alias id, jsonschema_rs does not. `validate` then asks jsonschema, so its verdict still stands."""
    body = {"richMenuAliasId": "main\n", "richMenuId": "richmenu-1"}
    assert not fast_accepts("messaging-api", "CreateRichMenuAliasRequest", body)
    assert validate("messaging-api", "CreateRichMenuAliasRequest", body) == []


def test_fast_path_is_what_valid_bodies_take() -> None:
    body = reply_body(verdict_card())
    assert fast_accepts("messaging-api", REPLY, body) and validate("messaging-api", REPLY, body) == []
    body["messages"][0]["contents"]["type"] = "bogus"
    assert [p.property for p in validate("messaging-api", REPLY, body)] == ["messages[0].contents.type"]
