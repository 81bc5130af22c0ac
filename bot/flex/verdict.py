"""Flex layouts for fact-check answers: one verdict bubble, and a carousel of candidates to choose from."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from bot.flex.components import BRAND_COLOUR, MUTED_COLOUR, build_flex_message, text_component
from bot.flex.messages import build_text_message, message_action, postback_action, quick_reply, shorten, uri_action
from bot.flex.thai_dates import thai_date
from bot.line import postback
from bot.line.limits import MAX_URI_CHARS
from bot.line.postback import Action
from data.models import BANGKOK
from nlp.timebound import is_time_bound

AFNC_CREDIT = "ที่มา: ศูนย์ต่อต้านข่าวปลอม (AFNC)"
AGENCY_CREDIT = "ที่มา: {agency}"
VERIFIED_ON = "ตรวจสอบเมื่อ: {date}"
NO_DATE = "ตรวจสอบเมื่อ: ไม่ระบุวันที่"
MAY_BE_OUTDATED = "⚠️ ข้อมูลเมื่อ {date} อาจไม่เป็นปัจจุบัน ควรเช็กกับหน่วยงานอีกครั้ง"
UNDATED_MAY_BE_OUTDATED = "⚠️ ข้อมูลนี้ไม่ระบุวันที่ อาจไม่เป็นปัจจุบัน ควรเช็กกับหน่วยงานอีกครั้ง"
OUTDATED_AFTER = timedelta(days=180)
"""A true claim about a deadline, a scheme or a rate may have changed after about half a year."""
UNNAMED_AGENCY = "เจ้าหน้าที่หน่วยงานที่ตรวจสอบ"
"""A coordinator's claim whose agency name is missing: still not AFNC's, so never credited to it."""
ANSWER_SUBTITLE = "ผลตรวจสอบข่าวที่คุณส่งมา"
"""Postback action of the ส่งต่อ button: the bot answers with the card as one forwardable text."""
FORWARD_LABEL = "ส่งต่อ"
FORWARD_DISPLAY_TEXT = "ขอข้อความสำหรับส่งต่อ"
MAX_CLAIM_CHARS = 220
MAX_EXPLANATION_CHARS = 400
VERDICT_STYLE = {
    "fake": ("ข่าวปลอม", "#D32F2F"),
    "distorted": ("ข่าวบิดเบือน", "#EF6C00"),
    "true": ("ข่าวจริง", "#2E7D32"),
}
"""Verdict → (Thai label, colour): red, orange, green, as people expect from traffic lights."""


class VerifiedClaim(Protocol):
    """What a verdict card reads from a stored claim (data.models.Claim has these attributes)."""

    id: str
    text: str
    explanation: str | None
    agency: str | None
    published_on: date | None
    source_url: str | None

    @property
    def verdict(self) -> StrEnum: ...

    @property
    def origin(self) -> StrEnum: ...


@dataclass(frozen=True)
class ClaimCard:
    """The plain values a verdict bubble shows."""

    id: str
    text: str
    verdict: str
    explanation: str | None = None
    agency: str | None = None
    published_on: date | None = None
    url: str | None = None
    verified_by: str | None = None
    """The agency whose coordinator decided the claim; None for AFNC's published claims, whose `agency` is the
    body AFNC asked and is shown as such."""
    may_be_outdated: bool = False
    """A true claim that holds only for a time, verified long ago or on no known date."""

    @classmethod
    def of(cls, claim: VerifiedClaim, today: date | None = None) -> ClaimCard:
        by_coordinator = claim.origin.value == "coordinator"
        today = today or datetime.now(BANGKOK).date()
        outdated = claim.verdict.value == "true" and is_time_bound(f"{claim.text} {claim.explanation or ''}") \
            and (claim.published_on is None or today - claim.published_on > OUTDATED_AFTER)
        return cls(id=claim.id, text=claim.text, verdict=claim.verdict.value, explanation=claim.explanation,
                   agency=None if by_coordinator else claim.agency, published_on=claim.published_on,
                   url=claim.source_url, verified_by=(claim.agency or UNNAMED_AGENCY) if by_coordinator else None,
                   may_be_outdated=outdated)


def credit(card: ClaimCard, afnc: str = AFNC_CREDIT) -> str:
    """Who verified it: the deciding agency for a coordinator's claim, AFNC only for its own."""
    return AGENCY_CREDIT.format(agency=card.verified_by) if card.verified_by else afnc


def verdict_label(verdict: str) -> str:
    return VERDICT_STYLE[verdict][0]





