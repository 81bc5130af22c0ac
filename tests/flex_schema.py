"""Check one outgoing message the way the emulator checks a send: LINE's `Message` schema, discriminators
resolved, plus the limits the reference documents but the OpenAPI file leaves out. Builder tests call this
directly, so a broken card fails its own unit test instead of a conversation test far away."""
from __future__ import annotations

from typing import Any

from tests.line_emulator.limits import check_message
from tests.line_emulator.schema import Problem, validate


def message_problems(message: dict[str, Any]) -> list[str]:
    """Every problem of one message, as "path: detail"; an empty list means LINE would accept it."""
    limits: list[Problem] = []
    check_message(message, [], limits)
    schema = validate("messaging-api", "Message", message)
    # The emulator reports a property once even when both the schema and a limit catch it.
    seen = {problem.property for problem in schema}
    return [str(problem) for problem in [*schema, *(p for p in limits if p.property not in seen)]]
