"""At-most-once processing per `webhookEventId`, backed by the database's primary key."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Insert, bindparam, delete
from sqlalchemy.orm import Session

from data.db import DialectInsert, per_dialect, rows_changed
from data.models import ProcessedEvent, utcnow

RETENTION = timedelta(hours=48)
"""LINE redelivers for up to a day; two days leaves room for clock skew and slow retries."""

_TABLE = ProcessedEvent.__table__.c


def _mark(insert: DialectInsert) -> Insert:
    # On the table, not the mapped class: the ORM's bulk-insert path cost about half as much again (issue 11).
    return insert(ProcessedEvent.__table__).values(
        webhook_event_id=bindparam("event_id", type_=_TABLE.webhook_event_id.type),
        event_type=bindparam("event_type", type_=_TABLE.event_type.type),
        received_at=bindparam("received_at", type_=_TABLE.received_at.type),
    ).on_conflict_do_nothing().returning(_TABLE.webhook_event_id)


_MARK = per_dialect(_mark)


def mark_processed(session: Session, event_id: str, event_type: str) -> bool:
    """Record the id; True the first time, False for a redelivery or a concurrent duplicate.

    INSERT .. ON CONFLICT DO NOTHING lets two web processes race safely: the loser sees no row inserted.
    """
    inserted = session.execute(_MARK(session), {"event_id": event_id, "event_type": event_type,
                                           "received_at": utcnow()}).scalar_one_or_none()
    return inserted is not None


def purge_processed(session: Session, now: datetime | None = None) -> int:
    """Forget ids older than RETENTION; returns how many were removed."""
    cutoff = (now or utcnow()) - RETENTION
    return rows_changed(session, delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff))
