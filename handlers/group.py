"""Group and room chats: introduce the bot, then stay silent unless sure or asked.

The bot speaks in a group only (1) when a message is a sure match to a verified fake or distorted claim and
long enough to be the rumour itself, or (2) when someone mentions it with a command. Nothing from a group
becomes a tip or reaches coordinators, no member gets a users row or a profile fetch, and the only trace
kept is data.group_checks' message id → claim, for two days.
"""
from __future__ import annotations

import logging
from typing import Any

import regex

from bot.flex.messages import build_text_message
from bot.flex.verdict import ClaimCard, build_compact_verdict_message
from bot.line.events import InboundEvent
from data.claims import get_claim
from data.group_checks import recall_check, remember_check
from data.models import WARNING_VERDICTS, Claim
from handlers.base import Context, Result
from nlp.match import Match, MatchStatus
from nlp.normalise import normalise
from nlp.tokenise import content_tokens, strip_boilerplate

INTRODUCTION = ("สวัสดีค่ะ ช่วยเช็กขอร่วมกลุ่มด้วยนะคะ 🙏\n"
                "• ปกติช่วยเช็กจะเงียบ จะตอบเฉพาะข้อความที่ตรงกับข่าวปลอมหรือข่าวบิดเบือนที่ตรวจสอบแล้วเท่านั้น\n"
                "• อยากให้ตรวจข้อความไหน ตอบกลับ (Reply) ข้อความนั้น "
                "พิมพ์ @ แล้วเลือกช่วยเช็กจากรายชื่อ ตามด้วยคำว่า ตรวจ\n"
                "• เรียก @ช่วยเช็ก แล้วพิมพ์ ช่วยเหลือ เพื่อดูวิธีใช้\n"
                "• ส่งต่อข้อความมาที่แชตส่วนตัวกับช่วยเช็ก เพื่อตรวจหรือส่งให้เจ้าหน้าที่ตรวจสอบได้\n"
                "ช่วยเช็กไม่เก็บเนื้อหาแชตของกลุ่มค่ะ")
GROUP_HELP = ("วิธีใช้ช่วยเช็กในกลุ่มค่ะ 🙏\n"
              "• ตอบกลับ (Reply) ข้อความที่สงสัย พิมพ์ @ แล้วเลือกช่วยเช็กจากรายชื่อ ตามด้วยคำว่า ตรวจ\n"
              "• ส่งต่อข้อความมาที่แชตส่วนตัวกับช่วยเช็ก เพื่อตรวจหรือส่งให้เจ้าหน้าที่ตรวจสอบ\n"
              "ปกติช่วยเช็กจะเงียบ และไม่เก็บเนื้อหาแชตของกลุ่มค่ะ")
HOW_TO_CHECK = "ตอบกลับ (Reply) ข้อความที่อยากให้ตรวจ พิมพ์ @ แล้วเลือกช่วยเช็ก ตามด้วยคำว่า ตรวจ ได้เลยค่ะ"
NO_RESULT = ("ยังไม่พบผลตรวจสอบของข้อความนี้ค่ะ ถ้าสงสัย ส่งต่อข้อความมาที่แชตส่วนตัวกับช่วยเช็กได้เลย "
             "จะตรวจให้หรือส่งให้เจ้าหน้าที่ตรวจสอบค่ะ")
ALERT_LEAD = "ขออนุญาตเสริมข้อมูลนะคะ 🙏 เรื่องนี้ศูนย์ต่อต้านข่าวปลอมตรวจสอบแล้วค่ะ"
CHECK_LEAD = "ผลตรวจสอบข้อความนี้ค่ะ 🙏"
NOT_SURE = ("ยังไม่แน่ใจว่าข้อความนี้ตรงกับเรื่องที่ตรวจสอบแล้วค่ะ 🙏 ส่งต่อมาที่แชตส่วนตัวกับช่วยเช็ก "
            "จะแสดงเรื่องที่ใกล้เคียงให้เลือก หรือส่งให้เจ้าหน้าที่ตรวจสอบได้ค่ะ")
"""A close but unsure match gets no verdict in a group: the runner-up may have the opposite one, and in a group
nobody picks among candidates as a 1:1 user does."""

