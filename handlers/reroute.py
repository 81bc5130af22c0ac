"""A case sent to another agency: "ไม่ใช่หน่วยงานนี้" lists the router's other choices, a name typed then searches
every agency (State.AGENCY_SEARCH, ten minutes), and "ส่งให้หน่วยงานนี้" sends the case there."""
from __future__ import annotations

from bot.flex.case import MAX_CHOICES, build_agency_choices_message
from bot.flex.messages import build_text_message
from bot.line.events import InboundEvent
from data.agencies import active_agencies, agencies_named
from data.case_actions import reroute_case
from data.conversation import State
from data.models import Agency
from data.users import await_answer, awaiting, stop_awaiting
from handlers.base import Context, FollowUp, Result
from handlers.coordinator import agency_names, case_for, is_coordinator, refuse
from workers.coordination import new_occurrence, notify_coordinators, notify_job_id

REROUTED = "ส่งเรื่องที่ {case} ต่อให้ {agency} แล้วค่ะ"
ALREADY_THERE = "เรื่องที่ {case} อยู่กับ {agency} แล้วค่ะ"
NO_AGENCY_FOUND = "ไม่พบหน่วยงานที่ชื่อตรงกับ “{query}” ค่ะ ลองพิมพ์ชื่ออื่น หรือเลือกจากรายการก่อนหน้าได้เลย"


def is_agency_name(event: InboundEvent, ctx: Context) -> bool:
    return event.is_one_to_one and event.message_type == "text" and is_coordinator(ctx) \
        and awaiting(ctx.user, State.AGENCY_SEARCH) is not None


def choose_agency(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """"ไม่ใช่หน่วยงานนี้": the router's other choices by name, best first; a typed name searches them all."""
    case = case_for(ctx, params, "reroute")
    assert ctx.user is not None
    names = agency_names(ctx)
    codes = [code for code in ctx.reroute_choices(case.text, case.agency_code or "") if code in names]
    await_answer(ctx.user, State.AGENCY_SEARCH, {"case": case.id})
    choices = [(code, names[code]) for code in codes[:MAX_CHOICES]]
    return Result(messages=(build_agency_choices_message(case.id, choices, ctx.postback_key),))


def search_agency(event: InboundEvent, ctx: Context) -> Result:
    """A name typed after ไม่ใช่หน่วยงานนี้: the agencies it matches, to pick from; the search stays open."""
    assert ctx.user is not None and ctx.user.state_data is not None
    pending = ctx.user.state_data
    stop_awaiting(ctx.user, State.AGENCY_SEARCH)  # a case decided meanwhile ends the search too
    case = case_for(ctx, {"c": str(pending["case"])}, "reroute")
    await_answer(ctx.user, State.AGENCY_SEARCH, {"case": case.id})
    query = " ".join((event.text or "").split())
    found = [(spec.code, spec.name) for spec in agencies_named(active_agencies(ctx.session), query, MAX_CHOICES + 1)
             if spec.code != case.agency_code][:MAX_CHOICES]
    if not found:
        return Result(messages=(build_text_message(NO_AGENCY_FOUND.format(query=query[:40])),))
    return Result(messages=(build_agency_choices_message(case.id, found, ctx.postback_key, query=query),))


def send_to_agency(_event: InboundEvent, ctx: Context, params: dict[str, str]) -> Result:
    """"ส่งให้หน่วยงานนี้": the case goes, open and untaken, to the agency the coordinator picked."""
    case = case_for(ctx, params, "reroute")
    agency = ctx.session.get(Agency, params.get("g", ""))
    if agency is None or not agency.active:  # signed by us, so only a since-deactivated agency
        refuse(ctx, "reroute", str(case.id))
    assert ctx.user is not None and agency is not None
    stop_awaiting(ctx.user, State.AGENCY_SEARCH)
    if agency.code == case.agency_code:
        return Result(messages=(build_text_message(ALREADY_THERE.format(case=case.id, agency=agency.name)),))
    reroute_case(ctx.session, case, agency.code, ctx.user)
    occurrence = new_occurrence()
    return Result(messages=(build_text_message(REROUTED.format(case=case.id, agency=agency.name)),),
                  follow_ups=(FollowUp(notify_coordinators, (case.id, occurrence),
                                       notify_job_id(case.id, occurrence)),))
