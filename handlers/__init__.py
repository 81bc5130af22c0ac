"""The handler registry: an ordered list of routes, first match wins.

Adding an intent is one module with a predicate and a handle function, plus one line in ROUTES.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.flex.messages import build_text_message
from bot.line import postback
from bot.line.events import InboundEvent
from bot.line.postback import Action
from data.conversation import State
from data.users import touch_user
from handlers import (
    case_details,
    centres,
    check_claim,
    coordinator,
    courses,
    fallback,
    faq,
    follow,
    group,
    guide,
    intent,
    media,
    privacy,
    reroute,
    scam,
    tip,
    volunteer_tools,
    volunteers,
)
from handlers.base import Context, FollowUp, PostbackHandle, Result, Route, Tools, UserInputError
from workers.profiles import fetch_profile, fetch_profile_job_id

log = logging.getLogger(__name__)

POSTBACKS: dict[str, PostbackHandle] = {
    Action.PICK_CLAIM: check_claim.show_picked_claim,
    Action.FEEDBACK: check_claim.record_feedback,
    Action.FORWARD_TEXT: volunteer_tools.send_forward_text,
    Action.NOT_THIS_CLAIM: tip.offer_again,
    Action.NO_MATCH: tip.offer_again,
    Action.SEND_TIP: tip.submit,
    Action.DECLINE_TIP: tip.decline,
    Action.VOLUNTEER_PROVINCE: volunteers.pick_province,
    Action.VOLUNTEER_DISTRICT: volunteers.pick_district,
    Action.VOLUNTEER_CONSENT: volunteers.consent,
    Action.CENTRE: centres.show_centre,
    Action.CENTRE_LOCATION: centres.send_centre_location,
    Action.CENTRE_PLACE: centres.show_place,
    Action.COURSE: courses.show_course,
    Action.COURSE_SESSIONS: courses.show_course_sessions,
    Action.SESSION_PLACE: courses.show_place_sessions,
    Action.REGISTER_INTEREST: courses.register,
    Action.CANCEL_INTEREST: courses.unregister,
    Action.FAQ_ENTRY: faq.show_entry,
    Action.CONFIRM_ERASE: privacy.erase,
    Action.KEEP_DATA: privacy.keep,
    Action.MENU_TAB: fallback.ignore_tab_switch,
    Action.SHOW_QUEUE: coordinator.show_queue,
    Action.SHOW_MINE: coordinator.show_mine,
    Action.SHOW_STATS: coordinator.show_stats,
    Action.SHOW_HELP: coordinator.show_help,
}
"""Postback action (see bot.line.postback) → handler. The coordinator's rich-menu areas are here too: read-only,
each checks the role."""

SIGNED_POSTBACKS: dict[str, PostbackHandle] = {
    Action.TAKE_CASE: coordinator.take,
    Action.CHOOSE_VERDICT: coordinator.choose_verdict,
    Action.CANCEL_VERDICT: coordinator.cancel,
    Action.CONFIRM_TITLE: coordinator.confirm_title,
    Action.CHOOSE_AGENCY: reroute.choose_agency,
    Action.REROUTE_CASE: reroute.send_to_agency,
    Action.ASK_MORE_INFO: coordinator.ask_more_info,
    Action.CLOSE_AS_SAME: coordinator.close_as_same,
    Action.CHOOSE_MERGE_TARGET: coordinator.choose_merge_target,
    Action.MERGE_CASE: coordinator.merge,
    Action.CHOOSE_TIP_TO_SPLIT: coordinator.choose_tip_to_split,
    Action.SPLIT_CASE: coordinator.split,
}
"""A coordinator's case buttons: accepted only with a valid signature, then checked for role and agency."""


def handle_postback(event: InboundEvent, ctx: Context) -> Result:
    try:
        action, params, signed = postback.decode(event.postback_data or "", key=ctx.postback_key)
    except postback.ForgedPostbackError:
        log.warning("event %s: postback with a bad signature", event.event_id)
        coordinator.refuse(ctx, "bad_postback", "-")
    except postback.InvalidPostbackError:
        return fallback.answer_stale_postback(event, ctx)
    if action in SIGNED_POSTBACKS:
        if not signed:
            coordinator.refuse(ctx, action, params.get("c", "-"))
        return SIGNED_POSTBACKS[action](event, ctx, params)
    handle = POSTBACKS.get(action)
    return handle(event, ctx, params) if handle else fallback.answer_stale_postback(event, ctx)


CONVERSATIONS: dict[State, Route] = {
    State.VERDICT_EXPLANATION: Route("verdict_explanation", coordinator.is_explanation, coordinator.explain),
    State.VERDICT_TITLE: Route("verdict_title", coordinator.is_title, coordinator.write_title),
    State.AGENCY_SEARCH: Route("agency_search", reroute.is_agency_name, reroute.search_agency),
    State.VOLUNTEER_SIGN_UP: Route("volunteer_sign_up_step", volunteers.is_signing_up, volunteers.answer),
    State.SEARCH_WORDS: Route("search_words", volunteer_tools.is_search_words, volunteer_tools.search_typed_words),
    State.CASE_DETAILS: Route("case_details", case_details.is_details_reply, case_details.attach),
    State.SESSION_LOCATION: Route("session_location", courses.is_awaiting_session_location,
                                  courses.answer_session_location),
}
"""Each conversation state and the route that takes its answer; data.conversation.TIMEOUTS says how long
it waits. ERASE_CONFIRM is answered by its buttons (Action.CONFIRM_ERASE, Action.KEEP_DATA). ROUTES places
these routes, so the order of precedence stays in one list."""

