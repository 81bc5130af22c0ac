"""Coordinators inside LINE: register, read the queue, take a case, give a verdict with an explanation, merge
and split cases. Sending a case to another agency is handlers.reroute."""
from __future__ import annotations

import re
from typing import Any

from bot.flex.case import (
    build_case_queue_message,
    build_merge_targets_message,
    build_similar_cases_message,
    build_split_choices_message,
)
from bot.flex.messages import build_text_message, postback_action
from bot.flex.thai_dates import thai_time
from bot.flex.verdict import VERDICT_STYLE
from bot.line import postback
from bot.line.events import InboundEvent
from bot.line.postback import Action
from data.agencies import active_agencies
from data.audit import REFUSED_PREFIX, AuditAction, record_audit
from data.case_actions import publish_verdict, take_case
from data.case_details import details_of
from data.cases import lock_case_routing, merge_targets
from data.conversation import State
from data.coordinators import FALLBACK_AGENCY, CoordinatorError, agency_queue, redeem_invite
from data.figures import agency_stats
from data.merges import case_wordings, merge_cases, split_tip
from data.models import Case, Claim, Role, Tip, Verdict, utcnow
from data.users import await_answer, awaiting
from data.verdicts import (
    MAX_TITLE_CHARS,
    CaseDecidedError,
    CaseMergedError,
    close_with_claim,
    ensure_open,
    untold_requesters,
)
from handlers.base import Context, FollowUp, PostbackHandle, Result, UserInputError, command_text
from nlp.normalise import URL
from nlp.tokenise import claim_title
from workers.coordination import (
    ask_requesters_for_details,
    case_card,
    details_job_id,
    fanout_job_id,
    new_occurrence,
    send_verdict_to_requesters,
)
from workers.richmenu_jobs import link_menu_job_id, sync_user_menu
from workers.tips import announce_case, announce_job_id

REGISTER_PREFIX = "ลงทะเบียน"
REGISTRATION = re.compile(rf"^{REGISTER_PREFIX}\s*[A-Za-z0-9]{{8}}$")
NOT_ALLOWED = "ขออภัยค่ะ ปุ่มนี้สำหรับเจ้าหน้าที่ของหน่วยงานที่รับผิดชอบเท่านั้น"
REGISTERED = "ลงทะเบียนเป็นเจ้าหน้าที่ของหน่วยงานเรียบร้อยแล้วค่ะ 🙏 เมนูเจ้าหน้าที่จะขึ้นด้านล่างแชต"
BAD_INVITE = "รหัสลงทะเบียนไม่ถูกต้องหรือถูกใช้ไปแล้วค่ะ กรุณาขอรหัสใหม่จากผู้ดูแลระบบ"
TAKEN = "รับเรื่องที่ {case} แล้วค่ะ เลือกผลตรวจจากการ์ดได้เมื่อพร้อม"
TAKEN_BY_OTHER = "เรื่องที่ {case} มีเจ้าหน้าที่คนอื่นรับไปแล้วค่ะ"
ASK_EXPLANATION = ("ผลที่เลือก: {verdict} สำหรับเรื่องที่ {case}\nพิมพ์คำอธิบายสั้น ๆ สำหรับประชาชน "
                   "(ใส่ลิงก์แหล่งอ้างอิงต่อท้ายได้) หรือกดยกเลิก")
CANCELLED = "ยกเลิกแล้วค่ะ เรื่องยังรอผลตรวจอยู่"
ASK_TITLE = ("หัวข้อที่จะแจ้งประชาชน:\n“{title}”\n"
             "กด “ใช้หัวข้อนี้” เพื่อส่งผล หรือพิมพ์หัวข้อใหม่ที่สั้นและชัดค่ะ (ไม่เกิน 200 ตัวอักษร)")
