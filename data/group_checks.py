"""A brief memory of group messages the bot checked: LINE message id → the claim it matched, never the text.

Group members never asked the bot to read their messages, so what is kept is the least that lets
"@ช่วยเช็ก ตรวจ" answer a reply to an earlier message: nothing at all for a message that matched nothing
(its absence already means "no verified result"), and nothing past GROUP_CHECK_RETENTION.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from data.db import rows_changed
from data.models import GroupCheck, utcnow
from nlp.match import Match, MatchStatus

GROUP_CHECK_RETENTION = timedelta(hours=48)
"""Long enough for a group to ask about yesterday's forward, short enough to hold almost nothing."""


@dataclass(frozen=True)
class GroupOutcome:
    claim_id: str
    band: MatchStatus
    """MATCH (the auto band) or SUGGEST (a close claim, not the same for sure)."""


def outcome_of(match: Match) -> GroupOutcome | None:
    """The claim a check found: the match, or the best suggestion; None when it found nothing."""
    if match.status is MatchStatus.MATCH and match.claim_id:
        return GroupOutcome(match.claim_id, MatchStatus.MATCH)
    if match.status is MatchStatus.SUGGEST and match.candidates:
        return GroupOutcome(match.candidates[0].claim_id, MatchStatus.SUGGEST)
    return None


def remember_check(session: Session, message_id: str, match: Match, now: datetime | None = None) -> GroupOutcome | None:
    """Keep what the check of one group message found, if anything; returns what was kept."""
    outcome = outcome_of(match)
    if outcome is not None:
        session.merge(GroupCheck(message_id=message_id, claim_id=outcome.claim_id, band=outcome.band.value,
                                 checked_at=now or utcnow()))
    return outcome


def recall_check(session: Session, message_id: str, now: datetime | None = None) -> GroupOutcome | None:
    """What the bot found for a message; None when it found nothing, never saw it, or has forgotten it."""
    row = session.get(GroupCheck, message_id)
    if row is None or row.checked_at < (now or utcnow()) - GROUP_CHECK_RETENTION:
        return None
    return GroupOutcome(row.claim_id, MatchStatus(row.band))


def purge_group_checks(session: Session, now: datetime | None = None) -> int:
    """Forget checks older than GROUP_CHECK_RETENTION; returns how many were removed."""
    cutoff = (now or utcnow()) - GROUP_CHECK_RETENTION
    return rows_changed(session, delete(GroupCheck).where(GroupCheck.checked_at < cutoff))
