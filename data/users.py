"""Queries and updates for `users`."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.models import AuditEntry, Role, User, utcnow


def find_user(session: Session, line_user_id: str) -> User | None:
    return session.scalars(select(User).where(User.line_user_id == line_user_id)).one_or_none()


def touch_user(session: Session, line_user_id: str, now: datetime | None = None) -> tuple[User, bool]:
    """Find or create the user and record that they were seen; returns (user, created)."""
    now = now or utcnow()
    user = find_user(session, line_user_id)
    if user is not None:
        user.last_seen_at = now
        return user, False
    user = User(line_user_id=line_user_id, role=Role.CITIZEN, created_at=now, last_seen_at=now, is_active=True)
    session.add(user)
    session.flush()
    return user, True


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
    session.add(AuditEntry(actor=actor, action="role.change", object_type="user", object_id=user.line_user_id,
                           detail={"from": user.role.value, "to": role.value}))
    user.role = role