MIN_WORDS_TO_SPEAK = 5
"""Content words (chain boilerplate and stopwords out) a message needs before the bot speaks unasked. A remark
about a rumour is short ("มะระขี้นกรักษามะเร็ง? 🙄", 4 words, is a sure match to a claim about diabetes); the
rumour itself rarely is (no fake of the dev set that is a sure match has fewer than 5). See bench/group.py."""
CHECK_WORDS = ("ตรวจ", "จริงไหม", "จริงมั้ย", "จริงหรือ")
"""A mention containing one of these asks about the quoted message; any other mention gets the help. Thai only:
"check" would also be read in a display name such as "ช่วยเช็ก ChuayCheck"."""
MENTION = regex.compile(r"@\S+")
"""The "@name" LINE puts in the text; dropped so the bot's own name is never read as a command."""

log = logging.getLogger(__name__)


def is_join(event: InboundEvent, _ctx: Context) -> bool:
    return event.type == "join"


def is_group_command(event: InboundEvent, _ctx: Context) -> bool:
    return not event.is_one_to_one and event.message_type == "text" and event.mentions_bot


def is_group_chatter(event: InboundEvent, _ctx: Context) -> bool:
    return not event.is_one_to_one


def introduce(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(INTRODUCTION),))


def content_word_count(text: str) -> int:
    """Content words as the matcher counts them: after normalising and dropping chain-message boilerplate."""
    return len(content_tokens(strip_boilerplate(normalise(text).text)))


def should_alert(match: Match, text: str, min_words: int = MIN_WORDS_TO_SPEAK) -> bool:
    """Speak unasked only for a sure match to a fake or distorted claim, in a message that is not short."""
    if match.status is not MatchStatus.MATCH:
        return False
    best = next((candidate for candidate in match.candidates if candidate.claim_id == match.claim_id), None)
    return best is not None and best.verdict in WARNING_VERDICTS and content_word_count(text) >= min_words


def _quoting_text(text: str, quote_token: str | None) -> dict[str, Any]:
    # Flex messages cannot carry a quoteToken (LINE accepts it on text, textV2 and sticker messages only),
    # so a short text quotes the message and the card follows it.
    message = build_text_message(text)
    if quote_token:
        message["quoteToken"] = quote_token
    return message


def _card_reply(lead: str, claim: Claim, event: InboundEvent) -> Result:
    return Result(messages=(_quoting_text(lead, event.quote_token), build_compact_verdict_message(ClaimCard.of(claim))))


def watch(event: InboundEvent, ctx: Context) -> Result:
    """Check a group text message quietly; remember what it matched; speak only if `should_alert`."""
    try:
        return _watch(event, ctx)
    except Exception:
        # dispatch would answer a failure with an apology, which in a group interrupts people who asked
        # nothing: roll back what was half written, as dispatch does, but say nothing.
        log.exception("group check failed on event %s", event.event_id)
        ctx.session.rollback()
        return Result()


def _watch(event: InboundEvent, ctx: Context) -> Result:
    if event.message_type != "text" or not event.text or not event.message_id:
        return Result()
    match = ctx.checker.check(ctx.session, event.text)
    remember_check(ctx.session, event.message_id, match)
    if not should_alert(match, event.text):
        return Result()
    claim = get_claim(ctx.session, match.claim_id or "")
    if claim is None or claim.verdict not in WARNING_VERDICTS:
        return Result()
    return _card_reply(ALERT_LEAD, claim, event)


def run_command(event: InboundEvent, ctx: Context) -> Result:
    """"@ช่วยเช็ก ตรวจ" in a reply: what the quoted message matched; any other mention: the group help."""
    command = MENTION.sub(" ", event.text or "")
    if not any(word in command for word in CHECK_WORDS):
        return Result(messages=(build_text_message(GROUP_HELP),))
    if not event.quoted_message_id:
        return Result(messages=(build_text_message(HOW_TO_CHECK),))
    outcome = recall_check(ctx.session, event.quoted_message_id)
    claim = get_claim(ctx.session, outcome.claim_id) if outcome else None
    if outcome is None or claim is None:
        return Result(messages=(_quoting_text(NO_RESULT, event.quote_token),))
    if outcome.band is MatchStatus.SUGGEST:
        return Result(messages=(_quoting_text(NOT_SURE, event.quote_token),))
    return _card_reply(CHECK_LEAD, claim, event)