def _verdict_header(verdict: str, subtitle: str) -> dict[str, Any]:
    label, colour = VERDICT_STYLE[verdict]
    return {"type": "box", "layout": "vertical", "backgroundColor": colour, "paddingAll": "lg", "contents": [
        text_component(label, weight="bold", size="xl", color="#FFFFFF"),
        text_component(subtitle, size="xs", color="#FFFFFF")]}


def dating(card: ClaimCard) -> list[str]:
    """When it was verified, always, and a warning when a time-bound truth may have changed since."""
    lines = [VERIFIED_ON.format(date=thai_date(card.published_on)) if card.published_on else NO_DATE]
    if card.may_be_outdated:
        lines.append(MAY_BE_OUTDATED.format(date=thai_date(card.published_on)) if card.published_on
                     else UNDATED_MAY_BE_OUTDATED)
    return lines


def _details(card: ClaimCard) -> list[dict[str, Any]]:
    rows = []
    if card.agency:
        rows.append(text_component(f"ตรวจสอบโดย: {card.agency}", size="xs", color=MUTED_COLOUR))
    verified_on, *warning = dating(card)
    rows.append(text_component(verified_on, size="xs", color=MUTED_COLOUR))
    rows += [text_component(line, size="xs", weight="bold", color=VERDICT_STYLE["distorted"][1]) for line in warning]
    return rows


def _feedback_data(card: ClaimCard, helpful: bool, tip_id: int | None) -> str:
    # 👎 carries the draft tip, as "ไม่ใช่เรื่องนี้" does: both lead to the offer to send the message.
    tip: dict[str, Any] = {"t": tip_id} if tip_id is not None and not helpful else {}
    return postback.encode(Action.FEEDBACK, c=card.id, v=int(helpful), **tip)


def openable_link(card: ClaimCard) -> str | None:
    """The card's link, when a button can carry it. A longer one would make LINE refuse the whole reply, and the
    citizen would get no answer at all: 75 of AFNC's 4,131 links are (percent-encoded Thai, up to 1,289
    characters), found when `python -m bench capacity` sent the known claims. The forwardable text still shows
    such a link, decoded."""
    return card.url if card.url and len(card.url) <= MAX_URI_CHARS else None


def build_verdict_bubble(card: ClaimCard, subtitle: str = ANSWER_SUBTITLE,
                         feedback: bool = True, tip_id: int | None = None) -> dict[str, Any]:
    """`feedback`: the 👍/👎 row, which asks whether the card answers the user's message; off for a card the
    user did not ask about by sending a message (a search result, the latest fakes). `tip_id`: the draft of
    that message, which 👎 offers to send."""
    explanation = shorten(card.explanation, MAX_EXPLANATION_CHARS) if card.explanation else \
        "ดูรายละเอียดการตรวจสอบได้ที่ลิงก์ด้านล่าง"
    footer: list[dict[str, Any]] = []
    if link := openable_link(card):
        footer.append({"type": "button", "style": "link", "height": "sm", "action": uri_action("อ่านเพิ่มเติม", link)})
    footer.append({"type": "button", "style": "link", "height": "sm",
                   "action": postback_action(FORWARD_LABEL, postback.encode(Action.FORWARD_TEXT, c=card.id),
                                             FORWARD_DISPLAY_TEXT)})
    if feedback:
        footer.append({"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
            {"type": "button", "style": "secondary", "height": "sm",
             "action": postback_action("👍 มีประโยชน์", _feedback_data(card, True, tip_id), "👍")},
            {"type": "button", "style": "secondary", "height": "sm",
             "action": postback_action("👎 ไม่ตรง", _feedback_data(card, False, tip_id), "👎")}]})
    footer.append(text_component(credit(card), size="xxs", color=MUTED_COLOUR, align="center"))
    return {
        "type": "bubble",
        "header": _verdict_header(card.verdict, subtitle),
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
            text_component(shorten(card.text, MAX_CLAIM_CHARS), weight="bold", size="md"),
            {"type": "separator"},
            text_component(explanation, size="sm"),
            *_details(card)]},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer},
    }


def build_verdict_message(card: ClaimCard, quick_reply: dict[str, Any] | None = None,
                          tip_id: int | None = None, subtitle: str = ANSWER_SUBTITLE) -> dict[str, Any]:
    alt = f"ผลตรวจสอบ: {verdict_label(card.verdict)} — {card.text}"
    return build_flex_message(alt, build_verdict_bubble(card, subtitle, tip_id=tip_id), quick_reply)


