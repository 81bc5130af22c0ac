"""Flex layouts for community digital centres: one bubble per centre, a carousel of them, and a LINE location
message for a centre whose site is known exactly.

A user must never be sent to a made-up address (data/sample/README.md): a centre whose location is not
exact is never shown as a pin, its distance is labelled approximate, and its map link is a search by name
and area instead of directions to a reference point.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

from bot.flex.components import MUTED_COLOUR, build_flex_message, text_component
from bot.flex.messages import ELLIPSIS, build_text_message, postback_action, shorten, uri_action
from bot.flex.thai_dates import thai_time
from bot.line import postback
from bot.line.postback import Action
from data.centres import service_labels
from data.models import Centre, CentreType, LocationPrecision
from data.opening_hours import OpeningHours

MAX_CENTRES = 10
"""More cards than this is a list nobody swipes through on a phone; the search should narrow instead."""
MAX_LOCATION_TEXT = 100
"""LINE's limit for a location message's title and address."""
MAX_MAP_QUERY = 90
"""Characters of name + area in a map search: percent-encoded Thai costs 9 bytes each, and a URI may not
exceed 1,000 characters."""
MAP_SEARCH_URL = "https://www.google.com/maps/search/?api=1&query="
OPEN_COLOUR = "#2E7D32"
CLOSED_COLOUR = "#757575"
WARNING_COLOUR = "#EF6C00"
KIND_LABELS = {CentreType.OTHER: "สถานที่บริการดิจิทัล"}
"""Centre types whose stored value is not already the Thai name."""
PRECISION_LABELS = {
    LocationPrecision.SUBDISTRICT: "ตำแหน่งระดับตำบล",
    LocationPrecision.DISTRICT: "ตำแหน่งระดับอำเภอ",
    LocationPrecision.PROVINCE: "ตำแหน่งระดับจังหวัด",
}
HOURS_UNKNOWN = "ยังไม่มีข้อมูลเวลาเปิด-ปิด"
OPEN_NOW = "เปิดอยู่"
CLOSED_NOW = "ปิดอยู่"
APPROXIMATE = "{level} (โดยประมาณ)"
"""The one approximate label a card carries: on the distance row, or alone when the distance is unknown."""
CENTRES_ALT = "ศูนย์ดิจิทัลชุมชนที่พบ: "
NO_PHONE = "ยังไม่มีเบอร์โทรของศูนย์นี้ในระบบ"
NO_SESSIONS = "ยังไม่มีรอบอบรมที่ศูนย์นี้ในระบบ"
NOT_THE_SITE = "ตำแหน่งบนแผนที่เป็นจุดอ้างอิงของพื้นที่ ไม่ใช่ที่ตั้งจริง ค้นหาจากชื่อศูนย์จะแม่นกว่า"
EXTENSION = re.compile(r"ต่อ|ext|[#,/;]", re.IGNORECASE)
"""Where a phone number's extension or a second number starts: `tel:` takes only the first number."""


@dataclass(frozen=True)
class CentreCard:
    """The plain values a centre bubble shows, decoupled from the ORM."""

    code: str
    name: str
    kind: str
    hosts: tuple[str, ...]
    address: str | None
    area: str
    """e.g. "อ.โพธิ์ตาก จ.หนองคาย": the caller resolves it from the geothai codes."""
    precision: LocationPrecision
    latitude: float | None
    longitude: float | None
    phone: str | None
    hours: OpeningHours | None
    """None means unknown, never closed."""
    services: tuple[str, ...]
    """Thai labels."""
    km: float | None = None
    """Distance from the user, when known."""

    @classmethod
    def of(cls, centre: Centre, area: str, km: float | None = None) -> CentreCard:
        return cls(code=centre.code, name=centre.name, kind=KIND_LABELS.get(centre.type, centre.type.value),
                   hosts=tuple(centre.hosts or ()), address=centre.address, area=area,
                   precision=centre.location_precision, latitude=centre.latitude, longitude=centre.longitude,
                   phone=centre.phone, hours=OpeningHours.parse(centre.opening_hours or ""),
                   services=tuple(service_labels(centre)), km=km)

    @property
    def pinpointed(self) -> bool:
        """Only an exact location with coordinates may be shown as a pin."""
        return self.precision is LocationPrecision.EXACT and self.latitude is not None \
            and self.longitude is not None


def map_url(card: CentreCard) -> str:
    """The pin itself when it is exact; otherwise a search by name and area, so Maps finds the real place."""
    if card.pinpointed:
        return f"{MAP_SEARCH_URL}{card.latitude},{card.longitude}"
    return MAP_SEARCH_URL + quote_plus(shorten(f"{card.name} {card.area}", MAX_MAP_QUERY).removesuffix(ELLIPSIS))


def _distance(km: float) -> str:
    if km < 1:
        return f"ห่างประมาณ {max(100, round(km * 1000, -2)):.0f} ม."
    return f"ห่างประมาณ {km:.1f} กม." if km < 10 else f"ห่างประมาณ {km:,.0f} กม."


def distance_text(card: CentreCard) -> str | None:
    """"ห่างประมาณ 2.4 กม.", and once "(โดยประมาณ)" with the level when the centre is placed by its area."""
    approximate = None if card.precision is LocationPrecision.EXACT else \
        APPROXIMATE.format(level=PRECISION_LABELS.get(card.precision, "ตำแหน่ง"))
    distance = _distance(card.km) if card.km is not None else None
    return " · ".join(part for part in (distance, approximate) if part) or None