USE_TITLE = "ใช้หัวข้อนี้"
TITLE_LENGTH = "ขอหัวข้อสั้น ๆ ไม่เกิน 200 ตัวอักษรค่ะ พิมพ์มาใหม่ได้เลย"
TITLE_EXPIRED = "ปุ่มนี้หมดอายุแล้วค่ะ กดเลือกผลตรวจจากการ์ดเรื่องอีกครั้ง"
DONE = "บันทึกผลตรวจเรื่องที่ {case} แล้วค่ะ ✅ กำลังแจ้งผู้ส่ง {count} คน และระบบจะตอบเรื่องนี้ให้ทันทีต่อจากนี้"
DECIDED = "เรื่องที่ {case} ตัดสินแล้วโดย {who} เมื่อ {when} ค่ะ"
MERGED = "เรื่องที่ {case} รวมเข้ากับเรื่องที่ {into} แล้วค่ะ"
NO_MERGE_TARGET = "ยังไม่พบเรื่องที่คล้ายกับเรื่องที่ {case} ซึ่งรอตรวจอยู่ในหน่วยงานของคุณค่ะ"
MERGE_DONE = "รวมเรื่องที่ {case} เข้ากับเรื่องที่ {into} แล้วค่ะ ✅ ตอนนี้มีผู้รอผล {count} คน"
ONE_WORDING = "เรื่องที่ {case} มีข้อความแบบเดียว จึงแยกไม่ได้ค่ะ"
TIP_MOVED = "ข้อความนี้ไม่ได้อยู่ในเรื่องที่ {case} แล้วค่ะ"
SPLIT_DONE = ("แยกเป็นเรื่องที่ {new} แล้วค่ะ ✅ ส่งให้ {agency} ตรวจเหมือนเรื่องใหม่ (ผู้รอผล {count} คน) "
              "และเรื่องที่ {case} ยังมีผู้รอผล {left} คน")
CLOSED_TOO = "เรื่องที่ {cases} ว่าด้วยเรื่องเดียวกัน จึงปิดด้วยผลนี้พร้อมกันแล้วค่ะ"
SAME_CLOSED = "ปิดเรื่องที่ {case} ด้วยผลเดียวกับเรื่องที่ {decided} ({verdict}) แล้วค่ะ ✅ กำลังแจ้งผลให้ผู้ส่งเรื่องนี้"
MORE_INFO_SENT = "ส่งคำขอข้อมูลเพิ่มถึงผู้แจ้งเรื่องที่ {case} แล้วค่ะ"
EMPTY_QUEUE = "ตอนนี้ไม่มีเรื่องรอตรวจค่ะ 🎉"
NOTHING_TAKEN = "ตอนนี้คุณยังไม่ได้รับเรื่องไหนไว้ค่ะ เลือกเรื่องได้จากเมนู งานรอตรวจ"
HELP = ("เมนูเจ้าหน้าที่: งานรอตรวจ (เรื่องของหน่วยงาน เรียงตามจำนวนผู้ส่ง) · งานของฉัน · สถิติ\n"
        "ในการ์ดเรื่อง: รับเรื่อง → เลือกผลตรวจ → พิมพ์คำอธิบาย → ยืนยันหัวข้อ ระบบจะแจ้งผู้ส่งทุกคนให้เอง\n"
        "ถ้าระบบจัดกลุ่มผิด: รวมกับเรื่องอื่น (เรื่องเดียวกันที่แยกกันอยู่) · แยกข้อความ (ข้อความที่เป็นคนละเรื่อง)")
VERDICT_WORDS = {verdict: VERDICT_STYLE[verdict.value][0] for verdict in Verdict}


def is_coordinator(ctx: Context) -> bool:
    return ctx.user is not None and ctx.user.role is Role.COORDINATOR and ctx.user.agency_code is not None


def is_registration(event: InboundEvent, _ctx: Context) -> bool:
    """Only "ลงทะเบียน" and an invite code: a chain message starting "ลงทะเบียนรับเงิน…" is a rumour to check."""
    return event.is_one_to_one and REGISTRATION.match((event.text or "").strip()) is not None