def build_verdict_quick_reply(tip_id: int | None) -> dict[str, Any]:
    """"ไม่ใช่เรื่องนี้" carries the draft tip, so saying no can turn the message into a tip."""
    not_this = (postback.encode(Action.NOT_THIS_CLAIM, t=tip_id) if tip_id is not None
                else postback.encode(Action.NOT_THIS_CLAIM))
    return quick_reply([postback_action("ไม่ใช่เรื่องนี้", not_this, "ไม่ใช่เรื่องนี้"),
                        message_action("ตรวจข่าวอื่น", "ตรวจข่าว")])


TIP_OFFER = "ยังไม่พบผลตรวจสอบของเรื่องนี้ค่ะ ระหว่างนี้อย่าเพิ่งแชร์ต่อนะคะ\nส่งให้เจ้าหน้าที่ตรวจสอบไหมคะ?"


def build_tip_offer_message(tip_id: int, text: str = TIP_OFFER) -> dict[str, Any]:
    """The offer to send a draft tip to the agencies, with its ส่งเลย / ไม่ต้อง buttons."""
    return build_text_message(text, [postback_action("ส่งเลย", postback.encode(Action.SEND_TIP, t=tip_id), "ส่งเลย"),
                                     postback_action("ไม่ต้อง", postback.encode(Action.DECLINE_TIP, t=tip_id), "ไม่ต้อง")])


MAX_VERDICT_CAROUSEL = 5
"""Five full cards is already a long swipe; a carousel of them stays far under LINE's 50 KB."""


def build_verdict_carousel_message(alt_text: str, cards: list[ClaimCard], subtitle: str,
                                   quick_reply: dict[str, Any] | None = None) -> dict[str, Any]:
    """Verdict cards the user looked up rather than sent in (search results, latest fakes): no 👍/👎 row."""
    bubbles = [build_verdict_bubble(card, subtitle, feedback=False) for card in cards[:MAX_VERDICT_CAROUSEL]]
    alt = alt_text + ": " + " / ".join(f"{verdict_label(card.verdict)}: {card.text}"
                                       for card in cards[:MAX_VERDICT_CAROUSEL])
    return build_flex_message(alt, {"type": "carousel", "contents": bubbles}, quick_reply)


FORWARD_MARKS = {"fake": "❌", "distorted": "⚠️", "true": "✅"}
FORWARD_CREDIT = "ที่มา: ศูนย์ต่อต้านข่าวปลอม"
FORWARD_INVITE = "ได้ข่าวแล้วไม่แน่ใจ ส่งมาเช็กกับ “ช่วยเช็ก” ทาง LINE ก่อนแชร์นะคะ 🙏"
MAX_FORWARD_CLAIM_CHARS = 300
MAX_FORWARD_EXPLANATION_CHARS = 800
"""With the claim, a link (at most 1,000 characters, the column's size) and an agency (200), the text stays
under 2,500 characters: half of LINE's 5,000, whatever AFNC wrote."""
MAX_FORWARD_AGENCY_CHARS = 200


TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "igshid")


def readable_link(url: str) -> str:
    """The link as people should see it in a forwarded text: AFNC's are percent-encoded Thai slugs of hundreds
    of characters that look like phishing. An article id (?p=…) is all the site needs; any other link is
    shown decoded, its tracking parameters dropped."""
    parts = urlsplit(url.strip())
    query = [(key, value) for key, value in parse_qsl(parts.query) if not key.lower().startswith(TRACKING_PARAMETERS)]
    article = dict(query).get("p", "")
    if article.isdigit():
        return urlunsplit((parts.scheme or "https", parts.netloc, "/", f"p={article}", ""))
    return unquote(urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), "")))


def build_forward_text(card: ClaimCard) -> str:
    """The verdict as plain text for family groups: the verdict first, then the claim, why, who says so and
    the link. Worded about the claim, never about whoever sent it."""
    lines = [f"{FORWARD_MARKS[card.verdict]} {verdict_label(card.verdict)}",
             f"เรื่อง: {shorten(card.text.strip(), MAX_FORWARD_CLAIM_CHARS)}"]
    if card.explanation and card.explanation.strip():
        lines += ["", f"ข้อเท็จจริง: {shorten(card.explanation.strip(), MAX_FORWARD_EXPLANATION_CHARS)}"]
    lines += ["", shorten(credit(card, FORWARD_CREDIT), MAX_FORWARD_AGENCY_CHARS)]
    if card.agency:
        lines.append(f"ตรวจสอบโดย: {shorten(card.agency, MAX_FORWARD_AGENCY_CHARS)}")
    lines += dating(card)
    if card.url:
        lines.append(f"อ่านต่อ: {readable_link(card.url)}")
    lines += ["", FORWARD_INVITE]
    return "\n".join(lines)


