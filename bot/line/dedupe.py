"""At-most-once processing per `webhookEventId`, backed by the database's primary key."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data.db import rows_changed
from data.models import ProcessedEvent, utcnow

RETENTION = timedelta(hours=48)
"""LINE redelivers for up to a day; two days leaves room for clock skew and slow retries."""


def mark_processed(session: Session, event_id: str, event_type: str) -> bool:
    """Record the id; True the first time, False for a redelivery or a concurrent duplicate.

    INSERT .. ON CONFLICT DO NOTHING lets two web processes race safely: the loser sees no row inserted.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ProcessedEvent).values(webhook_event_id=event_id, event_type=event_type,
                                              received_at=utcnow()).on_conflict_do_nothing()
    inserted = session.execute(statement.returning(ProcessedEvent.webhook_event_id)).scalar_one_or_none()
    return inserted is not None


def purge_processed(session: Session, now: datetime | None = None) -> int:
    """Forget ids older than RETENTION; returns how many were removed."""
    cutoff = (now or utcnow()) - RETENTION
    return rows_changed(session, delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff))
