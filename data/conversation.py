"""Conversation state: what the bot is waiting for from a user (`User.state`), and how long it waits.

One table: each state and its timeout here; each state's handler in `handlers.CONVERSATIONS`. A question left
unanswered past its timeout expires, so a later message is never mistaken for its answer.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum


class State(StrEnum):
    """Stored in `User.state`, so the values never change."""

    VOLUNTEER_SIGN_UP = "volunteer_signup"
    """Registering as a volunteer; state_data holds the step and the answers so far."""
    SEARCH_WORDS = "search_words"
    """The words asked for by a bare ค้นหาข่าว."""
    ERASE_CONFIRM = "erase_confirm"
    """Between "ลบข้อมูลของฉัน" and the answer; state_data holds the request's nonce."""
    VERDICT_EXPLANATION = "verdict_explanation"
    """A coordinator's explanation of the verdict they just tapped."""
    VERDICT_TITLE = "verdict_title"
    """After the explanation: the coordinator confirms or writes the claim's title before the verdict goes out."""
    AGENCY_SEARCH = "reroute_agency_name"
    """After ไม่ใช่หน่วยงานนี้: a typed text searches the agencies by name; state_data holds the case."""
    SESSION_LOCATION = "course_location"
    """A location to find course sessions near (not centres)."""
    CASE_DETAILS = "case_details"
    """A requester's details for a case a coordinator asked about."""


TIMEOUTS: Mapping[State, timedelta] = {
    State.VOLUNTEER_SIGN_UP: timedelta(minutes=30),
    State.SEARCH_WORDS: timedelta(minutes=10),  # a message much later is an ordinary one again
    State.ERASE_CONFIRM: timedelta(minutes=10),  # erasing is final: it must answer a request just made
    State.VERDICT_EXPLANATION: timedelta(minutes=30),  # later text is an ordinary message again
    State.VERDICT_TITLE: timedelta(minutes=30),
    State.AGENCY_SEARCH: timedelta(minutes=10),
    State.SESSION_LOCATION: timedelta(minutes=10),  # a location shared later is a centre search again
    State.CASE_DETAILS: timedelta(hours=24),  # the ask says so
}
