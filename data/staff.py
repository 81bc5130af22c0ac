"""Web desk accounts: created and removed from the command line, checked at login. Every change is audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session
from werkzeug.security import check_password_hash, generate_password_hash

from data.audit import AuditAction, record_audit
from data.models import Agency, Role, StaffAccount, User, utcnow

MIN_PASSWORD_CHARS = 12
_UNUSED_HASH = generate_password_hash("not a password of anyone's")
"""Checked against when the e-mail is unknown, so a login takes as long whether or not the account exists."""


class StaffError(ValueError):
    """An account change that cannot apply: unknown agency, weak password, no such account."""


@dataclass(frozen=True)
class StaffMember:
    """Who is logged in, as the desk's pages need it: no password hash, no ORM row to leak into templates."""

    account_id: int
    email: str
    agency_code: str | None
    """None: the AFNC desk, which sees every agency's cases."""
    user_id: int
    session_version: int
    agency_name: str | None = None
    """The agency's Thai name, shown to people instead of its code."""

    @property
    def actor(self) -> str:
        """How the audit log names this account (its stand-in user's id)."""
        return staff_actor(self.account_id)

    def may_see(self, agency_code: str | None) -> bool:
        return self.agency_code is None or self.agency_code == agency_code


def staff_actor(account_id: int) -> str:
    return f"staff:{account_id}"


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or any(character.isspace() for character in email):
        raise StaffError(f"not an e-mail address: {email!r}")
    return email


def add_staff(session: Session, email: str, password: str, agency_code: str | None, actor: str) -> StaffAccount:
    """Create an account, or give a removed (or existing) one a new password and scope; old sessions end."""
    email = normalise_email(email)
    if len(password) < MIN_PASSWORD_CHARS:
        raise StaffError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    if agency_code is not None and session.get(Agency, agency_code) is None:
        raise StaffError(f"unknown agency {agency_code!r}; run `flask agencies sync` first?")
    account = session.scalars(select(StaffAccount).where(StaffAccount.email == email)).one_or_none()
    if account is None:
        account = StaffAccount(email=email, session_version=0)
        session.add(account)
        session.flush()
        user = User(line_user_id=staff_actor(account.id), display_name=email, role=Role.STAFF, is_active=False)
        session.add(user)
        session.flush()
        account.user_id = user.id
    account.password_hash = generate_password_hash(password)
    account.agency_code, account.removed_at = agency_code, None
    account.session_version += 1
    record_audit(session, actor=actor, action=AuditAction.STAFF_ADD, object_type="staff", object_id=email,
                 detail={"agency": agency_code or "desk"})
    return account


def remove_staff(session: Session, email: str, actor: str) -> StaffAccount:
    account = session.scalars(select(StaffAccount).where(StaffAccount.email == normalise_email(email))).one_or_none()
    if account is None or account.removed_at is not None:
        raise StaffError(f"no active account for {email}")
    account.password_hash, account.removed_at = None, utcnow()
    account.session_version += 1
    record_audit(session, actor=actor, action=AuditAction.STAFF_REMOVE, object_type="staff", object_id=account.email)
    return account


def member_of(account: StaffAccount) -> StaffMember:
    assert account.user_id is not None
    session = object_session(account)
    agency = session.get(Agency, account.agency_code) if session is not None and account.agency_code else None
    return StaffMember(account_id=account.id, email=account.email, agency_code=account.agency_code,
                       user_id=account.user_id, session_version=account.session_version,
                       agency_name=agency.name if agency is not None else None)


def authenticate(session: Session, email: str, password: str) -> StaffMember | None:
    """The account these credentials open, or None; the same work is done whether the e-mail exists or not."""
    try:
        email = normalise_email(email)
    except StaffError:
        check_password_hash(_UNUSED_HASH, password)
        return None
    account = session.scalars(select(StaffAccount).where(StaffAccount.email == email)).one_or_none()
    stored = account.password_hash if account is not None and account.removed_at is None else None
    if not check_password_hash(stored or _UNUSED_HASH, password) or account is None or stored is None:
        return None
    return member_of(account)


def current_member(session: Session, account_id: int, session_version: int) -> StaffMember | None:
    """The member a session cookie names, if the account still exists and the cookie is not from before a
    removal or a new password."""
    account = session.get(StaffAccount, account_id)
    if account is None or account.removed_at is not None or account.session_version != session_version:
        return None
    return member_of(account)


def staff_user(session: Session, member: StaffMember) -> User:
    user = session.get(User, member.user_id)
    assert user is not None
    return user


def list_staff(session: Session) -> list[StaffAccount]:
    return list(session.scalars(select(StaffAccount).where(StaffAccount.removed_at.is_(None))
                                .order_by(StaffAccount.email)))


def audit(session: Session, member: StaffMember, action: str, object_type: str, object_id: str,
          detail: dict[str, object] | None = None, now: datetime | None = None) -> None:
    """Every desk action, allowed or refused, is recorded with the account that did it."""
    record_audit(session, actor=member.actor, action=action, object_type=object_type, object_id=object_id,
                 detail=dict(detail or {}), created_at=now)