ROUTES: tuple[Route, ...] = (
    Route("too_long", fallback.is_too_long, fallback.answer_too_long),
    Route("follow", follow.is_follow, follow.welcome),
    Route("unfollow", follow.is_unfollow, follow.goodbye),
    Route("join", group.is_join, group.introduce),
    Route("group_command", group.is_group_command, group.run_command),
    Route("group", group.is_group_chatter, group.watch),
    Route("coordinator_menu_word", coordinator.is_menu_word, coordinator.answer_menu_word),
    Route("help", guide.is_help, guide.show_guide),
    Route("privacy_notice", privacy.is_privacy_request, privacy.show_notice),
    Route("my_data", privacy.is_my_data_request, privacy.show_my_data),
    Route("erase_request", privacy.is_erase_request, privacy.ask_to_erase),
    Route("how_to_check", guide.is_how_to_check, guide.explain_checking),
    Route("register", coordinator.is_registration, coordinator.register),
    CONVERSATIONS[State.VERDICT_EXPLANATION],
    CONVERSATIONS[State.VERDICT_TITLE],
    CONVERSATIONS[State.AGENCY_SEARCH],
    CONVERSATIONS[State.VOLUNTEER_SIGN_UP],
    CONVERSATIONS[State.SEARCH_WORDS],
    Route("volunteer_sign_up", volunteers.is_sign_up, volunteers.start),
    Route("volunteer_profile", volunteers.is_profile_request, volunteers.show_profile),
    Route("tip_how_to", tip.is_how_to_tip, tip.explain_tipping),
    CONVERSATIONS[State.CASE_DETAILS],
    Route("sticker", media.is_sticker, media.thank_for_sticker),
    CONVERSATIONS[State.SESSION_LOCATION],
    Route("location", centres.is_location, centres.answer_location),
    Route("image", media.is_image, media.check_picture),
    Route("media", media.is_media, media.explain_media),
    Route("centres_near_me", centres.is_near_me_request, centres.ask_for_location),
    Route("course_catalogue", courses.is_catalogue_request, courses.show_catalogue),
    Route("sessions_near_me", courses.is_sessions_near_me, courses.ask_for_session_location),
    Route("cancel_interest", courses.is_cancel_request, courses.cancel_by_text),
    Route("claim_search", volunteer_tools.is_search, volunteer_tools.search),
    Route("trends", volunteer_tools.is_trends_request, volunteer_tools.show_trends),
    Route("latest_fakes", volunteer_tools.is_latest_fakes_request, volunteer_tools.show_latest_fakes),
    Route("scam", scam.is_scam_or_victim, scam.warn_then_check),
    Route("text", intent.is_free_text, intent.answer),
    Route("postback", fallback.is_postback, handle_postback),
    Route("other_message", fallback.is_other_message, fallback.answer_unsupported),
)
"""Group routes come before the 1:1 ones so nothing below them ever speaks in a group; a text too long to read
comes before all, so no predicate reads it either."""

SYSTEM_ERROR = "ขออภัยค่ะ ระบบขัดข้องชั่วคราว รบกวนลองใหม่อีกครั้งในอีกสักครู่นะคะ"


def find_route(event: InboundEvent, ctx: Context) -> Route | None:
    return next((route for route in ROUTES if route.applies(event, ctx)), None)


def dispatch(event: InboundEvent, session: Session, tools: Tools) -> Result:
    """Load the user, run the first matching handler, and turn its failures into a polite reply.

    Only 1:1 chats make a user: a group's members never asked to be known, so they get no row and no
    profile fetch."""
    user, created = touch_user(session, event.user_id) if event.user_id and event.is_one_to_one else (None, False)
    follow_ups = (FollowUp(fetch_profile, (event.user_id,), fetch_profile_job_id(event.user_id)),) \
        if created and event.user_id else ()
    ctx = Context(session=session, user=user, checker=tools.checker, postback_key=tools.postback_key,
                  reroute_choices=tools.reroute_choices, route=tools.route, knowledge=tools.knowledge,
                  auto_approve_volunteers=tools.auto_approve_volunteers)
    route = find_route(event, ctx)
    if route is None:
        return Result(follow_ups=follow_ups, handler="none")
    # The one transaction boundary: handlers only change the session. A polite refusal (UserInputError) keeps
    # what the handler recorded, such as the audit row of a refused coordinator action; any other failure
    # rolls everything back. The webhook commits.
    try:
        result = route.handle(event, ctx)
    except UserInputError as error:
        return Result(messages=(build_text_message(str(error)),), follow_ups=follow_ups, handler=route.name)
    except OperationalError:
        # The database is unreachable (restarting, failing over): the webhook's 500 makes LINE redeliver the
        # event, and the message is handled once it is back. An apology would drop it: the citizen's tip lost.
        raise
    except Exception:
        log.exception("handler %s failed on event %s", route.name, event.event_id)
        session.rollback()
        return Result(messages=(build_text_message(SYSTEM_ERROR),), handler=route.name)
    return replace(result, follow_ups=follow_ups + result.follow_ups, handler=route.name)
