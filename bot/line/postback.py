"""The only place postback data is made or read: compact `key=value&...`, never over LINE's 300 chars.

Buttons that change state (a coordinator's verdict) are signed with an HMAC, so data edited or replayed by
someone else's client fails verification; the handlers still check role, agency and case state.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from enum import StrEnum
from urllib.parse import parse_qsl, urlencode

from bot.line.limits import MAX_POSTBACK_DATA_CHARS

ACTION_KEY = "a"
SIGNATURE_KEY = "s"
SIGNATURE_CHARS = 16
SIGNED = re.compile(rf"^(?P<payload>.+)&{SIGNATURE_KEY}=(?P<signature>[0-9a-f]{{{SIGNATURE_CHARS}}})$")


class Action(StrEnum):
    """Every postback action, by name; the values are what LINE carries (short: data is capped at 300
    characters) and must never change, as buttons already sent keep working. COURSE is made by no card any
    more but still answered, for cards in old chats."""

    # A citizen checking a message
    PICK_CLAIM = "pick"
    FEEDBACK = "fb"
    FORWARD_TEXT = "fwd"
    NOT_THIS_CLAIM = "notthis"
    NO_MATCH = "nomatch"
    SEND_TIP = "tip"
    DECLINE_TIP = "notip"

    # Signing up as a volunteer
    VOLUNTEER_PROVINCE = "vprov"
    VOLUNTEER_DISTRICT = "vdist"
    VOLUNTEER_CONSENT = "vconsent"

    # Centres, courses and the FAQ
    CENTRE = "ctr"
    CENTRE_LOCATION = "ctrloc"
    CENTRE_PLACE = "place"
    COURSE = "crs"
    COURSE_SESSIONS = "ses"
    SESSION_PLACE = "splace"
    REGISTER_INTEREST = "int"
    CANCEL_INTEREST = "unint"
    FAQ_ENTRY = "faq"

    # ลบข้อมูลของฉัน
    CONFIRM_ERASE = "erase"
    KEEP_DATA = "noerase"

    # A rich menu's tab (LINE switches the page itself; the bot ignores it)
    MENU_TAB = "tab"

    # A coordinator's case buttons: signed
    TAKE_CASE = "ct"
    CHOOSE_VERDICT = "cv"
    CANCEL_VERDICT = "cx"
    CONFIRM_TITLE = "ck"
    CHOOSE_AGENCY = "cr"
    """ไม่ใช่หน่วยงานนี้: the agencies the case could go to instead (made before agency choices existed)."""
    REROUTE_CASE = "cy"
    """ส่งให้หน่วยงานนี้: the case goes to the agency picked from those choices."""
    ASK_MORE_INFO = "ci"
    CLOSE_AS_SAME = "cd"
    CHOOSE_MERGE_TARGET = "cg"
    MERGE_CASE = "cj"
    CHOOSE_TIP_TO_SPLIT = "cw"
    SPLIT_CASE = "cp"

    # A coordinator's rich menu: read-only
    SHOW_QUEUE = "cq"
    SHOW_MINE = "cm"
    SHOW_STATS = "cs"
    SHOW_HELP = "ch"


class InvalidPostbackError(ValueError):
    """Postback data we did not make, or data from an older version of the bot."""


class ForgedPostbackError(InvalidPostbackError):
    """Signed data whose signature does not verify: edited, or made by someone without the key."""


def _signature(payload: str, key: bytes) -> str:
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()[:SIGNATURE_CHARS]


def encode(action: str, *, key: bytes | None = None, **params: str | int) -> str:
    data = urlencode({ACTION_KEY: action, **{name: str(value) for name, value in params.items()}})
    if key is not None:
        data += f"&{SIGNATURE_KEY}={_signature(data, key)}"
    if len(data) > MAX_POSTBACK_DATA_CHARS:
        raise ValueError(f"postback data for {action!r} is {len(data)} characters (max {MAX_POSTBACK_DATA_CHARS})")
    return data


def decode(data: str, *, key: bytes | None = None) -> tuple[str, dict[str, str], bool]:
    """Return (action, params, signed); `signed` is True only for a valid signature made with `key`.

    Only the signed part is parsed, and a repeated key is refused, so nothing can be appended to signed data.
    """
    signed = False
    match = SIGNED.match(data)
    if match is not None:
        if key is None or not hmac.compare_digest(match["signature"], _signature(match["payload"], key)):
            raise ForgedPostbackError("postback signature does not verify")
        data, signed = match["payload"], True
    elif f"&{SIGNATURE_KEY}=" in data or data.startswith(f"{SIGNATURE_KEY}="):
        raise ForgedPostbackError("malformed postback signature")
    try:
        pairs = parse_qsl(data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InvalidPostbackError(f"not our postback format: {data[:50]!r}") from None
    params = dict(pairs)
    if len(params) != len(pairs):
        raise (ForgedPostbackError if signed else InvalidPostbackError)("a postback key is repeated")
    action = params.pop(ACTION_KEY, "")
    if not action:
        raise InvalidPostbackError(f"postback without an action: {data[:50]!r}")
    return action, params, signed


def derive_key(channel_secret: str) -> bytes:
    """A key for postbacks only, so the channel secret itself never signs anything but LINE's webhooks."""
    return hashlib.sha256(b"chuaycheck-postback:" + channel_secret.encode()).digest()
