"""Free text in a one-to-one chat: classify it once (nlp.intent), then answer as that intent's handler does."""
from __future__ import annotations

from typing import Any

from bot.flex.messages import build_text_message, message_action
from bot.line.events import InboundEvent
from bot.richmenu.spec import MenuCommand
from handlers import centres, check_claim, courses, faq, guide
from handlers.base import Context, Handle, Result
from nlp.intent import Intent, classify
from nlp.match import MatchStatus
from nlp.tokenise import content_tokens

GREETING_MAX_WORDS = 4
"""From this many content words a "greeting" carries a claim too, and is offered to the officers if unknown."""
WHICH_INTENT = "อยากให้ช่วยเรื่องไหนคะ เลือกได้เลยค่ะ"
CHOICES: dict[Intent, dict[str, Any]] = {
    Intent.CENTRE: message_action("หาศูนย์ดิจิทัลชุมชน", MenuCommand.CENTRES),
    Intent.COURSE: message_action("ดูหลักสูตร", MenuCommand.COURSES),
    Intent.FACT_CHECK: message_action(MenuCommand.CHECK),
    Intent.HELP: message_action(MenuCommand.HELP),
}
"""A quick reply per intent, each sending a command that is not ambiguous."""


def _greet_or_check(event: InboundEvent, ctx: Context) -> Result:
    """Chain rumours often open with a greeting ("อรุณสวัสดิ์ ดื่มน้ำอุ่นฆ่าไวรัส"): a greeting that also says
    something, or that the checker recognises, is checked like any message."""
    text = event.text or ""
    if ctx.checker.check(ctx.session, text).status is not MatchStatus.NONE \
            or len(content_tokens(text)) >= GREETING_MAX_WORDS:
        return check_claim.check_message(event, ctx)
    return check_claim.greet(event, ctx)


def _faq_or_check(event: InboundEvent, ctx: Context) -> Result:
    """A question no FAQ entry answers may still be a rumour ("… จริงไหม"): the checker decides."""
    return faq.try_answer(event, ctx) or check_claim.check_message(event, ctx)


ANSWER: dict[Intent, Handle] = {
    Intent.FACT_CHECK: check_claim.check_message,
    Intent.CENTRE: centres.answer_query,
    Intent.COURSE: courses.answer_query,
    Intent.FAQ: _faq_or_check,
    Intent.HELP: guide.show_guide,
    Intent.GREETING: _greet_or_check,
}


def is_free_text(event: InboundEvent, _ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type == "text" and bool((event.text or "").strip())


def answer(event: InboundEvent, ctx: Context) -> Result:
    result = classify(event.text or "", ctx.knowledge.faq(ctx.session))
    if not result.ambiguous:
        return ANSWER[result.intent](event, ctx)
    actions = [CHOICES[intent] for intent in result.alternatives if intent in CHOICES]
    if Intent.FAQ in result.alternatives:
        found = ctx.knowledge.faq(ctx.session).answer(event.text or "")
        hits = ([found.best] if found.best else []) + list(found.candidates)
        actions += [message_action(question, question) for question in faq.first_questions(ctx, hits[:2])]
    return Result(messages=(build_text_message(WHICH_INTENT, actions),))
