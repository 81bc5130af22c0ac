"""Fact-check a forwarded message: a verdict when sure, candidates when close, an honest "not yet" otherwise."""
from __future__ import annotations

from bot.events import InboundEvent
from bot.messages import build_text_message
from bot.verdict_flex import (ClaimCard, build_suggestions_message, build_tip_offer_message,
                              build_verdict_message, build_verdict_quick_reply)
from data.claims import get_claim
from data.models import Claim, VerdictFeedback
from handlers import tip
from handlers.base import Context, Result, UserInputError
from handlers.replies import AFNC_CHANNELS, main_quick_replies
from nlp.match import MatchStatus
from nlp.tokenise import content_tokens

NOT_VERIFIED = ("ยังไม่พบผลตรวจสอบของเรื่องนี้ค่ะ ระหว่างนี้อย่าเพิ่งแชร์ต่อนะคะ "
                f"สอบถามศูนย์ต่อต้านข่าวปลอมได้ที่ {AFNC_CHANNELS}")
"""For a message we cannot keep as a tip (no known user)."""
CHIT_CHAT = "สวัสดีค่ะ 😊 ข่าวไหนไม่แน่ใจ ส่งต่อหรือวางข้อความมาได้เลย ช่วยเช็กจะตรวจให้ค่ะ"
THANKS_FOR_FEEDBACK = "ขอบคุณสำหรับความเห็นค่ะ 🙏 ช่วยให้ช่วยเช็กตอบได้แม่นขึ้น"
CLAIM_GONE = "ขออภัยค่ะ ไม่พบข่าวนี้ในระบบแล้ว ลองส่งข้อความมาตรวจใหม่นะคะ"
MIN_WORDS_TO_BE_A_CLAIM = 2
"""Below this, an unmatched message is chit-chat ("สวัสดี", "555"), not a rumour."""


def greet(_event: InboundEvent, _ctx: Context) -> Result:
    return Result(messages=(build_text_message(CHIT_CHAT, main_quick_replies()),))


def check_message(event: InboundEvent, ctx: Context) -> Result:
    match = ctx.checker.check(ctx.session, event.text or "")
    if match.status is MatchStatus.NONE and len(content_tokens(event.text or "")) < MIN_WORDS_TO_BE_A_CLAIM:
        return Result(messages=(build_text_message(CHIT_CHAT, main_quick_replies()),))
    draft = tip.draft_for(event, ctx)
    draft_id = draft.id if draft else None
    if match.status is MatchStatus.MATCH and match.claim_id:
        claim = get_claim(ctx.session, match.claim_id)
        if claim is not None:
            card = ClaimCard.of(claim)
            return Result(messages=(build_verdict_message(card, build_verdict_quick_reply(draft_id)),))
    if match.status is MatchStatus.SUGGEST:
        claims = [get_claim(ctx.session, candidate.claim_id) for candidate in match.candidates]
        cards = [ClaimCard.of(claim) for claim in claims if claim is not None]
        if cards:
            return Result(messages=(build_suggestions_message(cards, draft_id),))
    if draft_id is None:
        return Result(messages=(build_text_message(NOT_VERIFIED, main_quick_replies()),))
    return Result(messages=(build_tip_offer_message(draft_id),))


def _claim_from(params: dict[str, str], ctx: Context) -> Claim:
    claim = get_claim(ctx.session, params.get("c", ""))
    if claim is None:
        raise UserInputError(CLAIM_GONE)
    return claim


def show_picked_claim(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    claim = _claim_from(params, ctx)
    tip_id = int(params["t"]) if params.get("t", "").isdigit() else None
    return Result(messages=(build_verdict_message(ClaimCard.of(claim), build_verdict_quick_reply(tip_id)),))


def record_feedback(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    claim = _claim_from(params, ctx)
    ctx.session.add(VerdictFeedback(user_id=ctx.user.id if ctx.user else None, claim_id=claim.id,
                                    helpful=params.get("v") == "1"))
    return Result(messages=(build_text_message(THANKS_FOR_FEEDBACK),))


