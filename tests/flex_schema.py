"""Check one outgoing message the way the emulator checks a send: LINE's `Message` schema, discriminators
resolved, plus the limits the reference documents but the OpenAPI file leaves out. Builder tests call this
directly, so a broken card fails its own unit test instead of a conversation test far away."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.devtools.line_emulator.limits import check_message
from bot.devtools.line_emulator.schema import Problem, fast_accepts, problems


def message_problems(message: dict[str, Any]) -> list[str]:
    """Every problem of one message, as "path: detail"; an empty list means LINE would accept it."""
    limits: list[Problem] = []
    check_message(message, [], limits)
    schema = problems("messaging-api", "Message", message)
    # The emulator trusts its fast validator's "valid": it must never accept what jsonschema rejects.
    assert fast_accepts("messaging-api", "Message", message) == (schema == []), schema
    # The emulator reports a property once even when both the schema and a limit catch it.
    seen = {problem.property for problem in schema}
    return [str(problem) for problem in [*schema, *(p for p in limits if p.property not in seen)]]


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a message, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def texts(node: Any) -> list[str]:
    return [item["text"] for item in walk(node) if item.get("type") == "text"]


def actions(node: Any) -> dict[str, dict[str, Any]]:
    """Button actions by label."""
    return {item["action"]["label"]: item["action"] for item in walk(node) if item.get("type") == "button"}
