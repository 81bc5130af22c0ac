"""JSON bodies from outside (LINE's webhooks, `/api/v1/check`), read with the checks `json.loads` does not make."""
from __future__ import annotations

import json
import re
from typing import Any

MAX_JSON_DEPTH = 32
"""LINE's webhooks nest about 7 levels and API bodies 1. Python's JSON reader itself gives up (RecursionError)
near 1,000, and every recursive step after it (the SDK's models) could too: anything deeper is refused."""
NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
"""A lone UTF-16 surrogate (JSON allows the escape `\\ud800` on its own) cannot be encoded to UTF-8 for the
database, a log or LINE; PostgreSQL refuses NUL in text. Neither is in anything a person typed."""


class BadBodyError(ValueError):
    """A body that is not JSON we can read and store; the message is the reason a 400 gives."""


def load_json(body: str | bytes) -> Any:
    try:
        value = json.loads(body)
    except RecursionError:
        raise BadBodyError(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError:
        raise BadBodyError("body is not UTF-8 JSON") from None
    _check_nodes(value)
    return value


def _check_nodes(value: Any) -> None:
    """Depth and text in one pass, with a stack rather than recursion: the value may be nested deep."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if NOT_TEXT.search(node):
                raise BadBodyError("JSON holds a lone surrogate escape (such as \\ud800) or NUL, which is not text")
            continue
        if not isinstance(node, (dict, list)):
            continue
        if depth == MAX_JSON_DEPTH:
            raise BadBodyError(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels")
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children)
