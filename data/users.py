"""Queries and updates for `users`."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Insert, bindparam, select
from sqlalchemy.orm import Session

from data.audit import AuditAction, record_audit
from data.conversation import TIMEOUTS, State
from data.db import DialectInsert, per_dialect
from data.models import Role, User, utcnow

# Statements every webhook event runs, built once per process: composing them per call cost about as much
# CPU as running them (issue 11).
_FIND = select(User).where(User.line_user_id == bindparam("line_user_id"))


def _create(insert: DialectInsert) -> Insert:
    """INSERT .. ON CONFLICT DO NOTHING RETURNING the new user, as an ORM object in the session's identity map."""
    now = bindparam("now", type_=User.__table__.c.created_at.type)
    return insert(User).values(line_user_id=bindparam("line_user_id"), role=Role.CITIZEN, created_at=now,
                               last_seen_at=now, is_active=True).on_conflict_do_nothing().returning(User)


_CREATE = per_dialect(_create)


def find_user(session: Session, line_user_id: str) -> User | None:
    return session.scalars(_FIND, {"line_user_id": line_user_id}).one_or_none()


def touch_user(session: Session, line_user_id: str, now: datetime | None = None) -> tuple[User, bool]:
    """Find or create the user and record that they were seen; returns (user, created).

    A first contact often comes as several events at once (a follow and a message, two forwards), handled in
    parallel: INSERT .. ON CONFLICT DO NOTHING waits for a concurrent insert of the same user and then finds it,
    where a plain INSERT failed the second webhook with a unique violation. The insert returns the new row, so
    a first contact costs two statements, not a third to read back what it wrote."""
    now = now or utcnow()
    user = find_user(session, line_user_id)
    if user is None:
        user = session.scalars(_CREATE(session), {"line_user_id": line_user_id, "now": now}).one_or_none()
        if user is not None:
            return user, True
        user = find_user(session, line_user_id)
        assert user is not None  # inserted by the transaction the insert waited for
    user.last_seen_at = now
    return user, False


def apply_profile(user: User, profile: dict[str, Any] | None, now: datetime | None = None) -> None:
    """Store what LINE's profile API told us; None (unknown to LINE) only records the attempt."""
    if profile:
        user.display_name = profile.get("displayName") or user.display_name
        user.language = profile.get("language") or user.language
    user.profile_fetched_at = now or utcnow()


def set_role(session: Session, user: User, role: Role, actor: str) -> None:
    """Change a role and audit it; every role change goes through here."""
    if user.role == role:
        return
    record_audit(session, actor=actor, action=AuditAction.ROLE_CHANGE, object_type="user", object_id=user.line_user_id,
                 detail={"from": user.role.value, "to": role.value})
    user.role = role


def await_answer(user: User, state: State, data: dict[str, Any] | None = None, now: datetime | None = None) -> None:
    """Remember that the bot asked this user something; `data` is what the answer will need."""
    user.state, user.state_data = state, {**(data or {}), "asked_at": (now or utcnow()).isoformat()}


def awaiting(user: User | None, state: State, within: timedelta | None = None,
             now: datetime | None = None) -> dict[str, Any] | None:
    """The pending question's data if the user is answering `state` and was asked within `within` (the
    state's timeout unless given), else None: a question left unanswered expires, so a later message is never
    mistaken for its answer."""
    within = TIMEOUTS[state] if within is None else within
    if user is None or user.state != state or not user.state_data:
        return None
    asked_at = datetime.fromisoformat(str(user.state_data.get("asked_at", "1970-01-01T00:00:00+00:00")))
    return dict(user.state_data) if (now or utcnow()) - asked_at <= within else None


def stop_awaiting(user: User | None, state: State) -> None:
    if user is not None and user.state == state:
        user.state = user.state_data = None
