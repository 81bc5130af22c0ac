"""Login rate limiting per e-mail and address: after too many failures in a window, further tries are refused
until it passes. Counted in Redis when the app has one (shared by every process), else from the audit log,
which records every failed login anyway."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Protocol

from redis import Redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.audit import AuditAction
from data.models import AuditEntry

LOGIN_OBJECT = "staff_login"


def throttle_key(email: str, address: str) -> str:
    """Who is trying, as the audit log and Redis record it: hashed, as e-mails are typed wrong (and IPs are
    personal data); the audit entry's detail keeps the e-mail typed."""
    return hashlib.blake2b(f"{email.strip().lower()}|{address}".encode(), digest_size=12).hexdigest()


class LoginThrottle(Protocol):
    def is_blocked(self, session: Session, key: str, now: datetime) -> bool: ...

    def failed(self, key: str, now: datetime) -> None: ...

    def succeeded(self, key: str) -> None: ...


class AuditLogThrottle:
    """Failures since the key's last success within the window, read from the audit log."""

    def __init__(self, attempts: int, window: timedelta) -> None:
        self.attempts, self.window = attempts, window

    def is_blocked(self, session: Session, key: str, now: datetime) -> bool:
        mine = (AuditEntry.object_type == LOGIN_OBJECT, AuditEntry.object_id == key)
        last_success = session.scalar(select(func.max(AuditEntry.created_at))
                                      .where(*mine, AuditEntry.action == AuditAction.STAFF_LOGIN))
        since = max(now - self.window, last_success) if last_success else now - self.window
        failures = session.scalar(select(func.count()).select_from(AuditEntry)
                                  .where(*mine, AuditEntry.action == AuditAction.STAFF_LOGIN_FAILED,
                                         AuditEntry.created_at > since))
        return (failures or 0) >= self.attempts

    def failed(self, key: str, now: datetime) -> None:
        """Nothing to do: the caller's audit entry is the count."""

    def succeeded(self, key: str) -> None:
        """Nothing to do: the caller's audit entry resets the count."""


class RedisThrottle:
    """A counter per key that expires a window after the first failure (a fixed window)."""

    def __init__(self, redis: Redis, attempts: int, window: timedelta) -> None:
        self.redis, self.attempts, self.window = redis, attempts, window

    def _name(self, key: str) -> str:
        return f"chuaycheck:desk-login:{key}"

    def is_blocked(self, session: Session, key: str, now: datetime) -> bool:
        return int(self.redis.get(self._name(key)) or 0) >= self.attempts

    def failed(self, key: str, now: datetime) -> None:
        pipe = self.redis.pipeline()
        pipe.incr(self._name(key))
        pipe.expire(self._name(key), int(self.window.total_seconds()), nx=True)
        pipe.execute()

    def succeeded(self, key: str) -> None:
        self.redis.delete(self._name(key))
