"""FAQ and explainers: the best entry for a question, or the three closest to pick from."""
from __future__ import annotations

from bot.flex.messages import build_text_message, message_action, postback_action
from bot.line import postback
from bot.line.events import InboundEvent
from bot.line.postback import Action
from data.faq import get_faq
from data.models import FaqEntry
from handlers.base import Context, Result, existing
from handlers.replies import main_quick_replies
from nlp.faq import FaqHit

WHICH_QUESTION = "หมายถึงเรื่องไหนคะ เลือกได้เลยค่ะ"
ENTRY_GONE = "ขออภัยค่ะ ไม่พบคำตอบนี้ในระบบแล้ว ลองพิมพ์คำถามใหม่อีกครั้งนะคะ"
MORE = "อ่านเพิ่มเติม: {link}"
SIGN_UP_TAG = "signup"
"""An entry about joining as a volunteer (อสด.): the bot signs people up itself, so its answer says how."""
SIGN_UP_HERE = "อยากร่วมเป็น อสด. กับช่วยเช็ก สมัครในแชตนี้ได้เลยค่ะ กด “สมัครอาสา” ด้านล่าง"


def _answer(entry: FaqEntry) -> Result:
    text = entry.answer if not entry.link else f"{entry.answer}\n\n{MORE.format(link=entry.link)}"
    actions = main_quick_replies()
    if SIGN_UP_TAG in entry.tags:
        text += "\n\n" + SIGN_UP_HERE
        actions = [message_action("สมัครอาสา"), *actions]
    return Result(messages=(build_text_message(text, actions),))


def try_answer(event: InboundEvent, ctx: Context) -> Result | None:
    """An answer when the question is close to an entry's phrasings; None when no entry is close."""
    found = ctx.knowledge.faq(ctx.session).answer(event.text or "")
    if found.best is not None:
        entry = get_faq(ctx.session, found.best.code)
        if entry is not None:
            return _answer(entry)
    entries = [entry for entry in (get_faq(ctx.session, hit.code) for hit in found.candidates) if entry]
    if not entries:
        return None
    actions = [postback_action(entry.questions[0], postback.encode(Action.FAQ_ENTRY, c=entry.code), entry.questions[0])
               for entry in entries]
    return Result(messages=(build_text_message(WHICH_QUESTION, actions),))


def first_questions(ctx: Context, hits: list[FaqHit]) -> list[str]:
    """Each hit's first phrasing: the words a quick reply sends to ask for that entry."""
    entries = (get_faq(ctx.session, hit.code) for hit in hits)
    return [entry.questions[0] for entry in entries if entry is not None]


def show_entry(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    return _answer(existing(get_faq(ctx.session, params.get("c", "")), ENTRY_GONE))
