"""What `flask chat` prints for the bot's LINE messages: lines as a person reads them, plus numbered choices.

Pure functions over LINE's message JSON, so the rendering is tested without a terminal or a server.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Json = Mapping[str, Any]

SPEAKER = "bot> "
INDENT = " " * len(SPEAKER)
FLEX_SECTIONS = ("header", "hero", "body", "footer")
"""The order LINE draws a bubble's sections in."""
INLINE_LAYOUTS = frozenset({"horizontal", "baseline"})
"""Boxes whose children sit side by side: one line, the way a reader scans them."""
MEDIA_COMPONENTS = frozenset({"image", "video"})


@dataclass(frozen=True)
class Choice:
    """Something the user can tap: a quick-reply item or a flex button. `action` is LINE's action object."""

    label: str
    action: dict[str, Any]
    is_button: bool = False

    def caption(self, number: int) -> str:
        # Brackets tell a flex button from a quick reply, as the card itself shows buttons.
        return f"{number}) [{self.label}]" if self.is_button else f"{number}) {self.label}"


class Delivered(Protocol):
    """The shape of the emulator's `Delivery`, without importing test infrastructure here."""

    @property
    def kind(self) -> str: ...

    @property
    def messages(self) -> list[dict[str, Any]]: ...


def render_messages(messages: Sequence[Json], kind: str = "reply") -> tuple[list[str], list[Choice]]:
    """Render messages that arrived together through one `kind` of delivery (reply, push, multicast)."""
    return _render([(kind, message) for message in messages])


def render_deliveries(deliveries: Sequence[Delivered]) -> tuple[list[str], list[Choice]]:
    """Render one bot turn, which may be a reply followed by pushes, with a single numbering of choices."""
    return _render([(delivery.kind, message) for delivery in deliveries for message in delivery.messages])


def _render(tagged: Sequence[tuple[str, Json]]) -> tuple[list[str], list[Choice]]:
    lines: list[str] = []
    buttons: list[Choice] = []
    for kind, message in tagged:
        speaker = SPEAKER if kind == "reply" else f"bot ({kind})> "  # a push means the reply token was missed
        body = message_lines(message, buttons) or [""]
        lines.append(speaker + body[0])
        lines.extend(INDENT + line if line else "" for line in body[1:])  # no trailing blanks
    # LINE shows only the last message's quick replies; buttons stay tappable in every card.
    choices = (quick_reply_choices(tagged[-1][1]) if tagged else []) + buttons
    if choices:
        lines.append(INDENT + "  ".join(choice.caption(number) for number, choice in enumerate(choices, 1)))
    return lines, choices


def quick_reply_choices(message: Json) -> list[Choice]:
    items = (message.get("quickReply") or {}).get("items", [])
    return [Choice(item["action"].get("label", ""), item["action"]) for item in items]


def message_lines(message: Json, buttons: list[Choice]) -> list[str]:
    """One message as text lines; flex buttons found on the way are appended to `buttons`."""
    kind = message.get("type")
    if kind in ("text", "textV2"):
        return str(message.get("text", "")).splitlines()
    if kind == "flex":
        return flex_lines(message.get("contents") or {}, buttons)
    if kind == "sticker":
        return [f"(sticker {message.get('packageId')}/{message.get('stickerId')})"]
    if kind in ("image", "video", "audio"):
        return [f"({kind}: {message.get('originalContentUrl', '')})"]
    if kind == "location":
        return [f"(location: {message.get('title', '')}, {message.get('address', '')} "
                f"{message.get('latitude')},{message.get('longitude')})"]
    return [f"({kind} message) {message.get('altText', '')}".rstrip()]


def flex_lines(container: Json, buttons: list[Choice]) -> list[str]:
    """A bubble, or a carousel of bubbles separated by a rule."""
    if container.get("type") == "carousel":
        lines: list[str] = []
        for index, bubble in enumerate(container.get("contents", [])):
            if index:
                lines.append("-" * 20)
            lines.extend(bubble_lines(bubble, buttons))
        return lines
    return bubble_lines(container, buttons)


def bubble_lines(bubble: Json, buttons: list[Choice]) -> list[str]:
    return [line for section in FLEX_SECTIONS if section in bubble
            for line in component_lines(bubble[section], buttons)]


def component_lines(component: Json, buttons: list[Choice]) -> list[str]:
    kind = component.get("type")
    if kind == "box":
        lines = [line for child in component.get("contents", []) for line in component_lines(child, buttons)]
        if component.get("layout") in INLINE_LAYOUTS and lines:
            return ["  ".join(lines)]
        return lines
    if kind == "text":
        return text_lines(component)
    if kind == "button":
        action = component.get("action") or {}
        label = str(action.get("label", ""))
        buttons.append(Choice(label, dict(action), is_button=True))
        return [f"[{label}]"]
    if kind in MEDIA_COMPONENTS:
        return [f"({kind})"]
    return []  # icons, separators, fillers and spacers carry no words


def text_lines(component: Json) -> list[str]:
    """LINE draws a text's spans instead of its `text` when it has any."""
    spans = [str(span.get("text", "")) for span in component.get("contents", []) if span.get("type") == "span"]
    return ("".join(spans) if spans else str(component.get("text", ""))).splitlines()
