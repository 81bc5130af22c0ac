"""The emulator's schema validation on its own: path templates, discriminators, LINE's webhook bodies."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.devtools.line_emulator import validate, validate_webhook_body
from bot.devtools.line_emulator.schema import find_operation, operations, validate_request

SAMPLES = Path(__file__).parent / "data" / "webhook-samples"


# -- schema module on its own ----------------------------------------------------------
def test_path_templates_prefer_literal_segments() -> None:
    found = find_operation("GET", "/v2/bot/richmenu/list")
    assert found is not None and found[0].operation_id == "getRichMenuList"
    found = find_operation("POST", "/v2/bot/richmenu/richmenu-1/content")
    assert found is not None and found[0].data_api and found[1] == {"richMenuId": "richmenu-1"}
    assert validate_request("POST", "/v2/bot/richmenu/richmenu-1/content", b"GIF89a",
                            "image/gif") != []


def test_find_operation_agrees_with_the_ordered_scan_for_every_path() -> None:
    """Literal paths are looked up in a dict first: it must find what the scan by specificity finds."""
    for op in operations():
        path = re.sub(r"\{\w+\}", "id-1", op.template)
        scanned = next(o for o in operations() if o.method == op.method and o.match(path) is not None)
        assert find_operation(op.method.lower(), path + "?x=1") == (scanned, scanned.match(path))


def test_discriminators_dispatch_to_subtypes() -> None:
    assert validate("messaging-api", "Action", {"type": "uri", "label": "a", "uri": "x"}) == []
    assert validate("messaging-api", "Template", {"type": "buttons", "text": "t"}) != []
    assert validate("messaging-api", "FlexContainer", {"type": "carousel"}) != []
    assert validate("messaging-api", "Recipient", {"type": "nope"}) != []


# -- webhook bodies --------------------------------------------------------------------
def webhook_sample() -> dict[str, Any]:
    body: dict[str, Any] = json.loads((SAMPLES / "00-message-text-user.json").read_text())
    body["destination"] = "U" + "0123456789abcdef" * 2
    return body


def test_webhook_sample_is_valid_once_destination_is_real() -> None:
    body = webhook_sample()
    assert validate_webhook_body(body) == []
    body["destination"] = "U123"  # as in the SDK's sample: not a real bot user id
    assert {p.property for p in validate_webhook_body(body)} == {"destination"}


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("[0-9][0-9]-*.json")), ids=lambda p: p.stem)
def test_every_sdk_webhook_sample_validates(sample: Path) -> None:
    body = json.loads(sample.read_text(encoding="utf-8"))
    body["destination"] = "U" + "0123456789abcdef" * 2
    problems = validate_webhook_body(body)
    if sample.stem.startswith(("26-", "27-")):  # event types webhook.yml does not define
        assert [p.property for p in problems] == ["events[0].type"]
    else:
        assert problems == []


def test_webhook_rejects_bogus_event_type_and_missing_message() -> None:
    body = webhook_sample()
    body["events"][0]["type"] = "bogus"
    assert [p.property for p in validate_webhook_body(body)] == ["events[0].type"]
    body = webhook_sample()
    del body["events"][0]["message"]
    assert [p.property for p in validate_webhook_body(body)] == ["events[0].message"]
    body = webhook_sample()
    body["events"][0]["source"] = {"type": "group"}
    assert [p.property for p in validate_webhook_body(body)] == ["events[0].source.groupId"]
