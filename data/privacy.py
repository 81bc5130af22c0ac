"""A user's rights over their data (PDPA): see what is stored about them, and have it erased.

Erasing deletes the user's own rows and unlinks them from shared records, which stay so that case
priorities, seat counts and statistics stay right. Every link to `users.id` is cleared explicitly rather
than left to the foreign keys' ON DELETE rules: SQLite and PostgreSQL must end the same, and a new table
that points at users has to be listed here (tests/test_privacy.py checks that none is forgotten).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from data.audit import AuditAction, record_audit
from data.db import rows_changed
from data.images import erase_user_images
from data.models import (
    Agency,
    AuditEntry,
    Case,
    CaseDetail,
    CaseRequester,
    CaseStatus,
    Claim,
    CoordinatorInvite,
    Course,
    CourseInterest,
    CourseSession,
    Role,
    StaffAccount,
    StoredImage,
    Tip,
    User,
    VerdictFeedback,
    Volunteer,
    VolunteerStatus,
    utcnow,
)

ANONYMISED_LINKS: tuple[InstrumentedAttribute[Any], ...] = (
    Tip.user_id, CourseInterest.user_id, VerdictFeedback.user_id, CaseDetail.user_id,
    Claim.verified_by, Case.taken_by, CoordinatorInvite.used_by, StoredImage.user_id, StaffAccount.user_id)
"""Set to NULL: the row is a shared record (a case's tip or picture, a seat taken, a verdict) and no longer points at
anyone."""
DELETED_LINKS: tuple[InstrumentedAttribute[Any], ...] = (CaseRequester.user_id, Volunteer.user_id)
"""Deleted with the user: the rows are theirs alone. A case keeps its `requester_count`, so its priority stays."""
ERASED_PREFIX = "erased-"
"""Replaces the LINE user id in the audit log; the rest is random, so it cannot be traced back."""


@dataclass(frozen=True)
class Interest:
    """A course session the user said "สนใจ" to."""

    course_title: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class StoredData:
    """Everything stored about one user, as "ข้อมูลของฉัน" shows it; nothing about anyone else."""

    display_name: str | None
    role: Role
    agency_name: str | None
    province_code: str | None
    district_code: str | None
    volunteer_status: VolunteerStatus | None
    volunteer_name: str | None
    consent_at: datetime | None
    created_at: datetime
    last_seen_at: datetime
    tips_sent: int
    tips_waiting: int
    """Sent tips whose case has no verdict yet (or that are not yet routed to a case)."""
    interests: tuple[Interest, ...]
    details_sent: int
    """Answers to a coordinator's "ขอข้อมูลเพิ่ม"."""
    helpful_feedback: int
    unhelpful_feedback: int


@dataclass(frozen=True)
class Erasure:
    token: str
    """What the user's LINE id became in the audit log."""
    counts: dict[str, int]
    """Rows changed per `table.column`: what the `user.erase` audit entry records."""


def stored_data(session: Session, user: User, now: datetime | None = None) -> StoredData:
    now = now or utcnow()
    volunteer = session.get(Volunteer, user.id)
    agency = session.get(Agency, user.agency_code) if user.agency_code else None
    statuses = list(session.scalars(select(Case.status).select_from(Tip).outerjoin(Case, Case.id == Tip.case_id)
                                    .where(Tip.user_id == user.id, Tip.submitted_at.is_not(None))))
    interests = session.execute(
        select(Course.title, CourseSession.starts_at, CourseSession.ends_at).select_from(CourseInterest)
        .join(CourseSession, CourseSession.id == CourseInterest.session_id)
        .join(Course, Course.code == CourseSession.course_code)
        .where(CourseInterest.user_id == user.id, CourseInterest.cancelled_at.is_(None),
               CourseSession.starts_at > now).order_by(CourseSession.starts_at)).all()
    feedback = dict(session.execute(select(VerdictFeedback.helpful, func.count()).where(
        VerdictFeedback.user_id == user.id).group_by(VerdictFeedback.helpful)).all())
    return StoredData(
        display_name=user.display_name, role=user.role, agency_name=agency.name if agency else None,
        province_code=user.province_code, district_code=user.district_code,
        volunteer_status=volunteer.status if volunteer else None,
        volunteer_name=volunteer.display_name if volunteer else None,
        consent_at=user.consent_at or (volunteer.consent_at if volunteer else None),
        created_at=user.created_at, last_seen_at=user.last_seen_at,
        tips_sent=len(statuses), tips_waiting=sum(1 for status in statuses if status is not CaseStatus.ANSWERED),
        interests=tuple(Interest(title, starts, ends) for title, starts, ends in interests),
        details_sent=session.scalar(select(func.count()).select_from(CaseDetail)
                                    .where(CaseDetail.user_id == user.id)) or 0,
        helpful_feedback=feedback.get(True, 0), unhelpful_feedback=feedback.get(False, 0))


def _key(column: InstrumentedAttribute[Any]) -> str:
    return f"{column.class_.__tablename__}.{column.key}"


def erase_user(session: Session, user: User, now: datetime | None = None) -> Erasure:
    """Delete the user and everything that is only theirs; keep shared records, unlinked. One transaction:
    the caller's. The user object is deleted: read what you need from it before calling."""
    now = now or utcnow()
    user_id, line_user_id = user.id, user.line_user_id
    token = ERASED_PREFIX + secrets.token_hex(6)
    counts: dict[str, int] = {}
    # Drafts are messages the user never chose to send: nothing shared depends on them.
    counts["tips.draft"] = rows_changed(session,
        delete(Tip).where(Tip.user_id == user_id, Tip.submitted_at.is_(None)))
    # A coordinator's case still in hand goes back to the agency's queue rather than waiting for nobody.
    counts["images"] = erase_user_images(session, user_id)
    counts["cases.reopened"] = rows_changed(session,
        update(Case).where(Case.taken_by == user_id, Case.status == CaseStatus.TAKEN)
        .values(status=CaseStatus.OPEN, taken_by=None))
    for column in ANONYMISED_LINKS:
        counts[_key(column)] = rows_changed(session,
            update(column.class_).where(column == user_id).values({column.key: None}))
    for column in DELETED_LINKS:
        counts[_key(column)] = rows_changed(session, delete(column.class_).where(column == user_id))
    counts["audit_log.object_id"] = rows_changed(session,
        update(AuditEntry).where(AuditEntry.object_id == line_user_id).values(object_id=token))
    counts["audit_log.actor"] = rows_changed(session,
        update(AuditEntry).where(AuditEntry.actor == line_user_id).values(actor=token))
    record_audit(session, actor=token, action=AuditAction.USER_ERASE, object_type="user", object_id=token,
                 detail=counts, created_at=now)
    session.delete(user)
    session.flush()
    return Erasure(token, counts)