def _hours_rows(hours: OpeningHours | None, now: datetime) -> list[dict[str, Any]]:
    if hours is None:
        return [text_component(f"🕘 {HOURS_UNKNOWN}", size="sm", color=MUTED_COLOUR)]
    is_open = hours.is_open(now)
    badge = {"type": "box", "layout": "vertical", "flex": 0, "cornerRadius": "md", "paddingStart": "sm",
             "paddingEnd": "sm", "backgroundColor": OPEN_COLOUR if is_open else CLOSED_COLOUR,
             "contents": [text_component(OPEN_NOW if is_open else CLOSED_NOW, size="xs", color="#FFFFFF")]}
    return [{"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
                badge, text_component(hours.today(now), size="sm")]},
            text_component(hours.describe(), size="xs", color=MUTED_COLOUR)]


def _place_rows(card: CentreCard) -> list[dict[str, Any]]:
    approximate = card.precision is not LocationPrecision.EXACT
    rows = [text_component(f"📍 {card.address or card.area}", size="sm")]
    distance = distance_text(card)
    if distance:
        rows.append(text_component(distance, size="sm", color=WARNING_COLOUR if approximate else MUTED_COLOUR))
    return rows


def tel_uri(phone: str) -> str | None:
    """`tel:` and the first number's digits; None when there are none to dial."""
    first = EXTENSION.split(phone, maxsplit=1)[0]
    digits = "".join(char for char in first if char.isdigit())
    return f"tel:{'+' if first.strip().startswith('+') else ''}{digits}" if digits else None


def _footer(card: CentreCard) -> list[dict[str, Any]]:
    actions = []
    tel = tel_uri(card.phone) if card.phone else None
    if tel:
        actions.append(uri_action("โทร", tel))
    actions.append(uri_action("แผนที่", map_url(card)))
    if card.pinpointed:
        actions.append(postback_action("ส่งตำแหน่ง", postback.encode(Action.CENTRE_LOCATION, c=card.code), "ขอตำแหน่งศูนย์"))
    actions.append(postback_action("รายละเอียด", postback.encode(Action.CENTRE, c=card.code),
                                   shorten(f"รายละเอียด {card.name}", 100)))
    return [{"type": "button", "style": "link", "height": "sm", "action": action} for action in actions]


def _kind(card: CentreCard) -> str:
    return f"{card.kind} · ตั้งอยู่ที่{' / '.join(card.hosts)}" if card.hosts else card.kind


def build_centre_bubble(card: CentreCard, now: datetime) -> dict[str, Any]:
    """Name, kind and host, where it is and how far, today's hours, services; call, map and detail buttons."""
    body = [text_component(shorten(card.name, 120), weight="bold", size="md"),
            text_component(_kind(card), size="xs", color=MUTED_COLOUR),
            {"type": "separator"},
            *_place_rows(card),
            *_hours_rows(card.hours, now)]
    if card.services:
        body.append(text_component("บริการ: " + ", ".join(card.services), size="sm"))
    return {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
        "footer": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": _footer(card)},
    }


def build_centres_message(cards: list[CentreCard], now: datetime,
                          quick_reply: dict[str, Any] | None = None) -> dict[str, Any]:
    """One bubble for one centre, else a carousel of at most MAX_CENTRES, in the order given."""
    if not cards:
        raise ValueError("no centres to show")
    shown = cards[:MAX_CENTRES]
    bubbles = [build_centre_bubble(card, now) for card in shown]
    contents = bubbles[0] if len(bubbles) == 1 else {"type": "carousel", "contents": bubbles}
    return build_flex_message(CENTRES_ALT + " / ".join(card.name for card in shown), contents, quick_reply)


def build_centre_details_message(card: CentreCard, sessions: list[tuple[str, datetime]],
                                 quick_replies: list[dict[str, Any]]) -> dict[str, Any]:
    """[รายละเอียด]: what the card leaves out: the full address, the whole week's hours, the phone, every service
    and the centre's coming course sessions as (course title, start)."""
    address = card.address if card.address and card.area in card.address else \
        " ".join(part for part in (card.address, card.area) if part)
    lines = [f"🏫 {card.name}", _kind(card), f"📍 {address}"]
    if card.precision is not LocationPrecision.EXACT:
        lines.append(f"({NOT_THE_SITE})")
    lines.append(f"📞 {card.phone}" if card.phone else f"📞 {NO_PHONE}")
    lines.append(f"🕘 {card.hours.describe() if card.hours else HOURS_UNKNOWN}")
    if card.services:
        lines.append("บริการ: " + ", ".join(card.services))
    lines.append("รอบอบรมที่ศูนย์นี้:" if sessions else NO_SESSIONS)
    lines += [f"• {shorten(title, 80)} ({thai_time(starts)})" for title, starts in sessions]
    if card.pinpointed:
        lines.append(f"แผนที่: {map_url(card)}")
    return build_text_message("\n".join(lines), quick_replies)


def build_location_message(card: CentreCard) -> dict[str, Any]:
    """LINE's location message: only for a centre whose coordinates are the site itself."""
    if not card.pinpointed:
        raise ValueError(f"centre {card.code} is not pinpointed ({card.precision.value}); never send it as a pin")
    return {"type": "location", "title": shorten(card.name, MAX_LOCATION_TEXT),
            "address": shorten(card.address or card.area, MAX_LOCATION_TEXT),
            "latitude": card.latitude, "longitude": card.longitude}
