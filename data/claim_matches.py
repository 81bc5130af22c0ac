"""How often the bot answers citizens with each claim, counted per Bangkok day (no message, no user: a count)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Insert, bindparam, func, select
from sqlalchemy.orm import Session

from data.db import DialectInsert, per_dialect
from data.models import BANGKOK, Claim, ClaimMatchDay, Verdict

_DAYS = ClaimMatchDay.__table__.c


def _count(insert: DialectInsert) -> Insert:
    statement = insert(ClaimMatchDay.__table__).values(claim_id=bindparam("claim_id", type_=_DAYS.claim_id.type),
                                                       day=bindparam("day", type_=_DAYS.day.type), matches=1)
    return statement.on_conflict_do_update(index_elements=["claim_id", "day"], set_={"matches": _DAYS.matches + 1})


_COUNT = per_dialect(_count)


def record_match(session: Session, claim_id: str, now: datetime) -> None:
    """One more answer with this claim today; an upsert, so parallel webhooks never collide on the row."""
    session.execute(_COUNT(session), {"claim_id": claim_id, "day": now.astimezone(BANGKOK).date()})


@dataclass(frozen=True)
class MatchedClaim:
    claim_id: str
    text: str
    verdict: Verdict
    matches: int


def most_matched(session: Session, since: date, limit: int = 10) -> list[MatchedClaim]:
    """Claims the bot answered with most often since `since` (a Bangkok date), most first."""
    total = func.sum(ClaimMatchDay.matches)
    rows = session.execute(select(Claim.id, Claim.text, Claim.verdict, total)
                           .join(ClaimMatchDay, ClaimMatchDay.claim_id == Claim.id)
                           .where(ClaimMatchDay.day >= since)
                           .group_by(Claim.id, Claim.text, Claim.verdict)
                           .order_by(total.desc(), Claim.id).limit(limit))
    return [MatchedClaim(claim_id=claim_id, text=text, verdict=verdict, matches=int(matches))
            for claim_id, text, verdict, matches in rows]
