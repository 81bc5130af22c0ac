"""The audit log: every action name in one place, and the one function that writes a row."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from data.models import AuditEntry, utcnow


class AuditAction(StrEnum):
    """What an audit row records; the values are stored, so they never change."""

    ROLE_CHANGE = "role.change"
    COORDINATOR_AGENCY = "coordinator.agency"
    COORDINATOR_INVITE = "coordinator.invite"
    CASE_TAKE = "case.take"
    CASE_VERDICT = "case.verdict"
    CASE_SAME_VERDICT = "case.same_verdict"
    CASE_VERDICT_CANCELLED = "case.verdict_cancelled"
    CASE_REROUTE = "case.reroute"
    CASE_MORE_INFO = "case.more_info"
    CASE_MERGE = "case.merge"
    CASE_SPLIT = "case.split"
    CASE_ESCALATE = "case.escalate"
    USER_ERASE = "user.erase"
    STAFF_ADD = "staff.add"
    STAFF_REMOVE = "staff.remove"
    STAFF_LOGIN = "staff.login"
    STAFF_LOGIN_FAILED = "staff.login_failed"
    STAFF_LOGIN_BLOCKED = "staff.login_blocked"
    STAFF_LOGOUT = "staff.logout"
    DESK_EXPORT = "desk.export"


REFUSED_PREFIX = "refused."
"""A refused coordinator action is recorded as this prefix and the postback action's name."""


def record_audit(session: Session, *, actor: str, action: str, object_type: str, object_id: str,
                 detail: dict[str, Any] | None = None, created_at: datetime | None = None) -> None:
    """Add one audit row to the session's transaction."""
    session.add(AuditEntry(actor=actor, action=str(action), object_type=object_type, object_id=object_id,
                           detail=detail if detail is not None else {}, created_at=created_at or utcnow()))
