"""Details a coordinator asked requesters for ("ขอข้อมูลเพิ่ม"): who may answer, for how long, and what came back.

The ask marks each requester as awaiting details on that case (users.state); their next messages within the
window attach to the case instead of being checked as new rumours."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.conversation import State
from data.models import Case, CaseDetail, User, utcnow
from data.users import await_answer, awaiting

FOLLOW_ON_WINDOW = timedelta(minutes=10)
"""After a first answer, how long further messages (a link, then a picture) still attach: later ones are new."""
DETAILS_ON_CARD = 3
"""The newest details a case card shows."""


def ask_for_details(session: Session, user_ids: list[int], case_id: int, now: datetime | None = None) -> None:
    """Mark the requesters as answering the case's details request; one already in another question keeps it."""
    for user in session.scalars(select(User).where(User.id.in_(user_ids))):
        if user.state in (None, State.CASE_DETAILS):
            await_answer(user, State.CASE_DETAILS, {"case": case_id}, now)


def details_case(session: Session, user: User | None, now: datetime | None = None) -> Case | None:
    """The open case this user is sending details for, within the window; None otherwise."""
    pending = awaiting(user, State.CASE_DETAILS, now=now)
    if pending and pending.get("answered"):
        pending = awaiting(user, State.CASE_DETAILS, FOLLOW_ON_WINDOW, now)
    case = session.get(Case, int(pending["case"])) if pending else None
    return case if case is not None and case.is_open else None


def add_detail(session: Session, case: Case, user: User, kind: str, text: str | None,
               now: datetime | None = None) -> CaseDetail:
    """Keep the detail on its case; further messages attach only for FOLLOW_ON_WINDOW from now."""
    detail = CaseDetail(case_id=case.id, user_id=user.id, kind=kind, text=text, created_at=now or utcnow())
    session.add(detail)
    session.flush()
    await_answer(user, State.CASE_DETAILS, {"case": case.id, "answered": True}, now)
    return detail


def details_of(session: Session, case_ids: list[int]) -> dict[int, list[CaseDetail]]:
    """Each case's newest details, newest first."""
    found: dict[int, list[CaseDetail]] = defaultdict(list)
    for detail in session.scalars(select(CaseDetail).where(CaseDetail.case_id.in_(case_ids))
                                  .order_by(CaseDetail.created_at.desc(), CaseDetail.id.desc())):
        if len(found[detail.case_id]) < DETAILS_ON_CARD:
            found[detail.case_id].append(detail)
    return found
