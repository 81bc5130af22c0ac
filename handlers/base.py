"""The shapes a handler works with: what it gets (`InboundEvent`, `Context`) and returns (`Result`)."""
from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from bot.line.events import InboundEvent
from data.cases import Router
from data.checker import ClaimChecker
from data.knowledge import Knowledge
from data.models import User

T = TypeVar("T")


def command_text(event: InboundEvent) -> str | None:
    """A 1:1 text message as command words are compared with it: trimmed, runs of spaces made one; None for
    anything else, so a group message or a sticker is never taken for a command."""
    if not event.is_one_to_one or event.message_type != "text":
        return None
    return " ".join((event.text or "").split())


def says(words: AbstractSet[str]) -> Predicate:
    """The predicate of a command: the 1:1 text is one of `words` (compared as command_text)."""
    return lambda event, _ctx: command_text(event) in words


class UserInputError(ValueError):
    """Input we cannot act on; its message is a polite Thai sentence shown to the user as is."""


def existing(row: T | None, gone: str) -> T:
    """What a button names, or `gone` said politely when it no longer exists: a card tapped long after."""
    if row is None:
        raise UserInputError(gone)
    return row


@dataclass(frozen=True)
class FollowUp:
    """Slow work a handler asks for; the webhook enqueues it after the handler's transaction commits."""

    func: Callable[..., Any]
    args: tuple[Any, ...]
    job_id: str
    at: datetime | None = None
    """Run then rather than now (a reminder)."""


@dataclass(frozen=True)
class Tools:
    """What a process lends its handlers: the claim checker, the postback key, the router, the knowledge indexes."""

    checker: ClaimChecker
    postback_key: bytes
    """Signs and verifies the buttons that change a case."""
    reroute_choices: Callable[[str, str], list[str]]
    """(case text, current agency) → the agencies a reroute offers, best first."""
    route: Router
    """A new case's text → where it goes: a tip split out of a case is routed like any new case."""
    knowledge: Knowledge
    """Centre and FAQ indexes, rebuilt when an import changes them."""
    auto_approve_volunteers: bool
    """VOLUNTEER_AUTO_APPROVE: a registration becomes a volunteer at once."""


@dataclass(frozen=True)
class Context(Tools):
    """One event's handling: the process's tools, the transaction, and the user (None in a group)."""

    session: Session
    user: User | None


@dataclass(frozen=True)
class Result:
    messages: tuple[dict[str, Any], ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    handler: str = ""
    acknowledged_tip: int | None = None
    """The tip whose reference number these messages first give: sending them records it, so housekeeping
    can tell a reference lost with its job from one the citizen has."""


Predicate = Callable[[InboundEvent, Context], bool]
Handle = Callable[[InboundEvent, Context], Result]
PostbackHandle = Callable[[InboundEvent, Context, dict[str, str]], Result]
"""A button's handler gets the decoded postback parameters too."""


@dataclass(frozen=True)
class Route:
    """`applies` is cheap and side-effect free; `handle` does the work (as in python-telegram-bot)."""

    name: str
    applies: Predicate
    handle: Handle

