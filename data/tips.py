"""Tips: messages citizens asked us to verify. Stored first, routed later, never lost."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data.db import rows_changed
from data.models import Tip, TipReference, User, utcnow

DRAFT_LIFETIME = timedelta(days=1)
"""Offers the citizen never answered are forgotten after this."""


class TipError(ValueError):
    """A tip action that cannot apply (not this user's tip, or no such tip)."""


def reference(session: Session, tip_id: int) -> str:
    """The number a citizen quotes when asking about their tip; submitted tips only have one."""
    number = session.scalar(select(TipReference.number).where(TipReference.tip_id == tip_id))
    if number is None:
        raise TipError(f"tip {tip_id} was never submitted")
    return f"T-{number:06d}"


def draft_tip(session: Session, user: User, text: str, source_type: str) -> Tip:
    """Remember a message the bot could not answer, so a ส่งเลย button can submit it by id."""
    tip = Tip(user_id=user.id, text=text, source_type=source_type)
    session.add(tip)
    session.flush()
    return tip


def submit_tip(session: Session, tip_id: int, user: User, now: datetime | None = None) -> tuple[Tip, bool]:
    """Mark the user's tip as submitted; returns (tip, newly_submitted)."""
    tip = session.get(Tip, tip_id)
    if tip is None or tip.user_id != user.id:
        raise TipError(f"tip {tip_id} is not user {user.id}'s")
    if tip.submitted_at is not None:
        return tip, False
    tip.submitted_at = now or utcnow()
    tip.province_code = user.province_code
    session.add(TipReference(tip_id=tip.id))
    session.flush()
    return tip, True


def discard_draft(session: Session, tip_id: int, user: User) -> None:
    """Delete the user's unsent draft; a submitted tip is kept, it has requesters waiting on it."""
    tip = session.get(Tip, tip_id)
    if tip is not None and tip.user_id == user.id and tip.submitted_at is None:
        session.delete(tip)


def unrouted_tip_ids(session: Session, cutoff: datetime) -> list[int]:
    """Tips submitted before `cutoff` and still unrouted: their routing job was lost."""
    return list(session.scalars(select(Tip.id).where(Tip.submitted_at.is_not(None), Tip.routed_at.is_(None),
                                                    Tip.submitted_at <= cutoff).order_by(Tip.id)))


def unacknowledged_tip_ids(session: Session, cutoff: datetime) -> list[int]:
    """Tips submitted before `cutoff` whose reference reply was never sent: its job was lost."""
    return list(session.scalars(select(Tip.id).where(Tip.acknowledged_at.is_(None), Tip.submitted_at <= cutoff,
                                                    Tip.user_id.is_not(None)).order_by(Tip.id)))


def is_acknowledged(session: Session, tip_id: int) -> bool:
    tip = session.get(Tip, tip_id)
    return tip is not None and tip.acknowledged_at is not None


def acknowledge(session: Session, tip_id: int, now: datetime | None = None) -> None:
    """Record that the citizen has the tip's reference."""
    tip = session.get(Tip, tip_id)
    if tip is not None and tip.acknowledged_at is None:
        tip.acknowledged_at = now or utcnow()


def purge_drafts(session: Session, now: datetime | None = None) -> int:
    """Forget messages the citizen never chose to send: we keep only what they asked us to act on."""
    cutoff = (now or utcnow()) - DRAFT_LIFETIME
    return rows_changed(session, delete(Tip).where(Tip.submitted_at.is_(None), Tip.created_at < cutoff))