def is_explanation(event: InboundEvent, ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type == "text" and is_coordinator(ctx) \
        and awaiting(ctx.user, State.VERDICT_EXPLANATION) is not None


def is_title(event: InboundEvent, ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type == "text" and is_coordinator(ctx) \
        and awaiting(ctx.user, State.VERDICT_TITLE) is not None


def register(event: InboundEvent, ctx: Context) -> Result:
    code = (event.text or "").strip().removeprefix(REGISTER_PREFIX).strip()
    if ctx.user is None or not code:
        raise UserInputError(BAD_INVITE)
    try:
        redeem_invite(ctx.session, code, ctx.user)
    except CoordinatorError:
        raise UserInputError(BAD_INVITE) from None
    return Result(messages=(build_text_message(REGISTERED),),
                  follow_ups=(FollowUp(sync_user_menu, (ctx.user.line_user_id,),
                                       link_menu_job_id(ctx.user.line_user_id)),))


def _may_act(ctx: Context, case: Case) -> bool:
    # The AFNC desk is the fallback and escalation target: its coordinators may act on any case.
    return is_coordinator(ctx) and ctx.user is not None and \
        ctx.user.agency_code in (case.agency_code, FALLBACK_AGENCY)


def case_for(ctx: Context, params: dict[str, str], action: str) -> Case:
    """The open case a signed button names, if this user may act on it; refusals are audited."""
    case = ctx.session.get(Case, int(params.get("c", "0") or 0), with_for_update=True)
    if case is None or not _may_act(ctx, case):
        refuse(ctx, action, params.get("c", ""))
    assert case is not None
    try:
        ensure_open(ctx.session, case)
    except CaseDecidedError as error:
        raise UserInputError(DECIDED.format(case=error.case_id, who=error.decided_by,
                                            when=thai_time(error.decided_at))) from None
    except CaseMergedError as error:
        raise UserInputError(MERGED.format(case=error.case_id, into=error.merged_into_id)) from None
    return case


def agency_names(ctx: Context) -> dict[str, str]:
    """Active agencies' Thai names by code."""
    return {spec.code: spec.name for spec in active_agencies(ctx.session)}


def _taken_by_other(ctx: Context, case: Case) -> bool:
    """Someone else took the case; the AFNC desk may still decide it."""
    assert ctx.user is not None
    return case.taken_by not in (None, ctx.user.id) and ctx.user.agency_code != FALLBACK_AGENCY


def audit(ctx: Context, action: str, case_id: int | str, detail: dict[str, Any] | None = None) -> None:
    """Every coordinator action, allowed or refused, goes to the audit log."""
    record_audit(ctx.session, actor=ctx.user.line_user_id if ctx.user else "unknown", action=action,
                 object_type="case", object_id=str(case_id) or "-", detail=detail or {})


def refuse(ctx: Context, action: str, object_id: str) -> None:
    audit(ctx, REFUSED_PREFIX + action, object_id or "-")  # dispatch commits it with the polite refusal
    raise UserInputError(NOT_ALLOWED)


def take(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    case = case_for(ctx, params, "take")
    assert ctx.user is not None
    if not take_case(ctx.session, case, ctx.user):
        return Result(messages=(build_text_message(TAKEN_BY_OTHER.format(case=case.id)),))
    return Result(messages=(build_text_message(TAKEN.format(case=case.id)),))


def choose_verdict(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    case = case_for(ctx, params, "verdict")
    try:
        verdict = Verdict(params.get("v", ""))
    except ValueError:
        raise UserInputError(NOT_ALLOWED) from None
    assert ctx.user is not None
    if _taken_by_other(ctx, case):
        return Result(messages=(build_text_message(TAKEN_BY_OTHER.format(case=case.id)),))
    await_answer(ctx.user, State.VERDICT_EXPLANATION, {"case": case.id, "verdict": verdict.value})
    cancel = postback_action("ยกเลิก", postback.encode(Action.CANCEL_VERDICT, key=ctx.postback_key, c=case.id), "ยกเลิก")
    return Result(messages=(build_text_message(ASK_EXPLANATION.format(verdict=VERDICT_WORDS[verdict], case=case.id),
                                               [cancel]),))


def cancel(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """Drops the tapper's own pending verdict, so a coordinator may always cancel (even once the case was
    rerouted); anyone else is refused and audited, as for every other case button."""
    _require_coordinator(ctx, "cancel")
    assert ctx.user is not None
    ctx.user.state = ctx.user.state_data = None
    audit(ctx, AuditAction.CASE_VERDICT_CANCELLED, params.get("c", "-"))
    return Result(messages=(build_text_message(CANCELLED),))


def explain(event: InboundEvent, ctx: Context) -> Result:
    """The coordinator's text after a verdict button: the explanation (a URL in it becomes the source). The
    verdict waits for its title: the tip's words with chain wording, links and emojis taken out, to confirm."""
    assert ctx.user is not None and ctx.user.state_data is not None
    pending = ctx.user.state_data
    ctx.user.state = ctx.user.state_data = None  # a case decided meanwhile ends the question too
    case = case_for(ctx, {"c": str(pending["case"])}, "verdict")
    text = (event.text or "").strip()
    url = next(iter(URL.findall(text)), None)
    title = claim_title(case.text)
    await_answer(ctx.user, State.VERDICT_TITLE, {"case": case.id, "verdict": pending["verdict"],
                                            "explanation": URL.sub("", text).strip(), "url": url, "title": title})
    confirm_data = postback.encode(Action.CONFIRM_TITLE, key=ctx.postback_key, c=case.id)
    cancel_data = postback.encode(Action.CANCEL_VERDICT, key=ctx.postback_key, c=case.id)
    actions = [postback_action(USE_TITLE, confirm_data, USE_TITLE), postback_action("ยกเลิก", cancel_data, "ยกเลิก")]
    return Result(messages=(build_text_message(ASK_TITLE.format(title=title), actions),))


def write_title(event: InboundEvent, ctx: Context) -> Result:
    """A title typed instead of confirming the prefilled one."""
    title = " ".join((event.text or "").split())
    if not 0 < len(title) <= MAX_TITLE_CHARS:
        raise UserInputError(TITLE_LENGTH)
    return _publish(ctx, title)


def confirm_title(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """"ใช้หัวข้อนี้": the prefilled title goes out with the verdict."""
    _require_coordinator(ctx, "verdict")
    pending = awaiting(ctx.user, State.VERDICT_TITLE)
    if pending is None or str(pending["case"]) != params.get("c"):
        raise UserInputError(TITLE_EXPIRED)
    return _publish(ctx, pending["title"])


def _publish(ctx: Context, title: str) -> Result:
    assert ctx.user is not None and ctx.user.state_data is not None
    pending = ctx.user.state_data
    ctx.user.state = ctx.user.state_data = None
    case = case_for(ctx, {"c": str(pending["case"])}, "verdict")
    outcome = publish_verdict(ctx.session, case, Verdict(pending["verdict"]), pending["explanation"],
                              pending["url"], ctx.user, ctx.checker.embedder, title)
    told = len(untold_requesters(ctx.session, outcome.claim.id))  # the closed cases' requesters too, once each
    done = DONE.format(case=case.id, count=told)
    if outcome.closed:
        done += "\n" + CLOSED_TOO.format(cases=", ".join(str(other.id) for other in outcome.closed))
    messages = [build_text_message(done)]
    similar = [case_card(other) for other in outcome.similar if _may_act(ctx, other)]
    if similar:
        messages.append(build_similar_cases_message(similar, case.id, ctx.postback_key))
    return Result(messages=tuple(messages),
                  follow_ups=(FollowUp(send_verdict_to_requesters, (case.id,), fanout_job_id(case.id)),))


def close_as_same(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """"เรื่องเดียวกัน" under a similar case: close it with the verdict just given on another."""
    case = case_for(ctx, params, "same_verdict")
    decided = ctx.session.get(Case, int(params.get("f", "0") or 0))
    claim = ctx.session.get(Claim, decided.claim_id) if decided and decided.claim_id else None
    assert ctx.user is not None
    if decided is None or claim is None:  # signed by us, so never expected: refuse rather than guess a verdict
        refuse(ctx, "same_verdict", str(case.id))
    assert decided is not None and claim is not None
    if _taken_by_other(ctx, case):
        return Result(messages=(build_text_message(TAKEN_BY_OTHER.format(case=case.id)),))
    close_with_claim(ctx.session, case, claim, ctx.user, decided.id)
    reply = SAME_CLOSED.format(case=case.id, decided=decided.id, verdict=VERDICT_WORDS[claim.verdict])
    return Result(messages=(build_text_message(reply),),
                  follow_ups=(FollowUp(send_verdict_to_requesters, (case.id,), fanout_job_id(case.id)),))


def ask_more_info(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    case = case_for(ctx, params, "more_info")
    assert ctx.user is not None
    audit(ctx, AuditAction.CASE_MORE_INFO, case.id)
    occurrence = new_occurrence()
    return Result(messages=(build_text_message(MORE_INFO_SENT.format(case=case.id)),),
                  follow_ups=(FollowUp(ask_requesters_for_details, (case.id, occurrence),
                                       details_job_id(case.id, occurrence)),))


def choose_merge_target(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """"รวมกับเรื่องอื่น": the open cases most like this one that this coordinator may act on, to pick from."""
    case = case_for(ctx, params, "merge")
    if _taken_by_other(ctx, case):
        return Result(messages=(build_text_message(TAKEN_BY_OTHER.format(case=case.id)),))
    targets = [case_card(other) for other in merge_targets(ctx.session, case, ctx.checker.embedder)
               if _may_act(ctx, other)]
    if not targets:
        return Result(messages=(build_text_message(NO_MERGE_TARGET.format(case=case.id)),))
    return Result(messages=(build_merge_targets_message(case.id, targets, ctx.postback_key),))


def merge(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """"รวมเข้าเรื่องนี้": the case's tips and requesters move to the chosen one, which keeps its SLA."""
    lock_case_routing(ctx.session)  # before the row locks, in the order route_tip takes them
    case = case_for(ctx, params, "merge")
    target = case_for(ctx, {"c": params.get("t", "")}, "merge")
    assert ctx.user is not None
    if target.id == case.id:
        refuse(ctx, "merge", str(case.id))
    if _taken_by_other(ctx, case):
        return Result(messages=(build_text_message(TAKEN_BY_OTHER.format(case=case.id)),))
    merge_cases(ctx.session, case, target, ctx.user)
    return Result(messages=(build_text_message(MERGE_DONE.format(case=case.id, into=target.id,
                                                                 count=target.requester_count)),))


def choose_tip_to_split(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """"แยกข้อความ": the case's wordings, to pick the one that tells another story."""
    case = case_for(ctx, params, "split")
    if _taken_by_other(ctx, case):
        return Result(messages=(build_text_message(TAKEN_BY_OTHER.format(case=case.id)),))
    wordings = case_wordings(ctx.session, case.id)
    if len(wordings) < 2:
        return Result(messages=(build_text_message(ONE_WORDING.format(case=case.id)),))
    choices = [(tip.id, tip.text) for tip in wordings]
    return Result(messages=(build_split_choices_message(case.id, choices, ctx.postback_key),))


def split(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """"แยกเป็นเรื่องใหม่": the wording becomes a new case, routed and announced like any new case."""
    lock_case_routing(ctx.session)  # before the row locks, in the order route_tip takes them
    case = case_for(ctx, params, "split")
    assert ctx.user is not None
    tip = ctx.session.get(Tip, int(params.get("t", "0") or 0))
    if tip is None or tip.case_id != case.id:
        return Result(messages=(build_text_message(TIP_MOVED.format(case=case.id)),))
    if _taken_by_other(ctx, case):
        return Result(messages=(build_text_message(TAKEN_BY_OTHER.format(case=case.id)),))
    if len(case_wordings(ctx.session, case.id)) < 2:
        return Result(messages=(build_text_message(ONE_WORDING.format(case=case.id)),))
    new = split_tip(ctx.session, case, tip, ctx.route, ctx.checker.embedder, ctx.user)
    done = SPLIT_DONE.format(new=new.id, agency=agency_names(ctx).get(new.agency_code or FALLBACK_AGENCY, ""),
                             count=new.requester_count, case=case.id, left=case.requester_count)
    return Result(messages=(build_text_message(done),),
                  follow_ups=(FollowUp(announce_case, (new.id,), announce_job_id(new.id)),))


def _require_coordinator(ctx: Context, action: str) -> None:
    if not is_coordinator(ctx):
        refuse(ctx, action, "-")


def show_queue(_event: InboundEvent, ctx: Context, _params: dict[str, str]) -> Result:
    _require_coordinator(ctx, "queue")
    assert ctx.user is not None and ctx.user.agency_code is not None
    return _queue_reply(ctx, agency_queue(ctx.session, ctx.user.agency_code), "งานรอตรวจ", EMPTY_QUEUE)


def show_mine(_event: InboundEvent, ctx: Context, _params: dict[str, str]) -> Result:
    _require_coordinator(ctx, "mine")
    assert ctx.user is not None and ctx.user.agency_code is not None
    return _queue_reply(ctx, agency_queue(ctx.session, ctx.user.agency_code, taken_by=ctx.user.id), "งานของฉัน",
                        NOTHING_TAKEN)


def _queue_reply(ctx: Context, cases: list[Case], title: str, empty: str) -> Result:
    if not cases:
        return Result(messages=(build_text_message(empty),))
    details = details_of(ctx.session, [case.id for case in cases])
    cards = [case_card(case, details=details.get(case.id, [])) for case in cases]
    return Result(messages=(build_case_queue_message(cards, ctx.postback_key, title),))


def show_stats(_event: InboundEvent, ctx: Context, _params: dict[str, str]) -> Result:
    _require_coordinator(ctx, "stats")
    assert ctx.user is not None
    stats = agency_stats(ctx.session, ctx.user.agency_code or "", utcnow())
    return Result(messages=(build_text_message(stats.as_thai()),))


def show_help(_event: InboundEvent, ctx: Context, _params: dict[str, str]) -> Result:
    _require_coordinator(ctx, "help")
    return Result(messages=(build_text_message(HELP),))


MENU_WORDS: dict[str, PostbackHandle] = {
    "งานรอตรวจ": show_queue, "ดูงานรอตรวจ": show_queue, "งานของฉัน": show_mine, "ดูงานของฉัน": show_mine,
    "สถิติ": show_stats, "ดูสถิติหน่วยงาน": show_stats, "ช่วยเหลือ": show_help, "วิธีใช้เมนูเจ้าหน้าที่": show_help}
"""A coordinator who types a menu tile's label (or the text the tile shows in the chat) means the tile, not a tip."""


def is_menu_word(event: InboundEvent, ctx: Context) -> bool:
    return is_coordinator(ctx) and command_text(event) in MENU_WORDS


def answer_menu_word(event: InboundEvent, ctx: Context) -> Result:
    return MENU_WORDS[command_text(event) or ""](event, ctx, {})
