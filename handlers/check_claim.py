"""Fact-check a forwarded message: a verdict when sure, candidates when close, an honest "not yet" otherwise."""
from __future__ import annotations

import re

from bot.flex.messages import build_text_message
from bot.flex.verdict import (
    SUGGESTIONS_INTRO,
    ClaimCard,
    build_suggestions_message,
    build_tip_offer_message,
    build_verdict_message,
    build_verdict_quick_reply,
)
from bot.line.events import InboundEvent
from data.claim_matches import record_match
from data.claims import get_claim
from data.models import Claim, VerdictFeedback, utcnow
from handlers import tip
from handlers.base import Context, Result, existing
from handlers.replies import AFNC_CHANNELS, main_quick_replies
from nlp.match import MatchStatus
from nlp.tokenise import content_tokens

NOT_VERIFIED = ("ยังไม่พบผลตรวจสอบของเรื่องนี้ค่ะ ระหว่างนี้อย่าเพิ่งแชร์ต่อนะคะ "
                f"สอบถามศูนย์ต่อต้านข่าวปลอมได้ที่ {AFNC_CHANNELS}")
"""For a message we cannot keep as a tip (no known user)."""
CHIT_CHAT = "สวัสดีค่ะ 😊 ข่าวไหนไม่แน่ใจ ส่งต่อหรือวางข้อความมาได้เลย ช่วยเช็กจะตรวจให้"
THANKED = "ขอบคุณเช่นกันค่ะ 🙏 มีข่าวไหนสงสัยอีก ส่งมาให้ช่วยเช็กตรวจได้ตลอดเลย"
ASK_FOR_MESSAGE = "ข่าวไหนคะ ส่งต่อ (Forward) หรือวางข้อความที่อยากให้ตรวจมาในแชตนี้ได้เลย"
SMALL_TALK = "😊 ข่าวไหนไม่แน่ใจ ส่งต่อหรือวางข้อความมาได้เลยค่ะ ช่วยเช็กจะตรวจให้"
HELLO = re.compile(r"สวัสดี|หวัดดี|^ดี(?:ค่ะ|ครับ|จ้า)|^hi\b|^hello", re.IGNORECASE)
THANKS = re.compile(r"ขอบคุณ|ขอบใจ|ขอบคุง|thank|thx|^[🙏\s]+$", re.IGNORECASE)
BARE_QUESTION = re.compile(r"^(?:ข่าวนี้|อันนี้|เรื่องนี้)?\s*(?:จริง|จิง)\s*(?:ไหม|มั้ย|มั๊ย|หรือเปล่า|รึเปล่า|เปล่า|ป่าว|"
                           r"หรือไม่|เหรอ|หรอ|ปะ)?\s*(?:คะ|ค่ะ|ครับ|จ๊ะ|จ้ะ)?\s*[?？]*$")
""""จริงไหม" alone asks about a message the user has not sent yet."""
THANKS_FOR_FEEDBACK = "ขอบคุณสำหรับความเห็นค่ะ 🙏 ความเห็นนี้ช่วยให้เราตอบได้แม่นยำขึ้น"
CLAIM_GONE = "ขออภัยค่ะ ไม่พบข่าวนี้ในระบบแล้ว ลองส่งข้อความมาตรวจใหม่นะคะ"
MIN_WORDS_TO_BE_A_CLAIM = 2
"""Below this, an unmatched message is chit-chat ("สวัสดี", "555"), not a rumour."""


def chit_chat_reply(text: str) -> str:
    """Answer small talk in kind: thanks with thanks, a bare "จริงไหม" by asking for the message."""
    text = text.strip()
    if HELLO.search(text):
        return CHIT_CHAT
    if THANKS.search(text):
        return THANKED
    return ASK_FOR_MESSAGE if BARE_QUESTION.match(text) else SMALL_TALK


def greet(event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(chit_chat_reply(event.text or ""), main_quick_replies()),))


def check_message(event: InboundEvent, ctx: Context) -> Result:
    if BARE_QUESTION.match((event.text or "").strip()):  # "ข่าวนี้จริงไหม" names no claim: never a tip
        return greet(event, ctx)
    match = ctx.checker.check(ctx.session, event.text or "")
    if match.status is MatchStatus.NONE and len(content_tokens(event.text or "")) < MIN_WORDS_TO_BE_A_CLAIM:
        return greet(event, ctx)
    draft = tip.draft_for(event, ctx)
    draft_id = draft.id if draft else None
    if match.status is MatchStatus.MATCH and match.claim_id:
        claim = get_claim(ctx.session, match.claim_id)
        if claim is not None:
            record_match(ctx.session, claim.id, utcnow())  # the web desk's "claims most matched"
            card = ClaimCard.of(claim)
            return Result(messages=(build_verdict_message(card, build_verdict_quick_reply(draft_id), draft_id),))
    if match.status is MatchStatus.SUGGEST:
        claims = [get_claim(ctx.session, candidate.claim_id) for candidate in match.candidates]
        cards = [ClaimCard.of(claim) for claim in claims if claim is not None]
        if cards:
            return Result(messages=(build_text_message(SUGGESTIONS_INTRO),
                                    build_suggestions_message(cards, draft_id)))
    if draft_id is None:
        return Result(messages=(build_text_message(NOT_VERIFIED, main_quick_replies()),))
    return Result(messages=(build_tip_offer_message(draft_id),))


def claim_from(params: dict[str, str], ctx: Context) -> Claim:
    """The claim a button names (its `c`)."""
    return existing(get_claim(ctx.session, params.get("c", "")), CLAIM_GONE)


def show_picked_claim(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    claim = claim_from(params, ctx)
    tip_id = int(params["t"]) if params.get("t", "").isdigit() else None
    return Result(messages=(build_verdict_message(ClaimCard.of(claim), build_verdict_quick_reply(tip_id), tip_id),))


def record_feedback(event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """👍 is thanked; 👎 on an answer to the user's message is "ไม่ใช่เรื่องนี้" too: the offer to send it."""
    claim = claim_from(params, ctx)
    helpful = params.get("v") == "1"
    ctx.session.add(VerdictFeedback(user_id=ctx.user.id if ctx.user else None, claim_id=claim.id, helpful=helpful))
    if not helpful and "t" in params:
        return tip.offer_again(event, ctx, params)
    return Result(messages=(build_text_message(THANKS_FOR_FEEDBACK),))


