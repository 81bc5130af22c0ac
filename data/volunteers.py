"""Digital volunteers (อสด.): registration, approval and removal. Every role change goes through
data.users.set_role, so it is audited."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.models import Role, User, Volunteer, VolunteerStatus, utcnow
from data.users import find_user, set_role

MAX_DISPLAY_NAME = 50


class VolunteerError(ValueError):
    """An operator asked for something that does not apply (no such user, no registration)."""


def get_volunteer(session: Session, user: User) -> Volunteer | None:
    return session.get(Volunteer, user.id)


def register_volunteer(session: Session, user: User, display_name: str, province_code: str, district_code: str,
                       auto_approve: bool, now: datetime | None = None) -> Volunteer:
    """Record (or update) the registration with the user's consent; an approved volunteer stays approved
    when they change their details."""
    now = now or utcnow()
    volunteer = get_volunteer(session, user)
    if volunteer is None:
        volunteer = Volunteer(user_id=user.id, status=VolunteerStatus.PENDING, applied_at=now, consent_at=now,
                              display_name=display_name)
        session.add(volunteer)
    volunteer.display_name = display_name[:MAX_DISPLAY_NAME]
    volunteer.consent_at = now
    user.province_code, user.district_code, user.consent_at = province_code, district_code, now
    if auto_approve and volunteer.status is VolunteerStatus.PENDING:
        approve(session, user, volunteer, actor="auto", now=now)
    session.flush()
    return volunteer


def approve(session: Session, user: User, volunteer: Volunteer, actor: str, now: datetime | None = None) -> None:
    volunteer.status, volunteer.approved_at, volunteer.approved_by = VolunteerStatus.APPROVED, now or utcnow(), actor
    if user.role is Role.CITIZEN:  # a coordinator who volunteers keeps the coordinator's menu and powers
        set_role(session, user, Role.VOLUNTEER, actor)


def approve_by_line_id(session: Session, line_user_id: str, actor: str) -> User:
    user = find_user(session, line_user_id)
    volunteer = get_volunteer(session, user) if user else None
    if user is None or volunteer is None:
        raise VolunteerError(f"{line_user_id} has not registered as a volunteer (they send สมัครอาสา first)")
    approve(session, user, volunteer, actor)
    return user


def remove_by_line_id(session: Session, line_user_id: str, actor: str) -> User:
    user = find_user(session, line_user_id)
    volunteer = get_volunteer(session, user) if user else None
    if user is None or volunteer is None:
        raise VolunteerError(f"{line_user_id} is not a registered volunteer")
    session.delete(volunteer)
    if user.role is Role.VOLUNTEER:
        set_role(session, user, Role.CITIZEN, actor)
    return user


def list_volunteers(session: Session, status: VolunteerStatus | None = None) -> list[tuple[Volunteer, User]]:
    query = select(Volunteer, User).join(User, User.id == Volunteer.user_id).order_by(Volunteer.applied_at)
    if status is not None:
        query = query.where(Volunteer.status == status)
    return [(volunteer, user) for volunteer, user in session.execute(query).all()]
