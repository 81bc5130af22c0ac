"""The only place postback data is made or read: compact `key=value&...`, never over LINE's 300 chars."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from bot.limits import MAX_POSTBACK_DATA_CHARS

ACTION_KEY = "a"


class InvalidPostbackError(ValueError):
    """Postback data we did not make, or from an older version of the bot."""


def encode(action: str, **params: str | int) -> str:
    data = urlencode({ACTION_KEY: action, **{key: str(value) for key, value in params.items()}})
    if len(data) > MAX_POSTBACK_DATA_CHARS:
        raise ValueError(f"postback data for {action!r} is {len(data)} characters (max {MAX_POSTBACK_DATA_CHARS})")
    return data


def decode(data: str) -> tuple[str, dict[str, str]]:
    """Return (action, params); raise InvalidPostbackError for anything we would not have encoded."""
    try:
        pairs = dict(parse_qsl(data, keep_blank_values=True, strict_parsing=True))
    except ValueError:
        raise InvalidPostbackError(f"not our postback format: {data[:50]!r}") from None
    action = pairs.pop(ACTION_KEY, "")
    if not action:
        raise InvalidPostbackError(f"postback without an action: {data[:50]!r}")
    return action, pairs
