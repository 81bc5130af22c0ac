"""Free text in a one-to-one chat: classify it once (nlp.intent), then answer as that intent's handler does."""
from __future__ import annotations

from typing import Any

from bot.events import InboundEvent
from bot.messages import build_text_message, message_action
from handlers import centres, check_claim, courses, faq, guide
from handlers.base import Context, Handle, Result
from nlp.intent import Intent, classify

WHICH_INTENT = "อยากให้ช่วยเรื่องไหนคะ เลือกได้เลยค่ะ"
CHOICES: dict[Intent, dict[str, Any]] = {
    Intent.CENTRE: message_action("หาศูนย์ดิจิทัลชุมชน", "ศูนย์ใกล้ฉัน"),
    Intent.COURSE: message_action("ดูหลักสูตร", "หลักสูตร"),
    Intent.FACT_CHECK: message_action("ตรวจข่าว"),
    Intent.HELP: message_action("ช่วยเหลือ"),
}
"""A quick reply per intent, each sending a command that is not ambiguous."""


def _faq_or_check(event: InboundEvent, ctx: Context) -> Result:
    """A question no FAQ entry answers may still be a rumour ("… จริงไหม"): the checker decides."""
    return faq.try_answer(event, ctx) or check_claim.check_message(event, ctx)


ANSWER: dict[Intent, Handle] = {
    Intent.FACT_CHECK: check_claim.check_message,
    Intent.CENTRE: centres.answer_query,
    Intent.COURSE: courses.answer_query,
    Intent.FAQ: _faq_or_check,
    Intent.HELP: guide.show_guide,
    Intent.GREETING: check_claim.greet,
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