def build_forward_message(card: ClaimCard) -> dict[str, Any]:
    return build_text_message(build_forward_text(card))


SUGGESTIONS_INTRO = "ยังไม่พบเรื่องที่ตรงกันแน่ชัดค่ะ\nข้อความของคุณคือเรื่องไหนในนี้คะ?"
"""Sent before the carousel, so nobody reads a candidate's verdict as the verdict on their own message."""
CANDIDATE_QUESTION = "ใช่เรื่องนี้ไหม?"
CANDIDATE_VERDICT = "ผลตรวจเรื่องนี้: {verdict}"
PICK_LABEL = "ใช่ เรื่องนี้"
NONE_OF_THESE = "ไม่ตรงเรื่องไหนเลย"
NONE_OF_THESE_DETAIL = "ส่งข้อความของคุณให้เจ้าหน้าที่ตรวจสอบได้"


def build_candidate_bubble(card: ClaimCard, tip_id: int | None = None) -> dict[str, Any]:
    """Worded as a question about the user's message; the candidate's own verdict is a small line, not a headline."""
    label, colour = VERDICT_STYLE[card.verdict]
    return {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            text_component(CANDIDATE_QUESTION, weight="bold", size="sm"),
            text_component(shorten(card.text, 160), size="sm"),
            text_component(CANDIDATE_VERDICT.format(verdict=label), size="xs", color=colour),
            *_details(card)]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "height": "sm", "color": BRAND_COLOUR,
             "action": postback_action(PICK_LABEL,
                                       postback.encode(Action.PICK_CLAIM, c=card.id, t=tip_id if tip_id else ""),
                                       PICK_LABEL)}]},
    }


def build_none_of_these_bubble(tip_id: int | None) -> dict[str, Any]:
    return {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            text_component(NONE_OF_THESE + "?", weight="bold", size="sm"),
            text_component(NONE_OF_THESE_DETAIL, size="sm", color=MUTED_COLOUR)]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "secondary", "height": "sm",
             "action": postback_action(NONE_OF_THESE,
                                       postback.encode(Action.NO_MATCH, t=tip_id) if tip_id is not None
                                       else postback.encode(Action.NO_MATCH), NONE_OF_THESE)}]},
    }


def build_suggestions_message(cards: list[ClaimCard], tip_id: int | None = None) -> dict[str, Any]:
    """Up to three close claims to choose from, then a way out that can become a tip. Sent after
    SUGGESTIONS_INTRO; the alt text (a notification) asks too, and names no verdict."""
    bubbles = [build_candidate_bubble(card, tip_id) for card in cards[:3]] + [build_none_of_these_bubble(tip_id)]
    alt = "ข้อความของคุณคือเรื่องไหน: " + " / ".join(c.text for c in cards[:3])
    return build_flex_message(alt, {"type": "carousel", "contents": bubbles})


COMPACT_CLAIM_CHARS = 100
"""Two lines on a phone: a card in a group must not take over the chat."""
COMPACT_SAME = "ตรงกับเรื่องที่ตรวจสอบแล้ว"


def build_compact_verdict_bubble(card: ClaimCard) -> dict[str, Any]:
    """A small bubble for group chats: the verdict, the claim in two lines, the link and AFNC's credit.

    It speaks about the claim, never about whoever sent it, and has no buttons that would answer in the group.
    """
    label, colour = VERDICT_STYLE[card.verdict]
    footer: list[dict[str, Any]] = []
    if link := openable_link(card):
        footer.append({"type": "button", "style": "link", "height": "sm",
                       "action": uri_action("อ่านเพิ่มเติม", link)})
    footer.append(text_component(credit(card), size="xxs", color=MUTED_COLOUR, align="center"))
    return {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
                text_component(label, weight="bold", size="md", color=colour, flex=0),
                text_component(COMPACT_SAME, size="xxs", color=MUTED_COLOUR)]},
            text_component(shorten(card.text, COMPACT_CLAIM_CHARS), size="sm", maxLines=2),
            *(text_component(line, size="xxs", color=MUTED_COLOUR) for line in dating(card))]},
        "footer": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": footer},
    }


def build_compact_verdict_message(card: ClaimCard) -> dict[str, Any]:
    alt = f"{verdict_label(card.verdict)} ({COMPACT_SAME}): {card.text}"
    return build_flex_message(alt, build_compact_verdict_bubble(card))
