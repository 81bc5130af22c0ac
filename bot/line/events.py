"""SDK webhook models in, our frozen `InboundEvent` out: the only shape handlers ever see."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeGuard

from linebot.v3.webhooks import Event, MessageEvent, PostbackEvent

MAX_ID_CHARS = 64
"""LINE's ids are 26 (events) or 33 characters (users, groups, rooms); our columns hold 64. A longer one is not
LINE's, and would fail the insert."""


class SourceType(StrEnum):
    USER = "user"
    GROUP = "group"
    ROOM = "room"


@dataclass(frozen=True)
class InboundEvent:
    event_id: str
    type: str
    source_type: SourceType
    user_id: str | None
    chat_id: str
    """Where an answer goes: the user, group or room id."""
    reply_token: str | None
    timestamp_ms: int
    is_redelivery: bool
    message_type: str | None = None
    message_id: str | None = None
    """LINE's id of the message: what a later reply quoting it refers to."""
    text: str | None = None
    quote_token: str | None = None
    """Lets a group reply quote the message it answers."""
    quoted_message_id: str | None = None
    """The earlier message this one quotes (a reply in LINE), if any."""
    mentions_bot: bool = False
    """The text mentions this bot (a group command)."""
    location: Location | None = None
    postback_data: str | None = None

    @property
    def is_one_to_one(self) -> bool:
        return self.source_type is SourceType.USER


@dataclass(frozen=True)
class Location:
    """A location the user shared."""

    latitude: float
    longitude: float
    address: str | None = None


class UnsupportedEventError(ValueError):
    """An event we cannot act on: unknown to the SDK, or with a source we do not understand."""


def _message_fields(event: MessageEvent) -> dict[str, Any]:
    message = event.message
    fields: dict[str, Any] = {"message_type": message.type, "message_id": message.id,
                              "quote_token": getattr(message, "quote_token", None),
                              "quoted_message_id": getattr(message, "quoted_message_id", None)}
    if message.type == "text":
        mentionees = message.mention.mentionees if message.mention else []
        fields["text"] = message.text
        fields["mentions_bot"] = any(getattr(mentionee, "is_self", False) for mentionee in mentionees)
    elif message.type == "location":
        fields["location"] = Location(message.latitude, message.longitude, message.address)
    return fields


def _is_line_id(value: str | None) -> TypeGuard[str]:
    return value is not None and 0 < len(value) <= MAX_ID_CHARS


def read_event(raw: Any) -> InboundEvent:
    """One event of a webhook body, read by the SDK's models. An event they cannot read (a type unknown to this
    SDK, a missing or mistyped field) is unsupported; the SDK's error is not passed on, as it quotes the event,
    user ids and text included, and reasons end up in logs."""
    try:
        event = Event.from_dict(raw)
    except (ValueError, KeyError, TypeError):
        kind = raw.get("type") if isinstance(raw, dict) else None
        raise UnsupportedEventError(f"unreadable {kind[:40] if isinstance(kind, str) else 'untyped'} event") from None
    return to_inbound(event)


def to_inbound(event: Event) -> InboundEvent:
    if event.source is None:
        raise UnsupportedEventError(f"{event.type} event without a source")
    source = event.source
    source_type = SourceType(source.type)
    chat_id = {SourceType.USER: getattr(source, "user_id", None), SourceType.GROUP: getattr(source, "group_id", None),
               SourceType.ROOM: getattr(source, "room_id", None)}[source_type]
    user_id = getattr(source, "user_id", None)
    if not (_is_line_id(chat_id) and _is_line_id(event.webhook_event_id) and (user_id is None or _is_line_id(user_id))):
        raise UnsupportedEventError(f"{source_type} event without ids LINE would send")
    fields: dict[str, Any] = {}
    if isinstance(event, MessageEvent):
        fields = _message_fields(event)
    elif isinstance(event, PostbackEvent):
        fields = {"postback_data": event.postback.data}
    return InboundEvent(
        event_id=event.webhook_event_id,
        type=event.type,
        source_type=source_type,
        user_id=user_id,
        chat_id=chat_id,
        reply_token=getattr(event, "reply_token", None),
        timestamp_ms=event.timestamp,
        is_redelivery=bool(event.delivery_context and event.delivery_context.is_redelivery),
        **fields,
    )
