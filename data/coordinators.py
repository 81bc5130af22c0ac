"""Coordinators: users with the coordinator role and an agency. Every change is audited."""
from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.agencies import FALLBACK_AGENCY
from data.audit import AuditAction, record_audit
from data.models import OPEN_CASE_STATUSES, Agency, Case, CoordinatorInvite, Role, User, utcnow
from data.users import set_role, touch_user

INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I: people type these codes from a screen."""


class CoordinatorError(ValueError):
    """A registration that cannot apply: unknown agency, or an invite that is used or unknown."""


def make_coordinator(session: Session, line_user_id: str, agency_code: str, actor: str,
                     display_name: str | None = None) -> User:
    if session.get(Agency, agency_code) is None:
        raise CoordinatorError(f"unknown agency {agency_code!r}; run `flask agencies sync` first?")
    user, _created = touch_user(session, line_user_id)
    if display_name:
        user.display_name = display_name
    set_role(session, user, Role.COORDINATOR, actor)
    if user.agency_code != agency_code:
        record_audit(session, actor=actor, action=AuditAction.COORDINATOR_AGENCY, object_type="user",
                     object_id=line_user_id, detail={"from": user.agency_code, "to": agency_code})
        user.agency_code = agency_code
    return user


def remove_coordinator(session: Session, line_user_id: str, actor: str) -> User:
    user = session.scalars(select(User).where(User.line_user_id == line_user_id)).one_or_none()
    if user is None or user.role is not Role.COORDINATOR:
        raise CoordinatorError(f"{line_user_id} is not a coordinator")
    set_role(session, user, Role.CITIZEN, actor)
    user.agency_code = None
    user.state = user.state_data = None
    return user


def create_invite(session: Session, agency_code: str, actor: str) -> str:
    if session.get(Agency, agency_code) is None:
        raise CoordinatorError(f"unknown agency {agency_code!r}")
    code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(8))
    session.add(CoordinatorInvite(code=code, agency_code=agency_code))
    record_audit(session, actor=actor, action=AuditAction.COORDINATOR_INVITE, object_type="agency",
                 object_id=agency_code, detail={"code_ends": code[-2:]})  # the code itself is a credential
    return code


def redeem_invite(session: Session, code: str, user: User) -> User:
    invite = session.get(CoordinatorInvite, code.strip().upper(), with_for_update=True)
    if invite is None or invite.used_at is not None:
        raise CoordinatorError("unknown or used invite")
    invite.used_by, invite.used_at = user.id, utcnow()
    return make_coordinator(session, user.line_user_id, invite.agency_code, actor=f"invite:{code}")


def coordinators_of(session: Session, agency_code: str | None) -> list[str]:
    """LINE ids of the agency's active coordinators, or the AFNC desk's when it has none."""
    for code in (agency_code, FALLBACK_AGENCY):
        ids = list(session.scalars(select(User.line_user_id).where(
            User.role == Role.COORDINATOR, User.agency_code == code, User.is_active.is_(True)).order_by(User.id)))
        if ids:
            return ids
    return []


def agency_queue(session: Session, agency_code: str, taken_by: int | None = None) -> list[Case]:
    """Open cases for the agency, most requested first; or the cases one coordinator took."""
    query = select(Case).where(Case.status.in_(OPEN_CASE_STATUSES))
    query = query.where(Case.taken_by == taken_by) if taken_by is not None else query.where(
        Case.agency_code == agency_code)
    return list(session.scalars(query.order_by(Case.requester_count.desc(), Case.created_at)))

