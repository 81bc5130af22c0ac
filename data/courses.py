"""Digital-skills courses, their dated sessions, and users' interest in a session."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from rapidfuzz import fuzz
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.models import BANGKOK, Centre, Course, CourseInterest, CourseSession, User

REMINDER_TIME = time(9, 0)
"""Reminders go out at 09:00 Bangkok time the day before: early enough to plan, not at night."""


@dataclass(frozen=True)
class SessionView:
    """A session with what a reply shows about it."""

    session: CourseSession
    course: Course
    centre: Centre | None


def list_courses(session: Session) -> list[Course]:
    return list(session.scalars(select(Course).order_by(Course.title)))


def get_course(session: Session, code: str) -> Course | None:
    return session.get(Course, code)


def upcoming_sessions(session: Session, now: datetime, course_code: str | None = None,
                      province_code: str | None = None, limit: int = 5,
                      centre_codes: Collection[str] | None = None) -> list[SessionView]:
    """Sessions not yet started, soonest first; `province_code` keeps those at a centre in that province,
    `centre_codes` those at these centres."""
    query = (select(CourseSession, Course, Centre).join(Course, Course.code == CourseSession.course_code)
             .outerjoin(Centre, Centre.code == CourseSession.centre_code)
             .where(CourseSession.starts_at > now).order_by(CourseSession.starts_at, CourseSession.id))
    if course_code is not None:
        query = query.where(CourseSession.course_code == course_code)
    if province_code is not None:
        query = query.where(Centre.province_code == province_code)
    if centre_codes is not None:
        query = query.where(CourseSession.centre_code.in_(centre_codes))
    return [SessionView(*row) for row in session.execute(query.limit(limit)).all()]


def get_session_view(session: Session, session_id: int) -> SessionView | None:
    row = session.execute(select(CourseSession, Course, Centre).join(Course, Course.code == CourseSession.course_code)
                          .outerjoin(Centre, Centre.code == CourseSession.centre_code)
                          .where(CourseSession.id == session_id)).first()
    return SessionView(*row) if row else None


def reminder_time(starts_at: datetime, now: datetime) -> datetime | None:
    """09:00 Bangkok time the day before the session; None when that moment has already passed."""
    day_before = starts_at.astimezone(BANGKOK).date() - timedelta(days=1)
    moment = datetime.combine(day_before, REMINDER_TIME, tzinfo=BANGKOK)
    return moment if moment > now else None


def register_interest(session: Session, user: User, course_session: CourseSession,
                      now: datetime) -> tuple[CourseInterest, bool]:
    """Record "สนใจ"; True when this is new (or renewed after a cancel), False when already registered."""
    interest = session.scalar(select(CourseInterest).where(CourseInterest.session_id == course_session.id,
                                                           CourseInterest.user_id == user.id))
    if interest is not None and interest.cancelled_at is None:
        return interest, False
    if interest is None:
        interest = CourseInterest(session_id=course_session.id, user_id=user.id, created_at=now)
        session.add(interest)
    interest.cancelled_at = None
    interest.reminded_at = None
    interest.remind_at = reminder_time(course_session.starts_at, now)
    session.flush()
    return interest, True


def interest_count(session: Session, session_id: int) -> int:
    return session.scalar(select(func.count()).select_from(CourseInterest).where(
        CourseInterest.session_id == session_id, CourseInterest.cancelled_at.is_(None))) or 0


def active_interests(session: Session, user: User, now: datetime) -> list[CourseInterest]:
    """The user's registrations for sessions that have not started, soonest first."""
    return list(session.scalars(
        select(CourseInterest).join(CourseSession, CourseSession.id == CourseInterest.session_id)
        .where(CourseInterest.user_id == user.id, CourseInterest.cancelled_at.is_(None),
               CourseSession.starts_at > now).order_by(CourseSession.starts_at)))


def cancel_interest(interest: CourseInterest, now: datetime) -> None:
    """The reminder job reads `cancelled_at`, so a reminder already scheduled sends nothing."""
    interest.cancelled_at = now


def reminders_due(session: Session, now: datetime) -> list[int]:
    """Interests whose reminder time has passed unsent while the session is still ahead: their job was lost."""
    return list(session.scalars(
        select(CourseInterest.id).join(CourseSession, CourseSession.id == CourseInterest.session_id)
        .where(CourseInterest.remind_at <= now, CourseInterest.reminded_at.is_(None),
               CourseInterest.cancelled_at.is_(None), CourseInterest.user_id.is_not(None),
               CourseSession.starts_at > now)))


COURSE_NAME_SCORE = 90
"""partial_ratio (0-100) a course's title or alias must reach inside a message to count as named."""


def _course_names(course: Course) -> list[str]:
    """The title, its parts in and outside brackets ("หลักสูตรอาสาสมัครดิจิทัล (อสด.)" → "อสด."), and topics."""
    title = course.title.replace("หลักสูตร", "").strip()
    outside, _, inside = title.partition("(")
    names = [title, outside.strip(), inside.rstrip(")").strip(), *course.topics]
    return [name.lower() for name in names if len(name.strip()) >= 3]


def find_course(session: Session, text: str) -> Course | None:
    """The course a message names ("คอร์สการตลาดดิจิทัลมีไหม"), or None; the longest matching name wins, so
    "พาณิชย์ดิจิทัล" is not mistaken for another "…ดิจิทัล"."""
    lowered = text.lower()
    best: tuple[float, int, Course] | None = None
    for course in list_courses(session):
        for name in _course_names(course):
            score = fuzz.partial_ratio(name, lowered) if len(name) <= len(lowered) else 0.0
            if score >= COURSE_NAME_SCORE and (best is None or (score, len(name)) > best[:2]):
                best = (score, len(name), course)
    return best[2] if best else None
