"""Quick answers volunteers asked for: search the verified claims, their province's trends, the latest fakes,
and any verdict card as one plain text to forward into family groups.

Search, the latest fakes and forwarding are open to everyone (they only show what is published); trends show
what people are asking about, so they are for registered volunteers, coordinators and admins.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import regex

from bot.flex.messages import build_text_message, message_action, shorten
from bot.flex.verdict import ClaimCard, build_forward_message, build_verdict_carousel_message
from bot.line.events import InboundEvent
from bot.richmenu.spec import MenuCommand
from data.claims import get_claim
from data.conversation import State
from data.models import BANGKOK, Claim, Role, VolunteerStatus, utcnow
from data.trends import TOP, TREND_WINDOW, TrendingCase, Trends, latest_fakes, province_trends
from data.users import await_answer, awaiting, stop_awaiting
from data.volunteers import get_volunteer
from handlers.base import Context, Result, command_text
from handlers.check_claim import claim_from
from nlp.normalise import normalise
from nlp.places import load_gazetteer
from nlp.tokenise import content_tokens

SEARCH = regex.compile(rf"^(?:{MenuCommand.SEARCH.value}|ค้นหา)(?:\s+(?P<words>.+))?$", regex.DOTALL)
""""ค้นหา วัคซีน", "ค้นหาข่าว ออมสิน", or the bare command; "ค้นหาศูนย์…" (no space) is not a claim search."""
SEARCH_HOW_TO = ("พิมพ์คำที่อยากค้นหาส่งมาได้เลยค่ะ เช่น วัคซีน หรือ ออมสิน "
                 "ช่วยเช็กจะหาข่าวที่ตรวจสอบแล้วที่ตรงที่สุดมาให้")
MENU_WORDS = frozenset(MenuCommand)
MAX_SEARCH_WORDS = 80
"""Longer than this (or on several lines), a message sent after ค้นหาข่าว is a forwarded rumour to check, not words
to search for."""
SEARCH_EXAMPLES = ("ค้นหา วัคซีน", "ค้นหา ออมสิน", "ค้นหา เงินดิจิทัล")
NOTHING_FOUND = ("ไม่พบข่าวที่ตรวจสอบแล้วเกี่ยวกับ “{words}” ค่ะ "
                 "ลองใช้คำอื่นหรือคำที่สั้นลง เช่น ชื่อหน่วยงานหรือชื่อโครงการ "
                 "หรือส่งต่อข้อความทั้งหมดมาให้ช่วยเช็กตรวจก็ได้นะคะ")
SEARCH_SUBTITLE = "ผลการค้นหา “{words}”"
MAX_SHOWN_WORDS = 30
MIN_SEARCH_SCORE = 0.1
"""A floor, not the matcher's suggest threshold: search wants the best hits even when none is close enough to
be offered as the same claim. On the seed, claims below it share only character fragments with the words."""
RELATIVE_FLOOR = 0.5
"""A hit under half the best score is a weak tail ("ยาพาราเซตามอล": three claims near 0.55, then 0.19)."""

TREND_WORDS = frozenset({MenuCommand.TRENDS.value, "เทรนด์ในจังหวัดของฉัน", "เทรนด์จังหวัดของฉัน"})
TREND_ROLES = frozenset({Role.VOLUNTEER, Role.COORDINATOR, Role.ADMIN})
TRENDS_FOR_VOLUNTEERS = ("เทรนด์ข่าวในจังหวัดเป็นเครื่องมือสำหรับอาสาสมัครดิจิทัล (อสด.) ที่ลงทะเบียนแล้วค่ะ "
                         "สนใจร่วมเป็นอาสา พิมพ์ “สมัครอาสา” ได้เลยนะคะ 🙏")
TRENDS_PENDING = ("ใบสมัคร อสด. ของคุณรอเจ้าหน้าที่อนุมัติอยู่ค่ะ 🙏 เมื่ออนุมัติแล้ว ช่วยเช็กจะแจ้งในแชตนี้ "
                  "และดูเทรนด์ข่าวในจังหวัดได้ทันที")
TRENDS_TITLE = "📈 เทรนด์ {days} วันล่าสุด · {place}"
NATIONWIDE = "ทั่วประเทศ"
NO_PROVINCE = "(ยังไม่ได้ระบุจังหวัดของคุณ จึงแสดงเทรนด์ทั่วประเทศค่ะ)"
LOCAL_HEADING = "🔥 เรื่องที่ส่งมาจากจังหวัดนี้มากที่สุด (รอผลตรวจ · นับจากผู้ใช้ที่ระบุจังหวัด)"
"""Only registered users (volunteers) have a province, so say whose tips these are."""
NATIONAL_HEADING = "🌏 ทั่วประเทศ (รอผลตรวจ)"
NO_LOCAL_CASES = "ยังไม่มีเรื่องที่คนในจังหวัดส่งมาถามในช่วงนี้ค่ะ"
NO_CASES = "ยังไม่มีเรื่องที่รอผลตรวจในช่วงนี้ค่ะ"
CASE_ROW = "{rank}. {text}\n   👥 {askers} คน · รอผลมา {waiting}"
NEW_VERDICTS = "✅ ผลตรวจสอบใหม่ {count} เรื่อง อยู่ในการ์ดถัดไปค่ะ กด “ส่งต่อ” เพื่อรับข้อความไว้แชร์ในกลุ่มได้เลย"
NO_NEW_VERDICTS = "ยังไม่มีผลตรวจสอบใหม่ในช่วง {days} วันนี้ค่ะ"
NEW_VERDICTS_SUBTITLE = "ผลตรวจสอบใหม่"
MAX_CASE_CHARS = 80

LATEST_WORDS = frozenset({MenuCommand.LATEST_FAKES.value})
LATEST_SUBTITLE = "ข่าวที่ตรวจสอบล่าสุด"
NO_FAKES_YET = "ยังไม่มีข่าวปลอมที่ตรวจสอบแล้วในระบบค่ะ ข่าวไหนไม่แน่ใจ ส่งต่อมาให้ช่วยเช็กตรวจได้เลยนะคะ"


def is_search(event: InboundEvent, _ctx: Context) -> bool:
    return SEARCH.match(command_text(event) or "") is not None


def is_trends_request(event: InboundEvent, _ctx: Context) -> bool:
    return (command_text(event) or "") in TREND_WORDS


def is_latest_fakes_request(event: InboundEvent, _ctx: Context) -> bool:
    return (command_text(event) or "") in LATEST_WORDS


def _fits(claim: Claim, words: frozenset[str]) -> bool:
    """The claim says most of the words: more than half of them, so both of two ("ฟุตบอลโลก" is not any claim
    about the โลก). A word counts when it is one of the claim's words or, as text, inside it: the tokeniser may
    cut an abbreviation differently in a claim ("กยศ." there, "กยศ" here) although the claim plainly says it."""
    body = normalise(claim.text).text
    tokens = set(content_tokens(body))
    return sum(1 for word in words if word in tokens or word in body) * 2 > len(words)


def find_claims(ctx: Context, words: str, limit: int = TOP) -> list[Claim]:
    """The verified claims that best fit the words, best first, from the process's claim index.

    Lexical only: a search is a few words, which the embedding reads poorly, and the index answers in about a
    millisecond where the embedding would cost tens.
    """
    matcher, _version = ctx.checker.matcher(ctx.session)
    ranking = matcher.rank(words, semantic=False)
    found: list[Claim] = []
    best = 0.0
    for candidate in sorted(ranking.candidates, key=lambda candidate: -candidate.relevance):
        if candidate.relevance < max(MIN_SEARCH_SCORE, best * RELATIVE_FLOOR) or len(found) == limit:
            break
        claim = get_claim(ctx.session, candidate.claim_id)
        if claim is not None and (candidate.url or _fits(claim, ranking.query.tokens)):
            best = best or candidate.relevance
            found.append(claim)
    return found


def is_search_words(event: InboundEvent, ctx: Context) -> bool:
    """The words a bare ค้นหาข่าว asked for. A menu tap or a "ค้นหา …" meanwhile goes to its own handler."""
    text = command_text(event)
    return bool(text) and text not in MENU_WORDS and len(text or "") <= MAX_SEARCH_WORDS \
        and "\n" not in (event.text or "").strip() \
        and not is_search(event, ctx) and awaiting(ctx.user, State.SEARCH_WORDS) is not None


def search(event: InboundEvent, ctx: Context) -> Result:
    match = SEARCH.match(command_text(event) or "")
    words = " ".join((match["words"] or "").split()) if match else ""
    if not words:
        if ctx.user is not None:
            await_answer(ctx.user, State.SEARCH_WORDS)
        return Result(messages=(build_text_message(SEARCH_HOW_TO, [message_action(example)
                                                                   for example in SEARCH_EXAMPLES]),))
    stop_awaiting(ctx.user, State.SEARCH_WORDS)
    return _search_results(ctx, words)


def search_typed_words(event: InboundEvent, ctx: Context) -> Result:
    stop_awaiting(ctx.user, State.SEARCH_WORDS)
    return _search_results(ctx, command_text(event) or "")


def _search_results(ctx: Context, words: str) -> Result:
    claims = find_claims(ctx, words)
    shown = shorten(words, MAX_SHOWN_WORDS)
    if not claims:
        return Result(messages=(build_text_message(NOTHING_FOUND.format(words=shown),
                                                   [message_action(SEARCH_EXAMPLES[0])]),))
    subtitle = SEARCH_SUBTITLE.format(words=shown)
    return Result(messages=(build_verdict_carousel_message(subtitle, [ClaimCard.of(c) for c in claims], subtitle),))


def _place(province_code: str) -> str:
    return load_gazetteer().label_of(province_code, default=province_code)


def _waiting(opened_at: datetime, now: datetime) -> str:
    elapsed = max(now - opened_at, timedelta(0))
    if elapsed < timedelta(hours=1):
        return f"{max(1, elapsed // timedelta(minutes=1))} นาที"
    if elapsed < timedelta(days=2):
        return f"{elapsed // timedelta(hours=1)} ชม."
    return f"{elapsed.days} วัน"


def _case_rows(cases: tuple[TrendingCase, ...], now: datetime) -> list[str]:
    return [CASE_ROW.format(rank=rank, text=shorten(" ".join(case.text.split()), MAX_CASE_CHARS),
                            askers=case.askers, waiting=_waiting(case.opened_at, now))
            for rank, case in enumerate(cases, start=1)]


def trends_text(trends: Trends, now: datetime) -> str:
    days = TREND_WINDOW.days
    place = _place(trends.province_code) if trends.province_code else NATIONWIDE
    lines = [TRENDS_TITLE.format(days=days, place=place)]
    if trends.province_code is None:
        lines.append(NO_PROVINCE)
    else:
        lines += ["", LOCAL_HEADING, *(_case_rows(trends.local, now) or [NO_LOCAL_CASES])]
    if trends.national or trends.province_code is None:
        lines += ["", NATIONAL_HEADING, *(_case_rows(trends.national, now) or [NO_CASES])]
    lines += ["", NEW_VERDICTS.format(count=len(trends.verdicts)) if trends.verdicts
              else NO_NEW_VERDICTS.format(days=days)]
    return "\n".join(lines)


def show_trends(_event: InboundEvent, ctx: Context) -> Result:
    user = ctx.user
    if user is not None and user.role not in TREND_ROLES and _is_pending(ctx):
        return Result(messages=(build_text_message(TRENDS_PENDING, [
            message_action(MenuCommand.VOLUNTEER_PROFILE.value), message_action(MenuCommand.LATEST_FAKES.value)]),))
    if user is None or user.role not in TREND_ROLES:
        return Result(messages=(build_text_message(TRENDS_FOR_VOLUNTEERS, [
            message_action("สมัครอาสา"), message_action(MenuCommand.LATEST_FAKES.value)]),))
    now = utcnow()
    trends = province_trends(ctx.session, user.province_code, now)
    messages = [build_text_message(trends_text(trends, now))]
    if trends.verdicts:
        messages.append(build_verdict_carousel_message(NEW_VERDICTS_SUBTITLE,
                                                       [ClaimCard.of(claim) for claim in trends.verdicts],
                                                       NEW_VERDICTS_SUBTITLE))
    return Result(messages=tuple(messages))


def _is_pending(ctx: Context) -> bool:
    volunteer = get_volunteer(ctx.session, ctx.user) if ctx.user is not None else None
    return volunteer is not None and volunteer.status is VolunteerStatus.PENDING


def show_latest_fakes(_event: InboundEvent, ctx: Context) -> Result:
    claims = latest_fakes(ctx.session, utcnow().astimezone(BANGKOK).date())
    if not claims:
        return Result(messages=(build_text_message(NO_FAKES_YET),))
    cards = [ClaimCard.of(claim) for claim in claims]
    return Result(messages=(build_verdict_carousel_message(MenuCommand.LATEST_FAKES.value, cards, LATEST_SUBTITLE),))


def send_forward_text(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """ส่งต่อ on a verdict card: the same verdict as one plain text, ready to forward."""
    return Result(messages=(build_forward_message(ClaimCard.of(claim_from(params, ctx))),))
